import { z } from 'zod';
import { agencyRefSchema } from '../accounts/refs.ts';
import { ageBandSchema, sexSchema } from '../persons/schemas.ts';

export const SERVICE_TYPES = [
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
] as const;
export const serviceTypeSchema = z.enum(SERVICE_TYPES);
export const goalDomainSchema = z.enum([
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
]);
export const compartmentSchema = z.enum([
  'protection',
  'justice',
  'security',
  'health',
  'education',
  'referral_packet',
]);
const isoDate = z.iso.date();

// Plans
export const createPlanSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    status: z.enum(['draft', 'active']).default('active'),
    goals: z
      .array(z.strictObject({ domain: goalDomainSchema, description: z.string().trim().min(1).max(1000) }))
      .min(1)
      .max(30),
    actions: z
      .array(
        z.strictObject({
          goal: z.number().int().min(0).describe('Index of the goal in `goals`'),
          description: z.string().trim().min(1).max(1000),
          responsibleAgencyId: z.uuid().nullable().default(null),
          dueOn: isoDate.nullable().default(null),
        }),
      )
      .max(100)
      .default([]),
  })
  .meta({ id: 'CreatePlan' });
export const updatePlanSchema = z.strictObject({
  version: z.number().int(),
  title: z.string().trim().min(1).max(200).optional(),
  status: z.enum(['draft', 'active', 'completed', 'cancelled']).optional(),
});
export const updateActionSchema = z.strictObject({
  status: z.enum(['planned', 'in_progress', 'done', 'cancelled']),
});
export const planSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    title: z.string(),
    status: z.enum(['draft', 'active', 'completed', 'cancelled']),
    goals: z.array(
      z.object({
        id: z.uuid(),
        domain: goalDomainSchema,
        description: z.string(),
        status: z.enum(['open', 'achieved', 'dropped']),
        actions: z.array(
          z.object({
            id: z.uuid(),
            description: z.string(),
            responsibleAgencyId: z.uuid().nullable(),
            dueOn: z.string().nullable(),
            status: z.enum(['planned', 'in_progress', 'done', 'cancelled']),
          }),
        ),
      }),
    ),
    version: z.number().int(),
  })
  .meta({ id: 'Plan' });

// Referrals
export const createReferralSchema = z
  .strictObject({
    toAgencyId: z.uuid(),
    serviceType: serviceTypeSchema,
    packetSummary: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .describe('The referral packet: only what the recipient needs to provide the service'),
    urgency: z.enum(['normal', 'urgent']).default('normal'),
    override: z
      .strictObject({ reason: z.string().trim().min(1).max(1000) })
      .optional()
      .describe('Refer without recorded consent: needs referrals:override_consent; audited'),
  })
  .meta({ id: 'CreateReferral' });
export const declineReferralSchema = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export const referralStatusSchema = z.enum(['pending', 'accepted', 'declined', 'withdrawn', 'completed']);
export const referralSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid().nullable().describe('Null for the recipient until it accepts'),
    fromAgencyId: z.uuid(),
    toAgencyId: z.uuid(),
    fromAgency: agencyRefSchema.describe('The sending agency (the case’s owner)'),
    toAgency: agencyRefSchema,
    serviceType: serviceTypeSchema,
    packetSummary: z.string(),
    urgency: z.enum(['normal', 'urgent']),
    status: referralStatusSchema,
    consentBasis: z.enum(['consent', 'override']),
    person: z.object({
      displayName: z.string().nullable().describe('Shown to the recipient only once it accepts'),
      sex: sexSchema,
      ageBand: ageBandSchema.nullable(),
    }),
    packetNotes: z.array(z.object({ id: z.uuid(), body: z.string(), createdAt: z.iso.datetime() })),
    declineReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Referral' });
export const referralListQuerySchema = z.strictObject({
  direction: z.enum(['incoming', 'outgoing']).default('incoming'),
  status: referralStatusSchema.optional(),
});

// Service deliveries
export const recordServiceSchema = z
  .strictObject({
    serviceType: serviceTypeSchema,
    providerAgencyId: z.uuid().optional().describe('Defaults to your agency'),
    referralId: z.uuid().nullable().default(null),
    deliveredOn: isoDate,
    outcome: z.enum(['completed', 'ongoing', 'partial', 'not_attended', 'refused']),
  })
  .meta({ id: 'RecordService' });
export const serviceDeliverySchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    referralId: z.uuid().nullable(),
    serviceType: serviceTypeSchema,
    providerAgencyId: z.uuid(),
    deliveredOn: z.string(),
    outcome: z.enum(['completed', 'ongoing', 'partial', 'not_attended', 'refused']),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ServiceDelivery' });

// Notes
export const createNoteSchema = z
  .strictObject({
    compartment: compartmentSchema,
    body: z.string().trim().min(1).max(20000),
    referralId: z
      .uuid()
      .nullable()
      .default(null)
      .describe('For referral_packet notes: the referral they go with'),
  })
  .meta({ id: 'CreateNote' });
export const noteSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    compartment: compartmentSchema,
    referralId: z.uuid().nullable(),
    body: z.string(),
    authorId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CaseNote' });
export const noteListQuerySchema = z.strictObject({ compartment: compartmentSchema.optional() });

// Tasks
export const createTaskSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(300),
    kind: z.enum(['task', 'follow_up', 'review']).default('task'),
    dueOn: isoDate,
    assignedUserId: z.uuid().nullable().default(null),
  })
  .meta({ id: 'CreateTask' });
export const updateTaskSchema = z.strictObject({
  version: z.number().int(),
  title: z.string().trim().min(1).max(300).optional(),
  dueOn: isoDate.optional(),
  status: z.enum(['open', 'done', 'cancelled']).optional(),
  assignedUserId: z.uuid().nullable().optional(),
});
export const taskSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    kind: z.enum(['task', 'follow_up', 'review']),
    title: z.string(),
    dueOn: z.string(),
    assignedUserId: z.uuid().nullable(),
    status: z.enum(['open', 'done', 'cancelled']),
    overdue: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'CaseTask' });
export const dueTasksQuerySchema = z.strictObject({
  mine: z.enum(['true', 'false']).default('false').describe('Only tasks assigned to me'),
  before: isoDate.optional().describe('Open tasks due on or before this date (default: today)'),
  from: isoDate
    .optional()
    .describe('And on or after this date (default: no lower bound, so overdue ones too)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const dueTaskSchema = taskSchema
  .extend({
    case: z.object({
      id: z.uuid(),
      caseNumber: z.string(),
      displayName: z.string().nullable().describe('The person’s display name'),
    }),
  })
  .meta({ id: 'DueTask' });
export const dueTasksSchema = z
  .object({
    items: z.array(dueTaskSchema).describe('Oldest due first, at most `limit`'),
    total: z.number().int().describe('Every open task that matches, in cases you may see'),
    overdue: z.number().int().describe('Of those, the ones past their due date'),
  })
  .meta({ id: 'DueTasks' });
export const overdueQuerySchema = z.strictObject({
  mine: z.enum(['true', 'false']).default('false').describe('Only tasks assigned to me'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// Attachments
export const attachmentUploadQuerySchema = z.strictObject({
  compartment: compartmentSchema,
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine(
      (name) => !/[/\\]/.test(name) && [...name].every((c) => c.charCodeAt(0) >= 0x20),
      'a file name without path separators or control characters',
    ),
});
export const attachmentSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    compartment: compartmentSchema,
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    uploadedBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CaseAttachment' });

export const idParamsSchema = z.strictObject({ id: z.uuid() });
export const childParamsSchema = z.strictObject({ id: z.uuid(), childId: z.uuid() });
export const grandchildParamsSchema = z.strictObject({
  id: z.uuid(),
  childId: z.uuid(),
  grandchildId: z.uuid(),
});

export type CreatePlan = z.infer<typeof createPlanSchema>;
export type CreateReferral = z.infer<typeof createReferralSchema>;
export type RecordService = z.infer<typeof recordServiceSchema>;
export type CreateNote = z.infer<typeof createNoteSchema>;
export type CreateTask = z.infer<typeof createTaskSchema>;
export type UpdateTask = z.infer<typeof updateTaskSchema>;
