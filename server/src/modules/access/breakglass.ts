import type { Selectable } from 'kysely';
import { recordAudit, recordAuditAlone } from '../../platform/audit/audit.ts';
import type { BreakGlassGrantsTable, CompartmentName } from '../../platform/db/tables/access.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { type UserRef, userRefOf, userRefs } from '../accounts/refs.ts';
import type { Executor } from '../persons/repository.ts';
import { authorize, type Compartment, can, caseAccess } from './access.ts';
import type { OpenBreakGlass } from './schemas.ts';

export const BREAK_GLASS_REASON_MIN = 20;

const columns = [
  'id',
  'user_id',
  'case_id',
  'compartments',
  'reason',
  'opened_at',
  'expires_at',
  'ended_at',
  'reviewed_at',
  'reviewed_by',
  'review_outcome',
  'review_note',
] as const;

function toBreakGlass(row: Selectable<BreakGlassGrantsTable>, users: Map<string, UserRef>) {
  return {
    id: row.id,
    userId: row.user_id,
    user: userRefOf(users, row.user_id),
    caseId: row.case_id,
    compartments: row.compartments,
    reason: row.reason,
    openedAt: new Date(row.opened_at).toISOString(),
    expiresAt: row.expires_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    reviewedAt: row.reviewed_at?.toISOString() ?? null,
    reviewedBy: row.reviewed_by,
    reviewer: row.reviewed_by === null ? null : userRefOf(users, row.reviewed_by),
    reviewOutcome: row.review_outcome,
    reviewNote: row.review_note,
    active: row.ended_at === null && row.expires_at.getTime() > Date.now(),
  };
}

/** Grants as the API shows them: the opener and the reviewer named by display name. */
async function toBreakGlasses(db: Executor, rows: Selectable<BreakGlassGrantsTable>[]) {
  const users = await userRefs(
    db,
    rows.flatMap((r) => [r.user_id, r.reviewed_by]),
  );
  return rows.map((row) => toBreakGlass(row, users));
}

async function toOneBreakGlass(db: Executor, row: Selectable<BreakGlassGrantsTable>) {
  const [grant] = await toBreakGlasses(db, [row]);
  return grant!;
}

/** Compartments the actor's roles may open by break-glass (access_role_policies). */
async function breakGlassCompartments(ctx: ServiceContext): Promise<Set<CompartmentName>> {
  if (ctx.actor.roles.length === 0) return new Set();
  const rows = await ctx.db
    .selectFrom('access_role_policies')
    .select('break_glass_compartments')
    .where('role_code', 'in', ctx.actor.roles)
    .execute();
  return new Set(rows.flatMap((r) => r.break_glass_compartments));
}

/**
 * Opens a case outside the actor's scope for a limited time (config: HOMEWARD_BREAK_GLASS_MINUTES,
 * default 60). Needs a written reason of 20 characters or more; alerts the actor's supervisor and every
 * data-protection officer at once (notifications), and waits on the review list until reviewed.
 * A case that does not exist answers 404, as everywhere.
 */
export async function openBreakGlass(ctx: ServiceContext, caseId: string, input: OpenBreakGlass) {
  authorize(ctx.actor, 'breakglass:use');
  const reason = input.reason.trim();
  if (reason.length < BREAK_GLASS_REASON_MIN) {
    await recordAuditAlone(ctx.db, ctx.audit, {
      action: 'breakglass.open',
      targetType: 'case',
      targetId: caseId,
      outcome: 'failure',
      details: { code: 'BREAK_GLASS_REASON_REQUIRED', reasonLength: reason.length },
    });
    throw new AppError('BREAK_GLASS_REASON_REQUIRED', { details: { path: 'body.reason' } });
  }
  const allowed = await breakGlassCompartments(ctx);
  const requested = new Set<Compartment>(input.compartments ?? [...allowed]);
  const refused = [...requested].filter((c) => !allowed.has(c));
  if (allowed.size === 0 || refused.length > 0) {
    throw new AppError('BREAK_GLASS_FORBIDDEN', { details: { compartments: refused } });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const target = await trx.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
    if (!target) throw new AppError('NOT_FOUND');
    const current = await caseAccess(trx, ctx.actor, caseId);
    if (current?.via.scope && [...requested].every((c) => current.read.has(c))) {
      throw new AppError('BREAK_GLASS_NOT_NEEDED');
    }
    const now = Date.now();
    const row = await trx
      .insertInto('break_glass_grants')
      .values({
        user_id: ctx.actor.userId,
        case_id: caseId,
        compartments: [...requested],
        reason,
        opened_at: new Date(now),
        expires_at: new Date(now + ctx.config.breakGlassMinutes * 60_000),
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
    // Alert at once: the user's supervisor and every data-protection officer (holders of subject_requests:handle).
    const officers = await trx
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .innerJoin('roles', 'roles.id', 'user_roles.role_id')
      .select('users.id')
      .distinct()
      .where('users.status', '=', 'active')
      .where((eb) => eb(eb.val('subject_requests:handle'), '=', eb.fn.any('roles.permissions')))
      .execute();
    const recipients = new Set(officers.map((o) => o.id));
    if (ctx.actor.supervisorId) recipients.add(ctx.actor.supervisorId);
    recipients.delete(ctx.actor.userId);
    if (recipients.size > 0) {
      await trx
        .insertInto('notifications')
        .values(
          [...recipients].map((recipient) => ({
            recipient_user_id: recipient,
            kind: 'break_glass' as const,
            subject_type: 'break_glass',
            subject_id: row.id,
            actor_user_id: ctx.actor.userId,
          })),
        )
        .execute();
    }
    await recordAudit(trx, ctx.audit, {
      action: 'breakglass.open',
      targetType: 'case',
      targetId: caseId,
      sections: row.compartments,
      justification: reason,
      details: { grantId: row.id, expiresAt: row.expires_at.toISOString(), alerted: recipients.size },
    });
    return toOneBreakGlass(trx, row);
  });
}

/** Ends one's own break-glass early. */
export async function endBreakGlass(ctx: ServiceContext, grantId: string) {
  authorize(ctx.actor, 'breakglass:use');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('break_glass_grants')
      .set({ ended_at: new Date() })
      .where('id', '=', grantId)
      .where('user_id', '=', ctx.actor.userId)
      .where('ended_at', 'is', null)
      .returning(columns)
      .executeTakeFirst();
    if (!row) throw new AppError('BREAK_GLASS_NOT_FOUND');
    await recordAudit(trx, ctx.audit, {
      action: 'breakglass.end',
      targetType: 'case',
      targetId: row.case_id,
      details: { grantId },
    });
    return toOneBreakGlass(trx, row);
  });
}

/** The review list: a data-protection officer sees every use; a supervisor their supervisees'. */
export async function listBreakGlass(
  ctx: ServiceContext,
  query: { unreviewed?: boolean | undefined; limit: number },
) {
  authorize(ctx.actor, 'disclosures:review');
  let q = ctx.db
    .selectFrom('break_glass_grants')
    .select(columns)
    .orderBy('opened_at', 'desc')
    .limit(query.limit);
  if (!can(ctx.actor, 'subject_requests:handle')) {
    q = q.where('user_id', 'in', (eb) =>
      eb.selectFrom('users').select('users.id').where('users.supervisor_id', '=', ctx.actor.userId),
    );
  }
  if (query.unreviewed) q = q.where('reviewed_at', 'is', null);
  const rows = await q.execute();
  // The reasons may name the persons of the cases: the review list's read is audited.
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'breakglass.list',
      targetType: 'break_glass',
      details: { unreviewed: query.unreviewed ?? false, returned: rows.length },
    }),
  );
  return toBreakGlasses(ctx.db, rows);
}

export async function listMyBreakGlass(ctx: ServiceContext) {
  authorize(ctx.actor, 'breakglass:use');
  const rows = await ctx.db
    .selectFrom('break_glass_grants')
    .select(columns)
    .where('user_id', '=', ctx.actor.userId)
    .orderBy('opened_at', 'desc')
    .limit(100)
    .execute();
  return toBreakGlasses(ctx.db, rows);
}

export async function reviewBreakGlass(
  ctx: ServiceContext,
  grantId: string,
  input: { outcome: 'justified' | 'unjustified'; note?: string | undefined },
) {
  authorize(ctx.actor, 'disclosures:review');
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('break_glass_grants')
      .select(['id', 'user_id', 'case_id'])
      .where('id', '=', grantId);
    if (!can(ctx.actor, 'subject_requests:handle')) {
      q = q.where('user_id', 'in', (eb) =>
        eb.selectFrom('users').select('users.id').where('users.supervisor_id', '=', ctx.actor.userId),
      );
    }
    const existing = await q.executeTakeFirst();
    if (!existing || existing.user_id === ctx.actor.userId) throw new AppError('BREAK_GLASS_NOT_FOUND');
    const row = await trx
      .updateTable('break_glass_grants')
      .set({
        reviewed_at: new Date(),
        reviewed_by: ctx.actor.userId,
        review_outcome: input.outcome,
        review_note: input.note ?? null,
      })
      .where('id', '=', grantId)
      .returning(columns)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'breakglass.review',
      targetType: 'case',
      targetId: existing.case_id,
      details: { grantId, outcome: input.outcome },
    });
    return toOneBreakGlass(trx, row);
  });
}

export async function listMyNotifications(ctx: ServiceContext, query: { unread?: boolean | undefined }) {
  let q = ctx.db
    .selectFrom('notifications')
    .select(['id', 'kind', 'subject_type', 'subject_id', 'actor_user_id', 'created_at', 'read_at'])
    .where('recipient_user_id', '=', ctx.actor.userId)
    .orderBy('created_at', 'desc')
    .limit(200);
  if (query.unread) q = q.where('read_at', 'is', null);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    actorUserId: r.actor_user_id,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
  }));
}

export async function markNotificationRead(ctx: ServiceContext, id: string) {
  const result = await ctx.db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('id', '=', id)
    .where('recipient_user_id', '=', ctx.actor.userId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new AppError('NOTIFICATION_NOT_FOUND');
}
