import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { describeError } from '../../app/errorMessage.ts';
import { useMeta } from '../../app/meta.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { type BreakGlass, type Compartment, caseKeys, myBreakGlassKey, useMyBreakGlass } from './api.ts';
import { useLabel } from './labels.ts';

/** The server's minimum (access/breakglass.ts BREAK_GLASS_REASON_MIN), checked here as the user types. */
export const BREAK_GLASS_REASON_MIN = 20;

/**
 * Break-glass: opening a case outside one's scope in an emergency — or, for a case in scope, one
 * compartment one's role does not read (the API accepts the compartments asked for). A written
 * reason of at least 20 characters (counted as it is typed), a plain statement that supervisors and
 * the data-protection officer are alerted, and how long the access lasts (the deployment's setting,
 * from /api/meta).
 */
export function BreakGlassDialog({
  caseId,
  compartments,
  open,
  onClose,
  onOpened,
}: {
  caseId: string;
  /** Only these compartments of a case in scope; absent: the case itself. */
  compartments?: Compartment[] | undefined;
  open: boolean;
  onClose: () => void;
  onOpened: (grant: BreakGlass) => void;
}) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const label = useLabel();
  const queryClient = useQueryClient();
  const meta = useMeta();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const length = reason.trim().length;
  const tooShort = length < BREAK_GLASS_REASON_MIN;
  const minutes = meta.data?.breakGlassMinutes;

  const openGlass = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/access/cases/{id}/break-glass', {
          params: { path: { id: caseId } },
          body: compartments ? { reason: reason.trim(), compartments } : { reason: reason.trim() },
        }),
      ),
    onSuccess: async (grant) => {
      queryClient.setQueryData<BreakGlass[]>(myBreakGlassKey, (old) => [grant, ...(old ?? [])]);
      await queryClient.invalidateQueries({ queryKey: caseKeys.all(caseId) });
      setReason('');
      setTouched(false);
      onOpened(grant);
    },
  });

  const serverError = openGlass.error;
  const reasonError =
    touched && tooShort
      ? t('breakGlass.reasonTooShort', { min: BREAK_GLASS_REASON_MIN })
      : isApiError(serverError) && serverError.code === 'BREAK_GLASS_REASON_REQUIRED'
        ? serverError.message
        : undefined;
  const otherError =
    serverError && !(isApiError(serverError) && serverError.code === 'BREAK_GLASS_REASON_REQUIRED')
      ? isApiError(serverError) && serverError.status < 500 && serverError.status !== 0
        ? serverError.message
        : describeError(tApp, serverError)
      : undefined;

  return (
    <Dialog open={open} title={t('breakGlass.title')} onClose={onClose} className="break-glass-dialog">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          if (tooShort) {
            document.getElementById('break-glass-reason')?.focus();
            return;
          }
          openGlass.mutate();
        }}
      >
        <p>
          {compartments
            ? t('breakGlass.compartmentWarning', {
                compartments: compartments.map((c) => label('compartment', c)).join(', '),
              })
            : t('breakGlass.warning')}
        </p>
        <ul className="break-glass-terms">
          <li>{t('breakGlass.alerted')}</li>
          <li>{minutes ? t('breakGlass.duration', { count: minutes }) : t('breakGlass.durationLimited')}</li>
          <li>{t('breakGlass.readOnly')}</li>
          <li>{t('breakGlass.reviewed')}</li>
        </ul>
        <div className={reasonError ? 'field field-invalid' : 'field'}>
          <label htmlFor="break-glass-reason">{t('breakGlass.reason')}</label>
          <p id="break-glass-reason-hint" className="field-hint">
            {t('breakGlass.reasonHint', { min: BREAK_GLASS_REASON_MIN })}
          </p>
          {reasonError && (
            <p id="break-glass-reason-error" className="field-error">
              {reasonError}
            </p>
          )}
          <textarea
            id="break-glass-reason"
            rows={4}
            maxLength={2000}
            value={reason}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={`break-glass-reason-hint break-glass-reason-count${reasonError ? ' break-glass-reason-error' : ''}`}
            onChange={(event) => setReason(event.target.value)}
            onBlur={() => setTouched(reason.length > 0)}
          />
          <p id="break-glass-reason-count" className="field-hint" aria-live="polite">
            {tooShort
              ? t('breakGlass.count', { count: length, min: BREAK_GLASS_REASON_MIN })
              : t('breakGlass.countEnough', { count: length })}
          </p>
        </div>
        {otherError && (
          <p className="field-error" role="alert">
            {otherError}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={openGlass.isPending}>
            {openGlass.isPending ? t('breakGlass.opening') : t('breakGlass.open')}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The banner over a case opened by break-glass: until when, and a way to end it now. */
export function EmergencyAccessBanner({ caseId, grantId }: { caseId: string; grantId: string }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  const mine = useMyBreakGlass(true);
  const grant = mine.data?.find((g) => g.id === grantId);
  const until = grant
    ? new Intl.DateTimeFormat(i18n.resolvedLanguage ?? i18n.language, {
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(grant.expiresAt))
    : undefined;
  const end = useMutation({
    mutationFn: () => call(api.POST('/api/break-glass/{id}/end', { params: { path: { id: grantId } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: myBreakGlassKey });
      await queryClient.invalidateQueries({ queryKey: caseKeys.all(caseId) });
    },
  });
  return (
    <div className="emergency-banner" role="status">
      <p>
        <strong>{until ? t('breakGlass.banner', { time: until }) : t('breakGlass.bannerNoTime')}</strong>{' '}
        {t('breakGlass.bannerNote')}
      </p>
      {end.error ? <p className="field-error">{describeError(tApp, end.error)}</p> : null}
      <button
        type="button"
        className="button button-secondary"
        disabled={end.isPending}
        onClick={() => end.mutate()}
      >
        {t('breakGlass.end')}
      </button>
    </div>
  );
}
