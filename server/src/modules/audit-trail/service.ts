import { recordAudit, verifyAuditChain } from '../../platform/audit/audit.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize } from '../access/access.ts';

export interface AuditQuery {
  actorUserId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  action?: string | undefined;
  outcome?: 'success' | 'denied' | 'failure' | undefined;
  before?: number | undefined;
  limit: number;
}

/** The data-protection officer's view of the trail, newest first, paged by sequence number. Reading it is audited too. */
export async function searchAuditTrail(ctx: ServiceContext, query: AuditQuery) {
  authorize(ctx.actor, 'audit:read');
  let q = ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(query.limit + 1);
  if (query.actorUserId) q = q.where('actor_user_id', '=', query.actorUserId);
  if (query.targetType) q = q.where('target_type', '=', query.targetType);
  if (query.targetId) q = q.where('target_id', '=', query.targetId);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.outcome) q = q.where('outcome', '=', query.outcome);
  if (query.before) q = q.where('seq', '<', query.before);
  const rows = await q.execute();
  const page = rows.slice(0, query.limit);
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'audit.search',
      details: Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)),
    }),
  );
  return {
    items: page.map((row) => ({
      seq: row.seq,
      occurredAt: row.occurred_at.toISOString(),
      actorUserId: row.actor_user_id,
      actorAgencyId: row.actor_agency_id,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      sections: row.sections,
      justification: row.justification,
      clientIp: row.client_ip,
      requestId: row.request_id,
      outcome: row.outcome,
      details: row.details,
      hash: row.hash,
    })),
    nextBefore: rows.length > query.limit ? (page.at(-1)?.seq ?? null) : null,
  };
}

export async function verifyTrail(ctx: ServiceContext) {
  authorize(ctx.actor, 'audit:verify');
  const result = await verifyAuditChain(ctx.db);
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'audit.verify',
      outcome: result.ok ? 'success' : 'failure',
      details: { checked: result.checked, ...(result.firstBad ? { firstBad: result.firstBad } : {}) },
    }),
  );
  return result;
}
