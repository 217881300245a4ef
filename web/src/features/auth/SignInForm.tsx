import type { TFunction } from 'i18next';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoginResponse } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { describeError } from '../../app/errorMessage.ts';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { useSignIn } from './session.tsx';

export type Step = 'password' | 'totp';
type FieldName = 'username' | 'password' | 'totp';
type FieldErrors = Partial<Record<FieldName, string>>;

const TOTP_PATTERN = /^\d{6}$/;

/** The lock-out sentence, with the wait from Retry-After when the server gave one. */
export function lockedMessage(t: TFunction, retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined || retryAfterSeconds <= 0) return t('auth.failure.ACCOUNT_LOCKED');
  if (retryAfterSeconds < 60) return t('auth.failure.lockedSeconds', { count: retryAfterSeconds });
  return t('auth.failure.lockedMinutes', { count: Math.ceil(retryAfterSeconds / 60) });
}

function DocumentTitle({ title }: { title: string }) {
  useDocumentTitle(title);
  return null;
}

/**
 * The sign-in form with its one-time-code step, used by the sign-in page and by the dialog that
 * asks for a new sign-in when a session expires. `renderHeading` shows the step's title.
 */
export function SignInForm({
  idPrefix = 'login',
  initialUsername = '',
  autoFocus = true,
  onSubmitStart,
  onSignedIn,
  renderHeading,
  setsDocumentTitle = false,
}: {
  idPrefix?: string;
  initialUsername?: string;
  autoFocus?: boolean;
  onSubmitStart?: () => void;
  onSignedIn?: (answer: LoginResponse) => void;
  renderHeading?: (step: Step) => ReactNode;
  /** The sign-in page names the browser tab after the step; a dialog over a page does not. */
  setsDocumentTitle?: boolean;
}) {
  const { t } = useTranslation();
  const signIn = useSignIn();
  const [step, setStep] = useState<Step>('password');
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const totpRef = useRef<HTMLInputElement>(null);

  const fieldIds: Record<FieldName, string> = {
    username: `${idPrefix}-username`,
    password: `${idPrefix}-password`,
    totp: `${idPrefix}-totp`,
  };
  const focusOnStep = useRef(autoFocus);

  useEffect(() => {
    if (!focusOnStep.current) {
      focusOnStep.current = true;
      return;
    }
    // With the username already known (a new sign-in after expiry), the password is what is asked.
    if (step === 'password') (initialUsername ? passwordRef : usernameRef).current?.focus();
    else totpRef.current?.focus();
  }, [step, initialUsername]);

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
        for (const name of Object.keys(fieldIds) as FieldName[])
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
    onSubmitStart?.();
    setFormError(undefined);
    const errors = validate();
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const body =
      step === 'password'
        ? { username: username.trim(), password }
        : { username: username.trim(), password, totp: totp.trim() };
    signIn.mutate(body, {
      onSuccess: (answer) => {
        setPassword('');
        setTotp('');
        onSignedIn?.(answer);
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
      fieldId: fieldIds[name],
    })),
  ];
  const busy = signIn.isPending;

  return (
    <>
      {setsDocumentTitle && (
        <DocumentTitle title={step === 'password' ? t('auth.signIn.title') : t('auth.totp.title')} />
      )}
      {renderHeading?.(step)}
      <ErrorSummary messages={summary} />
      <form onSubmit={onSubmit} noValidate aria-busy={busy}>
        {step === 'password' ? (
          <>
            <p className="lead">{t('auth.signIn.intro')}</p>
            <Field
              id={fieldIds.username}
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
              id={fieldIds.password}
              label={t('auth.signIn.password')}
              error={fieldErrors.password}
              inputRef={passwordRef}
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
              id={fieldIds.totp}
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
    </>
  );
}
