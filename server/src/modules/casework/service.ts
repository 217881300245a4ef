import { type Selectable, sql, type Transaction } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { CaseTasksTable } from '../../platform/db/tables/lifecycle.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import {
  authorize,
  canReadCompartment,
  canWriteCompartment,
  caseAccess,
  caseVisibilityFilter,
  readableCompartments,
  requireCaseWork,
} from '../access/access.ts';
import { requireVisibleCase } from '../cases/service.ts';
import { todayIso } from '../persons/age.ts';
import { displayNames } from '../persons/repository.ts';
import type { CreateNote, CreatePlan, CreateTask, UpdateTask } from './schemas.ts';

function versionConflict(currentVersion: number): never {
  throw new AppError('VERSION_CONFLICT', { details: { path: 'body.version', currentVersion } });
}

async function assertAgencies(trx: Transaction<DB>, ids: (string | null)[], path: string) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return;
  const found = await trx.selectFrom('agencies').select('id').where('id', 'in', wanted).execute();
  if (found.length !== wanted.length) throw new AppError('AGENCY_NOT_FOUND', { details: { path } });
}

// Plans ------------------------------------------------------------------------------------------

async function loadPlan(db: Transaction<DB>, planId: string) {
  const plan = await db
    .selectFrom('case_plans')
    .selectAll()
    .where('id', '=', planId)
    .executeTakeFirstOrThrow();
  const goals = await db
    .selectFrom('plan_goals')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('position')
    .execute();
  const actions = await db
    .selectFrom('plan_actions')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('due_on')
    .orderBy('id')
    .execute();
  return {
    id: plan.id,
    caseId: plan.case_id,
    title: plan.title,
    status: plan.status,
    goals: goals.map((g) => ({
      id: g.id,
      domain: g.domain as CreatePlan['goals'][number]['domain'],
      description: g.description,
      status: g.status,
      actions: actions
        .filter((a) => a.goal_id === g.id)
        .map((a) => ({
          id: a.id,
          description: a.description,
          responsibleAgencyId: a.responsible_agency_id,
          dueOn: a.due_on,
          status: a.status,
        })),
    })),
    version: plan.version,
  };
}

/** An individual plan: goals, and actions with a responsible agency and a due date. */
export async function createPlan(ctx: ServiceContext, caseId: string, input: CreatePlan) {
  authorize(ctx.actor, 'cases:write');
  const badGoal = input.actions.findIndex((a) => a.goal >= input.goals.length);
  if (badGoal >= 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'An action names a goal that is not in the plan',
      details: { path: `body.actions.${badGoal}.goal` },
    });
  }
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleCase(trx, ctx, caseId, { lock: true });
    await requireCaseWork(trx, ctx.actor, caseId, null);
    await assertAgencies(
      trx,
      input.actions.map((a) => a.responsibleAgencyId),
      'body.actions',
    );
    const plan = await trx
      .insertInto('case_plans')
      .values({ case_id: caseId, title: input.title, status: input.status, created_by: ctx.actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const goals = await trx
      .insertInto('plan_goals')
      .values(
        input.goals.map((g, position) => ({
          plan_id: plan.id,
          position,
          domain: g.domain,
          description: g.description,
        })),
      )
      .returning(['id', 'position'])
      .execute();
    const goalIds = new Map(goals.map((g) => [g.position, g.id]));
    if (input.actions.length > 0) {
      await trx
        .insertInto('plan_actions')
        .values(
          input.actions.map((a) => ({
            plan_id: plan.id,
            goal_id: goalIds.get(a.goal) ?? null,
            description: a.description,
            responsible_agency_id: a.responsibleAgencyId,
            due_on: a.dueOn,
          })),
        )
        .execute();
    }
    await recordAudit(trx, ctx.audit, {
      action: 'case.plan.create',
      targetType: 'case',
      targetId: caseId,
      sections: ['protection'],
      details: { planId: plan.id, goals: input.goals.length, actions: input.actions.length },
    });
    return loadPlan(trx, plan.id);
  });
}

export async function listPlans(ctx: ServiceContext, caseId: string) {
  authorize(ctx.actor, 'cases:read');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleCase(trx, ctx, caseId);
    const ids = await trx
      .selectFrom('case_plans')
      .select('id')
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .execute();
    const plans = [];
    for (const { id } of ids) plans.push(await loadPlan(trx, id));
    await recordAudit(trx, ctx.audit, {
      action: 'case.plan.read',
      targetType: 'case',
      targetId: caseId,
      sections: ['plans'],
    });
    return plans;
  });
}

async function requirePlan(trx: Transaction<DB>, caseId: string, planId: string) {
  const plan = await trx
    .selectFrom('case_plans')
    .selectAll()
    .where('id', '=', planId)
    .where('case_id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();
  if (!plan) throw new AppError('PLAN_NOT_FOUND');
  return plan;
}

export async function updatePlan(
  ctx: ServiceContext,
  caseId: string,
  planId: string,
  input: {
    version: number;
    title?: string | undefined;
    status?: 'draft' | 'active' | 'completed' | 'cancelled' | undefined;
  },
) {
  authorize(ctx.actor, 'cases:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleCase(trx, ctx, caseId);
    await requireCaseWork(trx, ctx.actor, caseId, null);
    const plan = await requirePlan(trx, caseId, planId);
    if (plan.version !== input.version) versionConflict(plan.version);
    await trx
      .updateTable('case_plans')
      .set((eb) => ({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', planId)
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'case.plan.update',
      targetType: 'case',
      targetId: caseId,
      details: { planId, fields: Object.keys(input).filter((k) => k !== 'version'), status: input.status },
    });
    return loadPlan(trx, planId);
  });
}

export async function updatePlanAction(
  ctx: ServiceContext,
  caseId: string,
  planId: string,
  actionId: string,
  status: 'planned' | 'in_progress' | 'done' | 'cancelled',
) {
  authorize(ctx.actor, 'cases:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleCase(trx, ctx, caseId);
    await requireCaseWork(trx, ctx.actor, caseId, null);
    await requirePlan(trx, caseId, planId);
    const updated = await trx
      .updateTable('plan_actions')
      .set({ status })
      .where('id', '=', actionId)
      .where('plan_id', '=', planId)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('PLAN_NOT_FOUND');
    await trx
      .updateTable('case_plans')
      .set((eb) => ({ updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('id', '=', planId)
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'case.plan.action',
      targetType: 'case',
      targetId: caseId,
      details: { planId, actionId, status },
    });
    return loadPlan(trx, planId);
  });
}

// Notes ------------------------------------------------------------------------------------------

type NoteRow = Selectable<DB['case_notes']>;
function toNote(n: NoteRow) {
  return {
    id: n.id,
    caseId: n.case_id,
    compartment: n.compartment,
    referralId: n.referral_id,
    body: n.body,
    authorId: n.author_id,
    createdAt: n.created_at.toISOString(),
  };
}

/** A note in one compartment; writing needs that compartment's write permission. Notes are never edited. */
export async function addNote(ctx: ServiceContext, caseId: string, input: CreateNote) {
  authorize(ctx.actor, 'cases:write');
  if (!canWriteCompartment(ctx.actor, input.compartment)) {
    throw new AppError('FORBIDDEN', { details: { compartment: input.compartment } });
  }
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleCase(trx, ctx, caseId);
    // A case seen only through a disclosure takes notes only in a compartment the disclosure opens for writing.
    await requireCaseWork(trx, ctx.actor, caseId, input.compartment);
    if (input.referralId) {
      const referral = await trx
        .selectFrom('referrals')
        .select('id')
        .where('id', '=', input.referralId)
        .where('case_id', '=', caseId)
        .executeTakeFirst();
      if (!referral) throw new AppError('REFERRAL_NOT_FOUND', { details: { path: 'body.referralId' } });
    }
    const note = await trx
      .insertInto('case_notes')
      .values({
        case_id: caseId,
        compartment: input.compartment,
        referral_id: input.referralId,
        body: input.body,
        author_id: ctx.actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'case.note.create',
      targetType: 'case',
      targetId: caseId,
      sections: [input.compartment],
      details: { noteId: note.id, compartment: input.compartment },
    });
    return toNote(note);
  });
}

/** The notes of the compartments the actor reads; others are left out in the query itself. */
export async function listNotes(
  ctx: ServiceContext,
  caseId: string,
  compartment?: CreateNote['compartment'],
) {
  authorize(ctx.actor, 'cases:read');
  if (compartment && !canReadCompartment(ctx.actor, compartment)) {
    throw new AppError('FORBIDDEN', { details: { compartment } });
  }
  const asked = compartment ? [compartment] : readableCompartments(ctx.actor);
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleCase(trx, ctx, caseId);
    // Only the compartments open on this case: a disclosure recipient reads what was disclosed, no more.
    const access = await caseAccess(trx, ctx.actor, caseId);
    const readable = asked.filter((c) => access?.read.has(c) === true);
    const notes =
      readable.length === 0
        ? []
        : await trx
            .selectFrom('case_notes')
            .selectAll()
            .where('case_id', '=', caseId)
            .where('compartment', 'in', readable)
            .orderBy('created_at')
            .orderBy('id')
            .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'case.note.read',
      targetType: 'case',
      targetId: caseId,
      sections: [...readable],
    });
    return notes.map(toNote);
  });
}

// Tasks ------------------------------------------------------------------------------------------

function toTask(t: Selectable<CaseTasksTable>, today = todayIso()) {
  return {
    id: t.id,
    caseId: t.case_id,
    kind: t.kind,
    title: t.title,
    dueOn: t.due_on,
    assignedUserId: t.assigned_user_id,
    status: t.status,
    overdue: t.status === 'open' && t.due_on < today,
    version: t.version,
  };
}

async function assertUserInAgency(trx: Transaction<DB>, userId: string | null | undefined, agencyId: string) {
  if (!userId) return;
  const user = await trx
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  if (!user) throw new AppError('USER_NOT_FOUND', { details: { path: 'body.assignedUserId' } });
}

export async function addTask(ctx: ServiceContext, caseId: string, input: CreateTask) {
  authorize(ctx.actor, 'cases:write');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await requireVisibleCase(trx, ctx, caseId);
    await requireCaseWork(trx, ctx.actor, caseId, null);
    await assertUserInAgency(trx, input.assignedUserId, row.owner_agency_id);
    const task = await trx
      .insertInto('case_tasks')
      .values({
        case_id: caseId,
        kind: input.kind,
        title: input.title,
        due_on: input.dueOn,
        assigned_user_id: input.assignedUserId ?? row.assigned_user_id,
        created_by: ctx.actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'case.task.create',
      targetType: 'case',
      targetId: caseId,
      details: { taskId: task.id, kind: input.kind, dueOn: input.dueOn },
    });
    return toTask(task);
  });
}

export async function updateTask(ctx: ServiceContext, caseId: string, taskId: string, input: UpdateTask) {
  authorize(ctx.actor, 'cases:write');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await requireVisibleCase(trx, ctx, caseId);
    await requireCaseWork(trx, ctx.actor, caseId, null);
    const task = await trx
      .selectFrom('case_tasks')
      .selectAll()
      .where('id', '=', taskId)
      .where('case_id', '=', caseId)
      .forUpdate()
      .executeTakeFirst();
    if (!task) throw new AppError('TASK_NOT_FOUND');
    if (task.version !== input.version) versionConflict(task.version);
    await assertUserInAgency(trx, input.assignedUserId, row.owner_agency_id);
    const updated = await trx
      .updateTable('case_tasks')
      .set((eb) => ({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.dueOn !== undefined ? { due_on: input.dueOn } : {}),
        ...(input.assignedUserId !== undefined ? { assigned_user_id: input.assignedUserId } : {}),
        ...(input.status !== undefined
          ? { status: input.status, completed_at: input.status === 'open' ? null : new Date() }
          : {}),
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', taskId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'case.task.update',
      targetType: 'case',
      targetId: caseId,
      details: { taskId, fields: Object.keys(input).filter((k) => k !== 'version'), status: updated.status },
    });
    return toTask(updated);
  });
}

export async function listTasks(ctx: ServiceContext, caseId: string) {
  authorize(ctx.actor, 'cases:read');
  const row = await requireVisibleCase(ctx.db, ctx, caseId);
  const tasks = await ctx.db
    .selectFrom('case_tasks')
    .selectAll()
    .where('case_id', '=', row.id)
    .orderBy('due_on')
    .orderBy('id')
    .execute();
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'case.task.read',
      targetType: 'case',
      targetId: caseId,
      sections: ['tasks'],
    }),
  );
  return tasks.map((t) => toTask(t));
}

/**
 * Open tasks past their due date in the cases the actor can see, oldest first: the overdue list.
 * Served by case_tasks_open_due_idx; the visibility filter is part of the query.
 */
export async function listOverdueTasks(ctx: ServiceContext, options: { mine: boolean; limit: number }) {
  authorize(ctx.actor, 'cases:read');
  const today = todayIso();
  let query = ctx.db
    .selectFrom('case_tasks')
    .innerJoin('cases', 'cases.id', 'case_tasks.case_id')
    .selectAll('case_tasks')
    .where('case_tasks.status', '=', 'open')
    .where('case_tasks.due_on', '<', today)
    .where(caseVisibilityFilter(ctx.actor));
  if (options.mine) query = query.where('case_tasks.assigned_user_id', '=', ctx.actor.userId);
  const rows = await query
    .orderBy('case_tasks.due_on')
    .orderBy('case_tasks.id')
    .limit(options.limit)
    .execute();
  return rows.map((t) => toTask(t, today));
}

/**
 * Open tasks due on or before a date (and on or after another, if given) in the cases the actor can
 * see, oldest first, with how many match and how many are overdue: the home page's "due soon". The
 * visibility filter is part of the query, so a case out of sight neither appears nor counts. The
 * read names persons, so it is audited.
 */
export async function listDueTasks(
  ctx: ServiceContext,
  options: { mine: boolean; before?: string | undefined; from?: string | undefined; limit: number },
) {
  authorize(ctx.actor, 'cases:read');
  const today = todayIso();
  const before = options.before ?? today;
  let base = ctx.db
    .selectFrom('case_tasks')
    .innerJoin('cases', 'cases.id', 'case_tasks.case_id')
    .where('case_tasks.status', '=', 'open')
    .where('case_tasks.due_on', '<=', before)
    .where(caseVisibilityFilter(ctx.actor));
  if (options.from !== undefined) base = base.where('case_tasks.due_on', '>=', options.from);
  if (options.mine) base = base.where('case_tasks.assigned_user_id', '=', ctx.actor.userId);
  const rows = await base
    .selectAll('case_tasks')
    .select(['cases.case_number', 'cases.person_id'])
    .orderBy('case_tasks.due_on')
    .orderBy('case_tasks.id')
    .limit(options.limit)
    .execute();
  const counts = await base
    .select((eb) => [
      eb.fn.countAll<string | number>().as('total'),
      sql<string | number>`count(*) filter (where case_tasks.due_on < ${today})`.as('overdue'),
    ])
    .executeTakeFirstOrThrow();
  const names = await displayNames(ctx.db, [...new Set(rows.map((r) => r.person_id))]);
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'case.task.list',
      targetType: 'case',
      sections: ['tasks'],
      details: { mine: options.mine, returned: rows.length },
    }),
  );
  return {
    items: rows.map((t) => ({
      ...toTask(t, today),
      case: { id: t.case_id, caseNumber: t.case_number, displayName: names.get(t.person_id) ?? null },
    })),
    total: Number(counts.total),
    overdue: Number(counts.overdue),
  };
}
