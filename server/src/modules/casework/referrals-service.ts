import type { Selectable, Transaction } from 'kysely';
import { recordAudit, recordAuditAlone } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { ReferralsTable } from '../../platform/db/tables/lifecycle.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize, can, caseVisibilityFilter, requireCaseWork } from '../access/access.ts';
import { requireReferralConsent } from '../access/consent.ts';
import { agencyRefOf, agencyRefs } from '../accounts/refs.ts';
import { findVisibleCaseRow } from '../cases/repository.ts';
import { requireVisibleCase } from '../cases/service.ts';
import { deriveAge, todayIso } from '../persons/age.ts';
import { displayNames } from '../persons/repository.ts';
import type { CreateReferral, RecordService } from './schemas.ts';

type ReferralRow = Selectable<ReferralsTable>;
type Executor = ServiceContext['db'] | Transaction<DB>;

/**
 * What an actor may see of a referral. The sending side (who sees the case) sees it all. The
 * recipient agency sees the referral packet only: before it accepts, no name and no case; after it
 * accepts, the display name, the case id and the referral-packet notes — never the case file.
 */
type View = 'sender' | 'recipient';

async function referralView(db: Executor, ctx: ServiceContext, row: ReferralRow): Promise<View | null> {
  if (can(ctx.actor, 'cases:read') && (await findVisibleCaseRow(db, ctx.actor, row.case_id))) return 'sender';
  if (can(ctx.actor, 'referrals:receive') && row.to_agency_id === ctx.actor.agencyId) return 'recipient';
  return null;
}

async function toReferral(db: Executor, row: ReferralRow, view: View) {
  const revealed = view === 'sender' || row.status === 'accepted' || row.status === 'completed';
  const caseRow = await db
    .selectFrom('cases')
    .innerJoin('persons', 'persons.id', 'cases.person_id')
    .select(['persons.id', 'persons.sex', 'persons.birth_date_from', 'persons.birth_date_to'])
    .where('cases.id', '=', row.case_id)
    .executeTakeFirstOrThrow();
  const names = revealed ? await displayNames(db, [caseRow.id]) : new Map<string, string>();
  const notes = revealed
    ? await db
        .selectFrom('case_notes')
        .select(['id', 'body', 'created_at'])
        .where('referral_id', '=', row.id)
        .where('compartment', '=', 'referral_packet')
        .orderBy('created_at')
        .execute()
    : [];
  const agencies = await agencyRefs(db, [row.from_agency_id, row.to_agency_id]);
  return {
    id: row.id,
    caseId: revealed ? row.case_id : null,
    fromAgencyId: row.from_agency_id,
    toAgencyId: row.to_agency_id,
    fromAgency: agencyRefOf(agencies, row.from_agency_id),
    toAgency: agencyRefOf(agencies, row.to_agency_id),
    serviceType: row.service_type as CreateReferral['serviceType'],
    packetSummary: row.packet_summary,
    urgency: row.urgency,
    status: row.status,
    consentBasis: row.consent_override_reason === null ? ('consent' as const) : ('override' as const),
    person: {
      displayName: names.get(caseRow.id) ?? null,
      sex: caseRow.sex,
      ageBand: deriveAge(caseRow.birth_date_from, caseRow.birth_date_to, todayIso())?.band ?? null,
    },
    packetNotes: notes.map((n) => ({ id: n.id, body: n.body, createdAt: n.created_at.toISOString() })),
    declineReason: row.decline_reason,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    version: row.version,
  };
}

/** Refusals of the consent gate: the referral rolls back, the attempt stays in the trail. */
const CONSENT_REFUSALS: readonly string[] = ['CONSENT_REQUIRED', 'OVERRIDE_REASON_REQUIRED'];

/**
 * Refers a case to an agency or service provider. Outside the owner agency the person's consent is
 * required, or a permitted override with a written reason (both decided and audited by the access
 * module's consent gate): otherwise 409 CONSENT_REQUIRED and nothing is written — except the refused
 * attempt's audit entry (outcome `denied`), in its own transaction after the rollback.
 */
export async function createReferral(ctx: ServiceContext, caseId: string, input: CreateReferral) {
  authorize(ctx.actor, 'cases:write');
  try {
    return await insertReferral(ctx, caseId, input);
  } catch (error) {
    if (error instanceof AppError && CONSENT_REFUSALS.includes(error.code)) {
      await recordAuditAlone(ctx.db, ctx.audit, {
        action: 'referral.create',
        targetType: 'case',
        targetId: caseId,
        outcome: 'denied',
        sections: ['referral_packet'],
        details: {
          code: error.code,
          toAgencyId: input.toAgencyId,
          serviceType: input.serviceType,
          override: input.override !== undefined,
        },
      });
    }
    throw error;
  }
}

async function insertReferral(ctx: ServiceContext, caseId: string, input: CreateReferral) {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await requireVisibleCase(trx, ctx, caseId, { lock: true });
    // Referring onward is work on the case: not for someone who sees it only through a disclosure.
    await requireCaseWork(trx, ctx.actor, caseId, null);
    if (row.status === 'closed') throw new AppError('CASE_CLOSED');
    const recipient = await trx
      .selectFrom('agencies')
      .select(['id', 'active'])
      .where('id', '=', input.toAgencyId)
      .executeTakeFirst();
    if (!recipient?.active) throw new AppError('AGENCY_NOT_FOUND', { details: { path: 'body.toAgencyId' } });
    const consent = await requireReferralConsent(
      trx,
      ctx.actor,
      {
        personId: row.person_id,
        recipientAgencyId: input.toAgencyId,
        ...(input.override ? { override: { reason: input.override.reason } } : {}),
      },
      ctx.audit,
    );
    const referral = await trx
      .insertInto('referrals')
      .values({
        case_id: caseId,
        from_agency_id: row.owner_agency_id,
        to_agency_id: input.toAgencyId,
        service_type: input.serviceType,
        packet_summary: input.packetSummary,
        urgency: input.urgency,
        consent_override_reason: consent.basis === 'override' ? (input.override?.reason ?? null) : null,
        created_by: ctx.actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'referral.create',
      targetType: 'case',
      targetId: caseId,
      sections: ['referral_packet'],
      details: {
        referralId: referral.id,
        toAgencyId: input.toAgencyId,
        serviceType: input.serviceType,
        basis: consent.basis,
        consentId: consent.consentId,
      },
    });
    return toReferral(trx, referral, 'sender');
  });
}

async function requireReferral(
  trx: Executor,
  ctx: ServiceContext,
  id: string,
  options: { lock?: boolean } = {},
) {
  let query = trx.selectFrom('referrals').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  const view = row ? await referralView(trx, ctx, row) : null;
  if (!row || !view) throw new AppError('REFERRAL_NOT_FOUND');
  return { row, view };
}

export async function getReferral(ctx: ServiceContext, id: string) {
  if (!can(ctx.actor, 'referrals:receive')) authorize(ctx.actor, 'cases:read');
  return ctx.db.transaction().execute(async (trx) => {
    const { row, view } = await requireReferral(trx, ctx, id);
    const referral = await toReferral(trx, row, view);
    await recordAudit(trx, ctx.audit, {
      action: 'referral.read',
      targetType: 'referral',
      targetId: id,
      sections: ['referral_packet'],
      details: { view },
    });
    return referral;
  });
}

/** Incoming referrals (to the actor's agency) or outgoing ones (from cases the actor can see). */
export async function listReferrals(
  ctx: ServiceContext,
  query: { direction: 'incoming' | 'outgoing'; status?: ReferralRow['status'] | undefined },
) {
  if (query.direction === 'incoming') authorize(ctx.actor, 'referrals:receive');
  else authorize(ctx.actor, 'cases:read');
  let rows: ReferralRow[];
  if (query.direction === 'incoming') {
    let q = ctx.db.selectFrom('referrals').selectAll().where('to_agency_id', '=', ctx.actor.agencyId);
    if (query.status) q = q.where('status', '=', query.status);
    rows = await q.orderBy('created_at', 'desc').limit(500).execute();
  } else {
    let q = ctx.db
      .selectFrom('referrals')
      .innerJoin('cases', 'cases.id', 'referrals.case_id')
      .selectAll('referrals')
      .where(caseVisibilityFilter(ctx.actor));
    if (query.status) q = q.where('referrals.status', '=', query.status);
    rows = await q.orderBy('referrals.created_at', 'desc').limit(500).execute();
  }
  const view: View = query.direction === 'incoming' ? 'recipient' : 'sender';
  const result = [];
  for (const row of rows) result.push(await toReferral(ctx.db, row, view));
  // Accepted referrals (and every outgoing one) name their person: the list read is audited.
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'referral.list',
      targetType: 'referral',
      sections: ['referral_packet'],
      details: { direction: query.direction, status: query.status ?? null, returned: result.length },
    }),
  );
  return result;
}

async function decide(
  ctx: ServiceContext,
  id: string,
  decision: 'accepted' | 'declined',
  reason: string | null,
) {
  authorize(ctx.actor, 'referrals:receive');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('referrals')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row || row.to_agency_id !== ctx.actor.agencyId) throw new AppError('REFERRAL_NOT_FOUND');
    if (row.status !== 'pending') throw new AppError('REFERRAL_NOT_PENDING');
    const updated = await trx
      .updateTable('referrals')
      .set((eb) => ({
        status: decision,
        decided_by: ctx.actor.userId,
        decided_at: new Date(),
        decline_reason: reason,
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: decision === 'accepted' ? 'referral.accept' : 'referral.decline',
      targetType: 'referral',
      targetId: id,
      details: { caseId: row.case_id },
    });
    return toReferral(trx, updated, 'recipient');
  });
}

export const acceptReferral = (ctx: ServiceContext, id: string) => decide(ctx, id, 'accepted', null);
export const declineReferral = (ctx: ServiceContext, id: string, reason: string) =>
  decide(ctx, id, 'declined', reason);

function toService(s: Selectable<DB['service_deliveries']>) {
  return {
    id: s.id,
    caseId: s.case_id,
    referralId: s.referral_id,
    serviceType: s.service_type as RecordService['serviceType'],
    providerAgencyId: s.provider_agency_id,
    deliveredOn: s.delivered_on,
    outcome: s.outcome,
    createdAt: s.created_at.toISOString(),
  };
}

/**
 * Records a service delivered. The case's own side records any provider; a recipient agency records
 * its own services under a referral it accepted, and sees only those.
 */
export async function recordService(ctx: ServiceContext, caseId: string, input: RecordService) {
  authorize(ctx.actor, 'services:record');
  if (input.deliveredOn > todayIso()) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'A delivered service cannot be in the future',
      details: { path: 'body.deliveredOn' },
    });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const visible = can(ctx.actor, 'cases:read')
      ? await findVisibleCaseRow(trx, ctx.actor, caseId)
      : undefined;
    let providerAgencyId = input.providerAgencyId ?? ctx.actor.agencyId;
    if (!visible) {
      // Through an accepted referral only, and only as the recipient agency itself.
      const referral = input.referralId
        ? await trx
            .selectFrom('referrals')
            .select(['id', 'status', 'to_agency_id'])
            .where('id', '=', input.referralId)
            .where('case_id', '=', caseId)
            .executeTakeFirst()
        : undefined;
      if (!referral || referral.to_agency_id !== ctx.actor.agencyId || referral.status !== 'accepted') {
        throw new AppError('CASE_NOT_FOUND');
      }
      providerAgencyId = ctx.actor.agencyId;
    } else if (input.referralId) {
      const referral = await trx
        .selectFrom('referrals')
        .select('id')
        .where('id', '=', input.referralId)
        .where('case_id', '=', caseId)
        .executeTakeFirst();
      if (!referral) throw new AppError('REFERRAL_NOT_FOUND', { details: { path: 'body.referralId' } });
    }
    const provider = await trx
      .selectFrom('agencies')
      .select('id')
      .where('id', '=', providerAgencyId)
      .executeTakeFirst();
    if (!provider) throw new AppError('AGENCY_NOT_FOUND', { details: { path: 'body.providerAgencyId' } });
    const row = await trx
      .insertInto('service_deliveries')
      .values({
        case_id: caseId,
        referral_id: input.referralId,
        service_type: input.serviceType,
        provider_agency_id: providerAgencyId,
        delivered_on: input.deliveredOn,
        outcome: input.outcome,
        recorded_by: ctx.actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'service.record',
      targetType: 'case',
      targetId: caseId,
      details: {
        serviceId: row.id,
        serviceType: input.serviceType,
        providerAgencyId,
        referralId: input.referralId,
      },
    });
    return toService(row);
  });
}

/** The service deliveries of a case: all of them for its own side; a provider sees only its own. */
export async function listServices(ctx: ServiceContext, caseId: string) {
  if (!can(ctx.actor, 'services:record')) authorize(ctx.actor, 'cases:read');
  const visible = can(ctx.actor, 'cases:read')
    ? await findVisibleCaseRow(ctx.db, ctx.actor, caseId)
    : undefined;
  let query = ctx.db.selectFrom('service_deliveries').selectAll().where('case_id', '=', caseId);
  if (!visible) {
    const referral = await ctx.db
      .selectFrom('referrals')
      .select('id')
      .where('case_id', '=', caseId)
      .where('to_agency_id', '=', ctx.actor.agencyId)
      .where('status', 'in', ['accepted', 'completed'])
      .executeTakeFirst();
    if (!referral) throw new AppError('CASE_NOT_FOUND');
    query = query.where('provider_agency_id', '=', ctx.actor.agencyId);
  }
  const rows = await query.orderBy('delivered_on').orderBy('id').execute();
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'service.read',
      targetType: 'case',
      targetId: caseId,
      sections: ['services'],
      details: { view: visible ? 'case' : 'provider' },
    }),
  );
  return rows.map(toService);
}
