import { z } from 'zod';
import { maskable } from '../access/masking.ts';
import { userRefSchema } from '../accounts/refs.ts';
import { provenanceSchema, relationSchema } from '../families/schemas.ts';
import {
  ageBandSchema,
  ageSchema,
  createPersonSchema,
  sexSchema,
  vulnerabilityFlagSchema,
} from '../persons/schemas.ts';
import { CLOSE_REASONS, TRACKS } from './workflow.ts';

export const trackSchema = z.enum(TRACKS);
export const closeReasonSchema = z.enum(CLOSE_REASONS);
export const caseStatusSchema = z.enum(['open', 'closed']);

export const openCaseSchema = z
  .strictObject({
    personId: z.uuid(),
    familyUnitId: z.uuid().nullable().default(null).describe('Links the cases of one family'),
    assignedUserId: z.uuid().nullable().default(null),
    stage: z.number().int().min(0).max(9).default(0).describe('Where the case starts (0: identified abroad)'),
  })
  .meta({ id: 'OpenCase' });
export type OpenCase = z.infer<typeof openCaseSchema>;

/** Where a relative is when they cannot be with the person: no case of their own by default. */
export const APART_WHEREABOUTS = ['deceased', 'abroad_other', 'detention', 'unknown'] as const;

export const intakeFamilyMemberSchema = z
  .strictObject({
    person: createPersonSchema.optional().describe('A new person (give this or existingPersonId)'),
    existingPersonId: z
      .uuid()
      .optional()
      .describe('Link a person already registered and visible to you instead of creating one'),
    relation: relationSchema.describe('What the member is to the person: "child" for their child'),
    provenance: provenanceSchema.default('claimed'),
    openCase: z
      .boolean()
      .optional()
      .describe(
        'Open a case for the member in the family. Default: true for a new member whose whereabouts is ' +
          'not deceased, abroad_other, detention or unknown (one who is with the person, such as a child); ' +
          'false otherwise and for an existing person',
      ),
  })
  .superRefine((m, ctx) => {
    if ((m.person === undefined) === (m.existingPersonId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give either person or existingPersonId',
        path: m.person === undefined ? ['person'] : ['existingPersonId'],
      });
    }
  })
  .meta({ id: 'IntakeFamilyMember' });
export type IntakeFamilyMember = z.infer<typeof intakeFamilyMemberSchema>;

export const intakeSchema = z
  .strictObject({
    person: createPersonSchema,
    familyUnitId: z
      .uuid()
      .nullable()
      .default(null)
      .describe('An existing family unit to join; with family members and none given, a unit is created'),
    stage: z.number().int().min(0).max(9).default(0),
    family: z
      .array(intakeFamilyMemberSchema)
      .max(30)
      .default([])
      .describe('Family members registered (or linked) with the person, in the same transaction'),
  })
  .superRefine((intake, ctx) => {
    const seen = new Map<string, number>();
    intake.family.forEach((m, i) => {
      if (m.existingPersonId === undefined) return;
      if (seen.has(m.existingPersonId)) {
        ctx.addIssue({
          code: 'custom',
          message: `the same person is already family member ${seen.get(m.existingPersonId)! + 1}`,
          path: ['family', i, 'existingPersonId'],
        });
      } else seen.set(m.existingPersonId, i);
    });
  })
  .meta({ id: 'Intake' });
export type Intake = z.infer<typeof intakeSchema>;

export const assignCaseSchema = z.strictObject({
  version: z.number().int(),
  assignedUserId: z.uuid().nullable(),
});

export const transitionRequestSchema = z
  .strictObject({
    transition: z.string().min(1).max(64).describe('A transition code of the deployment workflow'),
    version: z.number().int().describe('The case version you read'),
    comment: z.string().trim().min(1).max(2000).optional(),
    closeReason: closeReasonSchema.optional().describe('Required when the transition closes the case'),
    prosecutionAgencyId: z
      .uuid()
      .optional()
      .describe(
        'The prosecution office a case is referred to for a justice decision: required by, and only accepted for, a transition that refers for a justice decision (identity and justice are disclosed to it)',
      ),
  })
  .meta({ id: 'TransitionRequest' });
export type TransitionRequest = z.infer<typeof transitionRequestSchema>;

export const approvalDecisionSchema = z.strictObject({
  comment: z.string().trim().min(1).max(2000).optional(),
});
export const rejectionSchema = z.strictObject({
  comment: z.string().trim().min(1).max(2000).describe('Why the transition is rejected'),
});

export const nonPunishmentOutcomeSchema = z.enum([
  'recognised_victim',
  'non_punishment_applies',
  'not_established',
]);
export const completeReviewSchema = z.strictObject({ outcome: nonPunishmentOutcomeSchema });

export const approvalSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    transition: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    requestedBy: z.uuid(),
    requestedAt: z.iso.datetime(),
    requestComment: z.string().nullable(),
    decidedBy: z.uuid().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    decisionComment: z.string().nullable(),
  })
  .meta({ id: 'CaseApproval' });

/** A stage as the deployment workflow names it. */
export const stageRefSchema = z
  .object({ stage: z.number().int(), code: z.string(), label: z.string() })
  .meta({ id: 'StageRef' });

/** An approval in the supervisor's inbox: what the transition does and who asked, in words. */
export const pendingApprovalSchema = approvalSchema
  .extend({
    transitionLabel: z
      .string()
      .nullable()
      .describe('The transition’s label in the deployment workflow (null if the workflow no longer has it)'),
    kind: z.enum(['stage', 'track']).nullable(),
    track: trackSchema.nullable(),
    to: z.string().nullable().describe('The stage number or track status the transition leads to'),
    toStage: stageRefSchema.nullable().describe('For a stage transition: the stage it leads to'),
    requester: userRefSchema,
    case: z.object({
      id: z.uuid(),
      caseNumber: z.string(),
      displayName: z.string().nullable().describe('The person’s display name'),
      stage: stageRefSchema,
    }),
  })
  .meta({ id: 'PendingApproval' });

export const trackStateSchema = z.object({
  track: trackSchema,
  status: z.string(),
  updatedAt: z.iso.datetime(),
});

export const caseSchema = z
  .object({
    id: z.uuid(),
    caseNumber: z.string(),
    status: caseStatusSchema,
    stage: z.number().int(),
    stageCode: z.string(),
    person: z.object({
      id: z.uuid(),
      displayName: z.string().nullable(),
      sex: sexSchema,
      age: ageSchema.nullable(),
      flags: z.array(z.string()),
    }),
    familyUnitId: z.uuid().nullable(),
    familyCases: z.array(
      z.object({
        id: z.uuid(),
        caseNumber: z.string(),
        personId: z.uuid(),
        displayName: z.string().nullable(),
        stage: z.number().int(),
        status: caseStatusSchema,
      }),
    ),
    ownerAgencyId: z.uuid(),
    assignedUserId: z.uuid().nullable(),
    tracks: z.array(trackStateSchema),
    pendingApproval: approvalSchema.nullable(),
    openTasks: z.array(
      z.object({ id: z.uuid(), title: z.string(), dueOn: z.string(), overdue: z.boolean() }),
    ),
    openedAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable(),
    closeReason: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Case' });
export type CaseDetail = z.infer<typeof caseSchema>;

export const transitionResultSchema = z
  .object({
    outcome: z.enum(['applied', 'approval_requested']),
    case: caseSchema,
    approval: approvalSchema.nullable(),
  })
  .meta({ id: 'TransitionResult' });

export const transitionRecordSchema = z
  .object({
    id: z.uuid(),
    transition: z.string(),
    kind: z.enum(['stage', 'track']),
    track: trackSchema.nullable(),
    from: z.string().nullable(),
    to: z.string(),
    comment: z.string().nullable(),
    performedBy: z.uuid().nullable(),
    performedAt: z.iso.datetime(),
    approvalId: z.uuid().nullable(),
  })
  .meta({ id: 'CaseTransition' });

export const caseHistorySchema = z.object({
  transitions: z.array(transitionRecordSchema),
  approvals: z.array(approvalSchema),
});

export const reviewSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    status: z.enum(['open', 'completed']),
    outcome: nonPunishmentOutcomeSchema.nullable(),
    openedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'NonPunishmentReview' });

export const availableTransitionSchema = z.object({
  code: z.string(),
  label: z.string(),
  kind: z.enum(['stage', 'track']),
  track: trackSchema.nullable(),
  to: z.string(),
  permission: z.string(),
  requiresApproval: z.boolean(),
  needsProsecutionOffice: z
    .boolean()
    .describe('The transition refers the case for a justice decision: name a prosecution office'),
});

// The case list
export const caseSortSchema = z.enum(['opened_desc', 'opened_asc', 'case_number', 'stage']);
const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
    z.array(item).max(20),
  );

export const caseListQuerySchema = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe(
      'A name in any script: a prefix of any recorded name, or the same name written in another script or romanisation (the identity module’s name keys)',
    ),
  status: caseStatusSchema.optional(),
  stage: csv(z.coerce.number().int().min(0).max(10)).optional().describe('Comma-separated stages'),
  track: trackSchema.optional(),
  trackStatus: z
    .string()
    .regex(/^[a-z_]{1,40}$/)
    .optional()
    .describe('With track: its status'),
  agencyId: z.uuid().optional(),
  assignedUserId: z.uuid().optional(),
  unassigned: z.enum(['true', 'false']).optional(),
  ageBand: ageBandSchema.optional(),
  sex: sexSchema.optional(),
  flag: csv(vulnerabilityFlagSchema).optional().describe('Comma-separated; all must be present'),
  familyUnitId: z.uuid().optional(),
  personId: z.uuid().optional().describe('The cases of one person'),
  overdueTasks: z.enum(['true', 'false']).optional(),
  sort: caseSortSchema.default('opened_desc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().describe('The nextCursor of the previous page'),
  count: z.enum(['true', 'false']).default('true').describe('Also return the total matching'),
});
export type CaseListQuery = z.infer<typeof caseListQuerySchema>;

export const caseListItemSchema = z
  .object({
    id: z.uuid(),
    caseNumber: z.string(),
    status: caseStatusSchema,
    stage: z.number().int(),
    personId: z.uuid(),
    displayName: z.string().nullable(),
    sex: sexSchema,
    ageBand: ageBandSchema.nullable(),
    flags: z.array(z.string()),
    ownerAgencyId: z.uuid(),
    assignedUserId: z.uuid().nullable(),
    familyUnitId: z.uuid().nullable(),
    ownerAgency: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
    assignedUser: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
    tracks: z.array(
      z.object({
        track: trackSchema,
        status: maskable(z.string()).describe('Restricted when the track’s compartment is not yours'),
      }),
    ),
    nextDueOn: z.iso.date().nullable().describe('The earliest due date among open tasks'),
    overdueTasks: z.number().int().describe('Open tasks past their due date'),
    openedAt: z.iso.datetime(),
  })
  .meta({ id: 'CaseListItem' });

export const caseListSchema = z
  .object({
    items: z.array(caseListItemSchema),
    nextCursor: z.string().nullable(),
    total: z
      .number()
      .int()
      .nullable()
      .describe('How many cases match (null when count=false); counted up to a cap, see totalIsLowerBound'),
    totalIsLowerBound: z
      .boolean()
      .describe(
        'True when more cases match than were counted: total is the cap, 10,000, or 5,000 for a name search (show it as "10,000+")',
      ),
  })
  .meta({ id: 'CaseList' });

export const idParamsSchema = z.strictObject({ id: z.uuid() });
export const childParamsSchema = z.strictObject({ id: z.uuid(), childId: z.uuid() });
