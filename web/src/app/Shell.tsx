import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api/client.ts';
import { useSession } from '../features/auth/session.tsx';
import { DataProtectionNavLink } from '../features/data-protection/NavLink.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { useMeta } from './meta.ts';
import { Link } from './router.tsx';

function DemoBanner() {
  const { t } = useTranslation();
  return (
    <div className="demo-banner" role="note">
      <p>
        <strong>{t('app.demoBanner')}</strong> <span>{t('app.demoBannerDetail')}</span>
      </p>
    </div>
  );
}

function UserMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { signOut, signingOut } = useSession();
  return (
    <div className="user-menu">
      <span className="user-name">{t('auth.signedInAs', { name: me.displayName })}</span>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => void signOut()}
        disabled={signingOut}
      >
        {signingOut ? t('auth.signingOut') : t('auth.signOut')}
      </button>
    </div>
  );
}

/**
 * The frame around every page: skip link, demo warning, brand, navigation, language and
 * account controls, the main region and a footer. `showNavigation` is false until the user
 * may actually go somewhere (signed in and second factor set up).
 */
export function Shell({
  me,
  showNavigation,
  children,
}: {
  me: Me | null;
  showNavigation: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const meta = useMeta().data;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="site-header">
        {meta?.demo && <DemoBanner />}
        <div className="header-bar">
          <Link className="brand" to="/">
            <img src="/favicon.svg" alt="" width="32" height="32" />
            <span className="brand-name">{t('app.name')}</span>
          </Link>
          {showNavigation && (
            <nav aria-label={t('app.mainNavigation')} className="main-nav">
              <ul>
                <li>
                  <Link to="/">{t('app.nav.home')}</Link>
                </li>
                <li>
                  <Link to="/cases" matchPrefix>
                    {t('app.nav.cases')}
                  </Link>
                </li>
                <li>
                  <Link to="/register">{t('app.nav.register')}</Link>
                </li>
                <li>
                  <Link to="/inbox" matchPrefix>
                    {t('app.nav.inbox')}
                  </Link>
                </li>
                {me && <DataProtectionNavLink me={me} />}
              </ul>
            </nav>
          )}
          <div className="header-tools">
            <LanguageSwitcher />
            {me && <UserMenu me={me} />}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="site-footer-inner">
          <span>{t('app.tagline')}</span>
          {meta && <span>{t('app.version', { version: meta.version })}</span>}
        </div>
      </footer>
    </div>
  );
}
