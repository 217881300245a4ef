import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client.ts';
import type { components, paths } from '../../api/schema.d.ts';
import { useMe } from '../auth/session.tsx';

/** Types of the case-work API, derived from the generated schema (never written twice). */
type Schemas = components['schemas'];
export type Plan = Schemas['Plan'];
export type PlanGoal = Plan['goals'][number];
export type PlanAction = PlanGoal['actions'][number];
export type CreatePlan = NonNullable<
  paths['/api/cases/{id}/plans']['post']['requestBody']
>['content']['application/json'];
export type Referral = Schemas['Referral'];
export type CreateReferral = Schemas['CreateReferral'];
export type ServiceDelivery = Schemas['ServiceDelivery'];
export type RecordService = Schemas['RecordService'];
export type CaseNote = Schemas['CaseNote'];
export type CaseTask = Schemas['CaseTask'];
export type CaseAttachment = Schemas['CaseAttachment'];
export type Provider = Schemas['Provider'];
export type Consent = Schemas['Consent'];
export type PanelDecision = Schemas['PanelDecision'];
export type RecordPanelDecision = Schemas['RecordPanelDecision'];

export type ServiceType = Referral['serviceType'];
export type Compartment = CaseNote['compartment'];
export type GoalDomain = PlanGoal['domain'];

/** The enumerations the server's schemas declare, in the order the forms offer them. */
export const SERVICE_TYPES: ServiceType[] = [
  'psychosocial',
  'medical',
  'education',
  'vocational',
  'religious_counselling',
  'legal_aid',
  'documents',
  'housing',
  'livelihood',
  'family_tracing',
  'shelter',
  'other',
];
export const GOAL_DOMAINS: GoalDomain[] = [
  'psychosocial',
  'medical',
  'education',
  'vocational',
  'religious_counselling',
  'documents',
  'guardianship',
  'housing',
  'livelihood',
  'legal',
  'family',
  'community',
  'other',
];
export const COMPARTMENTS: Compartment[] = [
  'protection',
  'justice',
  'security',
  'health',
  'education',
  'referral_packet',
];
export const ACTION_STATUSES: PlanAction['status'][] = ['planned', 'in_progress', 'done', 'cancelled'];
export const SERVICE_OUTCOMES: ServiceDelivery['outcome'][] = [
  'completed',
  'ongoing',
  'partial',
  'not_attended',
  'refused',
];
export const TASK_KINDS: CaseTask['kind'][] = ['task', 'follow_up', 'review'];

/**
 * Mirrors the server's compartment → permission table (modules/access/access.ts): which
 * compartments a user may write, so a form offers only those.
 */
const COMPARTMENT_WRITE: Record<Compartment, string> = {
  protection: 'protection:write',
  justice: 'justice:write',
  security: 'security:write',
  health: 'health:write',
  education: 'education:write',
  referral_packet: 'cases:write',
};

export function writableCompartments(permissions: readonly string[]): Compartment[] {
  return COMPARTMENTS.filter((c) => permissions.includes(COMPARTMENT_WRITE[c]));
}

/** Attachment limits of the server (modules/casework/attachments.ts; HOMEWARD_ATTACHMENT_MAX_MB default). */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'text/plain'];
export const ATTACHMENT_DEFAULT_MAX_MB = 20;

/** The signed-in user's permissions; empty while loading or signed out. */
export function usePermissions(): {
  can: (permission: string) => boolean;
  permissions: string[];
  agencyId: string | undefined;
} {
  const me = useMe().data;
  const permissions = me?.permissions ?? [];
  return { can: (p) => permissions.includes(p), permissions, agencyId: me?.agency.id };
}

export const caseworkKeys = {
  plans: (caseId: string) => ['cases', caseId, 'plans'] as const,
  referrals: (caseId: string) => ['cases', caseId, 'referrals'] as const,
  services: (caseId: string) => ['cases', caseId, 'services'] as const,
  notes: (caseId: string) => ['cases', caseId, 'notes'] as const,
  tasks: (caseId: string) => ['cases', caseId, 'tasks'] as const,
  attachments: (caseId: string) => ['cases', caseId, 'attachments'] as const,
  decisions: (caseId: string) => ['cases', caseId, 'decisions'] as const,
  caseRecord: (caseId: string) => ['cases', caseId] as const,
  consents: (personId: string) => ['persons', personId, 'consents'] as const,
  providers: (filters: ProviderFilters) => ['directory', 'providers', filters] as const,
};

export interface ProviderFilters {
  service?: ServiceType | undefined;
  region?: string | undefined;
  language?: string | undefined;
  q?: string | undefined;
}

/** Directory entries (service providers), filtered in the query. */
export function useProviders(filters: ProviderFilters, enabled = true) {
  const { can } = usePermissions();
  return useQuery({
    queryKey: caseworkKeys.providers(filters),
    enabled: enabled && can('directory:read'),
    staleTime: 5 * 60_000,
    queryFn: () =>
      call(
        api.GET('/api/directory/providers', {
          params: {
            query: {
              ...(filters.service ? { service: filters.service } : {}),
              ...(filters.region ? { region: filters.region } : {}),
              ...(filters.language ? { language: filters.language } : {}),
              ...(filters.q ? { q: filters.q } : {}),
            },
          },
        }),
      ),
  });
}

/**
 * Agency names for ids shown in the case work (responsible agency, provider, recipient): from the
 * directory, plus the user's own agency. An agency outside the directory has no name to show.
 */
export function useAgencyName(): (id: string | null | undefined) => string | undefined {
  const me = useMe().data;
  const { data } = useProviders({});
  return (id) => {
    if (!id) return undefined;
    if (me?.agency.id === id) return me.agency.name;
    return data?.find((p) => p.agencyId === id)?.name;
  };
}

/** The case record: its person (for consent) and status. */
export function useCaseRecord(caseId: string) {
  return useQuery({
    queryKey: caseworkKeys.caseRecord(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}', { params: { path: { id: caseId } } })),
  });
}

/** Today as YYYY-MM-DD in UTC, the server's calendar for due dates. */
export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
