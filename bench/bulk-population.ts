// Populations of a million for benchmarks, built in SQL: the application's generator (seedPopulation)
// writes ~420–1,000 persons/s on the shared machine, so a million would take most of an hour. Instead a
// small population is generated the ordinary way (seedDemo: names in every script, their name keys,
// families, stages, tracks, flags, birth ranges — the generator's distributions) and then copied in SQL
// as often as needed. Every copy gets new ids (md5 of the original id and the copy number, so rows of
// one copy find each other without a mapping table), new case numbers and family references, opening
// dates spread over the 30 days before the original's, and assignees spread over synthetic case workers
// (one per ~600 cases, like bench/access.ts). Name keys are copied with their names: a key depends only
// on the name's text, so the copies carry exactly the keys refreshNameKeys would compute.
// Not copied: nationalities, relationships (the case page reads family through family units). Open
// tasks, which the generator does not write, are added to every open case afterwards. The case list's
// copies (a case's person fields, a track's opening time: migrations 0071, 0072) are written by their
// triggers, as for any insert.
import { type Kysely, sql } from 'kysely';
import type { DB } from '../server/src/platform/db/schema.ts';

/** Synthetic case workers for realistic caseloads: two-thirds MSP (supervised by the demo supervisor), a third MSP-NORTH. */
export async function addBenchWorkers(db: Kysely<DB>, workers: number): Promise<void> {
  const existing = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('username', 'like', 'bench-worker-%')
    .executeTakeFirstOrThrow();
  const from = Number(existing.n) + 1;
  if (from > workers) return;
  await sql`
    WITH new_users AS (
      INSERT INTO users (username, display_name, agency_id, supervisor_id, password_hash)
      SELECT 'bench-worker-' || g, 'Bench worker ' || g,
             (SELECT id FROM agencies WHERE code = CASE WHEN g % 3 = 0 THEN 'MSP-NORTH' ELSE 'MSP' END),
             CASE WHEN g % 3 = 0 THEN NULL ELSE (SELECT id FROM users WHERE username = 'supervisor') END,
             'not-a-password-hash'
      FROM generate_series(${from}::int, ${workers}::int) g
      RETURNING id
    )
    INSERT INTO user_roles (user_id, role_id)
    SELECT id, (SELECT id FROM roles WHERE code = 'case_worker') FROM new_users`.execute(db);
}

/** Copy number k of an id: deterministic, so rows of one copy can refer to each other. */
const copyOf = (column: string) => sql.raw(`md5(${column}::text || ':' || k)::uuid`);

/**
 * Copies the population present now until the database holds `persons` persons (whole copies: the
 * result is the next multiple of the generated population). Returns the persons and cases written.
 */
export async function multiplyPopulation(
  db: Kysely<DB>,
  persons: number,
  onProgress?: (persons: number) => void,
): Promise<{ persons: number; cases: number }> {
  // The original population, remembered so that a re-run (or a second call) copies only it.
  await sql`CREATE TABLE IF NOT EXISTS bench_original_persons AS SELECT id FROM persons`.execute(db);
  const original = Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM bench_original_persons`.execute(db)).rows[0]!.n,
  );
  const present = Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM persons`.execute(db)).rows[0]!.n,
  );
  if (original === 0) throw new Error('multiplyPopulation needs a generated population to copy');
  const done = Math.round(present / original) - 1;
  const copies = Math.ceil(persons / original) - 1;
  const casesNow = async () =>
    Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(db)).rows[0]!.n);
  if (copies <= done) return { persons: present, cases: await casesNow() };

  const cases = Number(
    (
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases
        WHERE person_id IN (SELECT id FROM bench_original_persons)`.execute(db)
    ).rows[0]!.n,
  );
  await addBenchWorkers(db, Math.ceil(((copies + 1) * cases) / 600));
  await sql`DROP TABLE IF EXISTS bench_workers`.execute(db);
  await sql`
    CREATE TABLE bench_workers AS
    SELECT u.agency_id, array_agg(u.id ORDER BY u.username) AS ids FROM users u
    WHERE u.username LIKE 'bench-worker-%' GROUP BY u.agency_id`.execute(db);

  // ~100,000 persons a statement: one transaction per step, so a failure loses one step. Each statement
  // writes copy after copy (`ORDER BY k`), so the copies of one person lie a whole population apart, as
  // unrelated registrations would: written case by case instead, the ten copies of each generated person
  // shared a page, and a name's matches sat on a quarter of the pages they would occupy in a registry
  // filled over time (a count of "gul" read 1,900 pages for 10,400 rows, now 8,100; docs/PERFORMANCE.md).
  const step = Math.max(1, Math.floor(100_000 / original));
  for (let first = done + 1; first <= copies; first += step) {
    const last = Math.min(copies, first + step - 1);
    const ks = sql`generate_series(${first}::int, ${last}::int) AS k`;
    await db.transaction().execute(async (trx) => {
      await sql`
        INSERT INTO persons (id, sex, birth_date_kind, birth_date_from, birth_date_to, place_of_birth,
                             place_of_birth_is_camp, whereabouts, whereabouts_detail, flags, owner_agency_id)
        SELECT ${copyOf('p.id')}, p.sex, p.birth_date_kind, p.birth_date_from, p.birth_date_to, p.place_of_birth,
               p.place_of_birth_is_camp, p.whereabouts, p.whereabouts_detail, p.flags, p.owner_agency_id
        FROM persons p JOIN bench_original_persons o ON o.id = p.id, ${ks}
        ORDER BY k, p.id`.execute(trx);
      await sql`
        INSERT INTO person_names (id, person_id, full_name, given_name, family_name, patronymic, script, language,
                                  name_type, source, romanisation, recorded_on, is_display)
        SELECT ${copyOf('n.id')}, ${copyOf('n.person_id')}, n.full_name, n.given_name, n.family_name, n.patronymic,
               n.script, n.language, n.name_type, n.source, n.romanisation, n.recorded_on, n.is_display
        FROM person_names n JOIN bench_original_persons o ON o.id = n.person_id, ${ks}
        ORDER BY k, n.id`.execute(trx);
      await sql`
        INSERT INTO person_name_keys (key, person_id, name_id, key_version)
        SELECT nk.key, ${copyOf('nk.person_id')}, ${copyOf('nk.name_id')}, nk.key_version
        FROM person_name_keys nk JOIN bench_original_persons o ON o.id = nk.person_id, ${ks}
        ORDER BY k, nk.person_id`.execute(trx);
      await sql`
        INSERT INTO family_units (id, reference, owner_agency_id)
        SELECT ${copyOf('f.id')}, f.reference || '-' || k, f.owner_agency_id
        FROM family_units f, ${ks}
        WHERE f.id IN (SELECT m.family_unit_id FROM family_unit_members m
                       JOIN bench_original_persons o ON o.id = m.person_id)`.execute(trx);
      await sql`
        INSERT INTO family_unit_members (family_unit_id, person_id)
        SELECT ${copyOf('m.family_unit_id')}, ${copyOf('m.person_id')}
        FROM family_unit_members m JOIN bench_original_persons o ON o.id = m.person_id, ${ks}`.execute(trx);
      await sql`
        INSERT INTO cases (id, case_number, person_id, family_unit_id, owner_agency_id, assigned_user_id, stage,
                           status, opened_at, closed_at, close_reason)
        SELECT ${copyOf('c.id')}, c.case_number || '-' || k, ${copyOf('c.person_id')},
               CASE WHEN c.family_unit_id IS NOT NULL THEN ${copyOf('c.family_unit_id')} END,
               c.owner_agency_id,
               CASE WHEN c.assigned_user_id IS NOT NULL
                    THEN w.ids[1 + abs(hashtext(c.id::text || k)) % cardinality(w.ids)] END,
               c.stage, c.status,
               c.opened_at - (abs(hashtext(k || c.id::text)) % 2592000) * interval '1 second',
               c.closed_at, c.close_reason
        FROM cases c JOIN bench_original_persons o ON o.id = c.person_id
        LEFT JOIN bench_workers w ON w.agency_id = c.owner_agency_id, ${ks}
        ORDER BY k, c.id`.execute(trx);
      await sql`
        INSERT INTO case_tracks (case_id, track, status, updated_at)
        SELECT ${copyOf('t.case_id')}, t.track, t.status, t.updated_at
        FROM case_tracks t JOIN cases c ON c.id = t.case_id
        JOIN bench_original_persons o ON o.id = c.person_id, ${ks}
        ORDER BY k, t.case_id`.execute(trx);
    });
    onProgress?.((last + 1) * original);
  }
  await sql`DROP TABLE bench_workers`.execute(db);
  return {
    persons: Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM persons`.execute(db)).rows[0]!.n,
    ),
    cases: await casesNow(),
  };
}

/**
 * Open work on every open case, which the generator does not write: 0–3 tasks a case (1.5 on average),
 * three in four still open, due between 60 days ago and 90 days ahead (so about a quarter of open tasks
 * are overdue), assigned to the case's worker. Skipped when tasks exist.
 */
export async function addCaseTasks(db: Kysely<DB>): Promise<number> {
  const any = await db.selectFrom('case_tasks').select('id').limit(1).executeTakeFirst();
  if (any) return 0;
  const result = await sql`
    INSERT INTO case_tasks (case_id, kind, title, due_on, assigned_user_id, status, completed_at)
    SELECT c.id, (ARRAY['task', 'follow_up', 'review'])[1 + g % 3], 'Home visit ' || g,
           current_date + (abs(hashtext(c.id::text || g)) % 150 - 60),
           c.assigned_user_id,
           CASE WHEN abs(hashtext(g || c.id::text)) % 4 = 0 THEN 'done' ELSE 'open' END,
           CASE WHEN abs(hashtext(g || c.id::text)) % 4 = 0 THEN now() END
    FROM cases c CROSS JOIN LATERAL generate_series(1, abs(hashtext(c.id::text)) % 4) g
    WHERE c.status = 'open'`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
