import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/client.ts';
import { PageHeading } from '../../app/PageHeading.tsx';
import { Link } from '../../app/router.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import { hasPermission, usePerson, usePersonCases } from './api.ts';
import { FamilyPanel } from './FamilyPanel.tsx';
import { IdentityPanel } from './IdentityPanel.tsx';
import { useLabel } from './labels.ts';
import { NamesPanel } from './NamesPanel.tsx';
import { PersonDetails } from './PersonDetails.tsx';
import { PhotoPanel } from './PersonPhoto.tsx';
import './case-file.css';

/** A person's record: details, every name, identity, family, and their cases within one's scope. */
export function PersonPage({ me, personId }: { me: Me; personId: string }) {
  const { t } = useTranslation('caseFile');
  const label = useLabel();
  const person = usePerson(personId);
  const displayName = person.data?.displayName ?? null;
  const cases = usePersonCases(personId);
  useDocumentTitle(person.data ? (displayName ?? t('common.unnamed')) : t('personPage.title'));
  if (person.isPending) return <Loading />;
  if (person.isError) {
    return (
      <div className="page">
        <PageHeading>{t('personPage.title')}</PageHeading>
        <QueryError error={person.error} onRetry={() => void person.refetch()} />
      </div>
    );
  }
  const canEdit = hasPermission(me.permissions, 'persons:write');
  return (
    <div className="page case-file">
      <p className="case-number">{t('personPage.kicker')}</p>
      <PageHeading>
        <bdi>{displayName ?? t('common.unnamed')}</bdi>
      </PageHeading>
      <div className="stack">
        <section className="card" aria-labelledby="person-cases-heading">
          <h2 id="person-cases-heading">{t('personPage.cases')}</h2>
          {cases.isPending ? (
            <Loading />
          ) : cases.isError ? (
            <QueryError error={cases.error} onRetry={() => void cases.refetch()} />
          ) : !cases.data || cases.data.length === 0 ? (
            <Empty>{t('personPage.noCases')}</Empty>
          ) : (
            <ul className="record-list">
              {cases.data.map((c) => (
                <li key={c.id}>
                  <Link to={`/cases/${c.id}/overview`}>
                    <bdi>{c.caseNumber}</bdi>
                  </Link>{' '}
                  — {t('header.stageValue', { stage: c.stage, name: label('stage', String(c.stage)) })} ·{' '}
                  {label('caseStatus', c.status)}
                </li>
              ))}
            </ul>
          )}
        </section>
        <h2>{t('personPage.identity')}</h2>
        <PhotoPanel person={person.data} canEdit={canEdit} />
        <PersonDetails person={person.data} canEdit={canEdit} />
        <NamesPanel person={person.data} canEdit={canEdit} />
        <IdentityPanel person={person.data} canEdit={canEdit} />
        <h2>{t('sections.family')}</h2>
        <FamilyPanel
          personId={personId}
          personName={displayName ?? t('common.unnamed')}
          canEdit={canEdit}
          knownCases={cases.data ?? []}
        />
      </div>
    </div>
  );
}
