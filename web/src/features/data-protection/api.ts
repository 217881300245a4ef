import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Me } from '../../api/client.ts';
import { apiErrorFromResponse } from '../../api/errors.ts';
import type { paths } from '../../api/schema.d.ts';

/** Types of the data-protection API, derived from the generated paths (never written twice). */
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type BodyOf<T> = T extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

export type RetentionDue = JsonOf<paths['/api/retention/due']['get']['responses'][200]>[number];
export type RetentionCategory = RetentionDue['category'];
export type RetentionReview = BodyOf<paths['/api/retention/reviews']['post']>;
export type LegalHold = JsonOf<paths['/api/retention/holds']['post']['responses'][201]>;
export type SubjectExport = JsonOf<
  paths['/api/subject-requests/persons/{id}/export']['get']['responses'][200]
>;

export const RETENTION_CATEGORIES: readonly RetentionCategory[] = [
  'case_closed',
  'child_majority',
  'acquittal',
  'no_open_case',
];

/** The server's shortest legal-hold reason (POST /api/retention/holds: 10 characters, trimmed). */
export const HOLD_REASON_MIN = 10;

/**
 * The permissions that open the area (retention and subject requests: the data-protection
 * officer's). Reviewing break-glass (`disclosures:review`) is shown inside it too, but supervisors
 * hold that one and do it from their inbox, so it does not open the area by itself.
 */
export const AREA_PERMISSIONS = ['retention:manage', 'subject_requests:handle'] as const;

export function can(me: Me, permission: string): boolean {
  return me.permissions.includes(permission);
}

/** Whether the area has anything for this user: the navigation shows it only then. */
export function mayUseDataProtection(me: Me): boolean {
  return AREA_PERMISSIONS.some((p) => can(me, p));
}

export const dataProtectionKeys = {
  due: ['retention', 'due'] as const,
  /** A person's legal holds, in force and lifted (GET /api/retention/holds). */
  holds: (personId: string) => ['retention', 'holds', personId] as const,
};

export function useRetentionDue(enabled: boolean) {
  return useQuery({
    queryKey: dataProtectionKeys.due,
    enabled,
    queryFn: () => call(api.GET('/api/retention/due', { params: { query: { limit: 500 } } })),
  });
}

/** A person's legal holds, in force and lifted, newest first. */
export function useLegalHolds(personId: string) {
  return useQuery({
    queryKey: dataProtectionKeys.holds(personId),
    queryFn: () => call(api.GET('/api/retention/holds', { params: { query: { personId } } })),
  });
}

export function usePlaceHold(personId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => call(api.POST('/api/retention/holds', { body: { personId, reason } })),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: dataProtectionKeys.holds(personId) }),
        queryClient.invalidateQueries({ queryKey: dataProtectionKeys.due }),
      ]);
    },
  });
}

export function useLiftHold(personId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { holdId: string; reason: string }) =>
      call(
        api.POST('/api/retention/holds/{id}/lift', {
          params: { path: { id: input.holdId } },
          body: { reason: input.reason },
        }),
      ),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: dataProtectionKeys.holds(personId) }),
        queryClient.invalidateQueries({ queryKey: dataProtectionKeys.due }),
      ]);
    },
  });
}

export function useRecordReview() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RetentionReview) => call(api.POST('/api/retention/reviews', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dataProtectionKeys.due }),
  });
}

export function useAnonymise(personId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      call(api.POST('/api/retention/persons/{id}/anonymise', { params: { path: { id: personId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dataProtectionKeys.due }),
  });
}

export function useDeletePerson(personId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.DELETE('/api/retention/persons/{id}', { params: { path: { id: personId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dataProtectionKeys.due }),
  });
}

export type ExportFormat = 'json' | 'pdf';

/** The data-subject access export as a file: JSON as the API sends it, or the server's PDF. */
export async function fetchSubjectExport(personId: string, format: ExportFormat): Promise<Blob> {
  const params = { path: { id: personId } };
  if (format === 'json') {
    const data = await call(api.GET('/api/subject-requests/persons/{id}/export', { params }));
    return new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  }
  const { data, response } = await api.GET('/api/subject-requests/persons/{id}/export.pdf', {
    params,
    parseAs: 'blob',
  });
  if (!response.ok || data === undefined) throw await apiErrorFromResponse(response);
  return data as Blob;
}

/** Hands a file to the browser's download, without it ever touching browser storage. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy; the object URL is dropped once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A person named only by id (the officer reads no case content): its first eight characters. */
export function personReference(personId: string): string {
  return personId.slice(0, 8);
}
