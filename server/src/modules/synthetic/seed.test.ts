import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { generatePopulation } from './generator.ts';
import { seedPopulation } from './seed.ts';

const SEED = 4242;
const PERSONS = 1500;

describe('seedPopulation', () => {
  let handle: TestDatabase;
  let socialServices: string;
  let security: string;
  let worker: string;
  let result: { persons: number; cases: number };
  const progress: [number, number][] = [];

  async function count(query: RawBuilder<unknown>): Promise<number> {
    const rows = await query.execute(handle.db);
    return Number((rows.rows[0] as { n: number | string } | undefined)?.n);
  }

  beforeAll(async () => {
    handle = await createTestDatabase();
    const db = handle.db;
    socialServices = (
      await db
        .insertInto('agencies')
        .values({ code: 'MSP', name: 'Social services (test)', kind: 'social_services' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    security = (
      await db
        .insertInto('agencies')
        .values({ code: 'NSS', name: 'Security service (test)', kind: 'security' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    worker = (
      await db
        .insertInto('users')
        .values({
          username: 'worker',
          display_name: 'Case worker (test)',
          agency_id: socialServices,
          password_hash: 'x',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    result = await seedPopulation(db, {
      seed: SEED,
      persons: PERSONS,
      agencies: [
        { id: socialServices, kind: 'social_services' },
        { id: security, kind: 'security' },
      ],
      caseWorkers: [{ id: worker, agencyId: socialServices }],
      batchPersons: 400,
      onProgress: (done, total) => progress.push([done, total]),
    });
  });
  afterAll(async () => {
    await handle.close();
  });

  it('writes exactly the persons asked for, and reports what it wrote', async () => {
    expect(result.persons).toBe(PERSONS);
    expect(await count(sql`SELECT count(*) AS n FROM persons`)).toBe(PERSONS);
    expect(await count(sql`SELECT count(*) AS n FROM cases`)).toBe(result.cases);
    const expected = [...generatePopulation({ seed: SEED, persons: PERSONS })];
    expect(result.cases).toBe(expected.reduce((n, f) => n + f.cases.length, 0));
    const names = expected.reduce((n, f) => n + f.persons.reduce((m, p) => m + p.names.length, 0), 0);
    expect(await count(sql`SELECT count(*) AS n FROM person_names`)).toBe(names);
    expect(await count(sql`SELECT count(*) AS n FROM family_units`)).toBe(expected.length);
  });

  it('reports progress batch by batch up to the total', () => {
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual([PERSONS, PERSONS]);
    const done = progress.map(([d]) => d);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
  });

  it('gives every person exactly one display name and one family unit', async () => {
    expect(
      await count(sql`
      SELECT count(*) AS n FROM persons p
      WHERE (SELECT count(*) FROM person_names n WHERE n.person_id = p.id AND n.is_display) <> 1`),
    ).toBe(0);
    expect(
      await count(sql`
      SELECT count(*) AS n FROM persons p
      WHERE (SELECT count(*) FROM family_unit_members m WHERE m.person_id = p.id) <> 1`),
    ).toBe(0);
  });

  it('writes each relation once, child → parent, inside the family, with one mother and one father', async () => {
    expect(
      await count(sql`
      SELECT count(*) AS n FROM relationships r
      WHERE r.relation = 'child' OR r.person_id = r.related_person_id
         OR EXISTS (SELECT 1 FROM relationships b
                    WHERE b.person_id = r.related_person_id AND b.related_person_id = r.person_id
                      AND b.relation IN ('mother', 'father', 'spouse', 'sibling'))`),
    ).toBe(0);
    expect(
      await count(sql`
      SELECT count(*) AS n FROM (
        SELECT person_id FROM relationships WHERE relation IN ('mother', 'father')
        GROUP BY person_id, relation HAVING count(*) > 1) d`),
    ).toBe(0);
    expect(
      await count(sql`
      SELECT count(*) AS n FROM relationships r
      JOIN family_unit_members a ON a.person_id = r.person_id
      JOIN family_unit_members b ON b.person_id = r.related_person_id
      WHERE a.family_unit_id <> b.family_unit_id`),
    ).toBe(0);
    expect(
      await count(sql`
      SELECT count(*) AS n FROM relationships r JOIN persons p ON p.id = r.related_person_id
      WHERE (r.relation = 'mother' AND p.sex <> 'female') OR (r.relation = 'father' AND p.sex <> 'male')`),
    ).toBe(0);
  });

  it('stores every parent at least 13 years older than the child, and no reversed date of birth range', async () => {
    // What the generator promises, checked again on what reached the database (dates included).
    const links = await count(sql`
      SELECT count(*) AS n FROM relationships r
      JOIN persons c ON c.id = r.person_id JOIN persons p ON p.id = r.related_person_id
      WHERE r.relation IN ('mother', 'father')
        AND c.birth_date_from IS NOT NULL AND p.birth_date_to IS NOT NULL`);
    expect(links).toBeGreaterThan(300);
    expect(
      await count(sql`
      SELECT count(*) AS n FROM relationships r
      JOIN persons c ON c.id = r.person_id JOIN persons p ON p.id = r.related_person_id
      WHERE r.relation IN ('mother', 'father')
        AND c.birth_date_from < p.birth_date_to + interval '13 years'`),
    ).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM persons WHERE birth_date_from > birth_date_to`)).toBe(0);
  });

  it('opens one case per returned person, none for the dead or missing', async () => {
    // In the country: a returned person with one case at stage 3–10, or a guardian who never left.
    expect(
      await count(sql`
      SELECT count(*) AS n FROM persons p
      WHERE p.whereabouts = 'in_country'
        AND (SELECT count(*) FROM cases c WHERE c.person_id = p.id AND c.stage >= 3) <> 1
        AND NOT EXISTS (
          SELECT 1 FROM relationships r WHERE r.related_person_id = p.id AND r.relation = 'guardian')`),
    ).toBe(0);
    expect(
      await count(sql`
      SELECT count(*) AS n FROM cases c JOIN persons p ON p.id = c.person_id
      WHERE (c.stage >= 3 AND p.whereabouts <> 'in_country')
         OR (c.stage < 3 AND p.whereabouts NOT IN ('camp', 'detention'))
         OR (c.status = 'closed') <> (c.stage = 10)`),
    ).toBe(0);
    expect(
      await count(sql`
      SELECT count(*) AS n FROM cases c JOIN persons p ON p.id = c.person_id
      WHERE p.whereabouts IN ('deceased', 'unknown', 'abroad_other')`),
    ).toBe(0);
    expect(
      await count(sql`SELECT count(*) AS n FROM persons WHERE whereabouts = 'deceased'`),
    ).toBeGreaterThan(0);
    expect(await count(sql`SELECT count(*) AS n FROM cases WHERE stage <= 2`)).toBeGreaterThan(0);
  });

  it('never puts anyone who may be under 14 on a justice track', async () => {
    expect(
      await count(sql`
      SELECT count(*) AS n FROM case_tracks t
      JOIN cases c ON c.id = t.case_id JOIN persons p ON p.id = c.person_id
      WHERE t.track = 'justice'
        AND (p.birth_date_to IS NULL OR p.birth_date_to > current_date - interval '14 years')`),
    ).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM case_tracks WHERE track = 'justice'`)).toBeGreaterThan(
      0,
    );
  });

  it('numbers cases HW-<year>-<n>, owned by social services and assigned within the agency', async () => {
    expect(
      await count(sql`SELECT count(*) AS n FROM cases WHERE case_number !~ '^HW-[0-9]{4}-[0-9]{6,}$'`),
    ).toBe(0);
    expect(
      await count(sql`
      SELECT count(*) AS n FROM cases
      WHERE substr(case_number, 4, 4) <> to_char(opened_at AT TIME ZONE 'UTC', 'YYYY')`),
    ).toBe(0);
    expect(
      await count(sql`
      SELECT count(*) AS n FROM persons WHERE owner_agency_id <> ${socialServices}`),
    ).toBe(0);
    expect(
      await count(sql`
      SELECT count(*) AS n FROM cases
      WHERE owner_agency_id <> ${socialServices} OR assigned_user_id IS DISTINCT FROM ${worker}`),
    ).toBe(0);
  });

  it('keeps the flags and dates of birth the generator made', async () => {
    const rows = await sql<{
      flag: string;
    }>`SELECT DISTINCT unnest(flags) AS flag FROM persons ORDER BY 1`.execute(handle.db);
    expect(rows.rows.map((r) => r.flag)).toEqual(
      expect.arrayContaining(['disability', 'orphan', 'trafficking_indicators', 'unaccompanied']),
    );
    const first = [...generatePopulation({ seed: SEED, persons: 1 })][0]!.persons[0]!;
    const stored = await handle.db
      .selectFrom('persons')
      .select(['birth_date_kind', 'birth_date_from', 'birth_date_to', 'flags', 'whereabouts'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      birth_date_kind: first.birth_date_kind,
      birth_date_from: first.birth_date_from,
      birth_date_to: first.birth_date_to,
      flags: first.flags,
      whereabouts: first.whereabouts,
    });
  });

  it('rolls a failing batch back whole: no half-written family', async () => {
    // Persons and names go in first; the cases then fail on a worker who does not exist.
    await expect(
      seedPopulation(handle.db, {
        seed: SEED + 1,
        persons: 300,
        agencies: [{ id: socialServices, kind: 'social_services' }],
        caseWorkers: [{ id: '00000000-0000-4000-8000-000000000000', agencyId: socialServices }],
      }),
    ).rejects.toThrow(/foreign key/);
    expect(await count(sql`SELECT count(*) AS n FROM persons`)).toBe(PERSONS);
    expect(await count(sql`SELECT count(*) AS n FROM cases`)).toBe(result.cases);
  });
});
