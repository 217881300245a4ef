import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { KEY_VERSION, nameKeys } from './names/index.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** The columns of a person_names row that keys are computed from. */
export interface NameForKeys {
  id: string;
  person_id: string;
  full_name: string;
  is_display?: boolean;
}

export interface NameKeyRow {
  key: string;
  person_id: string;
  name_id: string;
}

/** Person ids per statement: keeps array parameters and statements a sensible size. */
const CHUNK = 2000;

/**
 * The distinct keys of each person across all of their names (one row per person and key). The
 * display name is read first, so it is the name a shared key is attributed to. Pure: no I/O.
 */
export function nameKeyRows(names: readonly NameForKeys[]): NameKeyRow[] {
  const ordered = [...names].sort((a, b) => Number(b.is_display ?? false) - Number(a.is_display ?? false));
  const seen = new Map<string, Set<string>>();
  const rows: NameKeyRow[] = [];
  for (const name of ordered) {
    let keys = seen.get(name.person_id);
    if (keys === undefined) {
      keys = new Set();
      seen.set(name.person_id, keys);
    }
    for (const key of nameKeys(name.full_name)) {
      if (keys.has(key)) continue;
      keys.add(key);
      rows.push({ key, person_id: name.person_id, name_id: name.id });
    }
  }
  return rows;
}

/**
 * Inserts the keys of freshly inserted names (persons that have no keys yet), in one statement per
 * chunk: `INSERT … SELECT FROM unnest(...)`. Used by the synthetic seeder; everything else calls
 * refreshNameKeys.
 */
export async function insertNameKeys(db: Executor, names: readonly NameForKeys[]): Promise<number> {
  const rows = nameKeyRows(names);
  await insertKeyRows(db, rows);
  return rows.length;
}

async function insertKeyRows(db: Executor, rows: readonly NameKeyRow[]): Promise<void> {
  const step = CHUNK * 16;
  for (let i = 0; i < rows.length; i += step) {
    const part = rows.slice(i, i + step);
    await sql`
      INSERT INTO person_name_keys (key, person_id, name_id, key_version)
      SELECT k, p, n, ${KEY_VERSION}::smallint
      FROM unnest(${part.map((r) => r.key)}::text[], ${part.map((r) => r.person_id)}::uuid[],
                  ${part.map((r) => r.name_id)}::uuid[]) AS t(k, p, n)`.execute(db);
  }
}

/**
 * Recomputes the name keys of these persons from their current person_names rows, in the caller's
 * transaction: call it after any insert, update or delete of a person's names (and after a merge),
 * so lookups find the person by every name they are known by. Unknown ids are ignored.
 */
export async function refreshNameKeys(trx: Transaction<DB>, personIds: readonly string[]): Promise<void> {
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const names = await trx
      .selectFrom('person_names')
      .select(['id', 'person_id', 'full_name', 'is_display'])
      .where('person_id', 'in', chunk)
      .execute();
    await trx.deleteFrom('person_name_keys').where('person_id', 'in', chunk).execute();
    await insertKeyRows(trx, nameKeyRows(names));
  }
}

/** True when some stored name key was computed by an older version of the name engine. */
export async function hasStaleNameKeys(db: Kysely<DB>): Promise<boolean> {
  const row = await db
    .selectFrom('person_name_keys')
    .select('person_id')
    .where('key_version', '<>', KEY_VERSION)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Rebuilds the keys of every person (existing databases, or after KEY_VERSION changes): pages through
 * persons by id, one transaction per page, so a large registry is never held in one transaction.
 */
export async function reindexAllNameKeys(
  db: Kysely<DB>,
  options: { pageSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ persons: number; keys: number }> {
  const pageSize = options.pageSize ?? CHUNK;
  const total = Number(
    (
      await db
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
    )?.n ?? 0,
  );
  let after: string | null = null;
  let persons = 0;
  for (;;) {
    let query = db.selectFrom('persons').select('id').orderBy('id').limit(pageSize);
    if (after !== null) query = query.where('id', '>', after);
    const page = await query.execute();
    if (page.length === 0) break;
    await db.transaction().execute((trx) =>
      refreshNameKeys(
        trx,
        page.map((p) => p.id),
      ),
    );
    persons += page.length;
    after = page.at(-1)?.id ?? null;
    options.onProgress?.(persons, total);
  }
  const keys = Number(
    (
      await db
        .selectFrom('person_name_keys')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
    )?.n ?? 0,
  );
  return { persons, keys };
}
