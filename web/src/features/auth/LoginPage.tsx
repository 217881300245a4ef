import type { TFunction } from 'i18next';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors.ts';
import { describeError } from '../../app/errorMessage.ts';
import { PageHeading } from '../../app/PageHeading.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { type SessionNotice, useSignIn } from './session.tsx';

type Step = 'password' | 'totp';
type FieldName = 'username' | 'password' | 'totp';
type FieldErrors = Partial<Record<FieldName, string>>;

const FIELD_IDS: Record<FieldName, string> = {
  username: 'login-username',
  password: 'login-password',
  totp: 'login-totp',
};

const TOTP_PATTERN = /^\d{6}$/;

/** The lock-out sentence, with the wait from Retry-After when the server gave one. */
export function lockedMessage(t: TFunction, retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined || retryAfterSeconds <= 0) return t('auth.failure.ACCOUNT_LOCKED');
  if (retryAfterSeconds < 60) return t('auth.failure.lockedSeconds', { count: retryAfterSeconds });
  return t('auth.failure.lockedMinutes', { count: Math.ceil(retryAfterSeconds / 60) });
}

export function LoginPage({
  notice,
  onDismissNotice,
}: {
  notice?: SessionNotice | undefined;
  /** The notice (signed out, session ended) is old news once the user tries to sign in again. */
  onDismissNotice?: () => void;
}) {
  const { t } = useTranslation();
  const signIn = useSignIn();
  const [step, setStep] = useState<Step>('password');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const usernameRef = useRef<HTMLInputElement>(null);
  const totpRef = useRef<HTMLInputElement>(null);

  useDocumentTitle(step === 'password' ? t('auth.signIn.title') : t('auth.totp.title'));

  useEffect(() => {
    if (step === 'password') usernameRef.current?.focus();
    else totpRef.current?.focus();
  }, [step]);

  const validate = (): FieldErrors => {
    const errors: FieldErrors = {};
    if (step === 'password') {
      if (!username.trim()) errors.username = t('auth.validation.usernameRequired');
      if (!password) errors.password = t('auth.validation.passwordRequired');
    } else if (!totp.trim()) {
      errors.totp = t('auth.validation.codeRequired');
    } else if (!TOTP_PATTERN.test(totp.trim())) {
      errors.totp = t('auth.validation.codeFormat');
    }
    return errors;
  };

  const onFailure = (error: unknown) => {
    if (!isApiError(error)) {
      setFormError(describeError(t, error));
      return;
    }
    switch (error.code) {
      case 'TOTP_REQUIRED':
        setStep('totp');
        return;
      case 'TOTP_INVALID':
        setStep('totp');
        setTotp('');
        setFieldErrors({ totp: t('auth.failure.TOTP_INVALID') });
        return;
      case 'INVALID_CREDENTIALS':
        setStep('password');
        setPassword('');
        setTotp('');
        setFormError(t('auth.failure.INVALID_CREDENTIALS'));
        return;
      case 'ACCOUNT_LOCKED':
        setFormError(lockedMessage(t, error.retryAfterSeconds));
        return;
      case 'VALIDATION_FAILED': {
        const issues = error.fieldIssues();
        const errors: FieldErrors = {};
        for (const name of Object.keys(FIELD_IDS) as FieldName[])
          if (issues[name]) errors[name] = issues[name];
        if (Object.keys(errors).length > 0) setFieldErrors(errors);
        else setFormError(describeError(t, error));
        return;
      }
      default:
        setFormError(describeError(t, error));
    }
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onDismissNotice?.();
    setFormError(undefined);
    const errors = validate();
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const body =
      step === 'password'
        ? { username: username.trim(), password }
        : { username: username.trim(), password, totp: totp.trim() };
    signIn.mutate(body, {
      onSuccess: () => {
        setPassword('');
        setTotp('');
      },
      onError: onFailure,
    });
  };

  const restart = () => {
    setStep('password');
    setPassword('');
    setTotp('');
    setFieldErrors({});
    setFormError(undefined);
  };

  const summary = [
    ...(formError ? [{ text: formError }] : []),
    ...(Object.entries(fieldErrors) as [FieldName, string][]).map(([name, text]) => ({
      text,
      fieldId: FIELD_IDS[name],
    })),
  ];
  const busy = signIn.isPending;

  return (
    <div className="auth-page">
      <div className="card auth-card">
        <PageHeading autoFocus={false}>
          {step === 'password' ? t('auth.signIn.title') : t('auth.totp.title')}
        </PageHeading>
        {notice && (
          <p className="notice" role="status">
            {t(`auth.notice.${notice}`)}
          </p>
        )}
        <ErrorSummary messages={summary} />
        <form onSubmit={onSubmit} noValidate aria-busy={busy}>
          {step === 'password' ? (
            <>
              <p className="lead">{t('auth.signIn.intro')}</p>
              <Field
                id={FIELD_IDS.username}
                label={t('auth.signIn.username')}
                error={fieldErrors.username}
                inputRef={usernameRef}
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                dir="auto"
                value={username}
                onChange={(event) => setUsername(event.target.value)}
              />
              <Field
                id={FIELD_IDS.password}
                label={t('auth.signIn.password')}
                error={fieldErrors.password}
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
              <button type="submit" className="button button-primary" disabled={busy}>
                {busy ? t('auth.signIn.submitting') : t('auth.signIn.submit')}
              </button>
            </>
          ) : (
            <>
              <p className="lead">{t('auth.totp.intro')}</p>
              <Field
                id={FIELD_IDS.totp}
                label={t('auth.totp.code')}
                hint={t('auth.totp.codeHint')}
                error={fieldErrors.totp}
                inputRef={totpRef}
                name="totp"
                className="input-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                dir="ltr"
                value={totp}
                onChange={(event) => setTotp(event.target.value.replace(/\s+/g, ''))}
              />
              <div className="actions">
                <button type="submit" className="button button-primary" disabled={busy}>
                  {busy ? t('auth.signIn.submitting') : t('auth.totp.submit')}
                </button>
                <button type="button" className="button button-link" onClick={restart} disabled={busy}>
                  {t('auth.totp.back')}
                </button>
              </div>
            </>
          )}
        </form>
      </div>
    </div>
  );
}
