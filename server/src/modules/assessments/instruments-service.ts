import { recordAudit } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize, can } from '../access/access.ts';
import { todayIso } from '../persons/age.ts';
import { definitionChecksum, parseInstrument, renderInstrument } from './instrument.ts';
import { definitionOf, findInstrumentVersion, type InstrumentVersionRow } from './repository.ts';
import type { GrantQualification } from './schemas.ts';

/** Reading instruments is for those who assess or manage them; they hold no personal data. */
function authorizeInstrumentRead(ctx: ServiceContext): void {
  if (can(ctx.actor, 'instruments:manage')) return;
  authorize(ctx.actor, 'assessments:conduct');
}

function toVersion(row: InstrumentVersionRow, language: string) {
  const def = definitionOf(row);
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    kind: row.kind,
    compartment: row.compartment,
    status: row.status,
    template: def.template,
    shipped: row.shipped,
    name: renderInstrument(def, language).name,
    languages: def.languages,
    eligibility: def.eligibility,
    assessors: def.assessors,
    sha256: row.sha256,
    publishedAt: row.published_at === null ? null : new Date(row.published_at).toISOString(),
  };
}

/**
 * Imports an instrument version from its definition. A fault is refused with 400 `INSTRUMENT_INVALID`
 * and `details.path` naming it (`body.definition.domains.0.items.3.showIf.item`); a version already
 * published is refused with 409: it never changes, import the next version instead.
 */
export async function importInstrument(ctx: ServiceContext, raw: unknown, publish: boolean) {
  authorize(ctx.actor, 'instruments:manage');
  const parsed = parseInstrument(raw);
  if (!parsed.ok) {
    const issues = parsed.faults
      .slice(0, 20)
      .map((f) => ({ path: `body.definition.${f.path}`, message: f.message }));
    throw new AppError('INSTRUMENT_INVALID', {
      message: `The instrument definition is not valid: ${issues[0]?.path}: ${issues[0]?.message}`,
      details: { path: issues[0]?.path, issues },
    });
  }
  const def = parsed.definition;
  const sha256 = definitionChecksum(raw);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('instrument_versions')
      .selectAll()
      .where('code', '=', def.code)
      .where('version', '=', def.version)
      .forUpdate()
      .executeTakeFirst();
    if (existing && existing.status !== 'draft') {
      throw new AppError('INSTRUMENT_VERSION_PUBLISHED', { details: { path: 'body.definition.version' } });
    }
    const values = {
      kind: def.kind,
      compartment: def.compartment,
      definition: JSON.stringify(raw),
      sha256,
      status: publish ? ('published' as const) : ('draft' as const),
      published_by: publish ? ctx.actor.userId : null,
      published_at: publish ? new Date() : null,
    };
    const saved = existing
      ? await trx
          .updateTable('instrument_versions')
          .set({ ...values, imported_by: ctx.actor.userId })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('instrument_versions')
          .values({ ...values, code: def.code, version: def.version, imported_by: ctx.actor.userId })
          .returningAll()
          .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'instrument.import',
      targetType: 'instrument_version',
      targetId: saved.id,
      details: { code: def.code, version: def.version, sha256, published: publish },
    });
    return saved;
  });
  return toVersion(row, ctx.actor.preferredLanguage);
}

async function changeStatus(ctx: ServiceContext, code: string, version: number, to: 'published' | 'retired') {
  authorize(ctx.actor, 'instruments:manage');
  const row = await ctx.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('instrument_versions')
      .selectAll()
      .where('code', '=', code)
      .where('version', '=', version)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('INSTRUMENT_NOT_FOUND');
    const from = to === 'published' ? 'draft' : 'published';
    if (current.status !== from) {
      throw new AppError(to === 'published' ? 'INSTRUMENT_VERSION_PUBLISHED' : 'INSTRUMENT_NOT_PUBLISHED');
    }
    const updated = await trx
      .updateTable('instrument_versions')
      .set(
        to === 'published'
          ? { status: to, published_by: ctx.actor.userId, published_at: new Date() }
          : { status: to },
      )
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: to === 'published' ? 'instrument.publish' : 'instrument.retire',
      targetType: 'instrument_version',
      targetId: current.id,
      details: { code, version },
    });
    return updated;
  });
  return toVersion(row, ctx.actor.preferredLanguage);
}

export const publishInstrument = (ctx: ServiceContext, code: string, version: number) =>
  changeStatus(ctx, code, version, 'published');
/** A retired version takes no new assessments; those made in it still render in it. */
export const retireInstrument = (ctx: ServiceContext, code: string, version: number) =>
  changeStatus(ctx, code, version, 'retired');

/** Every version of every instrument (drafts only for those who manage instruments). */
export async function listInstruments(ctx: ServiceContext, language?: string) {
  authorizeInstrumentRead(ctx);
  let query = ctx.db.selectFrom('instrument_versions').selectAll().orderBy('code').orderBy('version', 'desc');
  if (!can(ctx.actor, 'instruments:manage')) query = query.where('status', '<>', 'draft');
  const rows = await query.execute();
  return rows.map((row) => toVersion(row, language ?? ctx.actor.preferredLanguage));
}

async function requireVersion(ctx: ServiceContext, code: string, version: number) {
  const found = await findInstrumentVersion(ctx.db, code, version);
  if (!found || (found.row.status === 'draft' && !can(ctx.actor, 'instruments:manage'))) {
    throw new AppError('INSTRUMENT_NOT_FOUND');
  }
  return found;
}

/** The definition exactly as imported: what another deployment imports. */
export async function exportInstrument(ctx: ServiceContext, code: string, version: number) {
  authorizeInstrumentRead(ctx);
  const found = await requireVersion(ctx, code, version);
  return found.row.definition as Record<string, unknown>;
}

/** One version rendered in a language: the form as an assessor sees it. */
export async function renderInstrumentVersion(
  ctx: ServiceContext,
  code: string,
  version: number,
  language?: string,
) {
  authorizeInstrumentRead(ctx);
  const found = await requireVersion(ctx, code, version);
  return renderInstrument(found.definition, language ?? ctx.actor.preferredLanguage);
}

// Assessor qualifications -----------------------------------------------------------------------------

type QualificationRow = {
  id: string;
  user_id: string;
  instrument_code: string;
  expires_on: string;
  reference: string | null;
  granted_by: string | null;
  granted_at: Date;
  revoked_at: Date | string | null;
};

function toQualification(row: QualificationRow, today = todayIso()) {
  return {
    id: row.id,
    userId: row.user_id,
    instrumentCode: row.instrument_code,
    expiresOn: row.expires_on,
    reference: row.reference,
    grantedBy: row.granted_by,
    grantedAt: new Date(row.granted_at).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
    current: row.revoked_at === null && row.expires_on >= today,
  };
}

export async function grantQualification(ctx: ServiceContext, input: GrantQualification) {
  authorize(ctx.actor, 'assessments:qualify');
  return ctx.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst();
    if (!user) throw new AppError('USER_NOT_FOUND', { details: { path: 'body.userId' } });
    const instrument = await trx
      .selectFrom('instrument_versions')
      .select('id')
      .where('code', '=', input.instrumentCode)
      .limit(1)
      .executeTakeFirst();
    if (!instrument) throw new AppError('INSTRUMENT_NOT_FOUND', { details: { path: 'body.instrumentCode' } });
    const row = await trx
      .insertInto('assessor_qualifications')
      .values({
        user_id: input.userId,
        instrument_code: input.instrumentCode,
        expires_on: input.expiresOn,
        reference: input.reference ?? null,
        granted_by: ctx.actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'assessor_qualification.grant',
      targetType: 'user',
      targetId: input.userId,
      details: { qualificationId: row.id, instrument: input.instrumentCode, expiresOn: input.expiresOn },
    });
    return toQualification(row);
  });
}

export async function revokeQualification(ctx: ServiceContext, id: string) {
  authorize(ctx.actor, 'assessments:qualify');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('assessor_qualifications')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('QUALIFICATION_NOT_FOUND');
    await recordAudit(trx, ctx.audit, {
      action: 'assessor_qualification.revoke',
      targetType: 'user',
      targetId: row.user_id,
      details: { qualificationId: id },
    });
    return toQualification(row);
  });
}

export async function listQualifications(ctx: ServiceContext, userId?: string) {
  authorize(ctx.actor, 'assessments:qualify');
  let query = ctx.db.selectFrom('assessor_qualifications').selectAll().orderBy('granted_at', 'desc');
  if (userId) query = query.where('user_id', '=', userId);
  const rows = await query.limit(1000).execute();
  return rows.map((row) => toQualification(row));
}
