import type { TFunction } from 'i18next';
import type { ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { isApiError } from '../../api/errors.ts';
import { describeError } from '../../app/errorMessage.ts';

/** What the hint and error of a field add to its description, announced with the control. */
function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

function Hint({ id, hint }: { id: string; hint: ReactNode }) {
  return hint ? (
    <p id={`${id}-hint`} className="field-hint">
      {hint}
    </p>
  ) : null;
}

function ErrorText({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={`${id}-error`} className="field-error">
      {error}
    </p>
  ) : null;
}

/** A labelled select whose hint and API error are announced with it (the select twin of ui/Field). */
export function SelectField({
  id,
  label,
  hint,
  error,
  options,
  ...select
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <Hint id={id} hint={hint} />
      <ErrorText id={id} error={error} />
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled textarea whose hint and API error are announced with it. */
export function TextAreaField({
  id,
  label,
  hint,
  error,
  ...textarea
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
}) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <Hint id={id} hint={hint} />
      <ErrorText id={id} error={error} />
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...textarea}
      />
    </div>
  );
}

/** A 4xx answer's own message (it names what is wrong), else the shared network/server wording. */
export function apiMessage(tApp: TFunction, error: unknown): string | undefined {
  if (!error) return undefined;
  if (isApiError(error) && error.status >= 400 && error.status < 500) return error.message;
  return describeError(tApp, error);
}
