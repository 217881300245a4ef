import { z } from 'zod';
import { userRefSchema } from '../accounts/refs.ts';

export const consentPurposeSchema = z
  .enum(['services', 'referral', 'un_sharing', 'tracing'])
  .describe('What the consent or legal basis covers');
export const legalBasisSchema = z
  .enum(['consent', 'best_interests', 'legal_obligation', 'vital_interest'])
  .describe('Legal basis under the UN Personal Data Protection and Privacy Principles');

export const recordConsentSchema = z
  .strictObject({
    personId: z.uuid(),
    purpose: consentPurposeSchema,
    legalBasis: legalBasisSchema,
    decision: z.enum(['granted', 'refused']),
    subjectIsChild: z
      .boolean()
      .optional()
      .describe('Only read when the date of birth is unknown; otherwise derived from it'),
    childAssent: z.enum(['given', 'refused', 'not_capable']).optional(),
    guardianConsent: z.enum(['given', 'refused']).optional(),
    guardianPersonId: z.uuid().optional(),
    recipientAgencyId: z.uuid().optional().describe('Limit the consent to one recipient agency'),
    validUntil: z.iso.datetime().optional(),
  })
  .meta({ id: 'RecordConsent' });
export type RecordConsent = z.infer<typeof recordConsentSchema>;

export const withdrawConsentSchema = z.strictObject({
  reason: z.string().trim().max(1000).optional(),
});

export const consentSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    purpose: consentPurposeSchema,
    version: z.number().int(),
    legalBasis: legalBasisSchema,
    decision: z.enum(['granted', 'refused']),
    subjectIsChild: z.boolean(),
    childAssent: z.enum(['given', 'refused', 'not_capable']).nullable(),
    guardianConsent: z.enum(['given', 'refused']).nullable(),
    guardianPersonId: z.uuid().nullable(),
    recipientAgencyId: z.uuid().nullable(),
    recordedBy: z.uuid(),
    recordedAt: z.iso.datetime(),
    validUntil: z.iso.datetime().nullable(),
    withdrawnAt: z.iso.datetime().nullable(),
    withdrawnBy: z.uuid().nullable(),
    withdrawalReason: z.string().nullable(),
    effective: z.boolean().describe('Granted, current, not withdrawn, not expired, complete for a child'),
  })
  .meta({ id: 'Consent' });

export const idParamsSchema = z.strictObject({ id: z.uuid() });
export const personQuerySchema = z.strictObject({ personId: z.uuid() });

export const compartmentSchema = z.enum([
  'protection',
  'justice',
  'security',
  'health',
  'education',
  'referral_packet',
]);
export const sectionSchema = z.enum([
  'identity',
  'protection',
  'justice',
  'security',
  'health',
  'education',
  'referral_packet',
]);
export const caseScopeSchema = z.enum(['none', 'assigned', 'team', 'agency', 'jurisdiction', 'all']);

export const createDisclosureSchema = z
  .strictObject({
    recipientAgencyId: z.uuid().optional(),
    recipientCompartment: compartmentSchema.optional(),
    sections: z.array(sectionSchema).min(1).max(7),
    // Optional here so that its absence is refused by the service with its own code, and audited.
    legalBasis: z
      .enum(['consent', 'best_interests', 'legal_obligation', 'vital_interest', 'court_order'])
      .optional(),
    purpose: z.string().trim().min(1).max(500),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'CreateDisclosure' });
export type CreateDisclosure = z.infer<typeof createDisclosureSchema>;

export const disclosureSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    recipientAgencyId: z.uuid().nullable(),
    recipientCompartment: compartmentSchema.nullable(),
    sections: z.array(sectionSchema),
    legalBasis: z.string(),
    purpose: z.string(),
    disclosedBy: z.uuid(),
    disclosedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    revokedBy: z.uuid().nullable(),
    revocationReason: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'Disclosure' });

export const reasonSchema = z.strictObject({ reason: z.string().trim().max(1000).optional() });

export const openBreakGlassSchema = z
  .strictObject({
    // No minimum here: a short reason is refused by the service with its own code, and audited.
    reason: z.string().max(2000),
    compartments: z.array(compartmentSchema).max(6).optional(),
  })
  .meta({ id: 'OpenBreakGlass' });
export type OpenBreakGlass = z.infer<typeof openBreakGlassSchema>;

export const breakGlassSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    user: userRefSchema.describe('Who opened it'),
    caseId: z.uuid(),
    compartments: z.array(compartmentSchema),
    reason: z.string(),
    openedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    endedAt: z.iso.datetime().nullable(),
    reviewedAt: z.iso.datetime().nullable(),
    reviewedBy: z.uuid().nullable(),
    reviewer: userRefSchema.nullable(),
    reviewOutcome: z.enum(['justified', 'unjustified']).nullable(),
    reviewNote: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'BreakGlass' });

export const reviewBreakGlassSchema = z.strictObject({
  outcome: z.enum(['justified', 'unjustified']),
  note: z.string().trim().max(2000).optional(),
});

export const notificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['break_glass', 'disclosure_received', 'retention_due']),
    subjectType: z.string(),
    subjectId: z.uuid(),
    actorUserId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Notification' });

export const caseAccessSchema = z
  .object({
    caseId: z.uuid(),
    read: z.array(sectionSchema),
    write: z.array(compartmentSchema),
    via: z.object({
      scope: z.boolean(),
      disclosureIds: z.array(z.uuid()),
      breakGlassGrantId: z.uuid().nullable(),
    }),
  })
  .meta({ id: 'CaseAccess' });

export const accessPolicySchema = z
  .object({
    roleCode: z.string(),
    caseScope: caseScopeSchema,
    breakGlassCompartments: z.array(compartmentSchema),
    version: z.number().int(),
  })
  .meta({ id: 'AccessPolicy' });
export const putAccessPolicySchema = z.strictObject({
  caseScope: caseScopeSchema,
  breakGlassCompartments: z.array(compartmentSchema).max(6),
});
export const roleCodeParamsSchema = z.strictObject({ roleCode: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/) });

export const fieldRuleSchema = z
  .object({
    resource: z.string(),
    field: z.string(),
    compartment: compartmentSchema,
    ask: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'FieldRule' });
export const putFieldRuleSchema = z.strictObject({
  resource: z.string().regex(/^[a-z][a-z0-9_.]{1,60}$/),
  field: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,60}$/),
  compartment: compartmentSchema,
  ask: z.string().trim().min(1).max(200),
});
export const fieldRuleKeySchema = z.strictObject({
  resource: z.string().regex(/^[a-z][a-z0-9_.]{1,60}$/),
  field: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,60}$/),
});
