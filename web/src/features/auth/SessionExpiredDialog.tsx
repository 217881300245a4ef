import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/Dialog.tsx';
import { SignInForm } from './SignInForm.tsx';
import { useSession } from './session.tsx';
import './auth.css';

/**
 * Asks for a new sign-in over the page the user was on, which stays as it was. Closing the
 * dialog (to copy what was typed, say) leaves a bar that reopens it; signing out instead goes to
 * the sign-in page and forgets everything.
 */
export function SessionExpiredDialog({ username }: { username: string }) {
  const { t } = useTranslation();
  const { signOut, signingOut } = useSession();
  const [open, setOpen] = useState(true);
  return (
    <>
      <Dialog
        open={open}
        title={t('auth.expired.title')}
        onClose={() => setOpen(false)}
        className="session-expired-dialog"
      >
        <p className="notice" role="alert">
          {t('auth.expired.intro')}
        </p>
        <SignInForm idPrefix="reauth" initialUsername={username} />
        <p className="session-expired-alternative">
          <button
            type="button"
            className="button button-link"
            onClick={() => void signOut()}
            disabled={signingOut}
          >
            {signingOut ? t('auth.signingOut') : t('auth.signOut')}
          </button>
        </p>
      </Dialog>
      {!open && (
        <div className="session-expired-bar" role="alert">
          <p>{t('auth.expired.bar')}</p>
          <button type="button" className="button button-primary" onClick={() => setOpen(true)}>
            {t('auth.expired.reopen')}
          </button>
        </div>
      )}
    </>
  );
}
