import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../app/PageHeading.tsx';
import { SignInForm } from './SignInForm.tsx';
import type { SessionNotice } from './session.tsx';

export { lockedMessage } from './SignInForm.tsx';

export function LoginPage({
  notice,
  onDismissNotice,
}: {
  notice?: SessionNotice | undefined;
  /** The notice (signed out, session ended) is old news once the user tries to sign in again. */
  onDismissNotice?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <SignInForm
          setsDocumentTitle
          {...(onDismissNotice ? { onSubmitStart: onDismissNotice } : {})}
          renderHeading={(step) => (
            <>
              <PageHeading autoFocus={false}>
                {step === 'password' ? t('auth.signIn.title') : t('auth.totp.title')}
              </PageHeading>
              {notice && (
                <p className="notice" role="status">
                  {t(`auth.notice.${notice}`)}
                </p>
              )}
            </>
          )}
        />
      </div>
    </div>
  );
}
