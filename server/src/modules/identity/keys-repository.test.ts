import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { seedPopulation } from '../synthetic/seed.ts';
import { hasStaleNameKeys, nameKeyRows, refreshNameKeys, reindexAllNameKeys } from './keys-repository.ts';
import { KEY_VERSION, nameKeys } from './names/index.ts';

describe('person name keys', () => {
  let handle: TestDatabase;
  let agency: string;

  async function keysOf(personId: string): Promise<string[]> {
    const rows = await handle.db
      .selectFrom('person_name_keys')
      .select('key')
      .where('person_id', '=', personId)
      .execute();
    return rows.map((r) => r.key).sort();
  }

  async function addPerson(names: string[]): Promise<string> {
    const person = await handle.db
      .insertInto('persons')
      .values({ sex: 'female', birth_date_kind: 'unknown', owner_agency_id: agency })
      .returning('id')
      .executeTakeFirstOrThrow();
    await handle.db
      .insertInto('person_names')
      .values(
        names.map((full_name, i) => ({
          person_id: person.id,
          full_name,
          script: 'latin' as const,
          name_type: i === 0 ? ('primary' as const) : ('variant' as const),
          source: 'other',
          is_display: i === 0,
        })),
      )
      .execute();
    return person.id;
  }

  beforeAll(async () => {
    handle = await createTestDatabase();
    agency = (
      await handle.db
        .insertInto('agencies')
        .values({ code: 'MSP', name: 'Social services (test)', kind: 'social_services' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await handle.close();
  });

  it('keeps one row per person and key across all of their names, from the display name first', () => {
    const rows = nameKeyRows([
      { id: 'n2', person_id: 'p', full_name: 'GULNARA ZHANBULATOVA' },
      { id: 'n1', person_id: 'p', full_name: 'Гульнара Жанбулатова', is_display: true },
    ]);
    const keys = rows.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(nameKeys('Гульнара Жанбулатова')));
    expect(rows.every((r) => r.name_id === 'n1')).toBe(true);
  });

  it('recomputes keys from the current names in the caller transaction', async () => {
    const id = await addPerson(['Gulnara Zhanbulatova']);
    expect(await keysOf(id)).toEqual([]);
    await handle.db.transaction().execute((trx) => refreshNameKeys(trx, [id]));
    expect(await keysOf(id)).toEqual([...nameKeys('Gulnara Zhanbulatova')].sort());

    await handle.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('person_names')
        .values({
          person_id: id,
          full_name: 'Umm Yusuf al-Kazakhi',
          script: 'latin',
          name_type: 'kunya',
          source: 'testimony',
        })
        .execute();
      await refreshNameKeys(trx, [id]);
    });
    const keys = await keysOf(id);
    expect(keys).toEqual(expect.arrayContaining(nameKeys('Umm Yusuf al-Kazakhi')));

    await handle.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('person_names')
        .where('person_id', '=', id)
        .where('name_type', '=', 'kunya')
        .execute();
      await refreshNameKeys(trx, [id]);
    });
    expect(await keysOf(id)).toEqual([...nameKeys('Gulnara Zhanbulatova')].sort());
  });

  it('writes nothing when the caller rolls back', async () => {
    const id = await addPerson(['Dilnoza Karimova']);
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await refreshNameKeys(trx, [id]);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await keysOf(id)).toEqual([]);
  });

  it('is written by the synthetic seeder for every seeded person, and rebuilt the same by reindex', async () => {
    await seedPopulation(handle.db, {
      seed: 77,
      persons: 120,
      agencies: [{ id: agency, kind: 'social_services' }],
      caseWorkers: [],
    });
    const missing = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM persons p
      WHERE NOT EXISTS (SELECT 1 FROM person_name_keys k WHERE k.person_id = p.id)
        AND EXISTS (SELECT 1 FROM person_names n WHERE n.person_id = p.id)
        AND p.id IN (SELECT person_id FROM family_unit_members)`.execute(handle.db);
    expect(missing.rows[0]?.n).toBe(0);
    const before = await sql<{ key: string; person_id: string }>`
      SELECT key, person_id FROM person_name_keys ORDER BY key, person_id`.execute(handle.db);
    const progress: number[] = [];
    const result = await reindexAllNameKeys(handle.db, { pageSize: 50, onProgress: (d) => progress.push(d) });
    const after = await sql<{ key: string; person_id: string }>`
      SELECT key, person_id FROM person_name_keys ORDER BY key, person_id`.execute(handle.db);
    expect(result.persons).toBeGreaterThanOrEqual(120);
    expect(progress.at(-1)).toBe(result.persons);
    // Persons added above without keys got theirs; the seeded ones are unchanged.
    const seeded = (rows: { person_id: string; key: string }[]) =>
      rows
        .filter((r) => before.rows.some((b) => b.person_id === r.person_id))
        .map((r) => `${r.key} ${r.person_id}`);
    expect(seeded(after.rows)).toEqual(seeded(before.rows));
  });

  it('tells keys made by an older name engine apart, and reindexing brings them to the current version', async () => {
    expect(await hasStaleNameKeys(handle.db)).toBe(false);
    await sql`UPDATE person_name_keys SET key_version = ${KEY_VERSION - 1}
      WHERE person_id = (SELECT person_id FROM person_name_keys LIMIT 1)`.execute(handle.db);
    expect(await hasStaleNameKeys(handle.db)).toBe(true);
    await reindexAllNameKeys(handle.db);
    expect(await hasStaleNameKeys(handle.db)).toBe(false);
  });
});
