import { type MouseEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

function focusField(fieldId: string) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    const field = document.getElementById(fieldId);
    if (!field) return;
    event.preventDefault();
    field.focus();
  };
}

/** The list of problems at the top of a form; it takes focus so it is read out at once. */
export function ErrorSummary({ messages }: { messages: { text: string; fieldId?: string | undefined }[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const signature = messages.map((m) => m.text).join('|');
  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);
  if (messages.length === 0) return null;
  return (
    <div ref={ref} className="error-summary" role="alert" tabIndex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t('auth.errorSummary')}</h2>
      <ul>
        {messages.map((message) => (
          <li key={message.text}>
            {message.fieldId ? (
              <a href={`#${message.fieldId}`} onClick={focusField(message.fieldId)}>
                {message.text}
              </a>
            ) : (
              message.text
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
