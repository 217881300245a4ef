import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Me, setCsrfToken, type TotpSetup } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { describeError } from '../../app/errorMessage.ts';
import { PageHeading } from '../../app/PageHeading.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { meQueryKey } from './session.tsx';

const CODE_ID = 'enrol-code';

/** Base32 secrets are easier to type in groups of four. */
function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Shown instead of everything else while the server says `mfaEnrolmentPending`: the user's
 * role requires a second factor, so nothing else is reachable until it is set up.
 */
export function TotpEnrolmentPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const codeRef = useRef<HTMLInputElement>(null);
  useDocumentTitle(t('enrol.title'));

  // A button, not an effect, starts the set-up: every call makes a new secret, and an effect
  // may run twice.
  const setup = useMutation<TotpSetup>({
    mutationFn: () => call(api.POST('/api/me/totp/setup')),
    onMutate: () => {
      setFormError(undefined);
      setCodeError(undefined);
    },
    onError: (error) => setFormError(describeError(t, error)),
  });

  const enable = useMutation<Me, Error, string>({
    mutationFn: (totp) => call(api.POST('/api/me/totp/enable', { body: { code: totp } })),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken ?? undefined);
      queryClient.setQueryData(meQueryKey, me);
    },
    onError: (error) => {
      if (isApiError(error) && error.code === 'TOTP_INVALID') {
        setCode('');
        setCodeError(t('auth.failure.TOTP_INVALID'));
      } else if (isApiError(error) && error.code === 'TOTP_NOT_PENDING') {
        setup.reset();
        setFormError(t('enrol.TOTP_NOT_PENDING'));
      } else {
        setFormError(describeError(t, error));
      }
    },
  });

  const secret = setup.data;
  useEffect(() => {
    if (secret) codeRef.current?.focus();
  }, [secret]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(undefined);
    const trimmed = code.trim();
    if (!trimmed) return setCodeError(t('auth.validation.codeRequired'));
    if (!/^\d{6}$/.test(trimmed)) return setCodeError(t('auth.validation.codeFormat'));
    setCodeError(undefined);
    enable.mutate(trimmed);
  };

  const summary = [
    ...(formError ? [{ text: formError }] : []),
    ...(codeError ? [{ text: codeError, fieldId: CODE_ID }] : []),
  ];

  return (
    <div className="auth-page">
      <div className="card auth-card auth-card-wide">
        <PageHeading>{t('enrol.title')}</PageHeading>
        <p className="lead">{t('enrol.intro')}</p>
        <ErrorSummary messages={summary} />
        <ol className="steps">
          <li>{t('enrol.step1')}</li>
          <li>{t('enrol.step2')}</li>
          <li>{t('enrol.step3')}</li>
        </ol>
        {!secret ? (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setup.mutate()}
            disabled={setup.isPending}
          >
            {setup.isPending ? t('enrol.starting') : t('enrol.start')}
          </button>
        ) : (
          <>
            <dl className="secret">
              <dt>{t('enrol.secret')}</dt>
              <dd>
                <code dir="ltr" className="secret-key">
                  {groupSecret(secret.secret)}
                </code>
              </dd>
              <dt>{t('enrol.link')}</dt>
              <dd>
                <code dir="ltr" className="secret-url">
                  {secret.otpauthUrl}
                </code>
                <a className="button button-secondary" href={secret.otpauthUrl}>
                  {t('enrol.openInApp')}
                </a>
              </dd>
            </dl>
            <form onSubmit={onSubmit} noValidate aria-busy={enable.isPending}>
              <Field
                id={CODE_ID}
                label={t('enrol.code')}
                hint={t('auth.totp.codeHint')}
                error={codeError}
                inputRef={codeRef}
                name="code"
                className="input-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                dir="ltr"
                value={code}
                onChange={(event) => setCode(event.target.value.replace(/\s+/g, ''))}
              />
              <button type="submit" className="button button-primary" disabled={enable.isPending}>
                {enable.isPending ? t('enrol.submitting') : t('enrol.submit')}
              </button>
            </form>
          </>
        )}
      </div>
    </div>
  );
}
