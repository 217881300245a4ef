import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../../platform/config.ts';
import { isPermission } from '../access/permissions.ts';
import { DECISION_OUTCOMES, type DecisionKind, INSTRUMENT_KINDS } from '../assessments/index.ts';

/**
 * The case workflow: an explicit state machine a deployment defines in a JSON file (ADR 0010),
 * validated once at start-up. The file decides which transitions exist, who may perform them, their
 * preconditions and which need a supervisor's approval. It cannot switch off the built-in
 * safeguards (cases/guards.ts), nor invent justice statuses that would slip past them.
 */
export const DEFAULT_WORKFLOW_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../config/workflow.default.json',
);

export const TRACKS = ['protection', 'justice', 'security', 'health'] as const;
export type Track = (typeof TRACKS)[number];

/** The justice statuses safeguards reason about; a workflow may use a subset, never others. */
export const JUSTICE_STATUSES = [
  'pending',
  'investigation',
  'non_punishment_review',
  'charged',
  'diverted',
  'no_case',
  'recognised_victim',
  'convicted',
  'acquitted',
  'closed',
] as const;
/** Statuses that mean a decision to prosecute (or its consequence). */
export const PROSECUTION_STATUSES: readonly string[] = ['charged', 'convicted', 'acquitted'];
/** Justice statuses that are still before a decision. */
export const UNDECIDED_JUSTICE_STATUSES: readonly string[] = [
  'pending',
  'investigation',
  'non_punishment_review',
];

/** Preconditions a workflow may name by a word; each is implemented in cases/guards.ts. */
export const PRECONDITIONS = [
  'assigned_worker',
  'nationality_verified',
  'filiation_documented',
  'active_plan',
  'no_open_tasks',
  'no_pending_referrals',
  'justice_decided',
] as const;
export type NamedPrecondition = (typeof PRECONDITIONS)[number];

const DECISION_KINDS = Object.keys(DECISION_OUTCOMES) as [DecisionKind, ...DecisionKind[]];

/**
 * A multi-agency panel decision the case must have: the latest decision of that kind (by date decided,
 * then by when it was recorded) must have one of the outcomes, or exist at all when none are listed.
 */
const decisionPreconditionSchema = z
  .strictObject({
    kind: z.literal('decision'),
    decision: z.enum(DECISION_KINDS),
    outcomes: z.array(z.string()).min(1).optional(),
  })
  .superRefine((p, ctx) => {
    const allowed: readonly string[] = DECISION_OUTCOMES[p.decision];
    p.outcomes?.forEach((outcome, i) => {
      if (!allowed.includes(outcome)) {
        ctx.addIssue({
          code: 'custom',
          path: ['outcomes', i],
          message: `${outcome} is not a ${p.decision} outcome (${allowed.join(', ')})`,
        });
      }
    });
  });

/**
 * A completed assessment (signed off where its instrument needs sign-off) with an instrument of this
 * kind. `subject`: `everyone` — on this case; `child` — on this case if its person may be under 18;
 * `family_children` — on this case if a child, and on the open case of every child of its family unit
 * (a mother is not repatriated ahead of her children's best-interests assessments).
 */
const assessmentPreconditionSchema = z.strictObject({
  kind: z.literal('assessment'),
  assessment: z.enum(INSTRUMENT_KINDS),
  subject: z.enum(['everyone', 'child', 'family_children']).default('everyone'),
});

export const preconditionSchema = z.union(
  [
    z.enum(PRECONDITIONS),
    z.discriminatedUnion('kind', [decisionPreconditionSchema, assessmentPreconditionSchema]),
  ],
  {
    error: `not a known precondition: one of ${PRECONDITIONS.join(', ')}, or an object of kind "decision" or "assessment"`,
  },
);
export type Precondition = z.infer<typeof preconditionSchema>;
export type DecisionPrecondition = z.infer<typeof decisionPreconditionSchema>;
export type AssessmentPrecondition = z.infer<typeof assessmentPreconditionSchema>;

/** The name a refusal gives a precondition: `decision.step_down.step_down`, `assessment.best_interests_assessment`. */
export function preconditionName(precondition: Precondition): string {
  if (typeof precondition === 'string') return precondition;
  if (precondition.kind === 'decision') {
    const outcomes = precondition.outcomes ? `.${precondition.outcomes.join('|')}` : '';
    return `decision.${precondition.decision}${outcomes}`;
  }
  return `assessment.${precondition.assessment}`;
}

export const CLOSE_REASONS = [
  'goals_met',
  'transferred_to_mainstream_services',
  'emigrated',
  'deceased',
  'other',
] as const;

const codeSchema = z.string().regex(/^[a-z][a-z0-9_.]{1,63}$/, 'lower-case letters, digits, dot, underscore');
const statusSchema = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case letters, digits, underscore');
const permissionSchema = z.string().refine(isPermission, 'not a known permission');
const stageSchema = z.number().int().min(0).max(10);

const common = {
  code: codeSchema,
  label: z.string().min(1).max(120),
  permission: permissionSchema,
  requiresApproval: z.boolean().default(false),
  preconditions: z.array(preconditionSchema).default([]),
};

const stageTransitionSchema = z.strictObject({
  ...common,
  kind: z.literal('stage'),
  from: z.array(stageSchema).min(1),
  to: stageSchema,
  /**
   * The transition refers the case for a justice decision: the request names a prosecution office
   * (`prosecutionAgencyId`) and, when the transition is applied, the identity and justice sections are
   * disclosed to it (ADR 0020).
   */
  justiceReferral: z.boolean().default(false),
});
const trackTransitionSchema = z.strictObject({
  ...common,
  kind: z.literal('track'),
  track: z.enum(TRACKS),
  /** `null` in `from` means "the track is not open yet". */
  from: z.array(statusSchema.nullable()).min(1),
  to: statusSchema,
});

export const workflowFileSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    stages: z
      .array(z.strictObject({ stage: stageSchema, code: codeSchema, label: z.string().min(1).max(120) }))
      .length(11),
    trackStatuses: z.strictObject({
      protection: z.array(statusSchema).min(1),
      justice: z.array(z.enum(JUSTICE_STATUSES)).min(1),
      security: z.array(statusSchema).min(1),
      health: z.array(statusSchema).min(1),
    }),
    transitions: z.array(z.discriminatedUnion('kind', [stageTransitionSchema, trackTransitionSchema])).min(1),
  })
  .superRefine((workflow, ctx) => {
    workflow.stages.forEach((s, i) => {
      if (s.stage !== i)
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'stage'], message: `must be ${i}` });
    });
    const seen = new Set<string>();
    workflow.transitions.forEach((t, i) => {
      if (seen.has(t.code)) {
        ctx.addIssue({ code: 'custom', path: ['transitions', i, 'code'], message: 'duplicate code' });
      }
      seen.add(t.code);
      if (t.kind === 'track') {
        const allowed: readonly string[] = workflow.trackStatuses[t.track];
        for (const status of [...t.from, t.to]) {
          if (status !== null && !allowed.includes(status)) {
            ctx.addIssue({
              code: 'custom',
              path: ['transitions', i],
              message: `status ${status} is not a ${t.track} status of this workflow`,
            });
          }
        }
      }
    });
  });

export type WorkflowFile = z.infer<typeof workflowFileSchema>;
export type Transition = WorkflowFile['transitions'][number];
export type StageTransition = Extract<Transition, { kind: 'stage' }>;
export type TrackTransition = Extract<Transition, { kind: 'track' }>;

export interface Workflow extends WorkflowFile {
  byCode: ReadonlyMap<string, Transition>;
  /** Whether the transition needs a supervisor: as the file says, and always for closure. */
  needsApproval(transition: Transition): boolean;
}

export function compileWorkflow(file: WorkflowFile): Workflow {
  return {
    ...file,
    byCode: new Map(file.transitions.map((t) => [t.code, t])),
    needsApproval: (t) => t.requiresApproval || (t.kind === 'stage' && t.to === 10),
  };
}

/**
 * Reads and validates the workflow file; any fault stops start-up with the file's path and the
 * first faulty field named.
 */
export function loadWorkflow(path: string | undefined): Workflow {
  const file = resolve(path ?? DEFAULT_WORKFLOW_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Invalid workflow file ${file}: ${(error as Error).message}`);
  }
  const parsed = workflowFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid workflow file ${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return compileWorkflow(parsed.data);
}
