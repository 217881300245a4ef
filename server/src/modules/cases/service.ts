import { sql, type Transaction } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize, can, caseAccess, caseVisibilityFilter, requireCaseWork } from '../access/access.ts';
import { discloseForJusticeReferral, requireProsecutionOffice } from '../access/disclosures.ts';
import type { Permission } from '../access/permissions.ts';
import { userRefOf, userRefs } from '../accounts/refs.ts';
import { insertFamilyUnit, insertRelationship } from '../families/service.ts';
import { displayNames, findVisiblePersonRows, type PersonRow } from '../persons/repository.ts';
import { insertPerson, requireVisiblePerson } from '../persons/service.ts';
import { checkFromState, checkPreconditions, checkSafeguards } from './guards.ts';
import { type CaseRow, findVisibleCaseRow, loadCase, toApproval } from './repository.ts';
import { APART_WHEREABOUTS, type Intake, type OpenCase, type TransitionRequest } from './schemas.ts';
import type { Transition, Workflow } from './workflow.ts';

/** Case numbers per deployment: {YYYY} the year opened, {NNNNNN} the sequence, zero-padded. */
export function formatCaseNumber(format: string, year: number, sequence: number): string {
  return format
    .replaceAll('{YYYY}', String(year))
    .replace(/\{(N+)\}/, (_, ns: string) => String(sequence).padStart(ns.length, '0'));
}

/** A visible case, or 404 CASE_NOT_FOUND — the same answer as for one that does not exist. */
export async function requireVisibleCase(
  db: ServiceContext['db'] | Transaction<DB>,
  ctx: ServiceContext,
  id: string,
  options: { lock?: boolean } = {},
): Promise<CaseRow> {
  const row = await findVisibleCaseRow(db, ctx.actor, id, options);
  if (!row) throw new AppError('CASE_NOT_FOUND');
  return row;
}

async function assertAssignable(
  trx: Transaction<DB>,
  agencyId: string,
  userId: string | null,
): Promise<void> {
  if (userId === null) return;
  const user = await trx
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .where('agency_id', '=', agencyId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!user) throw new AppError('USER_NOT_FOUND', { details: { path: 'body.assignedUserId' } });
}

export async function openCase(ctx: ServiceContext, workflow: Workflow, input: OpenCase) {
  authorize(ctx.actor, 'cases:write');
  if (input.assignedUserId !== null && input.assignedUserId !== ctx.actor.userId) {
    authorize(ctx.actor, 'cases:assign');
  }
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, input.personId, { lock: true });
    return loadCase(trx, ctx.actor, workflow, await insertCase(trx, ctx, input));
  });
}

/** An AppError from a nested write, its `details.path` (`body.…`) moved under `prefix`. */
function under(prefix: string, error: unknown, fallback: string): unknown {
  if (!(error instanceof AppError)) return error;
  const move = (path: string) => `${prefix}.${path.slice('body.'.length)}`;
  const path = error.details?.path;
  const moved = path?.startsWith('body.') ? move(path) : fallback;
  const issues = error.details?.issues?.map((issue) =>
    issue.path.startsWith('body.') ? { ...issue, path: move(issue.path) } : issue,
  );
  return new AppError(error.code, {
    message: error.message,
    details: { ...error.details, path: moved, ...(issues ? { issues } : {}) },
  });
}

/**
 * Intake: registers a person and opens their case, assigned to the worker doing it, in one
 * transaction. A worker whose scope is their assigned cases keeps sight of the person this way.
 *
 * With `family`, the same transaction registers (or links) each member, puts everyone in one family
 * unit (the one given, or a new one), records each relationship with the family module's checks and
 * opens a case for each member with `openCase`, every case carrying the unit. Any refusal, for any
 * member, writes nothing; it names the member's field (`body.family.<i>.…`).
 */
export async function intake(ctx: ServiceContext, workflow: Workflow, input: Intake) {
  authorize(ctx.actor, 'persons:write');
  authorize(ctx.actor, 'cases:write');
  const family = input.family ?? [];
  return ctx.db.transaction().execute(async (trx) => {
    let person: PersonRow;
    try {
      person = await insertPerson(trx, ctx, input.person);
    } catch (error) {
      throw under('body.person', error, 'body.person');
    }
    const members: { row: PersonRow; openCase: boolean }[] = [];
    for (const [i, member] of family.entries()) {
      const at = `body.family.${i}`;
      if (member.existingPersonId !== undefined) {
        const [row] = await findVisiblePersonRows(trx, ctx.actor, [member.existingPersonId]);
        if (!row) throw new AppError('PERSON_NOT_FOUND', { details: { path: `${at}.existingPersonId` } });
        members.push({ row, openCase: member.openCase ?? false });
      } else {
        const created = member.person!;
        let row: PersonRow;
        try {
          row = await insertPerson(trx, ctx, created);
        } catch (error) {
          throw under(`${at}.person`, error, `${at}.person`);
        }
        const apart = (APART_WHEREABOUTS as readonly string[]).includes(created.whereabouts);
        members.push({ row, openCase: member.openCase ?? !apart });
      }
    }
    let familyUnitId = input.familyUnitId;
    if (familyUnitId !== null) {
      await requireOwnFamilyUnit(trx, ctx, familyUnitId);
      for (const id of [person.id, ...members.map((m) => m.row.id)]) {
        await trx
          .insertInto('family_unit_members')
          .values({ family_unit_id: familyUnitId, person_id: id })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      await recordAudit(trx, ctx.audit, {
        action: 'family_unit.member.add',
        targetType: 'family_unit',
        targetId: familyUnitId,
        details: { members: [person.id, ...members.map((m) => m.row.id)] },
      });
    } else if (members.length > 0) {
      familyUnitId = await insertFamilyUnit(trx, ctx, [person.id, ...members.map((m) => m.row.id)]);
    }
    for (const [i, member] of family.entries()) {
      await insertRelationship(
        trx,
        ctx,
        person,
        members[i]!.row,
        { relation: member.relation, provenance: member.provenance },
        `body.family.${i}.relation`,
      );
    }
    const row = await insertCase(trx, ctx, {
      personId: person.id,
      familyUnitId,
      assignedUserId: ctx.actor.userId,
      stage: input.stage,
    });
    for (const [i, member] of members.entries()) {
      if (!member.openCase) continue;
      try {
        await insertCase(trx, ctx, {
          personId: member.row.id,
          familyUnitId,
          assignedUserId: ctx.actor.userId,
          stage: input.stage,
        });
      } catch (error) {
        throw under(`body.family.${i}`, error, `body.family.${i}.openCase`);
      }
    }
    return loadCase(trx, ctx.actor, workflow, row);
  });
}

async function requireOwnFamilyUnit(trx: Transaction<DB>, ctx: ServiceContext, id: string) {
  const unit = await trx
    .selectFrom('family_units')
    .select('id')
    .where('id', '=', id)
    .where('owner_agency_id', '=', ctx.actor.agencyId)
    .executeTakeFirst();
  if (!unit) throw new AppError('FAMILY_UNIT_NOT_FOUND', { details: { path: 'body.familyUnitId' } });
}

async function insertCase(trx: Transaction<DB>, ctx: ServiceContext, input: OpenCase): Promise<CaseRow> {
  const open = await trx
    .selectFrom('cases')
    .select(['id', 'owner_agency_id'])
    .where('person_id', '=', input.personId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (open) {
    throw new AppError('CASE_ALREADY_OPEN', {
      details: open.owner_agency_id === ctx.actor.agencyId ? { caseId: open.id } : {},
    });
  }
  if (input.familyUnitId) {
    const unit = await trx
      .selectFrom('family_units')
      .select('id')
      .where('id', '=', input.familyUnitId)
      .where('owner_agency_id', '=', ctx.actor.agencyId)
      .executeTakeFirst();
    if (!unit) throw new AppError('FAMILY_UNIT_NOT_FOUND', { details: { path: 'body.familyUnitId' } });
  }
  await assertAssignable(trx, ctx.actor.agencyId, input.assignedUserId);
  const sequence = await sql<{ n: number }>`SELECT nextval('case_number_seq') AS n`.execute(trx);
  const now = new Date();
  const caseNumber = formatCaseNumber(
    ctx.config.lifecycle.caseNumberFormat,
    now.getUTCFullYear(),
    Number(sequence.rows[0]!.n),
  );
  const row = await trx
    .insertInto('cases')
    .values({
      case_number: caseNumber,
      person_id: input.personId,
      family_unit_id: input.familyUnitId,
      owner_agency_id: ctx.actor.agencyId,
      assigned_user_id: input.assignedUserId,
      stage: input.stage,
      opened_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, ctx.audit, {
    action: 'case.open',
    targetType: 'case',
    targetId: row.id,
    details: { personId: input.personId, stage: input.stage, familyUnitId: input.familyUnitId },
  });
  return row;
}

/** The case page; the read is audited with the sections returned. */
export async function getCase(ctx: ServiceContext, workflow: Workflow, id: string) {
  authorize(ctx.actor, 'cases:read');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await requireVisibleCase(trx, ctx, id);
    const detail = await loadCase(trx, ctx.actor, workflow, row);
    await recordAudit(trx, ctx.audit, {
      action: 'case.read',
      targetType: 'case',
      targetId: id,
      sections: ['case', 'tracks', 'family', 'tasks'],
    });
    return detail;
  });
}

export async function assignCase(
  ctx: ServiceContext,
  workflow: Workflow,
  id: string,
  input: { version: number; assignedUserId: string | null },
) {
  authorize(ctx.actor, 'cases:assign');
  return ctx.db.transaction().execute(async (trx) => {
    const current = await requireVisibleCase(trx, ctx, id, { lock: true });
    // Assignment is whole-case work: never through a disclosure or break-glass.
    await requireCaseWork(trx, ctx.actor, id, null);
    checkVersion(current, input.version);
    await assertAssignable(trx, current.owner_agency_id, input.assignedUserId);
    const row = await trx
      .updateTable('cases')
      .set((eb) => ({
        assigned_user_id: input.assignedUserId,
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'case.assign',
      targetType: 'case',
      targetId: id,
      details: { from: current.assigned_user_id, to: input.assignedUserId },
    });
    return loadCase(trx, ctx.actor, workflow, row);
  });
}

function checkVersion(row: CaseRow, version: number): void {
  if (row.version !== version) {
    throw new AppError('VERSION_CONFLICT', {
      details: { path: 'body.version', currentVersion: row.version },
    });
  }
}

function transitionOf(workflow: Workflow, code: string): Transition {
  const transition = workflow.byCode.get(code);
  if (!transition) {
    throw new AppError('TRANSITION_UNKNOWN', {
      details: { path: 'body.transition', allowed: [...workflow.byCode.keys()] },
    });
  }
  return transition;
}

/** Applies a transition that passed every check: the state change, its record and its audit entry. */
async function applyTransition(
  trx: Transaction<DB>,
  ctx: ServiceContext,
  row: CaseRow,
  transition: Transition,
  options: {
    comment: string | null;
    closeReason: string | null;
    approvalId: string | null;
    performedBy: string;
    prosecutionAgencyId: string | null;
  },
): Promise<CaseRow> {
  let from: string | null;
  const now = new Date();
  if (transition.kind === 'stage') {
    from = String(row.stage);
    const closing = transition.to === 10;
    await trx
      .updateTable('cases')
      .set({
        stage: transition.to,
        ...(closing ? { status: 'closed', closed_at: now, close_reason: options.closeReason } : {}),
      })
      .where('id', '=', row.id)
      .execute();
    if (closing) {
      await trx
        .updateTable('case_tracks')
        .set({ status: 'closed', updated_at: now })
        .where('case_id', '=', row.id)
        .execute();
    }
  } else {
    const current = await trx
      .selectFrom('case_tracks')
      .select('status')
      .where('case_id', '=', row.id)
      .where('track', '=', transition.track)
      .executeTakeFirst();
    from = current?.status ?? null;
    await trx
      .insertInto('case_tracks')
      .values({ case_id: row.id, track: transition.track, status: transition.to, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['case_id', 'track']).doUpdateSet({ status: transition.to, updated_at: now }),
      )
      .execute();
  }
  const updated = await trx
    .updateTable('cases')
    .set((eb) => ({ updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const record = await trx
    .insertInto('case_transitions')
    .values({
      case_id: row.id,
      transition: transition.code,
      kind: transition.kind,
      track: transition.kind === 'track' ? transition.track : null,
      from_value: from,
      to_value: String(transition.to),
      comment: options.comment,
      performed_by: options.performedBy,
      approval_id: options.approvalId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, ctx.audit, {
    action: 'case.transition',
    targetType: 'case',
    targetId: row.id,
    details: {
      transition: transition.code,
      transitionId: record.id,
      from,
      to: String(transition.to),
      ...(transition.kind === 'track' ? { track: transition.track } : {}),
      ...(options.approvalId ? { approvalId: options.approvalId } : {}),
    },
  });
  if (transition.kind === 'stage' && transition.justiceReferral) {
    // The referral discloses identity and justice to the office named, in this transaction (ADR 0020).
    const path = 'body.prosecutionAgencyId';
    if (!options.prosecutionAgencyId)
      throw new AppError('PROSECUTION_OFFICE_REQUIRED', { details: { path } });
    const days = ctx.config.lifecycle.justiceReferralDays;
    await discloseForJusticeReferral(trx, ctx.actor, ctx.audit, row.id, {
      prosecutionAgencyId: options.prosecutionAgencyId,
      expiresAt: new Date(now.getTime() + days * 86_400_000),
      path,
    });
  }
  return updated;
}

/**
 * A referral for a justice decision names its prosecution office; no other transition takes one. The
 * shape is checked before anything is read (as a closing reason is); the office itself inside the
 * transaction, after the actor's right to the transition, and again when the disclosure is made.
 */
function checkProsecutionOfficeGiven(transition: Transition, prosecutionAgencyId: string | undefined): void {
  const path = 'body.prosecutionAgencyId';
  const referral = transition.kind === 'stage' && transition.justiceReferral;
  if (referral && prosecutionAgencyId === undefined) {
    throw new AppError('PROSECUTION_OFFICE_REQUIRED', { details: { path } });
  }
  if (!referral && prosecutionAgencyId !== undefined) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'Only a referral for a justice decision names a prosecution office',
      details: { path },
    });
  }
}

async function checkProsecutionOffice(
  trx: Transaction<DB>,
  transition: Transition,
  prosecutionAgencyId: string | null | undefined,
): Promise<void> {
  if (!(transition.kind === 'stage' && transition.justiceReferral)) return;
  const path = 'body.prosecutionAgencyId';
  if (!prosecutionAgencyId) throw new AppError('PROSECUTION_OFFICE_REQUIRED', { details: { path } });
  await requireProsecutionOffice(trx, prosecutionAgencyId, path);
}

async function checkAll(trx: Transaction<DB>, ctx: ServiceContext, row: CaseRow, transition: Transition) {
  // Outside scope (a disclosed case) only a track whose compartment the disclosure opens for writing moves.
  await requireCaseWork(trx, ctx.actor, row.id, transition.kind === 'track' ? transition.track : null);
  await checkFromState(trx, row, transition);
  await checkSafeguards(trx, ctx.config, row, transition);
  await checkPreconditions(trx, row, transition);
}

/**
 * Performs a transition of the workflow, or asks a supervisor to approve it when the workflow (or,
 * for closure, a built-in safeguard) says so. A refusal names the unmet precondition.
 */
export async function requestTransition(
  ctx: ServiceContext,
  workflow: Workflow,
  id: string,
  input: TransitionRequest,
) {
  authorize(ctx.actor, 'cases:read');
  const transition = transitionOf(workflow, input.transition);
  authorize(ctx.actor, transition.permission as Permission);
  const closing = transition.kind === 'stage' && transition.to === 10;
  if (closing && !input.closeReason) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'Closing a case needs a reason',
      details: { path: 'body.closeReason' },
    });
  }
  checkProsecutionOfficeGiven(transition, input.prosecutionAgencyId);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await requireVisibleCase(trx, ctx, id, { lock: true });
    checkVersion(row, input.version);
    await checkAll(trx, ctx, row, transition);
    await checkProsecutionOffice(trx, transition, input.prosecutionAgencyId);
    if (workflow.needsApproval(transition)) {
      const pending = await trx
        .selectFrom('case_approvals')
        .select('id')
        .where('case_id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (pending) throw new AppError('APPROVAL_PENDING', { details: { approvalId: pending.id } });
      const approval = await trx
        .insertInto('case_approvals')
        .values({
          case_id: id,
          transition: transition.code,
          payload: JSON.stringify({
            closeReason: input.closeReason ?? null,
            prosecutionAgencyId: input.prosecutionAgencyId ?? null,
          }),
          requested_by: ctx.actor.userId,
          request_comment: input.comment ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const updated = await trx
        .updateTable('cases')
        .set((eb) => ({ updated_at: new Date(), version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx.audit, {
        action: 'case.approval.request',
        targetType: 'case',
        targetId: id,
        details: { transition: transition.code, approvalId: approval.id },
      });
      return {
        outcome: 'approval_requested' as const,
        case: await loadCase(trx, ctx.actor, workflow, updated),
        approval: toApproval(approval),
      };
    }
    const updated = await applyTransition(trx, ctx, row, transition, {
      comment: input.comment ?? null,
      closeReason: input.closeReason ?? null,
      approvalId: null,
      performedBy: ctx.actor.userId,
      prosecutionAgencyId: input.prosecutionAgencyId ?? null,
    });
    return {
      outcome: 'applied' as const,
      case: await loadCase(trx, ctx.actor, workflow, updated),
      approval: null,
    };
  });
}

async function pendingApproval(trx: Transaction<DB>, caseId: string, approvalId: string) {
  const approval = await trx
    .selectFrom('case_approvals')
    .selectAll()
    .where('id', '=', approvalId)
    .where('case_id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();
  if (!approval) throw new AppError('APPROVAL_NOT_FOUND');
  if (approval.status !== 'pending') throw new AppError('APPROVAL_NOT_PENDING');
  return approval;
}

/**
 * A supervisor approves a requested transition: someone holding cases:approve who is not the
 * requester. Every check runs again, since the case may have changed while it waited.
 */
export async function approveTransition(
  ctx: ServiceContext,
  workflow: Workflow,
  caseId: string,
  approvalId: string,
  comment: string | null,
) {
  authorize(ctx.actor, 'cases:approve');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await requireVisibleCase(trx, ctx, caseId, { lock: true });
    const approval = await pendingApproval(trx, caseId, approvalId);
    if (approval.requested_by === ctx.actor.userId) throw new AppError('APPROVAL_BY_REQUESTER');
    const transition = transitionOf(workflow, approval.transition);
    await checkAll(trx, ctx, row, transition);
    const payload = approval.payload as { closeReason?: string | null; prosecutionAgencyId?: string | null };
    await checkProsecutionOffice(trx, transition, payload.prosecutionAgencyId);
    const decided = await trx
      .updateTable('case_approvals')
      .set({
        status: 'approved',
        decided_by: ctx.actor.userId,
        decided_at: new Date(),
        decision_comment: comment,
      })
      .where('id', '=', approvalId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'case.approval.approve',
      targetType: 'case',
      targetId: caseId,
      details: { transition: transition.code, approvalId },
    });
    const updated = await applyTransition(trx, ctx, row, transition, {
      comment: approval.request_comment,
      closeReason: payload.closeReason ?? null,
      approvalId,
      performedBy: approval.requested_by,
      prosecutionAgencyId: payload.prosecutionAgencyId ?? null,
    });
    return {
      outcome: 'applied' as const,
      case: await loadCase(trx, ctx.actor, workflow, updated),
      approval: toApproval(decided),
    };
  });
}

export async function rejectTransition(
  ctx: ServiceContext,
  workflow: Workflow,
  caseId: string,
  approvalId: string,
  comment: string,
) {
  authorize(ctx.actor, 'cases:approve');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleCase(trx, ctx, caseId, { lock: true });
    // Deciding an approval is whole-case work, as requesting it is: never through a disclosure.
    await requireCaseWork(trx, ctx.actor, caseId, null);
    const approval = await pendingApproval(trx, caseId, approvalId);
    if (approval.requested_by === ctx.actor.userId) throw new AppError('APPROVAL_BY_REQUESTER');
    const decided = await trx
      .updateTable('case_approvals')
      .set({
        status: 'rejected',
        decided_by: ctx.actor.userId,
        decided_at: new Date(),
        decision_comment: comment,
      })
      .where('id', '=', approvalId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const updated = await trx
      .updateTable('cases')
      .set((eb) => ({ updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('id', '=', caseId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'case.approval.reject',
      targetType: 'case',
      targetId: caseId,
      details: { transition: approval.transition, approvalId },
    });
    return {
      outcome: 'approval_requested' as const,
      case: await loadCase(trx, ctx.actor, workflow, updated),
      approval: toApproval(decided),
    };
  });
}

/** A stage as the workflow names it (its number alone if the workflow has no such stage). */
function stageRef(workflow: Workflow, stage: number) {
  const named = workflow.stages[stage];
  return { stage, code: named?.code ?? String(stage), label: named?.label ?? String(stage) };
}

/**
 * Pending approvals in the actor's scope, oldest first: the supervisor's inbox. Each says what the
 * transition does in the workflow's words, who asked, and which case (number, person, stage); the
 * read is audited, since it names persons.
 */
export async function listPendingApprovals(ctx: ServiceContext, workflow: Workflow) {
  authorize(ctx.actor, 'cases:approve');
  const rows = await ctx.db
    .selectFrom('case_approvals')
    .innerJoin('cases', 'cases.id', 'case_approvals.case_id')
    .selectAll('case_approvals')
    .select(['cases.case_number', 'cases.person_id', 'cases.stage as case_stage'])
    .where('case_approvals.status', '=', 'pending')
    .where(caseVisibilityFilter(ctx.actor))
    .orderBy('case_approvals.requested_at')
    .limit(500)
    .execute();
  const names = await displayNames(ctx.db, [...new Set(rows.map((r) => r.person_id))]);
  const requesters = await userRefs(
    ctx.db,
    rows.map((r) => r.requested_by),
  );
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'case.approval.list',
      targetType: 'case',
      sections: ['case', 'workflow'],
      details: { returned: rows.length },
    }),
  );
  return rows.map((row) => {
    const transition = workflow.byCode.get(row.transition);
    return {
      ...toApproval(row),
      transitionLabel: transition?.label ?? null,
      kind: transition?.kind ?? null,
      track: transition?.kind === 'track' ? transition.track : null,
      to: transition ? String(transition.to) : null,
      toStage: transition?.kind === 'stage' ? stageRef(workflow, transition.to) : null,
      requester: userRefOf(requesters, row.requested_by),
      case: {
        id: row.case_id,
        caseNumber: row.case_number,
        displayName: names.get(row.person_id) ?? null,
        stage: stageRef(workflow, row.case_stage),
      },
    };
  });
}

/** Every transition, approval and rejection of a case, in order. */
export async function getCaseHistory(ctx: ServiceContext, id: string) {
  authorize(ctx.actor, 'cases:read');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleCase(trx, ctx, id);
    const transitions = await trx
      .selectFrom('case_transitions')
      .selectAll()
      .where('case_id', '=', id)
      .orderBy('performed_at')
      .orderBy('id')
      .execute();
    const approvals = await trx
      .selectFrom('case_approvals')
      .selectAll()
      .where('case_id', '=', id)
      .orderBy('requested_at')
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'case.history.read',
      targetType: 'case',
      targetId: id,
      sections: ['workflow'],
    });
    return {
      transitions: transitions.map((t) => ({
        id: t.id,
        transition: t.transition,
        kind: t.kind,
        track: t.track,
        from: t.from_value,
        to: t.to_value,
        comment: t.comment,
        performedBy: t.performed_by,
        performedAt: t.performed_at.toISOString(),
        approvalId: t.approval_id,
      })),
      approvals: approvals.map(toApproval),
    };
  });
}

/** The transitions the actor could request now from the case's current state (before preconditions). */
export async function availableTransitions(ctx: ServiceContext, workflow: Workflow, id: string) {
  authorize(ctx.actor, 'cases:read');
  const row = await requireVisibleCase(ctx.db, ctx, id);
  if (row.status === 'closed') return [];
  const tracks = new Map(
    (
      await ctx.db.selectFrom('case_tracks').select(['track', 'status']).where('case_id', '=', id).execute()
    ).map((t) => [t.track, t.status]),
  );
  // Outside scope, only the tracks a disclosure opens for writing (what requestTransition allows).
  const access = await caseAccess(ctx.db, ctx.actor, id);
  const workable = (t: Transition) =>
    access?.via.scope === true || (t.kind === 'track' && access?.write.has(t.track) === true);
  return workflow.transitions
    .filter((t) =>
      t.kind === 'stage' ? t.from.includes(row.stage) : t.from.includes(tracks.get(t.track) ?? null),
    )
    .filter((t) => can(ctx.actor, t.permission as Permission))
    .filter(workable)
    .map((t) => ({
      code: t.code,
      label: t.label,
      kind: t.kind,
      track: t.kind === 'track' ? t.track : null,
      to: String(t.to),
      permission: t.permission,
      requiresApproval: workflow.needsApproval(t),
      needsProsecutionOffice: t.kind === 'stage' && t.justiceReferral,
    }));
}

function toReview(r: {
  id: string;
  case_id: string;
  status: 'open' | 'completed';
  outcome: 'recognised_victim' | 'non_punishment_applies' | 'not_established' | null;
  opened_at: Date;
  completed_at: Date | null;
}) {
  return {
    id: r.id,
    caseId: r.case_id,
    status: r.status,
    outcome: r.outcome,
    openedAt: r.opened_at.toISOString(),
    completedAt: r.completed_at?.toISOString() ?? null,
  };
}

/** Opens the non-punishment review that trafficking indicators call for before any charging decision. */
export async function openNonPunishmentReview(ctx: ServiceContext, caseId: string) {
  authorize(ctx.actor, 'justice:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleCase(trx, ctx, caseId, { lock: true });
    await requireCaseWork(trx, ctx.actor, caseId, 'justice');
    const row = await trx
      .insertInto('non_punishment_reviews')
      .values({ case_id: caseId, opened_by: ctx.actor.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'case.non_punishment_review.open',
      targetType: 'case',
      targetId: caseId,
      sections: ['justice'],
      details: { reviewId: row.id },
    });
    return toReview(row);
  });
}

export async function completeNonPunishmentReview(
  ctx: ServiceContext,
  caseId: string,
  reviewId: string,
  outcome: 'recognised_victim' | 'non_punishment_applies' | 'not_established',
) {
  authorize(ctx.actor, 'justice:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleCase(trx, ctx, caseId, { lock: true });
    await requireCaseWork(trx, ctx.actor, caseId, 'justice');
    const review = await trx
      .selectFrom('non_punishment_reviews')
      .selectAll()
      .where('id', '=', reviewId)
      .where('case_id', '=', caseId)
      .forUpdate()
      .executeTakeFirst();
    if (!review) throw new AppError('REVIEW_NOT_FOUND');
    if (review.status !== 'open') throw new AppError('REVIEW_NOT_OPEN');
    const row = await trx
      .updateTable('non_punishment_reviews')
      .set({ status: 'completed', outcome, completed_by: ctx.actor.userId, completed_at: new Date() })
      .where('id', '=', reviewId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'case.non_punishment_review.complete',
      targetType: 'case',
      targetId: caseId,
      sections: ['justice'],
      details: { reviewId, outcome },
    });
    return toReview(row);
  });
}
