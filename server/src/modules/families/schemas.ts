import { z } from 'zod';
import { whereaboutsSchema } from '../persons/schemas.ts';

export const relationSchema = z
  .enum(['mother', 'father', 'child', 'spouse', 'sibling', 'guardian', 'caregiver'])
  .describe('The related person is the <relation> of the person');
export const provenanceSchema = z.enum(['claimed', 'documented', 'dna_confirmed']);
export const careKindSchema = z.enum(['family_based', 'kinship', 'foster', 'institution']);
export const tracingStatusSchema = z.enum(['open', 'located', 'not_found', 'withdrawn']);

const isoDate = z.iso.date();

export const createRelationshipSchema = z
  .strictObject({
    relatedPersonId: z.uuid(),
    relation: relationSchema,
    provenance: provenanceSchema,
  })
  .meta({ id: 'CreateRelationship' });
export const updateProvenanceSchema = z.strictObject({ provenance: provenanceSchema });

export const relativeSchema = z
  .object({
    relationshipId: z.uuid(),
    personId: z.uuid(),
    displayName: z.string().nullable().describe('Null when the relative is not visible to you'),
    role: z
      .enum([
        'mother',
        'father',
        'parent',
        'child',
        'spouse',
        'sibling',
        'guardian',
        'caregiver',
        'ward',
        'cared_for',
      ])
      .describe('What the relative is to this person'),
    provenance: provenanceSchema,
    whereabouts: whereaboutsSchema.nullable(),
  })
  .meta({ id: 'Relative' });

export const careArrangementInputSchema = z
  .strictObject({
    kind: careKindSchema,
    caregiverPersonId: z.uuid().nullable().default(null),
    providerAgencyId: z.uuid().nullable().default(null),
    startsOn: isoDate,
    endsOn: isoDate.nullable().default(null),
    reason: z
      .string()
      .trim()
      .min(10)
      .max(1000)
      .nullable()
      .default(null)
      .describe('Required for an institution: why family-based care is not possible'),
  })
  .refine((c) => c.endsOn === null || c.endsOn >= c.startsOn, {
    message: 'endsOn must not be before startsOn',
    path: ['endsOn'],
  })
  .refine((c) => c.kind !== 'institution' || c.reason !== null, {
    message: 'an institution needs the reason family-based care is not possible',
    path: ['reason'],
  })
  .refine((c) => c.kind === 'institution' || c.caregiverPersonId !== null, {
    message: 'family-based, kinship and foster care name the caregiver',
    path: ['caregiverPersonId'],
  });

export const careArrangementSchema = z
  .object({
    id: z.uuid(),
    kind: careKindSchema,
    caregiverPersonId: z.uuid().nullable(),
    providerAgencyId: z.uuid().nullable(),
    startsOn: z.string(),
    endsOn: z.string().nullable(),
    reason: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'CareArrangement' });

export const endCareArrangementSchema = z
  .strictObject({
    endsOn: isoDate.describe('The last day of the arrangement; today or later ends it now or as planned'),
  })
  .meta({ id: 'EndCareArrangement' });

export const familyUnitInputSchema = z.strictObject({
  reference: z.string().trim().min(1).max(60).optional().describe('Generated when omitted'),
  memberIds: z.array(z.uuid()).min(1).max(50),
});
export const familyUnitMemberInputSchema = z.strictObject({ personId: z.uuid() });
export const familyUnitSchema = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    members: z.array(z.object({ personId: z.uuid(), displayName: z.string().nullable() })),
  })
  .meta({ id: 'FamilyUnit' });

export const tracingRequestInputSchema = z.strictObject({
  soughtPersonId: z.uuid(),
  requestingPersonId: z.uuid().nullable().default(null),
  familyUnitId: z.uuid().nullable().default(null),
  lastKnownLocation: z.string().trim().max(300).nullable().default(null),
});
export const updateTracingRequestSchema = z.strictObject({
  version: z.number().int(),
  status: tracingStatusSchema.optional(),
  lastKnownLocation: z.string().trim().max(300).nullable().optional(),
});
export const tracingRequestSchema = z
  .object({
    id: z.uuid(),
    soughtPersonId: z.uuid(),
    requestingPersonId: z.uuid().nullable(),
    familyUnitId: z.uuid().nullable(),
    status: tracingStatusSchema,
    lastKnownLocation: z.string().nullable(),
    openedAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'TracingRequest' });

export const familySchema = z
  .object({
    personId: z.uuid(),
    relatives: z.array(relativeSchema),
    familyUnits: z.array(familyUnitSchema),
    careArrangements: z.array(careArrangementSchema),
    tracingRequests: z.array(tracingRequestSchema),
  })
  .meta({ id: 'Family' });

export const idParamsSchema = z.strictObject({ id: z.uuid() });

export type CreateRelationship = z.infer<typeof createRelationshipSchema>;
export type CareArrangementInput = z.infer<typeof careArrangementInputSchema>;
export type EndCareArrangement = z.infer<typeof endCareArrangementSchema>;
export type TracingRequestInput = z.infer<typeof tracingRequestInputSchema>;
export type UpdateTracingRequest = z.infer<typeof updateTracingRequestSchema>;
