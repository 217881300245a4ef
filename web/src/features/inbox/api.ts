import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call, type Me } from '../../api/client.ts';
import type { paths } from '../../api/schema.d.ts';

type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type Approval = JsonOf<paths['/api/approvals']['get']['responses'][200]>[number];
export type Referral = JsonOf<paths['/api/referrals']['get']['responses'][200]>[number];
export type ScreeningHit = JsonOf<paths['/api/watchlist/hits']['get']['responses'][200]>[number];
export type BreakGlass = JsonOf<paths['/api/break-glass']['get']['responses'][200]>[number];
export type Notification = JsonOf<paths['/api/notifications']['get']['responses'][200]>[number];
export type CaseListItem = JsonOf<paths['/api/cases']['get']['responses'][200]>['items'][number];
export type DueTasks = JsonOf<paths['/api/tasks/due']['get']['responses'][200]>;
export type DueTask = DueTasks['items'][number];
export type UserRef = Approval['requester'];

/** The inbox tabs, in the order they appear. */
export const BOXES = ['approvals', 'referrals', 'screening', 'break-glass'] as const;
export type Box = (typeof BOXES)[number];

/**
 * The permission each list needs on the server (the service's `authorize` call): a tab or panel
 * whose list would answer 403 is not shown at all.
 */
export const BOX_PERMISSION: Record<Box, string> = {
  approvals: 'cases:approve',
  referrals: 'referrals:receive',
  screening: 'watchlist:screen',
  'break-glass': 'disclosures:review',
};

export function can(me: Me, permission: string): boolean {
  return me.permissions.includes(permission);
}

export function visibleBoxes(me: Me): Box[] {
  return BOXES.filter((box) => can(me, BOX_PERMISSION[box]));
}

export function isBox(value: string | undefined): value is Box {
  return (BOXES as readonly string[]).includes(value ?? '');
}

/** Query keys of the inbox lists; the home page shares them, so an action refreshes both. */
export const inboxKeys = {
  approvals: ['inbox', 'approvals'] as const,
  referrals: ['inbox', 'referrals', 'incoming'] as const,
  screening: ['inbox', 'screening'] as const,
  breakGlass: ['inbox', 'break-glass'] as const,
  notifications: ['inbox', 'notifications', 'unread'] as const,
  caseload: (userId: string) => ['inbox', 'caseload', userId] as const,
  dueTasks: (before: string) => ['inbox', 'tasks', 'due', 'mine', before] as const,
  caseSummary: (caseId: string) => ['inbox', 'case', caseId] as const,
};

export function useApprovals(enabled: boolean) {
  return useQuery({
    queryKey: inboxKeys.approvals,
    queryFn: () => call(api.GET('/api/approvals')),
    enabled,
  });
}

export function useIncomingReferrals(enabled: boolean) {
  return useQuery({
    queryKey: inboxKeys.referrals,
    queryFn: () => call(api.GET('/api/referrals', { params: { query: { direction: 'incoming' } } })),
    enabled,
  });
}

/** Hits still waiting for a decision: new ones and those with one review. */
export function useOpenHits(enabled: boolean) {
  return useQuery({
    queryKey: inboxKeys.screening,
    queryFn: async () => {
      const [pending, inReview] = await Promise.all([
        call(api.GET('/api/watchlist/hits', { params: { query: { status: 'pending' } } })),
        call(api.GET('/api/watchlist/hits', { params: { query: { status: 'in_review' } } })),
      ]);
      return [...inReview, ...pending];
    },
    enabled,
  });
}

export function useUnreviewedBreakGlass(enabled: boolean) {
  return useQuery({
    queryKey: inboxKeys.breakGlass,
    queryFn: () =>
      call(api.GET('/api/break-glass', { params: { query: { unreviewed: 'true', limit: 100 } } })),
    enabled,
  });
}

export function useUnreadNotifications() {
  return useQuery({
    queryKey: inboxKeys.notifications,
    queryFn: () => call(api.GET('/api/notifications', { params: { query: { unread: 'true' } } })),
  });
}

/** The case number and person of a case, for naming it in a list (null when not visible). */
export function useCaseSummary(caseId: string | null, enabled = true) {
  return useQuery({
    queryKey: inboxKeys.caseSummary(caseId ?? ''),
    queryFn: () =>
      call(api.GET('/api/cases/{id}', { params: { path: { id: caseId ?? '' } } })).then((c) => ({
        id: c.id,
        caseNumber: c.caseNumber,
        displayName: c.person.displayName,
        stage: c.stage,
      })),
    enabled: enabled && caseId !== null,
    retry: false,
    staleTime: 5 * 60_000,
  });
}

const STAGES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
type Stage = (typeof STAGES)[number];

/**
 * Names a stage: "Stage 5: Individual assessment", in the reader's language where the web has the
 * stage's name, else in the deployment workflow's words (`fallback`, from the API), else its number.
 */
export function useStageLabel(): (stage: number, fallback?: string | null) => string {
  const { t } = useTranslation();
  const { t: th } = useTranslation('home');
  return (stage, fallback) => {
    const name = STAGES.includes(stage as Stage) ? t(`stages.${stage as Stage}`) : (fallback ?? '');
    return name ? th('stageNamed', { stage, name }) : th('stage', { stage });
  };
}

/** The case of an approval (the API sends its number, person and stage with it), for useCaseSummary's shape. */
export function approvalCase(approval: Approval) {
  return {
    id: approval.case.id,
    caseNumber: approval.case.caseNumber,
    displayName: approval.case.displayName,
    stage: approval.case.stage.stage,
  };
}
