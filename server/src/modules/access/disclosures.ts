import type { Kysely, Selectable, Transaction } from 'kysely';
import { type AuditContext, recordAudit, recordAuditAlone } from '../../platform/audit/audit.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { DisclosuresTable } from '../../platform/db/tables/access.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize, can, requireCaseAccess, type Section } from './access.ts';
import type { CreateDisclosure } from './schemas.ts';

type Executor = Kysely<DB> | Transaction<DB>;

const columns = [
  'id',
  'case_id',
  'recipient_agency_id',
  'recipient_compartment',
  'sections',
  'legal_basis',
  'purpose',
  'disclosed_by',
  'disclosed_at',
  'expires_at',
  'revoked_at',
  'revoked_by',
  'revocation_reason',
] as const;

function toDisclosure(row: Selectable<DisclosuresTable>) {
  const now = Date.now();
  return {
    id: row.id,
    caseId: row.case_id,
    recipientAgencyId: row.recipient_agency_id,
    recipientCompartment: row.recipient_compartment,
    sections: row.sections as Section[],
    legalBasis: row.legal_basis,
    purpose: row.purpose,
    disclosedBy: row.disclosed_by,
    disclosedAt: new Date(row.disclosed_at).toISOString(),
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
    revocationReason: row.revocation_reason,
    active: row.revoked_at === null && row.expires_at.getTime() > now,
  };
}

/** Refuses bad input with its own code, and leaves the attempt in the trail (its own transaction). */
async function refuse(ctx: ServiceContext, caseId: string, error: AppError): Promise<never> {
  await recordAuditAlone(ctx.db, ctx.audit, {
    action: 'disclosure.create',
    targetType: 'case',
    targetId: caseId,
    outcome: 'failure',
    details: { code: error.code },
  });
  throw error;
}

/**
 * Discloses chosen sections of a case to another agency or compartment, inside the caller's
 * transaction (a referral module may call this with its own). The discloser must see the case by
 * scope and read every section they disclose: nobody passes on what they do not hold.
 */
export async function discloseInTransaction(
  trx: Transaction<DB>,
  actor: Actor,
  audit: AuditContext,
  caseId: string,
  input: CreateDisclosure & { legalBasis: NonNullable<CreateDisclosure['legalBasis']> },
) {
  return insertDisclosure(trx, actor, audit, caseId, input, []);
}

/**
 * What a referral for a justice decision discloses, on what basis. The one exception to "disclose only
 * what you read": the case holder who refers a case for a justice decision (a workflow transition with
 * `justiceReferral`, ADR 0010) discloses the identity and **justice** sections to one prosecution office
 * without reading justice themselves, so the office can open the justice track, record the decision and
 * move it (`disclosureWritableCompartments`). Narrow by construction: these sections only, to an active
 * agency of kind `prosecution` only, by someone holding the case by scope and `disclosures:create`,
 * inside the transition's own transaction.
 */
export const justiceReferral = {
  sections: ['identity', 'justice'] as const satisfies readonly Section[],
  /** The sections the discloser need not read. */
  unreadSections: ['justice'] as const satisfies readonly Section[],
  legalBasis: 'justice_referral' as const,
  purpose: 'Referral for a justice decision',
  recipientKind: 'prosecution',
};

/**
 * The prosecution office a justice referral may name: 404 `AGENCY_NOT_FOUND` for an unknown id, 400
 * `PROSECUTION_OFFICE_REQUIRED` (at `path`) for an agency that is not an active prosecution office.
 */
export async function requireProsecutionOffice(trx: Executor, agencyId: string, path: string) {
  const agency = await trx
    .selectFrom('agencies')
    .select(['id', 'kind', 'active'])
    .where('id', '=', agencyId)
    .executeTakeFirst();
  if (!agency) throw new AppError('AGENCY_NOT_FOUND', { details: { path } });
  if (agency.kind !== justiceReferral.recipientKind || !agency.active) {
    throw new AppError('PROSECUTION_OFFICE_REQUIRED', { details: { path } });
  }
  return agency.id;
}

/**
 * Discloses identity and justice to the prosecution office a case is referred to, inside the
 * transition's transaction, audited as `disclosure.create`; see `justiceReferral`.
 */
export async function discloseForJusticeReferral(
  trx: Transaction<DB>,
  actor: Actor,
  audit: AuditContext,
  caseId: string,
  input: { prosecutionAgencyId: string; expiresAt: Date; path: string },
) {
  const recipientAgencyId = await requireProsecutionOffice(trx, input.prosecutionAgencyId, input.path);
  return insertDisclosure(
    trx,
    actor,
    audit,
    caseId,
    {
      recipientAgencyId,
      sections: [...justiceReferral.sections],
      legalBasis: justiceReferral.legalBasis,
      purpose: justiceReferral.purpose,
      expiresAt: input.expiresAt.toISOString(),
    },
    justiceReferral.unreadSections,
  );
}

async function insertDisclosure(
  trx: Transaction<DB>,
  actor: Actor,
  audit: AuditContext,
  caseId: string,
  input: Omit<CreateDisclosure, 'legalBasis'> & {
    legalBasis: NonNullable<CreateDisclosure['legalBasis']> | typeof justiceReferral.legalBasis;
  },
  unreadAllowed: readonly Section[],
) {
  authorize(actor, 'disclosures:create');
  const access = await requireCaseAccess(trx, actor, caseId);
  if (!access.via.scope) throw new AppError('FORBIDDEN', { details: { required: 'case in scope' } });
  for (const section of input.sections) {
    if (!access.read.has(section) && !unreadAllowed.includes(section)) {
      throw new AppError('COMPARTMENT_FORBIDDEN', { details: { section, mode: 'read' } });
    }
  }
  if (input.recipientAgencyId) {
    const agency = await trx
      .selectFrom('agencies')
      .select('id')
      .where('id', '=', input.recipientAgencyId)
      .executeTakeFirst();
    if (!agency) throw new AppError('AGENCY_NOT_FOUND', { details: { path: 'body.recipientAgencyId' } });
  }
  const row = await trx
    .insertInto('disclosures')
    .values({
      case_id: caseId,
      recipient_agency_id: input.recipientAgencyId ?? null,
      recipient_compartment: input.recipientCompartment ?? null,
      sections: [...new Set(input.sections)],
      legal_basis: input.legalBasis,
      purpose: input.purpose,
      disclosed_by: actor.userId,
      expires_at: new Date(input.expiresAt),
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  await recordAudit(trx, audit, {
    action: 'disclosure.create',
    targetType: 'case',
    targetId: caseId,
    sections: row.sections,
    details: {
      disclosureId: row.id,
      recipientAgencyId: row.recipient_agency_id,
      recipientCompartment: row.recipient_compartment,
      legalBasis: row.legal_basis,
      expiresAt: row.expires_at.toISOString(),
    },
  });
  return toDisclosure(row);
}

export async function createDisclosure(ctx: ServiceContext, caseId: string, input: CreateDisclosure) {
  authorize(ctx.actor, 'disclosures:create');
  if (!input.legalBasis) {
    return refuse(
      ctx,
      caseId,
      new AppError('DISCLOSURE_LEGAL_BASIS_REQUIRED', { details: { path: 'body.legalBasis' } }),
    );
  }
  if (new Date(input.expiresAt).getTime() <= Date.now()) {
    return refuse(
      ctx,
      caseId,
      new AppError('DISCLOSURE_EXPIRY_INVALID', { details: { path: 'body.expiresAt' } }),
    );
  }
  if (!input.recipientAgencyId === !input.recipientCompartment) {
    return refuse(ctx, caseId, new AppError('DISCLOSURE_RECIPIENT_INVALID', { details: { path: 'body' } }));
  }
  const legalBasis = input.legalBasis;
  return ctx.db
    .transaction()
    .execute((trx) => discloseInTransaction(trx, ctx.actor, ctx.audit, caseId, { ...input, legalBasis }));
}

/**
 * The disclosures of a case: all of them for those who see it by scope or review disclosures; for a
 * recipient, only the ones made to them.
 */
export async function listCaseDisclosures(ctx: ServiceContext, caseId: string) {
  const access = await requireCaseAccess(ctx.db, ctx.actor, caseId);
  const all = access.via.scope || can(ctx.actor, 'disclosures:review');
  if (!all && access.via.disclosureIds.length === 0) return [];
  let query = ctx.db.selectFrom('disclosures').select(columns).where('case_id', '=', caseId);
  if (!all) query = query.where('id', 'in', access.via.disclosureIds);
  const rows = await query.orderBy('disclosed_at', 'desc').execute();
  return rows.map(toDisclosure);
}

/** The data-protection officer's and supervisors' review list of disclosures, newest first. */
export async function listDisclosures(
  ctx: ServiceContext,
  query: { active?: boolean | undefined; limit: number },
) {
  authorize(ctx.actor, 'disclosures:review');
  let q = ctx.db.selectFrom('disclosures').select(columns).orderBy('disclosed_at', 'desc').limit(query.limit);
  if (!can(ctx.actor, 'subject_requests:handle')) {
    // A supervisor reviews what their own agency disclosed.
    q = q.where('disclosed_by', 'in', (eb) =>
      eb.selectFrom('users').select('users.id').where('users.agency_id', '=', ctx.actor.agencyId),
    );
  }
  if (query.active === true) q = q.where('revoked_at', 'is', null).where('expires_at', '>', new Date());
  const rows = await q.execute();
  await recordAuditAlone(ctx.db, ctx.audit, {
    action: 'disclosure.review_list',
    details: { count: rows.length },
  });
  return rows.map(toDisclosure);
}

export async function revokeDisclosure(
  ctx: ServiceContext,
  disclosureId: string,
  reason: string | undefined,
) {
  authorize(ctx.actor, 'disclosures:create');
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('disclosures')
      .select(['id', 'case_id', 'revoked_at'])
      .where('id', '=', disclosureId)
      .executeTakeFirst();
    if (!existing) throw new AppError('DISCLOSURE_NOT_FOUND');
    const access = await requireCaseAccess(trx, ctx.actor, existing.case_id).catch(() => null);
    // Only those who hold the case by scope revoke; a recipient cannot even learn the disclosure exists.
    if (!access?.via.scope) throw new AppError('DISCLOSURE_NOT_FOUND');
    if (existing.revoked_at) throw new AppError('DISCLOSURE_ALREADY_REVOKED');
    const row = await trx
      .updateTable('disclosures')
      .set({ revoked_at: new Date(), revoked_by: ctx.actor.userId, revocation_reason: reason ?? null })
      .where('id', '=', disclosureId)
      .returning(columns)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'disclosure.revoke',
      targetType: 'case',
      targetId: existing.case_id,
      details: { disclosureId },
    });
    return toDisclosure(row);
  });
}
