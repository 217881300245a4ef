import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Me } from '../../api/client.ts';
import { PageHeading } from '../../app/PageHeading.tsx';
import { Link } from '../../app/router.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { useFormatters } from '../../ui/format.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import {
  can,
  type DueTasks,
  inboxKeys,
  type Notification,
  useApprovals,
  useIncomingReferrals,
  useOpenHits,
  useStageLabel,
  useUnreadNotifications,
  useUnreviewedBreakGlass,
} from '../inbox/api.ts';
import './home.css';

/** How many items a panel lists; its heading counts them all and its link opens the rest. */
const SHORT_LIST = 5;
const CASELOAD_SIZE = 8;
const DUE_SOON_DAYS = 7;
/** How many tasks the tasks panel asks for; its heading counts every one the server found. */
const DUE_LIMIT = SHORT_LIST * 2;

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

/**
 * My open tasks due within the week, overdue ones first (the server orders by due date), with how
 * many there are in all: one request, filtered by the cases the user may see on the server.
 */
function useDueTasks(enabled: boolean) {
  const before = isoDay(DUE_SOON_DAYS);
  return useQuery({
    queryKey: inboxKeys.dueTasks(before),
    queryFn: () =>
      call(api.GET('/api/tasks/due', { params: { query: { mine: 'true', before, limit: DUE_LIMIT } } })),
    enabled,
  });
}

function CaseloadPanel({ me, caseload }: { me: Me; caseload: ReturnType<typeof useMyCaseload> }) {
  const { t } = useTranslation('home');
  const format = useFormatters();
  const stageLabel = useStageLabel();
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
          {items.map((item) => (
            <li key={item.id}>
              <Link to={`/cases/${item.id}`}>
                <bdi>{item.displayName ?? item.caseNumber}</bdi>
              </Link>{' '}
              <span className="muted">
                <bdi>{item.caseNumber}</bdi> · {stageLabel(item.stage)}
              </span>
              <div className="home-item-detail">
                {item.overdueTasks > 0 && (
                  <>
                    <span className="overdue">{t('caseload.overdue', { count: item.overdueTasks })}</span>
                    {item.nextDueOn && ' · '}
                  </>
                )}
                {item.nextDueOn ? (
                  <span>{t('caseload.nextDue', { date: format.date(item.nextDueOn) })}</span>
                ) : (
                  <span className="muted">{t('caseload.noTask')}</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function TasksPanel({ due }: { due: ReturnType<typeof useQuery<DueTasks>> }) {
  const { t } = useTranslation('home');
  const format = useFormatters();
  const data = due.data;
  return (
    <Panel title={t('tasks.title')} count={data?.total}>
      {due.isPending ? (
        <Loading />
      ) : due.isError || !data ? (
        <QueryError error={due.error} onRetry={() => void due.refetch()} />
      ) : data.items.length === 0 ? (
        <Empty>{t('tasks.empty')}</Empty>
      ) : (
        <>
          <p className="muted">
            {t('tasks.summary', {
              overdue: data.overdue,
              soon: data.total - data.overdue,
              days: DUE_SOON_DAYS,
            })}
          </p>
          <ul className="home-list">
            {data.items.map((task) => (
              <li key={task.id}>
                <Link to={`/cases/${task.caseId}/tasks`}>
                  <bdi>{task.title}</bdi>
                </Link>{' '}
                <span className="muted">
                  (<bdi>{task.case.displayName ?? task.case.caseNumber}</bdi>)
                </span>
                <div className="home-item-detail">
                  <span className={task.overdue ? 'overdue' : undefined}>
                    {task.overdue
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
  const { t: ti } = useTranslation('inbox');
  const format = useFormatters();
  const stageLabel = useStageLabel();
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
              <bdi>{approval.case.displayName ?? approval.case.caseNumber}</bdi>
            </Link>{' '}
            <span className="muted">
              <bdi>{approval.case.caseNumber}</bdi>
            </span>
            <div className="home-item-detail">
              {approval.transitionLabel ?? approval.transition}
              {approval.toStage && (
                <span className="muted">
                  {' · '}
                  {ti('approvals.leadsTo', {
                    stage: stageLabel(approval.toStage.stage, approval.toStage.label),
                  })}
                </span>
              )}
            </div>
            <div className="home-item-detail muted">
              {ti('approvals.requestedBy')} <bdi>{approval.requester.displayName}</bdi> ·{' '}
              {format.relative(approval.requestedAt)}
            </div>
          </li>
        ))}
      </ListState>
    </Panel>
  );
}

function ReferralsPanel() {
  const { t } = useTranslation('home');
  const { t: ti } = useTranslation('inbox');
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
              {ti('referrals.from')} <bdi>{referral.fromAgency.name}</bdi> ·{' '}
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
  const { t: ti } = useTranslation('inbox');
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
              {ti('breakGlass.who')} <bdi>{event.user.displayName}</bdi>:{' '}
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
  const due = useDueTasks(readsCases);
  const panels = [
    readsCases && <CaseloadPanel key="caseload" me={me} caseload={caseload} />,
    readsCases && <TasksPanel key="tasks" due={due} />,
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
