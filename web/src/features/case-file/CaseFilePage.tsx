import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { PageHeading } from '../../app/PageHeading.tsx';
import { Link, navigate } from '../../app/router.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { useFormatters } from '../../ui/format.ts';
import { Loading, QueryError } from '../../ui/states.tsx';
import { AssessmentsSection } from '../assessments/AssessmentsSection.tsx';
import { DecisionsSection } from '../casework/DecisionsSection.tsx';
import { DocumentsSection } from '../casework/DocumentsSection.tsx';
import { NotesSection } from '../casework/NotesSection.tsx';
import { PlanSection } from '../casework/PlanSection.tsx';
import { ReferralsSection } from '../casework/ReferralsSection.tsx';
import { ServicesSection } from '../casework/ServicesSection.tsx';
import { TasksSection } from '../casework/TasksSection.tsx';
import { ConsentSection } from '../consent/ConsentSection.tsx';
import {
  type CaseAccess,
  type CaseDetail,
  type Compartment,
  hasPermission,
  useCase,
  useCaseAccess,
  usePerson,
} from './api.ts';
import { BreakGlassDialog, EmergencyAccessBanner } from './BreakGlass.tsx';
import { FamilyPanel } from './FamilyPanel.tsx';
import { HistorySection } from './HistorySection.tsx';
import { IdentityPanel } from './IdentityPanel.tsx';
import { useLabel, useUserName } from './labels.ts';
import { NamesPanel } from './NamesPanel.tsx';
import { PersonDetails } from './PersonDetails.tsx';
import { HeaderPhoto } from './PersonPhoto.tsx';
import { TimelineSection } from './TimelineSection.tsx';
import './case-file.css';

export const SECTIONS = [
  'overview',
  'family',
  'timeline',
  'assessments',
  'decisions',
  'plan',
  'referrals',
  'consent',
  'services',
  'notes',
  'documents',
  'tasks',
  'history',
] as const;
export type Section = (typeof SECTIONS)[number];

function isSection(value: string | undefined): value is Section {
  return (SECTIONS as readonly string[]).includes(value ?? '');
}

export function CaseFilePage({
  me,
  caseId,
  section,
}: {
  me: Me;
  caseId: string;
  section?: string | undefined;
}) {
  const { t } = useTranslation('caseFile');
  // A section the reader may not see (consent without `consents:read`) falls back to the overview.
  const current: Section =
    isSection(section) && (section !== 'consent' || visibleSections(me).includes(section))
      ? section
      : 'overview';
  const caseQuery = useCase(caseId);
  const access = useCaseAccess(caseId, caseQuery.isSuccess);
  const title = caseQuery.data
    ? t('page.title', {
        caseNumber: caseQuery.data.caseNumber,
        name: caseQuery.data.person.displayName ?? t('common.unnamed'),
      })
    : t('page.loadingTitle');
  useDocumentTitle(title);

  if (caseQuery.isPending) return <Loading />;
  if (caseQuery.isError) {
    const hidden = isApiError(caseQuery.error) && caseQuery.error.status === 404;
    if (hidden) return <OutOfScope me={me} caseId={caseId} />;
    return (
      <div className="page">
        <PageHeading>{t('page.loadingTitle')}</PageHeading>
        <QueryError error={caseQuery.error} onRetry={() => void caseQuery.refetch()} />
      </div>
    );
  }
  const detail = caseQuery.data;
  const glassId = access.data?.via.breakGlassGrantId ?? null;

  return (
    <div className="page case-file">
      {glassId && <EmergencyAccessBanner caseId={caseId} grantId={glassId} />}
      <CaseHeader me={me} detail={detail} />
      <SectionTabs caseId={caseId} current={current} me={me} />
      <section className="case-section" aria-labelledby="case-section-heading">
        <h2 id="case-section-heading">{t(`sections.${current}`)}</h2>
        <SectionBody me={me} detail={detail} access={access.data} section={current} />
      </section>
    </div>
  );
}

function CaseHeader({ me, detail }: { me: Me; detail: CaseDetail }) {
  const { t } = useTranslation('caseFile');
  const label = useLabel();
  const userName = useUserName(me, [detail.assignedUserId]);
  const person = detail.person;
  const age = person.age
    ? person.age.youngest === person.age.oldest
      ? t('person.ageYears', { count: person.age.youngest })
      : t('person.ageRange', { from: person.age.youngest, to: person.age.oldest })
    : t('person.ageUnknown');
  return (
    <header className="case-header">
      <p className="case-number">
        {t('header.case')} <bdi>{detail.caseNumber}</bdi>
        {detail.status === 'closed' && <span className="case-closed"> · {t('header.closed')}</span>}
      </p>
      <div className="case-header-person">
        <HeaderPhoto personId={person.id} permissions={me.permissions} />
        <PageHeading>
          <bdi>{person.displayName ?? t('common.unnamed')}</bdi>
        </PageHeading>
      </div>
      <dl className="case-facts">
        <div>
          <dt>{t('header.ageSex')}</dt>
          <dd>
            {age} · {label('sex', person.sex)}
          </dd>
        </div>
        <div>
          <dt>{t('header.stage')}</dt>
          <dd>
            {t('header.stageValue', { stage: detail.stage, name: label('stage', String(detail.stage)) })}
          </dd>
        </div>
        <div>
          <dt>{t('header.agency')}</dt>
          <dd>
            {detail.ownerAgencyId === me.agency.id
              ? me.agency.name
              : t('header.otherAgency', { id: detail.ownerAgencyId.slice(0, 8) })}
          </dd>
        </div>
        <div>
          <dt>{t('header.worker')}</dt>
          <dd>{userName(detail.assignedUserId)}</dd>
        </div>
        <div>
          <dt>{t('header.flags')}</dt>
          <dd>
            {person.flags.length === 0 ? (
              t('person.noFlags')
            ) : (
              <ul className="tags">
                {person.flags.map((flag) => (
                  <li key={flag}>{label('flag', flag)}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('header.person')}</dt>
          <dd>
            <Link to={`/persons/${person.id}`}>{t('header.personPage')}</Link>
          </dd>
        </div>
      </dl>
    </header>
  );
}

function visibleSections(me: Me): Section[] {
  return SECTIONS.filter((s) => {
    if (s === 'history')
      return hasPermission(me.permissions, 'persons:read') || hasPermission(me.permissions, 'audit:read');
    if (s === 'consent') return hasPermission(me.permissions, 'consents:read');
    return true;
  });
}

/** Sections as real links; on a narrow screen the row scrolls, and a select offers the same. */
function SectionTabs({ caseId, current, me }: { caseId: string; current: Section; me: Me }) {
  const { t } = useTranslation('caseFile');
  const sections = visibleSections(me);
  return (
    <nav className="case-tabs" aria-label={t('page.sectionsNav')}>
      <ul>
        {sections.map((s) => (
          <li key={s}>
            <Link to={`/cases/${caseId}/${s}`} aria-current={s === current ? 'page' : undefined}>
              {t(`sections.${s}`)}
            </Link>
          </li>
        ))}
      </ul>
      <div className="case-tabs-select field">
        <label htmlFor="case-section-select">{t('page.jumpTo')}</label>
        <select
          id="case-section-select"
          value={current}
          onChange={(e) => navigate(`/cases/${caseId}/${e.target.value}`)}
        >
          {sections.map((s) => (
            <option key={s} value={s}>
              {t(`sections.${s}`)}
            </option>
          ))}
        </select>
      </div>
    </nav>
  );
}

function SectionBody({
  me,
  detail,
  access,
  section,
}: {
  me: Me;
  detail: CaseDetail;
  access: CaseAccess | undefined;
  section: Section;
}) {
  const caseId = detail.id;
  switch (section) {
    case 'overview':
      return <Overview me={me} detail={detail} access={access} />;
    case 'family':
      return <FamilySection me={me} detail={detail} />;
    case 'timeline':
      return <TimelineSection me={me} caseDetail={detail} />;
    case 'assessments':
      return <AssessmentsSection caseId={caseId} personId={detail.person.id} />;
    case 'decisions':
      return <DecisionsSection caseId={caseId} />;
    case 'plan':
      return <PlanSection caseId={caseId} />;
    case 'referrals':
      return <ReferralsSection caseId={caseId} />;
    case 'consent':
      return <ConsentSection me={me} detail={detail} />;
    case 'services':
      return <ServicesSection caseId={caseId} />;
    case 'notes':
      return <NotesSection caseId={caseId} />;
    case 'documents':
      return <DocumentsSection caseId={caseId} />;
    case 'tasks':
      return <TasksSection caseId={caseId} />;
    case 'history':
      return <HistorySection me={me} caseId={caseId} personId={detail.person.id} />;
    default: {
      const never: never = section;
      return never;
    }
  }
}

function Overview({ me, detail, access }: { me: Me; detail: CaseDetail; access: CaseAccess | undefined }) {
  const { t } = useTranslation('caseFile');
  const fmt = useFormatters();
  const label = useLabel();
  const person = usePerson(detail.person.id);
  const canEdit = hasPermission(me.permissions, 'persons:write') && (access?.via.scope ?? false);
  const canBreakGlass = hasPermission(me.permissions, 'breakglass:use') && (access?.via.scope ?? false);
  const [glassFor, setGlassFor] = useState<Compartment | null>(null);
  const requestAccess = canBreakGlass ? (compartment: Compartment) => setGlassFor(compartment) : undefined;
  return (
    <div className="stack">
      {person.isPending ? (
        <Loading />
      ) : person.isError ? (
        <QueryError error={person.error} onRetry={() => void person.refetch()} />
      ) : (
        <>
          <PersonDetails person={person.data} canEdit={canEdit} onRequestAccess={requestAccess} />
          <NamesPanel person={person.data} canEdit={canEdit} />
          <IdentityPanel person={person.data} canEdit={canEdit} />
        </>
      )}
      <section className="card" aria-labelledby="tracks-heading">
        <h3 id="tracks-heading">{t('tracks.title')}</h3>
        {detail.tracks.length === 0 ? (
          <p className="muted">{t('tracks.none')}</p>
        ) : (
          <dl className="facts">
            {detail.tracks.map((track) => (
              <div key={track.track}>
                <dt>{label('track', track.track)}</dt>
                <dd>
                  {label('trackStatus', track.status)}{' '}
                  <span className="muted">({t('tracks.since', { date: fmt.date(track.updatedAt) })})</span>
                </dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      {detail.openTasks.length > 0 && (
        <section className="card" aria-labelledby="open-tasks-heading">
          <h3 id="open-tasks-heading">{t('tasks.open', { count: detail.openTasks.length })}</h3>
          <ul className="record-list">
            {detail.openTasks.map((task) => (
              <li key={task.id}>
                <bdi>{task.title}</bdi> — {fmt.date(task.dueOn)}
                {task.overdue && <strong> ({t('tasks.overdue')})</strong>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {access && (
        <section className="card" aria-labelledby="access-heading">
          <h3 id="access-heading">{t('access.title')}</h3>
          <p>
            {t('access.read')}: {access.read.map((s) => label('compartment', s)).join(', ') || '—'}
          </p>
          <p>
            {t('access.write')}: {access.write.map((s) => label('compartment', s)).join(', ') || '—'}
          </p>
          <p className="muted">
            {[
              access.via.scope ? t('access.viaScope') : null,
              access.via.disclosureIds.length > 0
                ? t('access.viaDisclosure', { count: access.via.disclosureIds.length })
                : null,
              access.via.breakGlassGrantId ? t('access.viaBreakGlass') : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        </section>
      )}
      {access?.via.scope && <RestrictedCompartments access={access} onRequestAccess={requestAccess} />}
      {glassFor && (
        <BreakGlassDialog
          caseId={detail.id}
          compartments={[glassFor]}
          open
          onClose={() => setGlassFor(null)}
          onOpened={() => setGlassFor(null)}
        />
      )}
    </div>
  );
}

/** Every compartment of a case; which ones a reader holds comes from /api/access/cases/{id}. */
const COMPARTMENTS: readonly Compartment[] = [
  'protection',
  'justice',
  'security',
  'health',
  'education',
  'referral_packet',
];

/**
 * The sections of a case in one's scope that one's role does not read, shown as restricted; where
 * the role may break the glass, each offers emergency access to that compartment alone (the API
 * decides whether the role's policy allows it).
 */
function RestrictedCompartments({
  access,
  onRequestAccess,
}: {
  access: CaseAccess;
  onRequestAccess: ((compartment: Compartment) => void) | undefined;
}) {
  const { t } = useTranslation('caseFile');
  const label = useLabel();
  const missing = COMPARTMENTS.filter((c) => !(access.read as string[]).includes(c));
  if (missing.length === 0) return null;
  return (
    <section className="card" aria-labelledby="restricted-heading">
      <h3 id="restricted-heading">{t('restricted.title')}</h3>
      <p className="muted">{onRequestAccess ? t('restricted.introBreakGlass') : t('restricted.introAsk')}</p>
      <ul className="record-list">
        {missing.map((c) => (
          <li key={c} className="restricted-compartment">
            <span>
              <span aria-hidden="true">🔒 </span>
              <strong>{label('compartment', c)}</strong> — {t('restricted.restricted')}
            </span>
            {onRequestAccess && (
              <button type="button" className="button button-secondary" onClick={() => onRequestAccess(c)}>
                {t('restricted.request', { compartment: label('compartment', c) })}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function FamilySection({ me, detail }: { me: Me; detail: CaseDetail }) {
  const { t } = useTranslation('caseFile');
  const label = useLabel();
  return (
    <div className="stack">
      <FamilyPanel
        personId={detail.person.id}
        personName={detail.person.displayName ?? t('common.unnamed')}
        canEdit={hasPermission(me.permissions, 'persons:write')}
        knownCases={detail.familyCases}
      />
      {detail.familyCases.length > 0 && (
        <section className="card" aria-labelledby="family-cases-heading">
          <h3 id="family-cases-heading">{t('family.cases')}</h3>
          <ul className="record-list">
            {detail.familyCases.map((c) => (
              <li key={c.id}>
                <Link to={`/cases/${c.id}/overview`}>
                  <bdi>{c.caseNumber}</bdi>
                </Link>{' '}
                — <bdi>{c.displayName ?? t('common.unnamed')}</bdi> ·{' '}
                {t('header.stageValue', { stage: c.stage, name: label('stage', String(c.stage)) })}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/**
 * The case answers 404: it does not exist, or it is outside the reader's scope (the API says the
 * same for both, so nothing leaks). A user whose role may break the glass is offered it; the API
 * decides whether the case exists and whether their role may open it.
 */
function OutOfScope({ me, caseId }: { me: Me; caseId: string }) {
  const { t } = useTranslation('caseFile');
  const [open, setOpen] = useState(false);
  const canBreakGlass = hasPermission(me.permissions, 'breakglass:use');
  return (
    <div className="page case-file">
      <PageHeading>{t('outOfScope.title')}</PageHeading>
      <p>{t('outOfScope.body')}</p>
      {canBreakGlass ? (
        <>
          <p>{t('outOfScope.breakGlassOffer')}</p>
          <button type="button" className="button button-primary" onClick={() => setOpen(true)}>
            {t('outOfScope.breakGlass')}
          </button>
          <BreakGlassDialog
            caseId={caseId}
            open={open}
            onClose={() => setOpen(false)}
            onOpened={() => setOpen(false)}
          />
        </>
      ) : (
        <p>{t('outOfScope.askSupervisor')}</p>
      )}
      <p>
        <Link to="/cases">{t('outOfScope.back')}</Link>
      </p>
    </div>
  );
}
