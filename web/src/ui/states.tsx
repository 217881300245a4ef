import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/errors.ts';
import { describeError } from '../app/errorMessage.ts';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation('ui');
  return (
    <p className="loading" role="status">
      {label ?? t('states.loading')}
    </p>
  );
}

/** A failed query: the error in the reader's language and a way to try again. 404 says "not found or not yours". */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation('ui');
  const { t: tApp } = useTranslation();
  const notFound = isApiError(error) && error.status === 404;
  return (
    <div className="query-error" role="alert">
      <p>{notFound ? t('states.notFound') : describeError(tApp, error)}</p>
      {onRetry && !notFound && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {t('states.retry')}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useTranslation('ui');
  return <p className="empty muted">{children ?? t('states.empty')}</p>;
}
