import { sql, type Transaction } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import {
  authorize,
  type Compartment,
  canWriteCompartment,
  caseVisibilityFilter,
  readableCompartments,
  requireCaseAccess,
} from '../access/access.ts';
import { todayIso } from '../persons/age.ts';
import {
  type Answers,
  type AssessmentOutput,
  checkAnswers,
  checkComplete,
  checkOutput,
  computeValues,
  differingItems,
  suggestedJudgement,
} from './answers.ts';
import { checkEligibility } from './eligibility.ts';
import { type InstrumentDefinition, type ReassessmentEvent, renderInstrument } from './instrument.ts';
import {
  type AssessmentRow,
  disagreementsOf,
  type Executor,
  findAssessmentRow,
  findCaseSubject,
  findInstrumentVersion,
  findInstrumentVersionById,
  hasCurrentQualification,
  latestPublishedInstruments,
  ratingsOf,
} from './repository.ts';
import type { Consensus, CreateAssessment, SaveRating } from './schemas.ts';

const COMPLETE = sql<boolean>`(assessments.status = 'signed_off'
  OR (assessments.status = 'submitted' AND NOT assessments.requires_sign_off))`;

function isComplete(row: Pick<AssessmentRow, 'status' | 'requires_sign_off'>): boolean {
  return row.status === 'signed_off' || (row.status === 'submitted' && !row.requires_sign_off);
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function addMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10);
}

async function requireQualification(
  trx: Executor,
  ctx: ServiceContext,
  def: InstrumentDefinition,
): Promise<void> {
  if (!def.assessors.qualificationRequired) return;
  if (!(await hasCurrentQualification(trx, ctx.actor.userId, def.code, todayIso()))) {
    throw new AppError('ASSESSOR_NOT_QUALIFIED', { details: { instrument: def.code } });
  }
}

/**
 * Loads an assessment the actor may see, with its instrument version: 404 for a missing assessment,
 * an invisible case or a compartment the actor cannot open (no hint that it exists), 403 for a
 * visible one the actor may read but not write when writing.
 */
async function loadAssessment(
  trx: Executor,
  ctx: ServiceContext,
  id: string,
  mode: 'read' | 'write',
  options: { lock?: boolean } = {},
) {
  const row = await findAssessmentRow(trx, id, options);
  if (!row) throw new AppError('ASSESSMENT_NOT_FOUND');
  const access = await requireCaseAccess(trx, ctx.actor, row.case_id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw new AppError('ASSESSMENT_NOT_FOUND');
    throw error;
  });
  const compartment = row.compartment as Compartment;
  if (!access.read.has(compartment)) throw new AppError('ASSESSMENT_NOT_FOUND');
  if (mode === 'write' && !access.write.has(compartment)) {
    throw new AppError('COMPARTMENT_FORBIDDEN', { details: { section: compartment, mode } });
  }
  const instrument = await findInstrumentVersionById(trx, row.instrument_version_id);
  return { row, definition: instrument.definition, instrumentRow: instrument.row };
}

async function requireCase(
  trx: Executor,
  ctx: ServiceContext,
  caseId: string,
  need?: { section: Compartment; mode: 'read' | 'write' },
) {
  await requireCaseAccess(trx, ctx.actor, caseId, need).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw new AppError('CASE_NOT_FOUND');
    throw error;
  });
  const subject = await findCaseSubject(trx, caseId);
  if (!subject) throw new AppError('CASE_NOT_FOUND');
  return subject;
}

// Instruments offered for a case ---------------------------------------------------------------------

/** Every published instrument, with whether it may be used for this case's person now, and why not. */
export async function eligibleInstruments(ctx: ServiceContext, caseId: string, language?: string) {
  authorize(ctx.actor, 'assessments:conduct');
  const subject = await requireCase(ctx.db, ctx, caseId);
  const today = todayIso();
  const instruments = await latestPublishedInstruments(ctx.db);
  const result: {
    code: string;
    version: number;
    name: string;
    kind: string;
    template: boolean;
    compartment: string;
    eligible: boolean;
    reason: string | null;
    qualified: boolean;
  }[] = [];
  for (const { definition: def } of instruments) {
    if (!canWriteCompartment(ctx.actor, def.compartment)) continue;
    const reason = checkEligibility(def, {
      birthDateFrom: subject.birth_date_from,
      birthDateTo: subject.birth_date_to,
      stage: subject.stage,
    });
    const qualified =
      !def.assessors.qualificationRequired ||
      (await hasCurrentQualification(ctx.db, ctx.actor.userId, def.code, today));
    const rendered = renderInstrument(def, language ?? ctx.actor.preferredLanguage);
    result.push({
      code: def.code,
      version: def.version,
      name: rendered.name,
      kind: def.kind,
      template: def.template,
      compartment: def.compartment,
      eligible: reason === null,
      reason,
      qualified,
    });
  }
  // What may be offered says something about the person's age: the read is on the trail.
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'assessment.eligibility',
      targetType: 'case',
      targetId: caseId,
      details: { offered: result.filter((r) => r.eligible).map((r) => r.code) },
    }),
  );
  return result;
}

// The assessment workflow ----------------------------------------------------------------------------

/**
 * Opens an assessment of a case's person with a published instrument version. Refused with 409
 * `INSTRUMENT_NOT_ELIGIBLE` when the instrument's population excludes the person (a risk instrument
 * for anyone who may be under 18) or the case's stage.
 */
export async function createAssessment(ctx: ServiceContext, caseId: string, input: CreateAssessment) {
  authorize(ctx.actor, 'assessments:conduct');
  return ctx.db
    .transaction()
    .execute(async (trx) => {
      const instrument = await findInstrumentVersion(trx, input.instrumentCode, input.version, {
        publishedOnly: true,
      });
      if (!instrument) {
        const any = await findInstrumentVersion(trx, input.instrumentCode, input.version, {
          anyStatus: true,
        });
        throw new AppError(any ? 'INSTRUMENT_NOT_PUBLISHED' : 'INSTRUMENT_NOT_FOUND', {
          details: { path: 'body.instrumentCode' },
        });
      }
      const def = instrument.definition;
      const subject = await requireCase(trx, ctx, caseId, { section: def.compartment, mode: 'write' });
      if (subject.status !== 'open') throw new AppError('CASE_CLOSED');
      const reason = checkEligibility(def, {
        birthDateFrom: subject.birth_date_from,
        birthDateTo: subject.birth_date_to,
        stage: subject.stage,
      });
      if (reason) {
        await recordAudit(trx, ctx.audit, {
          action: 'assessment.refused',
          targetType: 'case',
          targetId: caseId,
          outcome: 'failure',
          details: { instrument: def.code, version: def.version, reason },
        });
        // The refusal is recorded; the error must not roll the record back, so it is raised after commit.
        return { refused: reason } as const;
      }
      await requireQualification(trx, ctx, def);
      const row = await trx
        .insertInto('assessments')
        .values({
          case_id: caseId,
          person_id: subject.personId,
          instrument_version_id: instrument.row.id,
          instrument_code: def.code,
          compartment: def.compartment,
          requires_sign_off: def.assessors.signOff,
          reason: input.reason,
          reason_event: input.event ?? null,
          answers: null,
          computed: null,
          output: null,
          judgement: null,
          created_by: ctx.actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx.audit, {
        action: 'assessment.create',
        targetType: 'assessment',
        targetId: row.id,
        sections: [def.compartment],
        details: { caseId, instrument: def.code, version: def.version, reason: input.reason },
      });
      return { id: row.id } as const;
    })
    .then(async (result) => {
      if ('refused' in result) {
        throw new AppError('INSTRUMENT_NOT_ELIGIBLE', {
          details: { path: 'body.instrumentCode', reason: result.refused },
        });
      }
      return getAssessment(ctx, result.id, undefined, { audit: false });
    });
}

/** Saves the actor's own rating (a draft until submitted). With two raters, each rates independently. */
export async function saveRating(ctx: ServiceContext, id: string, input: SaveRating) {
  authorize(ctx.actor, 'assessments:conduct');
  await ctx.db.transaction().execute(async (trx) => {
    const { row, definition: def } = await loadAssessment(trx, ctx, id, 'write', { lock: true });
    if (row.status !== 'in_progress')
      throw new AppError('ASSESSMENT_WRONG_STATE', { details: { status: row.status } });
    await requireQualification(trx, ctx, def);
    checkAnswers(def, input.answers);
    checkOutput(def, input.output);
    const ratings = await ratingsOf(trx, id);
    const mine = ratings.find((r) => r.rater_id === ctx.actor.userId);
    if (!mine && ratings.length >= def.assessors.raters) throw new AppError('ASSESSMENT_RATERS_FULL');
    if (mine?.submitted_at)
      throw new AppError('ASSESSMENT_WRONG_STATE', { details: { reason: 'rating_submitted' } });
    await trx
      .insertInto('assessment_ratings')
      .values({
        assessment_id: id,
        rater_id: ctx.actor.userId,
        answers: JSON.stringify(input.answers),
        output: JSON.stringify(input.output),
        submitted_at: null,
        updated_at: new Date(),
      })
      .onConflict((oc) =>
        oc.columns(['assessment_id', 'rater_id']).doUpdateSet({
          answers: JSON.stringify(input.answers),
          output: JSON.stringify(input.output),
          updated_at: new Date(),
        }),
      )
      .execute();
    await touch(trx, id);
    await recordAudit(trx, ctx.audit, {
      action: 'assessment.rating.save',
      targetType: 'assessment',
      targetId: id,
      sections: [row.compartment],
      details: { items: Object.keys(input.answers).length },
    });
  });
  return getAssessment(ctx, id, undefined, { audit: false });
}

async function touch(trx: Transaction<DB>, id: string) {
  await trx
    .updateTable('assessments')
    .set((eb) => ({ updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/**
 * Settles the assessment's answers and output (a single rater's, or the consensus), computes what
 * the instrument defines, checks the judgement against the instrument's suggestion (a departure
 * needs a reason and is logged), and completes the re-assessment schedule.
 */
async function settle(
  trx: Transaction<DB>,
  ctx: ServiceContext,
  row: AssessmentRow,
  def: InstrumentDefinition,
  answers: Answers,
  output: AssessmentOutput,
) {
  const computed = computeValues(def, answers);
  const suggested = suggestedJudgement(def, computed);
  if (suggested !== null && output.judgement !== undefined && output.judgement !== suggested) {
    if (!output.overrideReason) {
      throw new AppError('OVERRIDE_REASON_MISSING', {
        details: { path: 'output.overrideReason', suggested },
      });
    }
    await recordAudit(trx, ctx.audit, {
      action: 'assessment.judgement_override',
      targetType: 'assessment',
      targetId: row.id,
      sections: [row.compartment],
      details: { suggested, judgement: output.judgement },
    });
  }
  const status = 'submitted' as const;
  await trx
    .updateTable('assessments')
    .set((eb) => ({
      status,
      answers: JSON.stringify(answers),
      computed: JSON.stringify(computed),
      output: JSON.stringify(output),
      judgement: output.judgement ?? null,
      submitted_by: ctx.actor.userId,
      submitted_at: new Date(),
      updated_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', row.id)
    .execute();
  if (!row.requires_sign_off) await completeSchedule(trx, ctx, { ...row, status }, def);
}

/** On completion: the open re-assessments it answers are satisfied, and the next interval is scheduled. */
async function completeSchedule(
  trx: Transaction<DB>,
  ctx: ServiceContext,
  row: AssessmentRow,
  def: InstrumentDefinition,
) {
  const now = new Date();
  await trx
    .updateTable('assessment_schedule')
    .set({ satisfied_by: row.id, satisfied_at: now })
    .where('case_id', '=', row.case_id)
    .where('instrument_code', '=', row.instrument_code)
    .where('satisfied_at', 'is', null)
    .where('reason', 'in', ['interval', 'event'])
    .execute();
  // A follow-up survey answers one wave: the earliest still open.
  const wave = await trx
    .selectFrom('assessment_schedule')
    .select('id')
    .where('case_id', '=', row.case_id)
    .where('instrument_code', '=', row.instrument_code)
    .where('satisfied_at', 'is', null)
    .where('reason', '=', 'follow_up')
    .orderBy('due_on')
    .limit(1)
    .executeTakeFirst();
  if (wave) {
    await trx
      .updateTable('assessment_schedule')
      .set({ satisfied_by: row.id, satisfied_at: now })
      .where('id', '=', wave.id)
      .execute();
  }
  if (def.reassessment.intervalDays !== undefined) {
    await trx
      .insertInto('assessment_schedule')
      .values({
        case_id: row.case_id,
        instrument_code: row.instrument_code,
        compartment: row.compartment,
        reason: 'interval',
        due_on: addDays(todayIso(), def.reassessment.intervalDays),
        source_assessment_id: row.id,
        created_by: ctx.actor.userId,
      })
      .execute();
  }
}

/**
 * Submits the actor's rating. With one rater the rating becomes the assessment; with two, the
 * assessment waits for the second rating and then for the consensus step.
 */
export async function submitRating(ctx: ServiceContext, id: string) {
  authorize(ctx.actor, 'assessments:conduct');
  await ctx.db.transaction().execute(async (trx) => {
    const { row, definition: def } = await loadAssessment(trx, ctx, id, 'write', { lock: true });
    if (row.status !== 'in_progress')
      throw new AppError('ASSESSMENT_WRONG_STATE', { details: { status: row.status } });
    await requireQualification(trx, ctx, def);
    const ratings = await ratingsOf(trx, id);
    const mine = ratings.find((r) => r.rater_id === ctx.actor.userId);
    if (!mine) throw new AppError('ASSESSMENT_NOT_A_RATER');
    if (mine.submitted_at)
      throw new AppError('ASSESSMENT_WRONG_STATE', { details: { reason: 'rating_submitted' } });
    const answers = mine.answers as Answers;
    const output = mine.output as AssessmentOutput;
    checkComplete(def, answers, output);
    await trx
      .updateTable('assessment_ratings')
      .set({ submitted_at: new Date(), updated_at: new Date() })
      .where('assessment_id', '=', id)
      .where('rater_id', '=', ctx.actor.userId)
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'assessment.rating.submit',
      targetType: 'assessment',
      targetId: id,
      sections: [row.compartment],
    });
    if (def.assessors.raters === 1) {
      await settle(trx, ctx, row, def, answers, output);
      return;
    }
    const submitted = ratings.filter((r) => r.submitted_at !== null).length + 1;
    if (submitted >= def.assessors.raters) {
      await trx
        .updateTable('assessments')
        .set((eb) => ({
          status: 'awaiting_consensus',
          updated_at: new Date(),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
    } else {
      await touch(trx, id);
    }
  });
  return getAssessment(ctx, id, undefined, { audit: false });
}

/**
 * The consensus step of a two-rater assessment, by one of its raters: the settled answers and output,
 * with every item on which the raters differed kept beside what each said and how it was settled.
 */
export async function recordConsensus(ctx: ServiceContext, id: string, input: Consensus) {
  authorize(ctx.actor, 'assessments:conduct');
  await ctx.db.transaction().execute(async (trx) => {
    const { row, definition: def } = await loadAssessment(trx, ctx, id, 'write', { lock: true });
    if (row.status !== 'awaiting_consensus') {
      throw new AppError('ASSESSMENT_WRONG_STATE', { details: { status: row.status } });
    }
    const ratings = await ratingsOf(trx, id);
    if (!ratings.some((r) => r.rater_id === ctx.actor.userId)) throw new AppError('ASSESSMENT_NOT_A_RATER');
    checkAnswers(def, input.answers);
    checkOutput(def, input.output);
    checkComplete(def, input.answers, input.output);
    const [first, second] = ratings;
    if (!first || !second) throw new AppError('ASSESSMENT_WRONG_STATE');
    const a = first.answers as Answers;
    const b = second.answers as Answers;
    const rows = differingItems(def, a, b).map((itemId) => ({
      itemId,
      ratings: [
        { raterId: first.rater_id, value: a[itemId]?.value ?? null },
        { raterId: second.rater_id, value: b[itemId]?.value ?? null },
      ],
      consensus: input.answers[itemId]?.value ?? null,
    }));
    const ja = (first.output as AssessmentOutput).judgement ?? null;
    const jb = (second.output as AssessmentOutput).judgement ?? null;
    if (ja !== jb) {
      rows.push({
        itemId: 'output.judgement',
        ratings: [
          { raterId: first.rater_id, value: ja },
          { raterId: second.rater_id, value: jb },
        ],
        consensus: input.output.judgement ?? null,
      });
    }
    for (const d of rows) {
      const values = {
        ratings: JSON.stringify(d.ratings),
        consensus: JSON.stringify(d.consensus),
        note: input.notes[d.itemId] ?? null,
      };
      await trx
        .insertInto('assessment_disagreements')
        .values({ assessment_id: id, item_id: d.itemId, ...values })
        .onConflict((oc) => oc.columns(['assessment_id', 'item_id']).doUpdateSet(values))
        .execute();
    }
    await recordAudit(trx, ctx.audit, {
      action: 'assessment.consensus',
      targetType: 'assessment',
      targetId: id,
      sections: [row.compartment],
      details: { disagreements: rows.map((d) => d.itemId) },
    });
    await settle(trx, ctx, row, def, input.answers, input.output);
  });
  return getAssessment(ctx, id, undefined, { audit: false });
}

/**
 * Supervisor sign-off by someone who did not rate: approve completes the assessment; return sends it
 * back (to the rater, or to the consensus step of two raters) with a comment.
 */
export async function signOffAssessment(
  ctx: ServiceContext,
  id: string,
  input: { decision: 'approve' | 'return'; comment?: string | undefined },
) {
  authorize(ctx.actor, 'assessments:sign_off');
  await ctx.db.transaction().execute(async (trx) => {
    const { row, definition: def } = await loadAssessment(trx, ctx, id, 'write', { lock: true });
    if (row.status !== 'submitted' || !row.requires_sign_off) {
      throw new AppError('ASSESSMENT_WRONG_STATE', { details: { status: row.status } });
    }
    const ratings = await ratingsOf(trx, id);
    if (ratings.some((r) => r.rater_id === ctx.actor.userId)) throw new AppError('ASSESSMENT_SELF_SIGN_OFF');
    if (input.decision === 'approve') {
      await trx
        .updateTable('assessments')
        .set((eb) => ({
          status: 'signed_off',
          signed_off_by: ctx.actor.userId,
          signed_off_at: new Date(),
          sign_off_comment: input.comment ?? null,
          updated_at: new Date(),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
      await completeSchedule(trx, ctx, { ...row, status: 'signed_off' }, def);
    } else {
      const twoRaters = def.assessors.raters === 2;
      if (!twoRaters) {
        await trx
          .updateTable('assessment_ratings')
          .set({ submitted_at: null })
          .where('assessment_id', '=', id)
          .execute();
      }
      await trx
        .updateTable('assessments')
        .set((eb) => ({
          status: twoRaters ? 'awaiting_consensus' : 'in_progress',
          answers: null,
          computed: null,
          output: null,
          judgement: null,
          submitted_at: null,
          submitted_by: null,
          sign_off_comment: input.comment ?? null,
          updated_at: new Date(),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
    }
    await recordAudit(trx, ctx.audit, {
      action: input.decision === 'approve' ? 'assessment.sign_off' : 'assessment.return',
      targetType: 'assessment',
      targetId: id,
      sections: [row.compartment],
    });
  });
  return getAssessment(ctx, id, undefined, { audit: false });
}

/** Cancels an assessment that is not complete (opened in error, person left): kept, never deleted. */
export async function cancelAssessment(
  ctx: ServiceContext,
  id: string,
  reason: 'opened_in_error' | 'duplicate' | 'person_unavailable' | 'superseded',
) {
  authorize(ctx.actor, 'assessments:conduct');
  await ctx.db.transaction().execute(async (trx) => {
    const { row } = await loadAssessment(trx, ctx, id, 'write', { lock: true });
    if (isComplete(row) || row.status === 'cancelled') {
      throw new AppError('ASSESSMENT_WRONG_STATE', { details: { status: row.status } });
    }
    await trx
      .updateTable('assessments')
      .set((eb) => ({ status: 'cancelled', updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'assessment.cancel',
      targetType: 'assessment',
      targetId: id,
      sections: [row.compartment],
      details: { reason },
    });
  });
  return getAssessment(ctx, id, undefined, { audit: false });
}

// Reading ----------------------------------------------------------------------------------------------

async function describe(
  db: Executor,
  viewerId: string,
  row: AssessmentRow,
  def: InstrumentDefinition,
  language: string,
) {
  const [ratings, disagreements] = await Promise.all([ratingsOf(db, row.id), disagreementsOf(db, row.id)]);
  // Raters rate independently: until every rating is in, each sees only their own.
  const sealed = row.status === 'in_progress';
  const computed = row.computed as Record<
    string,
    { value: number | null; answered: number; unknown: number }
  > | null;
  return {
    ...summarise(row, def.version),
    reasonEvent: row.reason_event,
    answers: row.answers as Answers | null,
    computed,
    output: row.output as AssessmentOutput | null,
    suggestedJudgement: computed ? suggestedJudgement(def, computed) : null,
    ratings: ratings.map((r) => {
      const hidden = sealed && r.rater_id !== viewerId;
      return {
        raterId: r.rater_id,
        submittedAt: iso(r.submitted_at),
        hidden,
        answers: hidden ? {} : (r.answers as Answers),
        output: hidden ? {} : (r.output as AssessmentOutput),
      };
    }),
    disagreements: disagreements.map((d) => ({
      itemId: d.item_id,
      ratings: d.ratings as { raterId: string; value: unknown }[],
      consensus: d.consensus,
      note: d.note,
    })),
    createdBy: row.created_by,
    submittedBy: row.submitted_by,
    signedOffBy: row.signed_off_by,
    signOffComment: row.sign_off_comment,
    form: renderInstrument(def, language),
  };
}

function summarise(row: AssessmentRow, instrumentVersion: number) {
  return {
    id: row.id,
    caseId: row.case_id,
    personId: row.person_id,
    instrumentCode: row.instrument_code,
    instrumentVersion,
    compartment: row.compartment,
    status: row.status,
    complete: isComplete(row),
    reason: row.reason,
    judgement: row.judgement,
    createdAt: iso(row.created_at) as string,
    submittedAt: iso(row.submitted_at),
    signedOffAt: iso(row.signed_off_at),
    version: row.version,
  };
}

/** One assessment, rendered in the instrument version it was made in; the read is audited. */
export async function getAssessment(
  ctx: ServiceContext,
  id: string,
  language?: string,
  options: { audit?: boolean } = {},
) {
  authorize(ctx.actor, 'cases:read');
  return ctx.db.transaction().execute(async (trx) => {
    const { row, definition } = await loadAssessment(trx, ctx, id, 'read');
    if (options.audit !== false) {
      await recordAudit(trx, ctx.audit, {
        action: 'assessment.read',
        targetType: 'assessment',
        targetId: id,
        sections: [row.compartment],
        details: { caseId: row.case_id },
      });
    }
    return describe(trx, ctx.actor.userId, row, definition, language ?? ctx.actor.preferredLanguage);
  });
}

/** A case's assessments in the compartments the actor may open; the others are not counted or hinted at. */
export async function listCaseAssessments(ctx: ServiceContext, caseId: string) {
  authorize(ctx.actor, 'cases:read');
  return ctx.db.transaction().execute(async (trx) => {
    const access = await requireCaseAccess(trx, ctx.actor, caseId).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'NOT_FOUND') throw new AppError('CASE_NOT_FOUND');
      throw error;
    });
    const open = [...access.read].filter((s) => s !== 'identity');
    if (open.length === 0) return [];
    const rows = await trx
      .selectFrom('assessments')
      .innerJoin('instrument_versions as iv', 'iv.id', 'assessments.instrument_version_id')
      .selectAll('assessments')
      .select('iv.version as instrument_version')
      .where('assessments.case_id', '=', caseId)
      .where('assessments.compartment', 'in', open)
      .orderBy('assessments.created_at', 'desc')
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'assessment.list',
      targetType: 'case',
      targetId: caseId,
      sections: [...new Set(rows.map((r) => r.compartment))].sort(),
      details: { count: rows.length },
    });
    return rows.map((r) => summarise(r, r.instrument_version));
  });
}

// Re-assessment --------------------------------------------------------------------------------------

/**
 * An event in a case (an incident, a change of placement…) makes every instrument used in the case
 * that names the event due again within its `eventDueDays`.
 */
export async function raiseReassessmentEvent(ctx: ServiceContext, caseId: string, event: ReassessmentEvent) {
  authorize(ctx.actor, 'assessments:conduct');
  return ctx.db.transaction().execute(async (trx) => {
    await requireCase(trx, ctx, caseId);
    // Only instruments of compartments the actor may write: no hint of, say, a security assessment.
    const access = await requireCaseAccess(trx, ctx.actor, caseId);
    const writable = [...access.write];
    if (writable.length === 0) throw new AppError('COMPARTMENT_FORBIDDEN', { details: { mode: 'write' } });
    const used = await trx
      .selectFrom('assessments')
      .select('instrument_code')
      .distinct()
      .where('case_id', '=', caseId)
      .where('status', '<>', 'cancelled')
      .where('compartment', 'in', writable)
      .execute();
    const created = [];
    for (const { instrument_code } of used) {
      const latest = await findInstrumentVersion(trx, instrument_code);
      if (!latest?.definition.reassessment.events.includes(event)) continue;
      const entry = await trx
        .insertInto('assessment_schedule')
        .values({
          case_id: caseId,
          instrument_code,
          compartment: latest.definition.compartment,
          reason: 'event',
          event,
          due_on: addDays(todayIso(), latest.definition.reassessment.eventDueDays),
          created_by: ctx.actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      created.push(entry);
    }
    await recordAudit(trx, ctx.audit, {
      action: 'assessment.event',
      targetType: 'case',
      targetId: caseId,
      details: { event, scheduled: created.map((c) => c.instrument_code) },
    });
    return created.map((c) => toScheduleEntry(c, todayIso()));
  });
}

/** Schedules an instrument's follow-ups (e.g. the reintegration survey at 3, 6 and 12 months) from a day. */
export async function scheduleFollowUps(
  ctx: ServiceContext,
  caseId: string,
  input: { instrumentCode: string; from: string },
) {
  authorize(ctx.actor, 'assessments:conduct');
  return ctx.db.transaction().execute(async (trx) => {
    const instrument = await findInstrumentVersion(trx, input.instrumentCode);
    if (!instrument) throw new AppError('INSTRUMENT_NOT_FOUND', { details: { path: 'body.instrumentCode' } });
    const def = instrument.definition;
    await requireCase(trx, ctx, caseId, { section: def.compartment, mode: 'write' });
    const months = def.reassessment.followUpMonths ?? [];
    if (months.length === 0) {
      throw new AppError('INSTRUMENT_NOT_ELIGIBLE', {
        details: { path: 'body.instrumentCode', reason: 'no_follow_ups' },
      });
    }
    const rows = await trx
      .insertInto('assessment_schedule')
      .values(
        months.map((month) => ({
          case_id: caseId,
          instrument_code: def.code,
          compartment: def.compartment,
          reason: 'follow_up' as const,
          follow_up_month: month,
          due_on: addMonths(input.from, month),
          created_by: ctx.actor.userId,
        })),
      )
      .returningAll()
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'assessment.follow_ups_scheduled',
      targetType: 'case',
      targetId: caseId,
      sections: [def.compartment],
      details: { instrument: def.code, months },
    });
    return rows.map((r) => toScheduleEntry(r, todayIso()));
  });
}

function toScheduleEntry(
  row: {
    id: string;
    case_id: string;
    instrument_code: string;
    reason: 'interval' | 'event' | 'follow_up';
    event: string | null;
    follow_up_month: number | null;
    due_on: string;
    satisfied_by: string | null;
  },
  asOf: string,
) {
  const overdue = Math.floor((Date.parse(asOf) - Date.parse(row.due_on)) / 86_400_000);
  return {
    id: row.id,
    caseId: row.case_id,
    instrumentCode: row.instrument_code,
    reason: row.reason,
    event: row.event,
    followUpMonth: row.follow_up_month,
    dueOn: row.due_on,
    satisfiedBy: row.satisfied_by,
    daysOverdue: Math.max(0, overdue),
  };
}

/**
 * Re-assessments past due and not yet done, oldest first, in cases the actor may see and compartments
 * the actor may open: the case visibility filter is part of the query.
 */
export async function overdueReassessments(
  ctx: ServiceContext,
  options: { asOf?: string | undefined; limit: number },
) {
  authorize(ctx.actor, 'assessments:conduct');
  const asOf = options.asOf ?? todayIso();
  const open = readableCompartments(ctx.actor);
  if (open.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('assessment_schedule as s')
    .innerJoin('cases', 'cases.id', 's.case_id')
    .selectAll('s')
    .where(caseVisibilityFilter(ctx.actor))
    .where('cases.status', '=', 'open')
    .where('s.satisfied_at', 'is', null)
    .where('s.due_on', '<', asOf)
    .where('s.compartment', 'in', open)
    .orderBy('s.due_on')
    .orderBy('s.id')
    .limit(options.limit)
    .execute();
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'assessment.overdue_list',
      sections: [...new Set(rows.map((r) => r.compartment))].sort(),
      details: { count: rows.length, asOf },
    }),
  );
  return rows.map((r) => toScheduleEntry(r, asOf));
}

// For other modules -----------------------------------------------------------------------------------

/**
 * Whether the person has a completed trafficking-indicators screening: the input the non-punishment
 * review needs before any charging decision. For the case workflow's preconditions; the caller has
 * already decided the actor may act on the case, so no access check here.
 */
export async function hasCompletedNonPunishmentReview(trx: Executor, personId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('assessments')
    .innerJoin('instrument_versions as iv', 'iv.id', 'assessments.instrument_version_id')
    .select('assessments.id')
    .where('assessments.person_id', '=', personId)
    .where('iv.kind', '=', 'trafficking_screening')
    .where(COMPLETE)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Completed assessments of a case by instrument kind, for workflow preconditions (no access check). */
export async function completedAssessmentsForCase(trx: Executor, caseId: string) {
  return trx
    .selectFrom('assessments')
    .innerJoin('instrument_versions as iv', 'iv.id', 'assessments.instrument_version_id')
    .select([
      'assessments.id',
      'assessments.instrument_code as instrumentCode',
      'iv.kind',
      'assessments.judgement',
      'assessments.submitted_at as submittedAt',
    ])
    .where('assessments.case_id', '=', caseId)
    .where(COMPLETE)
    .orderBy('assessments.submitted_at')
    .execute();
}

export { COMPLETE as completeAssessmentSql, isComplete };
