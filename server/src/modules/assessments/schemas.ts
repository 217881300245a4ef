import { z } from 'zod';
import { answerSchema, assessmentOutputSchema } from './answers.ts';
import { INSTRUMENT_LANGUAGES, REASSESSMENT_EVENTS } from './instrument.ts';

const isoDate = z.iso.date();
const instrumentCode = z.string().regex(/^[a-z][a-z0-9_]{1,60}$/);
const itemId = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);

export const idParamsSchema = z.strictObject({ id: z.uuid() });
export const instrumentParamsSchema = z.strictObject({ code: instrumentCode });
export const instrumentVersionParamsSchema = z.strictObject({
  code: instrumentCode,
  version: z.coerce.number().int().min(1),
});
export const languageQuerySchema = z.strictObject({
  lang: z
    .enum(INSTRUMENT_LANGUAGES)
    .optional()
    .describe('Language to render in; default: your interface language'),
});

export const importInstrumentSchema = z
  .strictObject({
    definition: z
      .record(z.string(), z.unknown())
      .describe('The instrument definition (format homeward-instrument/1); see docs/adr/0040-instruments.md'),
    publish: z.boolean().default(false).describe('Publish at once; a published version never changes'),
  })
  .meta({ id: 'ImportInstrument' });

export const instrumentVersionSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    version: z.number().int(),
    kind: z.string(),
    compartment: z.string(),
    status: z.enum(['draft', 'published', 'retired']),
    template: z.boolean(),
    shipped: z.boolean(),
    name: z.string(),
    languages: z.array(z.string()),
    eligibility: z.object({
      minAge: z.number().int().optional(),
      maxAge: z.number().int().optional(),
      stages: z.array(z.number().int()).optional(),
    }),
    assessors: z.object({
      raters: z.number().int(),
      signOff: z.boolean(),
      qualificationRequired: z.boolean(),
    }),
    sha256: z.string(),
    publishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'InstrumentVersion' });

const choiceSchema = z.object({ value: z.string(), label: z.string(), unknown: z.boolean() });
const outputPartSchema = z.object({ label: z.string(), required: z.boolean() }).nullable();

export const renderedInstrumentSchema = z
  .object({
    code: z.string(),
    version: z.number().int(),
    kind: z.string(),
    template: z.boolean(),
    language: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    notice: z.string().nullable(),
    compartment: z.string(),
    domains: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        title: z.string(),
        description: z.string().nullable(),
        items: z.array(
          z.object({
            id: z.string(),
            type: z.string(),
            label: z.string(),
            guidance: z.string().nullable(),
            required: z.boolean(),
            protective: z.boolean(),
            evidence: z.string(),
            showIf: z
              .object({ item: z.string(), in: z.array(z.union([z.string(), z.number(), z.boolean()])) })
              .nullable(),
            choices: z.array(choiceSchema).nullable(),
          }),
        ),
      }),
    ),
    computed: z.array(z.object({ id: z.string(), label: z.string(), method: z.string() })),
    output: z.object({
      judgement: z
        .object({
          label: z.string(),
          required: z.boolean(),
          levels: z.array(z.object({ value: z.string(), label: z.string() })),
        })
        .nullable(),
      narrative: outputPartSchema,
      scenarios: outputPartSchema,
      managementPlan: outputPartSchema,
    }),
  })
  .meta({ id: 'RenderedInstrument' });

export const eligibleInstrumentSchema = z
  .object({
    code: z.string(),
    version: z.number().int(),
    name: z.string(),
    kind: z.string(),
    template: z.boolean(),
    compartment: z.string(),
    eligible: z.boolean(),
    reason: z.string().nullable().describe('Why not, when not eligible'),
    qualified: z
      .boolean()
      .describe('Whether you hold a current qualification, where the instrument needs one'),
  })
  .meta({ id: 'EligibleInstrument' });

export const createAssessmentSchema = z
  .strictObject({
    instrumentCode,
    version: z.number().int().min(1).optional().describe('Default: the latest published version'),
    reason: z.enum(['initial', 'interval', 'event', 'follow_up']).default('initial'),
    event: z.enum(REASSESSMENT_EVENTS).optional().describe('The event, when the reason is "event"'),
  })
  .refine((v) => (v.reason === 'event') === (v.event !== undefined), {
    path: ['event'],
    message: 'an event is named exactly when the reason is "event"',
  })
  .meta({ id: 'CreateAssessment' });

export const saveRatingSchema = z
  .strictObject({
    answers: z.record(z.string(), answerSchema),
    output: assessmentOutputSchema.default({}),
  })
  .meta({ id: 'SaveRating' });

export const consensusSchema = z
  .strictObject({
    answers: z.record(z.string(), answerSchema),
    output: assessmentOutputSchema.default({}),
    notes: z
      .record(z.string(), z.string().trim().min(1).max(4000))
      .default({})
      .describe('Per item: how it was settled'),
  })
  .meta({ id: 'Consensus' });

export const signOffSchema = z
  .strictObject({
    decision: z.enum(['approve', 'return']),
    comment: z.string().trim().min(1).max(4000).optional(),
  })
  .refine((v) => v.decision === 'approve' || v.comment !== undefined, {
    path: ['comment'],
    message: 'returning an assessment needs a comment',
  })
  .meta({ id: 'SignOff' });

const computedValueSchema = z.object({
  value: z.number().nullable(),
  answered: z.number(),
  unknown: z.number(),
});

export const assessmentSummarySchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    personId: z.uuid(),
    instrumentCode: z.string(),
    instrumentVersion: z.number().int(),
    compartment: z.string(),
    status: z.enum(['in_progress', 'awaiting_consensus', 'submitted', 'signed_off', 'cancelled']),
    complete: z.boolean(),
    reason: z.string(),
    judgement: z.string().nullable(),
    createdAt: z.iso.datetime(),
    submittedAt: z.iso.datetime().nullable(),
    signedOffAt: z.iso.datetime().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'AssessmentSummary' });

export const assessmentSchema = assessmentSummarySchema
  .extend({
    reasonEvent: z.string().nullable(),
    answers: z.record(z.string(), answerSchema).nullable(),
    computed: z.record(z.string(), computedValueSchema).nullable(),
    output: assessmentOutputSchema.nullable(),
    suggestedJudgement: z.string().nullable(),
    ratings: z.array(
      z.object({
        raterId: z.uuid(),
        submittedAt: z.iso.datetime().nullable(),
        hidden: z.boolean().describe('Another rater’s rating, sealed until every rating is in'),
        answers: z.record(z.string(), answerSchema),
        output: assessmentOutputSchema,
      }),
    ),
    disagreements: z.array(
      z.object({
        itemId: z.string(),
        ratings: z.array(z.object({ raterId: z.uuid(), value: z.unknown() })),
        consensus: z.unknown(),
        note: z.string().nullable(),
      }),
    ),
    createdBy: z.uuid().nullable(),
    submittedBy: z.uuid().nullable(),
    signedOffBy: z.uuid().nullable(),
    signOffComment: z.string().nullable(),
    form: renderedInstrumentSchema.describe('The instrument in the version the assessment was made in'),
  })
  .meta({ id: 'Assessment' });

export const cancelAssessmentSchema = z
  .strictObject({
    reason: z
      .enum(['opened_in_error', 'duplicate', 'person_unavailable', 'superseded'])
      .describe('Why (audited)'),
  })
  .meta({ id: 'CancelAssessment' });

export const grantQualificationSchema = z
  .strictObject({
    userId: z.uuid(),
    instrumentCode,
    expiresOn: isoDate,
    reference: z.string().trim().min(1).max(300).optional().describe('Certificate or training reference'),
  })
  .meta({ id: 'GrantQualification' });

export const qualificationSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    instrumentCode: z.string(),
    expiresOn: isoDate,
    reference: z.string().nullable(),
    grantedBy: z.uuid().nullable(),
    grantedAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'AssessorQualification' });
export const qualificationQuerySchema = z.strictObject({ userId: z.uuid().optional() });

export const reassessmentEventSchema = z
  .strictObject({ event: z.enum(REASSESSMENT_EVENTS) })
  .meta({ id: 'ReassessmentEvent' });
export const followUpScheduleSchema = z
  .strictObject({
    instrumentCode,
    from: isoDate.describe('The day the follow-up months count from (e.g. return)'),
  })
  .meta({ id: 'FollowUpSchedule' });

export const scheduleEntrySchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    instrumentCode: z.string(),
    reason: z.enum(['interval', 'event', 'follow_up']),
    event: z.string().nullable(),
    followUpMonth: z.number().int().nullable(),
    dueOn: isoDate,
    satisfiedBy: z.uuid().nullable(),
    daysOverdue: z.number().int(),
  })
  .meta({ id: 'ReassessmentDue' });
export const overdueQuerySchema = z.strictObject({
  asOf: isoDate.optional().describe('Default: today'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const biasQuerySchema = z.strictObject({
  instrumentCode,
  item: itemId.optional().describe('A rating or choice item; default: the summary judgement'),
  minCell: z.coerce
    .number()
    .int()
    .min(3)
    .max(10)
    .optional()
    .describe(
      'Smallest cell published (3–10); default and floor: the deployment setting HOMEWARD_REPORT_MIN_CELL (5 unless set)',
    ),
});

const cellsSchema = z.record(z.string(), z.number().int().nullable());
const biasTableSchema = z.object({
  rows: z.array(z.object({ group: z.string(), cells: cellsSchema, total: z.number().int().nullable() })),
  totals: z.object({ cells: cellsSchema, total: z.number().int().nullable() }),
});
export const biasReportSchema = z
  .object({
    instrumentCode: z.string(),
    subject: z.string().describe('"judgement" or the item id'),
    minCell: z.number().int(),
    levels: z.array(z.string()),
    suppressed: z.string().describe('How suppressed cells appear: as null'),
    bySex: biasTableSchema,
    byAgeBand: biasTableSchema,
    byNationality: biasTableSchema,
  })
  .meta({ id: 'AssessmentBiasReport' });

export type SaveRating = z.infer<typeof saveRatingSchema>;
export type Consensus = z.infer<typeof consensusSchema>;
export type CreateAssessment = z.infer<typeof createAssessmentSchema>;
export type GrantQualification = z.infer<typeof grantQualificationSchema>;
