// Cost of need-to-know access (issue 4, docs/PERFORMANCE.md "## Access"):
//  1. the compiled row filter on the case list at scale on PostgreSQL — a page (50 newest open cases) and
//     its total count, per default role, against the same query without the filter and against the
//     hand-written "my agency" query;
//  2. an access decision per request: authorize + compiling the filter (in process), and resolving one
//     case's access (caseAccess: one round trip).
// Population: demo agencies and users (seedDemo, a few thousand persons with names), then persons and
// cases bulk-generated in SQL (one open case per person) up to BENCH_ACCESS_CASES (default 1,000,000).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { authorize, caseAccess, caseVisibilityFilter } from '../server/src/modules/access/access.ts';
import { seedDemo } from '../server/src/modules/demo/seed-demo.ts';
import type { Actor } from '../server/src/platform/auth/actor.ts';
import { authenticateSession } from '../server/src/platform/auth/authenticate.ts';
import { loadConfig } from '../server/src/platform/config.ts';
import { hashToken } from '../server/src/platform/crypto/secrets.ts';
import { type DatabaseHandle, openPGlite, openPostgres } from '../server/src/platform/db/database.ts';
import { migrate } from '../server/src/platform/db/migrate.ts';

const CASES = Number(process.env.BENCH_ACCESS_CASES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_ACCESS_RUNS ?? 15);
const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** `pglite`: the same population and queries on an in-memory PGlite (one connection, one process). */
const BACKEND = process.env.BENCH_ACCESS_BACKEND === 'pglite' ? 'pglite' : 'postgres';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function time(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return Number(median(samples).toFixed(2));
}

/** Persons and cases straight in SQL: owners weighted like the demo, 80% assigned within the owner agency. */
async function bulkPopulation(handle: DatabaseHandle, cases: number) {
  const { db } = handle;
  const existing = Number(
    (
      await db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const missing = Math.max(0, cases - existing);
  // Realistic caseloads: one synthetic case worker per ~600 cases (no sign-in, so no password to hash).
  if (missing > 0)
    await sql`
    WITH new_users AS (
      INSERT INTO users (username, display_name, agency_id, supervisor_id, password_hash)
      SELECT 'bench-worker-' || g, 'Bench worker ' || g,
             (SELECT id FROM agencies WHERE code = CASE WHEN g % 3 = 0 THEN 'MSP-NORTH' ELSE 'MSP' END),
             CASE WHEN g % 3 = 0 THEN NULL ELSE (SELECT id FROM users WHERE username = 'supervisor') END,
             'not-a-password-hash'
      FROM generate_series(1, ${Math.ceil(cases / 600)}) g
      RETURNING id
    )
    INSERT INTO user_roles (user_id, role_id)
    SELECT id, (SELECT id FROM roles WHERE code = 'case_worker') FROM new_users`.execute(db);
  const batch = 200_000;
  for (let done = 0; done < missing; done += batch) {
    const n = Math.min(batch, missing - done);
    await sql`
      WITH owners AS (
        SELECT array_agg(id ORDER BY code) AS ids FROM agencies WHERE code IN ('MSP', 'MSP-NORTH')
      ), workers AS MATERIALIZED (
        SELECT u.agency_id, array_agg(u.id ORDER BY u.username) AS ids FROM users u
        JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id AND r.code = 'case_worker'
        GROUP BY u.agency_id
      ), new_persons AS (
        INSERT INTO persons (sex, birth_date_kind, owner_agency_id, whereabouts)
        SELECT (ARRAY['female', 'male'])[1 + (g % 2)], 'unknown',
               (SELECT ids[1 + (g % 3 = 0)::int] FROM owners), 'in_country'
        FROM generate_series(1, ${n}) g
        RETURNING id, owner_agency_id
      )
      INSERT INTO cases (case_number, person_id, owner_agency_id, assigned_user_id, stage, opened_at)
      SELECT 'BENCH-' || ${done + existing} + row_number() OVER (), p.id, p.owner_agency_id,
             CASE WHEN random() < 0.8 THEN (SELECT w.ids[1 + floor(random() * cardinality(w.ids))::int]
                                             FROM workers w WHERE w.agency_id = p.owner_agency_id) END,
             floor(random() * 11)::int, now() - random() * interval '3 years'
      FROM new_persons p`.execute(db);
    console.log(`  ${existing + done + n} cases`);
  }
  if (missing === 0) return;
  // A realistic sprinkle of disclosures (to the NGO and to the justice compartment) and break-glass grants.
  await sql`
    INSERT INTO disclosures (case_id, recipient_agency_id, recipient_compartment, sections, legal_basis, purpose,
                             disclosed_by, expires_at)
    SELECT c.id, CASE WHEN i % 2 = 0 THEN (SELECT id FROM agencies WHERE code = 'WRC') END,
           CASE WHEN i % 2 = 1 THEN 'justice' END,
           CASE WHEN i % 2 = 0 THEN ARRAY['identity', 'referral_packet'] ELSE ARRAY['identity', 'justice'] END,
           'consent', 'bench', (SELECT id FROM users WHERE username = 'supervisor'), now() + interval '30 days'
    FROM (SELECT id, row_number() OVER () AS i FROM cases TABLESAMPLE SYSTEM (1) LIMIT 2000) c`.execute(db);
  await sql`
    INSERT INTO break_glass_grants (user_id, case_id, compartments, reason, expires_at)
    SELECT (SELECT id FROM users WHERE username = 'caseworker'), c.id, '{protection}',
           'benchmark emergency access reason', now() + interval '1 hour'
    FROM (SELECT id FROM cases TABLESAMPLE SYSTEM (1) LIMIT 5) c`.execute(db);
  await sql`ANALYZE`.execute(db);
}

async function actorOf(handle: DatabaseHandle, username: string): Promise<Actor> {
  const token = randomBytes(32).toString('base64url');
  const user = await handle.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  await handle.db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: user.id,
      csrf_token: 'bench',
      expires_at: new Date(Date.now() + 3_600_000),
    })
    .execute();
  return authenticateSession(
    handle.db,
    loadConfig({ HOMEWARD_DATA_DIR: 'memory://', HOMEWARD_DEMO: '1' }),
    token,
  );
}

/** The benchmark's database: a new (or kept) PostgreSQL database, or an in-memory PGlite. */
async function openBenchDatabase(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  if (BACKEND === 'pglite') {
    const handle = await openPGlite('memory://');
    return { handle, drop: async () => {} };
  }
  // BENCH_ACCESS_DB names a database to reuse (kept afterwards): a re-run skips the population it has.
  const keep = process.env.BENCH_ACCESS_DB;
  const name = keep ?? `hw_access_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  // Parallel query off: on a 2-core machine shared with other work, launching workers costs more than it
  // saves and turns every figure into noise. Both sides of each comparison run under the same setting.
  if (!process.env.BENCH_ACCESS_PARALLEL)
    url.searchParams.set('options', '-c max_parallel_workers_per_gather=0');
  const handle = openPostgres(url.toString(), 4);
  return {
    handle,
    drop: async () => {
      if (!keep) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export async function benchAccess() {
  const { handle, drop } = await openBenchDatabase();
  console.log(`  backend: ${BACKEND}`);
  const rows: Record<string, unknown>[] = [];
  try {
    await migrate(handle);
    let started = performance.now();
    const seeded = await handle.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (!seeded) await seedDemo(handle.db, { seed: 7, persons: 3000 });
    await bulkPopulation(handle, CASES);
    const seedSeconds = (performance.now() - started) / 1000;
    const total = Number(
      (
        await handle.db
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    console.log(`  population: ${total} cases in ${seedSeconds.toFixed(0)} s`);

    const page = (actor: Actor | null) => {
      let q = handle.db
        .selectFrom('cases')
        .select(['cases.id', 'cases.case_number', 'cases.stage', 'cases.opened_at'])
        .where('cases.status', '=', 'open');
      if (actor) q = q.where(caseVisibilityFilter(actor));
      return q.orderBy('cases.opened_at', 'desc').orderBy('cases.id').limit(50).execute();
    };
    const count = (actor: Actor | null) => {
      let q = handle.db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('cases.status', '=', 'open');
      if (actor) q = q.where(caseVisibilityFilter(actor));
      return q.executeTakeFirstOrThrow();
    };
    const basePage = await time(() => page(null));
    const baseCount = await time(() => count(null));
    const openCases = Number((await count(null)).n);
    rows.push({
      query: 'no filter (baseline)',
      cases: total,
      visible: openCases,
      pageMs: basePage,
      countMs: baseCount,
    });

    for (const [username, role] of [
      ['supervisor', 'supervisor (agency scope)'],
      ['caseworker', 'case worker (assigned scope)'],
      ['security', 'security assessor (all)'],
      ['prosecutor', 'prosecutor (disclosures only)'],
      ['ngo', 'NGO worker (disclosures only)'],
    ] as const) {
      const actor = await actorOf(handle, username);
      const pageMs = await time(() => page(actor));
      const countMs = await time(() => count(actor));
      const visible = Number((await count(actor)).n);
      rows.push({
        query: role,
        cases: total,
        visible,
        pageMs,
        countMs,
        pageVsBaseline: `${((pageMs / basePage - 1) * 100).toFixed(0)}%`,
        countVsBaseline: `${((countMs / baseCount - 1) * 100).toFixed(0)}%`,
      });
      if (process.env.BENCH_ACCESS_EXPLAIN) {
        const compiled =
          page.length >= 0
            ? handle.db
                .selectFrom('cases')
                .select(['cases.id'])
                .where('cases.status', '=', 'open')
                .where(caseVisibilityFilter(actor))
                .orderBy('cases.opened_at', 'desc')
                .orderBy('cases.id')
                .limit(50)
                .compile()
            : null;
        if (compiled) {
          const plan = await handle.db.executeQuery({ ...compiled, sql: `EXPLAIN ANALYZE ${compiled.sql}` });
          console.log(role, '\n', plan.rows.map((r) => Object.values(r as object)[0]).join('\n'));
        }
      }
      if (username === 'caseworker') {
        // The hand-written equivalent of assigned scope (the index cases_assigned_idx serves it in order).
        const handPage = await time(() =>
          handle.db
            .selectFrom('cases')
            .select(['cases.id', 'cases.case_number', 'cases.stage', 'cases.opened_at'])
            .where('cases.status', '=', 'open')
            .where('cases.assigned_user_id', '=', actor.userId)
            .orderBy('cases.opened_at', 'desc')
            .orderBy('cases.id')
            .limit(50)
            .execute(),
        );
        const handCount = await time(() =>
          handle.db
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('cases.status', '=', 'open')
            .where('cases.assigned_user_id', '=', actor.userId)
            .executeTakeFirstOrThrow(),
        );
        rows.push({
          query: 'hand-written assigned_user_id = me',
          cases: total,
          visible,
          pageMs: handPage,
          countMs: handCount,
          pageVsBaseline: `${((handPage / basePage - 1) * 100).toFixed(0)}%`,
          countVsBaseline: `${((handCount / baseCount - 1) * 100).toFixed(0)}%`,
        });
      }
      if (username === 'supervisor') {
        // The hand-written equivalent of agency scope: the least the filter could cost.
        const handPage = await time(() =>
          handle.db
            .selectFrom('cases')
            .select(['cases.id', 'cases.case_number', 'cases.stage', 'cases.opened_at'])
            .where('cases.status', '=', 'open')
            .where('cases.owner_agency_id', '=', actor.agencyId)
            .orderBy('cases.opened_at', 'desc')
            .orderBy('cases.id')
            .limit(50)
            .execute(),
        );
        const handCount = await time(() =>
          handle.db
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('cases.status', '=', 'open')
            .where('cases.owner_agency_id', '=', actor.agencyId)
            .executeTakeFirstOrThrow(),
        );
        rows.push({
          query: 'hand-written owner_agency_id = mine',
          cases: total,
          visible,
          pageMs: handPage,
          countMs: handCount,
          pageVsBaseline: `${((handPage / basePage - 1) * 100).toFixed(0)}%`,
          countVsBaseline: `${((handCount / baseCount - 1) * 100).toFixed(0)}%`,
        });
      }
    }

    // An access decision per request.
    const worker = await actorOf(handle, 'caseworker');
    const iterations = 200_000;
    started = performance.now();
    for (let i = 0; i < iterations; i += 1) {
      authorize(worker, 'cases:read');
      caseVisibilityFilter(worker);
    }
    const decisionNs = ((performance.now() - started) * 1e6) / iterations;
    const someCase = await handle.db
      .selectFrom('cases')
      .select('id')
      .where(caseVisibilityFilter(worker))
      .limit(1)
      .executeTakeFirstOrThrow();
    const caseAccessMs = await time(() => caseAccess(handle.db, worker, someCase.id));
    rows.push({
      query: 'authorize + compile filter (in process)',
      pageMs: Number((decisionNs / 1e6).toFixed(4)),
    });
    rows.push({ query: 'caseAccess(one case): sections + via', pageMs: caseAccessMs });
    return rows;
  } catch (error) {
    console.error('access bench failed:', (error as Error).message);
    throw error;
  } finally {
    await handle.close();
    await drop();
  }
}
