import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize } from '../access/access.ts';
import type { ProviderProfileInput, ProviderQuery } from './schemas.ts';

/**
 * The service-provider directory: agencies and organisations with the services they offer, the
 * regions they cover, their languages and contacts. It holds no personal data of persons; it is
 * how a worker picks a referral recipient.
 */
function providers(ctx: ServiceContext) {
  return ctx.db
    .selectFrom('provider_profiles')
    .innerJoin('agencies', 'agencies.id', 'provider_profiles.agency_id')
    .select([
      'agencies.id as agencyId',
      'agencies.code',
      'agencies.name',
      'agencies.kind',
      'agencies.jurisdiction',
      'provider_profiles.description',
      'provider_profiles.services',
      'provider_profiles.regions',
      'provider_profiles.languages',
      'provider_profiles.contacts',
      'provider_profiles.accepts_referrals as acceptsReferrals',
      'provider_profiles.version',
    ])
    .where('agencies.active', '=', true);
}

type ProviderRow = Awaited<ReturnType<ReturnType<typeof providers>['executeTakeFirstOrThrow']>>;
function toProvider(row: ProviderRow) {
  return { ...row, services: row.services as ProviderProfileInput['services'] };
}

export async function listProviders(ctx: ServiceContext, query: ProviderQuery) {
  authorize(ctx.actor, 'directory:read');
  let q = providers(ctx);
  if (query.service) q = q.where(sql<boolean>`provider_profiles.services @> ARRAY[${query.service}]::text[]`);
  if (query.region) q = q.where(sql<boolean>`provider_profiles.regions @> ARRAY[${query.region}]::text[]`);
  if (query.language)
    q = q.where(sql<boolean>`provider_profiles.languages @> ARRAY[${query.language}]::text[]`);
  if (query.kind) q = q.where('agencies.kind', '=', query.kind);
  if (query.acceptsReferrals)
    q = q.where('provider_profiles.accepts_referrals', '=', query.acceptsReferrals === 'true');
  if (query.q) {
    const pattern = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['agencies.name']), 'like', pattern),
        eb(eb.fn('lower', ['agencies.code']), 'like', pattern),
      ]),
    );
  }
  const rows = await q.orderBy('agencies.name').limit(500).execute();
  return rows.map(toProvider);
}

/**
 * Active agencies of one kind, by name: how a worker names the prosecution office a case is referred to
 * for a justice decision. Ids, codes and names only; an agency needs no directory profile to be listed.
 */
export async function listAgencies(ctx: ServiceContext, query: { kind: string }) {
  authorize(ctx.actor, 'directory:read');
  return ctx.db
    .selectFrom('agencies')
    .select(['id', 'code', 'name'])
    .where('active', '=', true)
    .where('kind', '=', query.kind)
    .orderBy('name')
    .orderBy('code')
    .limit(500)
    .execute();
}

async function fetchProvider(ctx: ServiceContext, agencyId: string) {
  const row = await providers(ctx).where('agencies.id', '=', agencyId).executeTakeFirst();
  if (!row) throw new AppError('PROVIDER_NOT_FOUND');
  return toProvider(row);
}

export async function getProvider(ctx: ServiceContext, agencyId: string) {
  authorize(ctx.actor, 'directory:read');
  return fetchProvider(ctx, agencyId);
}

/** Creates or replaces an agency's directory entry; replacing needs the version read. */
export async function saveProvider(ctx: ServiceContext, agencyId: string, input: ProviderProfileInput) {
  authorize(ctx.actor, 'directory:manage');
  await ctx.db.transaction().execute(async (trx) => {
    const agency = await trx
      .selectFrom('agencies')
      .select('id')
      .where('id', '=', agencyId)
      .executeTakeFirst();
    if (!agency) throw new AppError('AGENCY_NOT_FOUND');
    const current = await trx
      .selectFrom('provider_profiles')
      .select('version')
      .where('agency_id', '=', agencyId)
      .forUpdate()
      .executeTakeFirst();
    const values = {
      description: input.description,
      services: [...new Set(input.services)].sort(),
      regions: [...new Set(input.regions)].sort(),
      languages: [...new Set(input.languages)].sort(),
      contacts: JSON.stringify(input.contacts),
      accepts_referrals: input.acceptsReferrals,
      updated_at: new Date(),
    };
    if (current) {
      if (input.version !== current.version) {
        throw new AppError('VERSION_CONFLICT', {
          details: { path: 'body.version', currentVersion: current.version },
        });
      }
      await trx
        .updateTable('provider_profiles')
        .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
        .where('agency_id', '=', agencyId)
        .execute();
    } else {
      await trx
        .insertInto('provider_profiles')
        .values({ agency_id: agencyId, ...values })
        .execute();
    }
    await recordAudit(trx, ctx.audit, {
      action: current ? 'directory.update' : 'directory.create',
      targetType: 'agency',
      targetId: agencyId,
      details: { services: values.services, regions: values.regions.length, languages: values.languages },
    });
  });
  return fetchProvider(ctx, agencyId);
}
