import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/client.ts';
import { PageHeading } from '../../app/PageHeading.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';

export function HomePage({ me }: { me: Me }) {
  const { t } = useTranslation();
  useDocumentTitle(t('app.nav.home'));
  return (
    <div className="page">
      <PageHeading>{t('home.welcome', { name: me.displayName })}</PageHeading>
      <p className="lead">{t('home.intro')}</p>
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t('home.profile')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('home.username')}</dt>
            <dd>
              <bdi>{me.username}</bdi>
            </dd>
          </div>
          <div>
            <dt>{t('home.agency')}</dt>
            <dd>
              <span className="agency-name">{me.agency.name}</span>{' '}
              <span className="muted">
                ({t('home.agencyCode')}: <bdi>{me.agency.code}</bdi>)
              </span>
            </dd>
          </div>
          <div>
            <dt>{t('home.roles', { count: me.roles.length })}</dt>
            <dd>
              {me.roles.length === 0 ? (
                t('home.noRoles')
              ) : (
                <ul className="tags">
                  {me.roles.map((role) => (
                    <li key={role.code}>{role.name}</li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('home.secondFactor')}</dt>
            <dd>{me.totpEnabled ? t('home.secondFactorOn') : t('home.secondFactorOff')}</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}
