import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize, requireCaseAccess } from '../access/access.ts';
import { youngestPossibleAge } from './eligibility.ts';
import { type Executor, findCaseSubject } from './repository.ts';
import { completeAssessmentSql } from './service.ts';

/**
 * Multi-agency panel decisions: a justice decision, a care arrangement, a separation, a step-down.
 * Each keeps who sat, the options considered, the rationale, every dissent, and the assessments it
 * relied on; the case workflow reads them (`decisionsForCase`) as preconditions of stage transitions.
 */
export const DECISION_OUTCOMES = {
  justice_decision: ['prosecute', 'divert', 'no_case', 'recognised_victim'],
  care_arrangement: ['family_based', 'kinship', 'foster', 'institution'],
  separation: ['keep_together', 'separate', 'reunify'],
  step_down: ['step_down', 'maintain', 'escalate'],
} as const;
export type DecisionKind = keyof typeof DECISION_OUTCOMES;
export const DECISION_KINDS = Object.keys(DECISION_OUTCOMES) as DecisionKind[];

/** Justice decisions live in the justice compartment; the others in protection. */
export function decisionCompartment(kind: DecisionKind): 'justice' | 'protection' {
  return kind === 'justice_decision' ? 'justice' : 'protection';
}

const participantSchema = z
  .strictObject({
    role: z.string().trim().min(1).max(200).describe('Role on the panel, e.g. "child protection officer"'),
    agencyId: z.uuid().nullable().default(null),
    userId: z.uuid().nullable().default(null),
    vote: z.enum(['concur', 'dissent', 'abstain']).default('concur'),
    dissent: z.string().trim().min(1).max(10_000).optional().describe('The dissent, as the member stated it'),
  })
  .refine((p) => p.vote !== 'dissent' || p.dissent !== undefined, {
    path: ['dissent'],
    message: 'a dissenting member’s dissent is recorded in their words',
  });

const optionSchema = z.strictObject({
  option: z.string().trim().min(1).max(500),
  assessment: z.string().trim().max(4000).optional().describe('Why it was chosen or not'),
});

export const recordDecisionSchema = z
  .strictObject({
    kind: z.enum(DECISION_KINDS as [DecisionKind, ...DecisionKind[]]),
    outcome: z.string().min(1).max(64),
    decidedOn: z.iso.date(),
    participants: z.array(participantSchema).min(2).max(30).describe('A panel: two members or more'),
    options: z.array(optionSchema).min(1).max(30),
    rationale: z.string().trim().min(1).max(10_000),
    assessmentIds: z.array(z.uuid()).max(30).default([]).describe('The assessments the panel relied on'),
  })
  .superRefine((value, ctx) => {
    const allowed: readonly string[] = DECISION_OUTCOMES[value.kind];
    if (!allowed.includes(value.outcome)) {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: `one of ${allowed.join(', ')}` });
    }
  })
  .meta({ id: 'RecordPanelDecision' });
export type RecordDecision = z.infer<typeof recordDecisionSchema>;

export const panelDecisionSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    kind: z.enum(DECISION_KINDS as [DecisionKind, ...DecisionKind[]]),
    compartment: z.enum(['protection', 'justice']),
    outcome: z.string(),
    decidedOn: z.iso.date(),
    options: z.array(z.object({ option: z.string(), assessment: z.string().optional() })),
    rationale: z.string(),
    participants: z.array(
      z.object({
        role: z.string(),
        agencyId: z.uuid().nullable(),
        userId: z.uuid().nullable(),
        vote: z.enum(['concur', 'dissent', 'abstain']),
        dissent: z.string().nullable(),
      }),
    ),
    dissent: z.boolean().describe('Whether any member dissented'),
    assessmentIds: z.array(z.uuid()),
    recordedBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PanelDecision' });
export type PanelDecision = z.infer<typeof panelDecisionSchema>;

/** An invisible case answers null; anything else (a database fault) still throws. */
function notFoundAsNull(error: unknown): null {
  if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
  throw error;
}

async function loadDecisions(
  db: Executor,
  caseId: string,
  compartments?: string[],
): Promise<PanelDecision[]> {
  let query = db.selectFrom('panel_decisions').selectAll().where('case_id', '=', caseId);
  if (compartments) {
    if (compartments.length === 0) return [];
    query = query.where('compartment', 'in', compartments as ('protection' | 'justice')[]);
  }
  const rows = await query.orderBy('decided_on').orderBy('created_at').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [participants, links] = await Promise.all([
    db
      .selectFrom('panel_decision_participants')
      .selectAll()
      .where('decision_id', 'in', ids)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('panel_decision_assessments')
      .selectAll()
      .where('decision_id', 'in', ids)
      .orderBy('assessment_id')
      .execute(),
  ]);
  return rows.map((row) => {
    const members = participants.filter((p) => p.decision_id === row.id);
    return {
      id: row.id,
      caseId: row.case_id,
      kind: row.kind,
      compartment: row.compartment,
      outcome: row.outcome,
      decidedOn: row.decided_on,
      options: row.options as PanelDecision['options'],
      rationale: row.rationale,
      participants: members.map((p) => ({
        role: p.role,
        agencyId: p.agency_id,
        userId: p.user_id,
        vote: p.vote,
        dissent: p.dissent,
      })),
      dissent: members.some((p) => p.vote === 'dissent'),
      assessmentIds: links.filter((l) => l.decision_id === row.id).map((l) => l.assessment_id),
      recordedBy: row.recorded_by,
      createdAt: new Date(row.created_at).toISOString(),
    };
  });
}

/**
 * Every panel decision of a case, oldest first, with participants, dissent and the assessments relied
 * on. For the case workflow's preconditions: the caller has already decided the actor may act on the
 * case, so there is no access check here (and no audit: the caller's transition is audited).
 */
export function decisionsForCase(trx: Executor, caseId: string): Promise<PanelDecision[]> {
  return loadDecisions(trx, caseId);
}

/** No trafficking indicators on the person, or a completed non-punishment review on the case. */
async function nonPunishmentReviewSettled(db: Executor, caseId: string, personId: string): Promise<boolean> {
  const person = await db
    .selectFrom('persons')
    .select('flags')
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  if (!person.flags.includes('trafficking_indicators')) return true;
  const review = await db
    .selectFrom('non_punishment_reviews')
    .select('id')
    .where('case_id', '=', caseId)
    .where('status', '=', 'completed')
    .limit(1)
    .executeTakeFirst();
  return review !== undefined;
}

/**
 * Records a panel decision. Refused (409 `DECISION_NOT_ALLOWED`) where the domain forbids it: a
 * prosecution of anyone who may be under the minimum age of criminal responsibility, a prosecution
 * while trafficking indicators have no completed non-punishment review, or separating a
 * child from a parent without a completed best-interests determination among the assessments relied on.
 */
export async function recordDecision(ctx: ServiceContext, caseId: string, input: RecordDecision) {
  authorize(ctx.actor, 'decisions:record');
  const compartment = decisionCompartment(input.kind);
  return ctx.db.transaction().execute(async (trx) => {
    const access = await requireCaseAccess(trx, ctx.actor, caseId, {
      section: compartment,
      mode: 'write',
    }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'NOT_FOUND') throw new AppError('CASE_NOT_FOUND');
      throw error;
    });
    const subject = await findCaseSubject(trx, caseId);
    if (!subject) throw new AppError('CASE_NOT_FOUND');

    const linked = [...new Set(input.assessmentIds)];
    const assessments = linked.length
      ? await trx
          .selectFrom('assessments')
          .innerJoin('instrument_versions as iv', 'iv.id', 'assessments.instrument_version_id')
          .select(['assessments.id', 'assessments.case_id', 'assessments.compartment', 'iv.kind'])
          .select(completeAssessmentSql.as('complete'))
          .where('assessments.id', 'in', linked)
          .execute()
      : [];
    for (const [index, assessmentId] of input.assessmentIds.entries()) {
      const found = assessments.find((a) => a.id === assessmentId);
      let usable = found?.complete === true;
      if (found && usable && found.case_id !== caseId) {
        // An assessment of another case (a family member's) must be one the actor can open.
        const other = await requireCaseAccess(trx, ctx.actor, found.case_id).catch(notFoundAsNull);
        usable = other?.read.has(found.compartment as 'protection') ?? false;
      } else if (found && usable) {
        usable = access.read.has(found.compartment as 'protection');
      }
      if (!usable) {
        throw new AppError('DECISION_ASSESSMENT_INVALID', {
          details: { path: `body.assessmentIds.${index}` },
        });
      }
    }

    const youngest = youngestPossibleAge(subject.birth_date_to);
    if (input.kind === 'justice_decision' && input.outcome === 'prosecute') {
      const floor = ctx.config.lifecycle.minAgeCriminalResponsibility;
      if (youngest === null || youngest < floor) {
        throw new AppError('DECISION_NOT_ALLOWED', {
          details: {
            path: 'body.outcome',
            reason: 'below_minimum_age_of_criminal_responsibility',
            minimumAge: floor,
          },
        });
      }
    }
    if (input.kind === 'justice_decision' && input.outcome === 'prosecute') {
      // Built in, as the case workflow's safeguard: trafficking indicators call for a completed
      // non-punishment review before anyone decides to prosecute (DOMAIN.md §1).
      if (!(await nonPunishmentReviewSettled(trx, caseId, subject.personId))) {
        throw new AppError('DECISION_NOT_ALLOWED', {
          details: { path: 'body.outcome', reason: 'non_punishment_review_required' },
        });
      }
    }
    if (input.kind === 'separation' && input.outcome === 'separate') {
      if (!assessments.some((a) => a.kind === 'best_interests_determination')) {
        throw new AppError('DECISION_NOT_ALLOWED', {
          details: { path: 'body.assessmentIds', reason: 'best_interests_determination_required' },
        });
      }
    }

    const row = await trx
      .insertInto('panel_decisions')
      .values({
        case_id: caseId,
        kind: input.kind,
        compartment,
        outcome: input.outcome,
        options: JSON.stringify(input.options),
        rationale: input.rationale,
        decided_on: input.decidedOn,
        recorded_by: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('panel_decision_participants')
      .values(
        input.participants.map((p, position) => ({
          decision_id: row.id,
          position,
          role: p.role,
          agency_id: p.agencyId,
          user_id: p.userId,
          vote: p.vote,
          dissent: p.dissent ?? null,
        })),
      )
      .execute();
    if (linked.length > 0) {
      await trx
        .insertInto('panel_decision_assessments')
        .values(linked.map((assessmentId) => ({ decision_id: row.id, assessment_id: assessmentId })))
        .execute();
    }
    await recordAudit(trx, ctx.audit, {
      action: 'panel_decision.record',
      targetType: 'case',
      targetId: caseId,
      sections: [compartment],
      details: {
        decisionId: row.id,
        kind: input.kind,
        outcome: input.outcome,
        participants: input.participants.length,
        dissent: input.participants.some((p) => p.vote === 'dissent'),
        assessmentIds: linked,
      },
    });
    const [decision] = (await loadDecisions(trx, caseId)).filter((d) => d.id === row.id);
    return decision as PanelDecision;
  });
}

/** A case's panel decisions in the compartments the actor may open. The read is audited. */
export async function listDecisions(ctx: ServiceContext, caseId: string) {
  authorize(ctx.actor, 'cases:read');
  return ctx.db.transaction().execute(async (trx) => {
    const access = await requireCaseAccess(trx, ctx.actor, caseId).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'NOT_FOUND') throw new AppError('CASE_NOT_FOUND');
      throw error;
    });
    const open = (['protection', 'justice'] as const).filter((c) => access.read.has(c));
    const decisions = await loadDecisions(trx, caseId, open);
    await recordAudit(trx, ctx.audit, {
      action: 'panel_decision.list',
      targetType: 'case',
      targetId: caseId,
      sections: [...new Set(decisions.map((d) => d.compartment))].sort(),
      details: { count: decisions.length },
    });
    return decisions;
  });
}

/** One panel decision, if its case and compartment are open to the actor (404 otherwise). Audited. */
export async function getDecision(ctx: ServiceContext, id: string) {
  authorize(ctx.actor, 'cases:read');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('panel_decisions')
      .select(['case_id', 'compartment'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new AppError('DECISION_NOT_FOUND');
    const access = await requireCaseAccess(trx, ctx.actor, row.case_id).catch(notFoundAsNull);
    if (!access?.read.has(row.compartment)) throw new AppError('DECISION_NOT_FOUND');
    const [decision] = (await loadDecisions(trx, row.case_id, [row.compartment])).filter((d) => d.id === id);
    await recordAudit(trx, ctx.audit, {
      action: 'panel_decision.read',
      targetType: 'panel_decision',
      targetId: id,
      sections: [row.compartment],
      details: { caseId: row.case_id },
    });
    return decision as PanelDecision;
  });
}
