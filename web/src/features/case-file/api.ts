import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client.ts';
import type { paths } from '../../api/schema.d.ts';

/** Response and request types of the case file, derived from the generated paths (never written twice). */
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type BodyOf<T> = T extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

export type CaseDetail = JsonOf<paths['/api/cases/{id}']['get']['responses'][200]>;
export type CaseAccess = JsonOf<paths['/api/access/cases/{id}']['get']['responses'][200]>;
export type CaseHistory = JsonOf<paths['/api/cases/{id}/transitions']['get']['responses'][200]>;
export type AvailableTransition = JsonOf<
  paths['/api/cases/{id}/available-transitions']['get']['responses'][200]
>[number];
export type TransitionRequest = BodyOf<paths['/api/cases/{id}/transitions']['post']>;
export type CloseReason = NonNullable<TransitionRequest['closeReason']>;
export type Person = JsonOf<paths['/api/persons/{id}']['get']['responses'][200]>;
export type PersonName = Person['names'][number];
export type NameInput = BodyOf<paths['/api/persons/{id}/names']['post']>;
export type UpdatePerson = BodyOf<paths['/api/persons/{id}']['patch']>;
export type Nationality = Person['nationalities'][number];
export type NationalityInput = BodyOf<paths['/api/persons/{id}/nationalities']['post']>;
export type EvidenceInput = BodyOf<paths['/api/persons/{id}/nationalities/{childId}/evidence']['post']>;
export type IdentityDocument = Person['documents'][number];
export type DocumentInput = BodyOf<paths['/api/persons/{id}/documents']['post']>;
export type PersonHistoryEntry = JsonOf<paths['/api/persons/{id}/history']['get']['responses'][200]>[number];
export type Family = JsonOf<paths['/api/persons/{id}/family']['get']['responses'][200]>;
export type Relative = Family['relatives'][number];
export type CreateRelationship = BodyOf<paths['/api/persons/{id}/relationships']['post']>;
export type CareArrangement = Family['careArrangements'][number];
export type CareArrangementInput = BodyOf<paths['/api/persons/{id}/care-arrangements']['post']>;
export type Provenance = Relative['provenance'];
export type BreakGlass = JsonOf<paths['/api/break-glass/mine']['get']['responses'][200]>[number];
export type Compartment = BreakGlass['compartments'][number];
export type AuditPage = JsonOf<paths['/api/audit']['get']['responses'][200]>;
export type PersonSearchResult = JsonOf<paths['/api/persons']['get']['responses'][200]>;
export type CaseListItem = JsonOf<paths['/api/cases']['get']['responses'][200]>['items'][number];

export const caseKeys = {
  all: (caseId: string) => ['case', caseId] as const,
  detail: (caseId: string) => ['case', caseId, 'detail'] as const,
  access: (caseId: string) => ['case', caseId, 'access'] as const,
  history: (caseId: string) => ['case', caseId, 'transitions'] as const,
  available: (caseId: string) => ['case', caseId, 'available-transitions'] as const,
  audit: (caseId: string) => ['case', caseId, 'audit'] as const,
};
export const personKeys = {
  all: (personId: string) => ['person', personId] as const,
  detail: (personId: string) => ['person', personId, 'detail'] as const,
  family: (personId: string) => ['person', personId, 'family'] as const,
  history: (personId: string) => ['person', personId, 'history'] as const,
  cases: (personId: string) => ['person', personId, 'cases'] as const,
};
export const myBreakGlassKey = ['break-glass', 'mine'] as const;

export function useCase(caseId: string) {
  return useQuery({
    queryKey: caseKeys.detail(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}', { params: { path: { id: caseId } } })),
  });
}

export function useCaseAccess(caseId: string, enabled: boolean) {
  return useQuery({
    queryKey: caseKeys.access(caseId),
    queryFn: () => call(api.GET('/api/access/cases/{id}', { params: { path: { id: caseId } } })),
    enabled,
  });
}

export function usePerson(personId: string | undefined) {
  return useQuery({
    queryKey: personKeys.detail(personId ?? ''),
    queryFn: () => call(api.GET('/api/persons/{id}', { params: { path: { id: personId ?? '' } } })),
    enabled: Boolean(personId),
  });
}

export function useFamily(personId: string) {
  return useQuery({
    queryKey: personKeys.family(personId),
    queryFn: () => call(api.GET('/api/persons/{id}/family', { params: { path: { id: personId } } })),
  });
}

export function useMyBreakGlass(enabled: boolean) {
  return useQuery({
    queryKey: myBreakGlassKey,
    queryFn: () => call(api.GET('/api/break-glass/mine')),
    enabled,
  });
}

/** The cases of one person within the reader's scope (the case list's person filter). */
export function usePersonCases(personId: string) {
  return useQuery({
    queryKey: personKeys.cases(personId),
    queryFn: async () => {
      const list = await call(
        api.GET('/api/cases', { params: { query: { personId, limit: 200, count: 'false' } } }),
      );
      return list.items;
    },
  });
}

export function hasPermission(permissions: readonly string[], permission: string): boolean {
  return permissions.includes(permission);
}
