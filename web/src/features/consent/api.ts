import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { personKeys } from '../case-file/api.ts';
import { caseworkKeys } from '../casework/api.ts';

/** Types of the consent API, derived from the generated schema (never written twice). */
export type Consent = components['schemas']['Consent'];
export type RecordConsent = components['schemas']['RecordConsent'];
export type ConsentPurpose = Consent['purpose'];
export type LegalBasis = Consent['legalBasis'];
export type ChildAssent = NonNullable<Consent['childAssent']>;
export type GuardianConsent = NonNullable<Consent['guardianConsent']>;

/** The enumerations of server/src/modules/access/schemas.ts, in the order the screen offers them. */
export const PURPOSES: readonly ConsentPurpose[] = ['services', 'referral', 'un_sharing', 'tracing'];
export const LEGAL_BASES: readonly LegalBasis[] = [
  'consent',
  'best_interests',
  'legal_obligation',
  'vital_interest',
];
export const CHILD_ASSENTS: readonly ChildAssent[] = ['given', 'refused', 'not_capable'];
export const GUARDIAN_CONSENTS: readonly GuardianConsent[] = ['given', 'refused'];

/** Age below which the server treats a person as a child (modules/access/consent.ts AGE_OF_MAJORITY). */
export const AGE_OF_MAJORITY = 18;

/** What a consent record says now, for the badge of its purpose. */
export type ConsentState = 'none' | 'effective' | 'withdrawn' | 'refused' | 'expired' | 'incomplete';

export function consentState(consent: Consent | undefined, now = new Date()): ConsentState {
  if (!consent) return 'none';
  if (consent.effective) return 'effective';
  if (consent.withdrawnAt) return 'withdrawn';
  if (consent.decision === 'refused') return 'refused';
  if (consent.validUntil && new Date(consent.validUntil) <= now) return 'expired';
  return 'incomplete';
}

/** Versions of one purpose, newest first (the API sends them by purpose, newest first). */
export function versionsOf(consents: readonly Consent[], purpose: ConsentPurpose): Consent[] {
  return consents.filter((c) => c.purpose === purpose).sort((a, b) => b.version - a.version);
}

/**
 * Every consent and legal-basis record of a person. The key is the one the referral form's consent
 * summary reads, so recording or withdrawing here updates it too.
 */
export function useConsents(personId: string, enabled: boolean) {
  return useQuery({
    queryKey: caseworkKeys.consents(personId),
    enabled,
    queryFn: () => call(api.GET('/api/consents', { params: { query: { personId } } })),
  });
}

export function useRecordConsent(personId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RecordConsent) => call(api.POST('/api/consents', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: caseworkKeys.consents(personId) }),
  });
}

export function useWithdrawConsent(personId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ consentId, reason }: { consentId: string; reason: string }) =>
      call(
        api.POST('/api/consents/{id}/withdraw', {
          params: { path: { id: consentId } },
          body: reason ? { reason } : {},
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: caseworkKeys.consents(personId) }),
  });
}

/**
 * The person's relatives (for choosing whose consent to show, and a child's guardian), on the case
 * file's own cache key; only asked for when the reader may read persons.
 */
export function useRelatives(personId: string, enabled: boolean) {
  return useQuery({
    queryKey: personKeys.family(personId),
    enabled,
    queryFn: () => call(api.GET('/api/persons/{id}/family', { params: { path: { id: personId } } })),
  });
}
