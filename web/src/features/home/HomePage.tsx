import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Me } from '../../api/client.ts';
import { PageHeading } from '../../app/PageHeading.tsx';
import { Link } from '../../app/router.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { useFormatters } from '../../ui/format.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import {
  type CaseListItem,
  type CaseTask,
  can,
  inboxKeys,
  type Notification,
  useApprovals,
  useCaseSummary,
  useIncomingReferrals,
  useOpenHits,
  useUnreadNotifications,
  useUnreviewedBreakGlass,
} from '../inbox/api.ts';
import './home.css';

/** How many items a panel lists; its heading counts them all and its link opens the rest. */
const SHORT_LIST = 5;
const CASELOAD_SIZE = 8;
const DUE_SOON_DAYS = 7;
const STAGES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
type Stage = (typeof STAGES)[number];

function isoDay(offsetDays = 0): string {
  const day = new Date(Date.now() + offsetDays * 86_400_000);
  return day.toISOString().slice(0, 10);
}

/** A panel: heading with its count, a short list (or its loading/error/empty state), a link to all. */
function Panel({
  title,
  count,
  link,
  children,
}: {
  title: string;
  count: number | undefined;
  link?: { to: string; label: string } | undefined;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className="card home-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title}
        {count !== undefined && (
          <>
            {' '}
            <span className="count-badge">{count}</span>
          </>
        )}
      </h2>
      {children}
      {link && (
        <p className="home-panel-link">
          <Link to={link.to}>{link.label}</Link>
        </p>
      )}
    </section>
  );
}

function useMyCaseload(me: Me, enabled: boolean) {
  return useQuery({
    queryKey: inboxKeys.caseload(me.id),
    queryFn: () =>
      call(
        api.GET('/api/cases', {
          params: {
            query: { assignedUserId: me.id, status: 'open', limit: CASELOAD_SIZE, sort: 'opened_asc' },
          },
        }),
      ),
    enabled,
  });
}

/** The open tasks of each case in the caseload (the case list itself does not carry them). */
function useCaseloadTasks(cases: CaseListItem[]) {
  return useQueries({
    queries: cases.map((item) => ({
      queryKey: inboxKeys.caseTasks(item.id),
      queryFn: () => call(api.GET('/api/cases/{id}/tasks', { params: { path: { id: item.id } } })),
    })),
    combine: (results) => {
      const byCase = new Map<string, CaseTask[]>();
      results.forEach((result, index) => {
        const item = cases[index];
        if (item && result.data)
          byCase.set(
            item.id,
            result.data.filter((task) => task.status === 'open'),
          );
      });
      return byCase;
    },
  });
}

function stageLabel(t: TFunction<'home'>, stage: number): string {
  const name = STAGES.includes(stage as Stage) ? t(`stageName.${stage as Stage}`) : '';
  return name ? t('stageNamed', { stage, name }) : t('stage', { stage });
}

function nextDue(tasks: CaseTask[] | undefined): CaseTask | undefined {
  return [...(tasks ?? [])].sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];
}

function CaseloadPanel({
  me,
  caseload,
  tasksByCase,
}: {
  me: Me;
  caseload: ReturnType<typeof useMyCaseload>;
  tasksByCase: Map<string, CaseTask[]>;
}) {
  const { t } = useTranslation('home');
  const format = useFormatters();
  const items = caseload.data?.items ?? [];
  return (
    <Panel
      title={t('caseload.title')}
      count={caseload.data ? (caseload.data.total ?? items.length) : undefined}
      link={{
        to: `/cases?assignedUserId=${encodeURIComponent(me.id)}&status=open`,
        label: t('caseload.all'),
      }}
    >
      {caseload.isPending ? (
        <Loading />
      ) : caseload.isError ? (
        <QueryError error={caseload.error} onRetry={() => void caseload.refetch()} />
      ) : items.length === 0 ? (
        <Empty>{t('caseload.empty')}</Empty>
      ) : (
        <ul className="home-list">
          {items.map((item) => {
            const task = nextDue(tasksByCase.get(item.id));
            return (
              <li key={item.id}>
                <Link to={`/cases/${item.id}`}>
                  <bdi>{item.displayName ?? item.caseNumber}</bdi>
                </Link>{' '}
                <span className="muted">
                  <bdi>{item.caseNumber}</bdi> · {stageLabel(t, item.stage)}
                </span>
                <div className="home-item-detail">
                  {task ? (
                    <>
                      {t('caseload.nextTask')} <bdi>{task.title}</bdi> —{' '}
                      <span className={task.overdue ? 'overdue' : undefined}>
                        {task.overdue
                          ? t('tasks.overdueSince', { date: format.date(task.dueOn) })
                          : t('tasks.dueOn', { date: format.date(task.dueOn) })}
                      </span>
                    </>
                  ) : tasksByCase.has(item.id) ? (
                    <span className="muted">{t('caseload.noTask')}</span>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}

function TasksPanel({
  overdue,
  dueSoon,
  caseNames,
}: {
  overdue: ReturnType<typeof useQuery<CaseTask[]>>;
  dueSoon: CaseTask[];
  caseNames: Map<string, string>;
}) {
  const { t } = useTranslation('home');
  const format = useFormatters();
  const overdueTasks = overdue.data ?? [];
  const soon = dueSoon.filter((task) => !overdueTasks.some((o) => o.id === task.id));
  const rows = [
    ...overdueTasks.map((task) => ({ task, overdue: true })),
    ...soon.map((task) => ({ task, overdue: false })),
  ];
  return (
    <Panel title={t('tasks.title')} count={overdue.data ? rows.length : undefined}>
      {overdue.isPending ? (
        <Loading />
      ) : overdue.isError ? (
        <QueryError error={overdue.error} onRetry={() => void overdue.refetch()} />
      ) : rows.length === 0 ? (
        <Empty>{t('tasks.empty')}</Empty>
      ) : (
        <>
          <p className="muted">
            {t('tasks.summary', { overdue: overdueTasks.length, soon: soon.length, days: DUE_SOON_DAYS })}
          </p>
          <ul className="home-list">
            {rows.slice(0, SHORT_LIST * 2).map(({ task, overdue: late }) => (
              <li key={task.id}>
                <Link to={`/cases/${task.caseId}/tasks`}>
                  <bdi>{task.title}</bdi>
                </Link>{' '}
                {caseNames.get(task.caseId) && (
                  <span className="muted">
                    (<bdi>{caseNames.get(task.caseId)}</bdi>)
                  </span>
                )}
                <div className="home-item-detail">
                  <span className={late ? 'overdue' : undefined}>
                    {late
                      ? t('tasks.overdueSince', { date: format.date(task.dueOn) })
                      : t('tasks.dueOn', { date: format.date(task.dueOn) })}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}

function CaseName({ caseId }: { caseId: string }) {
  const summary = useCaseSummary(caseId);
  if (!summary.data) return <bdi className="mono">{caseId.slice(0, 8)}</bdi>;
  return (
    <bdi>
      {summary.data.caseNumber}
      {summary.data.displayName ? ` — ${summary.data.displayName}` : ''}
    </bdi>
  );
}

function ListState({
  query,
  empty,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown; data?: unknown[] };
  empty: string;
  children: ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if ((query.data ?? []).length === 0) return <Empty>{empty}</Empty>;
  return <ul className="home-list">{children}</ul>;
}

function ApprovalsPanel() {
  const { t } = useTranslation('home');
  const format = useFormatters();
  const approvals = useApprovals(true);
  return (
    <Panel
      title={t('approvals.title')}
      count={approvals.data?.length}
      link={{ to: '/inbox/approvals', label: t('approvals.all') }}
    >
      <ListState query={approvals} empty={t('approvals.empty')}>
        {approvals.data?.slice(0, SHORT_LIST).map((approval) => (
          <li key={approval.id}>
            <Link to={`/cases/${approval.caseId}`}>
              <CaseName caseId={approval.caseId} />
            </Link>{' '}
            <code>{approval.transition}</code>
            <div className="home-item-detail muted">
              {t('approvals.requested', { when: format.relative(approval.requestedAt) })}
            </div>
          </li>
        ))}
      </ListState>
    </Panel>
  );
}

function ReferralsPanel() {
  const { t } = useTranslation('home');
  const format = useFormatters();
  const referrals = useIncomingReferrals(true);
  const pending = { ...referrals, data: referrals.data?.filter((r) => r.status === 'pending') };
  return (
    <Panel
      title={t('referrals.title')}
      count={pending.data?.length}
      link={{ to: '/inbox/referrals', label: t('referrals.all') }}
    >
      <ListState query={pending} empty={t('referrals.empty')}>
        {pending.data?.slice(0, SHORT_LIST).map((referral) => (
          <li key={referral.id}>
            <Link to={`/inbox/referrals#referral-${referral.id}`}>
              {t(`service.${referral.serviceType}`)}
            </Link>{' '}
            {referral.urgency === 'urgent' && <strong className="tag-urgent">{t('referrals.urgent')}</strong>}
            <div className="home-item-detail muted">
              {t('referrals.received', { when: format.relative(referral.createdAt) })}
            </div>
          </li>
        ))}
      </ListState>
    </Panel>
  );
}

function ScreeningPanel() {
  const { t } = useTranslation('home');
  const hits = useOpenHits(true);
  return (
    <Panel
      title={t('screening.title')}
      count={hits.data?.length}
      link={{ to: '/inbox/screening', label: t('screening.all') }}
    >
      <ListState query={hits} empty={t('screening.empty')}>
        {hits.data?.slice(0, SHORT_LIST).map((hit) => (
          <li key={hit.id}>
            <Link to={`/inbox/screening#hit-${hit.id}`}>
              <bdi>{hit.listedName}</bdi>
            </Link>{' '}
            <span className="muted">
              {t('screening.score', { score: hit.score })} · {t(`screening.status.${hit.status}`)}
            </span>
          </li>
        ))}
      </ListState>
    </Panel>
  );
}

function BreakGlassPanel() {
  const { t } = useTranslation('home');
  const format = useFormatters();
  const events = useUnreviewedBreakGlass(true);
  return (
    <Panel
      title={t('breakGlass.title')}
      count={events.data?.length}
      link={{ to: '/inbox/break-glass', label: t('breakGlass.all') }}
    >
      <ListState query={events} empty={t('breakGlass.empty')}>
        {events.data?.slice(0, SHORT_LIST).map((event) => (
          <li key={event.id}>
            <Link to={`/inbox/break-glass#break-glass-${event.id}`}>
              {t('breakGlass.opened', { when: format.dateTime(event.openedAt) })}
            </Link>
            <div className="home-item-detail">
              <q>
                <bdi>{event.reason}</bdi>
              </q>
            </div>
          </li>
        ))}
      </ListState>
    </Panel>
  );
}

function notificationLink(me: Me, notification: Notification): string | undefined {
  if (notification.kind === 'break_glass' && can(me, 'disclosures:review')) return '/inbox/break-glass';
  if (notification.subjectType === 'case') return `/cases/${notification.subjectId}`;
  return undefined;
}

function NotificationsPanel({ me }: { me: Me }) {
  const { t } = useTranslation('home');
  const format = useFormatters();
  const queryClient = useQueryClient();
  const notifications = useUnreadNotifications();
  const markRead = useMutation({
    mutationFn: (id: string) => call(api.POST('/api/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inboxKeys.notifications }),
  });
  return (
    <Panel title={t('notifications.title')} count={notifications.data?.length}>
      <ListState query={notifications} empty={t('notifications.empty')}>
        {notifications.data?.slice(0, SHORT_LIST).map((notification) => {
          const to = notificationLink(me, notification);
          const text = t(`notifications.kind.${notification.kind}`);
          return (
            <li key={notification.id} className="home-notification">
              <div>
                {to ? <Link to={to}>{text}</Link> : text}
                <div className="home-item-detail muted">{format.relative(notification.createdAt)}</div>
              </div>
              <button
                type="button"
                className="button button-secondary home-small-button"
                aria-label={`${t('notifications.markRead')}: ${text}`}
                onClick={() => markRead.mutate(notification.id)}
                disabled={markRead.isPending}
              >
                {t('notifications.markRead')}
              </button>
            </li>
          );
        })}
      </ListState>
      {markRead.isError && <QueryError error={markRead.error} />}
    </Panel>
  );
}

function ProfileSummary({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <section className="home-profile" aria-labelledby="profile-heading">
      <h2 id="profile-heading">{t('home.profile')}</h2>
      <dl className="home-facts">
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
          <dt>{t('home.username')}</dt>
          <dd>
            <bdi>{me.username}</bdi>
          </dd>
        </div>
        <div>
          <dt>{t('home.secondFactor')}</dt>
          <dd>{me.totpEnabled ? t('home.secondFactorOn') : t('home.secondFactorOff')}</dd>
        </div>
      </dl>
    </section>
  );
}

/**
 * The home page: what needs the user today, one panel per kind of work their permissions allow
 * (a panel whose list the server would refuse is not shown), and a compact profile.
 */
export function HomePage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { t: th } = useTranslation('home');
  useDocumentTitle(t('app.nav.home'));
  const readsCases = can(me, 'cases:read');
  const caseload = useMyCaseload(me, readsCases);
  const tasksByCase = useCaseloadTasks(caseload.data?.items ?? []);
  const overdue = useQuery({
    queryKey: inboxKeys.overdue,
    queryFn: () => call(api.GET('/api/tasks/overdue', { params: { query: { mine: 'true', limit: 100 } } })),
    enabled: readsCases,
  });
  const soonLimit = isoDay(DUE_SOON_DAYS);
  const dueSoon = [...tasksByCase.values()]
    .flat()
    .filter((task) => !task.overdue && task.dueOn <= soonLimit)
    .filter((task) => task.assignedUserId === null || task.assignedUserId === me.id)
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  const caseNames = new Map(
    (caseload.data?.items ?? []).map((item) => [item.id, item.displayName ?? item.caseNumber] as const),
  );
  const panels = [
    readsCases && <CaseloadPanel key="caseload" me={me} caseload={caseload} tasksByCase={tasksByCase} />,
    readsCases && <TasksPanel key="tasks" overdue={overdue} dueSoon={dueSoon} caseNames={caseNames} />,
    can(me, 'cases:approve') && <ApprovalsPanel key="approvals" />,
    can(me, 'referrals:receive') && <ReferralsPanel key="referrals" />,
    can(me, 'watchlist:screen') && <ScreeningPanel key="screening" />,
    can(me, 'disclosures:review') && <BreakGlassPanel key="break-glass" />,
    <NotificationsPanel key="notifications" me={me} />,
  ].filter(Boolean);
  return (
    <div className="page home-page">
      <PageHeading>{t('home.welcome', { name: me.displayName })}</PageHeading>
      <ProfileSummary me={me} />
      <p className="lead">{th('intro')}</p>
      <div className="home-panels">{panels}</div>
    </div>
  );
}
