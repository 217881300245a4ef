import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize, personVisibilityFilter } from '../access/access.ts';
import { deriveAge, todayIso } from './age.ts';
import { displayNames } from './repository.ts';
import type { PersonSearchQuery } from './schemas.ts';

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      a?: unknown;
      i?: unknown;
    };
    if (typeof parsed.a === 'string' && typeof parsed.i === 'string' && /^[0-9a-f-]{36}$/i.test(parsed.i)) {
      return { at: parsed.a, id: parsed.i };
    }
  } catch {
    // the one answer for every bad cursor follows
  }
  throw new AppError('VALIDATION_FAILED', {
    message: 'The cursor is not valid',
    details: { path: 'query.cursor' },
  });
}

/**
 * Persons in the actor's scope, newest first, by an exact or prefix match on any recorded name (in
 * any script) and by whereabouts: how a worker finds a relative to link. The visibility filter is in
 * the SQL; cross-script matching is the identity module's search.
 */
export async function searchPersons(ctx: ServiceContext, query: PersonSearchQuery) {
  authorize(ctx.actor, 'persons:read');
  let q = ctx.db
    .selectFrom('persons')
    .select([
      'persons.id',
      'persons.sex',
      'persons.birth_date_from',
      'persons.birth_date_to',
      'persons.whereabouts',
      'persons.created_at',
      // The cursor key at full (microsecond) precision: a millisecond Date would skip rows.
      sql<string>`persons.created_at::text`.as('created_key'),
    ])
    .where(personVisibilityFilter(ctx.actor));
  if (query.q) {
    const pattern = `${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where('persons.id', 'in', (eb) =>
      eb
        .selectFrom('person_names')
        .select('person_names.person_id')
        .where(sql<boolean>`lower(person_names.full_name) LIKE ${pattern}`),
    );
  }
  if (query.whereabouts) q = q.where('persons.whereabouts', '=', query.whereabouts);
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    q = q.where(
      sql<boolean>`(persons.created_at, persons.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`,
    );
  }
  const rows = await q
    .orderBy('persons.created_at', 'desc')
    .orderBy('persons.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? Buffer.from(JSON.stringify({ a: last.created_key, i: last.id })).toString('base64url')
      : null;
  const names = await displayNames(
    ctx.db,
    page.map((r) => r.id),
  );
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'person.search',
      targetType: 'person',
      sections: ['identity'],
      details: {
        filters: ['q', 'whereabouts', 'cursor'].filter(
          (k) => query[k as keyof PersonSearchQuery] !== undefined,
        ),
        returned: page.length,
      },
    }),
  );
  const today = todayIso();
  return {
    items: page.map((r) => ({
      id: r.id,
      displayName: names.get(r.id) ?? null,
      sex: r.sex,
      ageBand: deriveAge(r.birth_date_from, r.birth_date_to, today)?.band ?? null,
      whereabouts: r.whereabouts,
    })),
    nextCursor,
  };
}
