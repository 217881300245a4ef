// The lifecycle API's hot paths (issue 3 §10), on PGlite and PostgreSQL:
//  1. the case list with typical filters — the page query and its count (the bounded count the API
//     runs, and the exact count for comparison), as a supervisor (agency scope);
//  2. the full case page (person, names, family cases, stage, tracks, pending approval, open tasks):
//     loadCase alone, and getCase as the API runs it (visibility check and audit entry in a transaction);
//  3. transitions per second, each with its case_transitions row and hash-chained audit entry.
// Population: the demo (seedDemo) with BENCH_LIFECYCLE_GENERATED persons (default 10,000) through the
// application's generator, then copied in SQL up to the size (bench/bulk-population.ts), plus open tasks.
// Sizes: BENCH_LIFECYCLE_PGLITE (default 100,000 persons; 0 skips), BENCH_LIFECYCLE_POSTGRES (default
// 1,000,000; 0 skips). BENCH_LIFECYCLE_DB names a PostgreSQL database to reuse and keep (a re-run skips
// the population it has, and migrates it). BENCH_LIFECYCLE_FILTERS ('|'-separated) picks list filters;
// BENCH_LIFECYCLE_EXPLAIN=1 prints their plans.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { type CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { buildCaseListQuery, caseListCountCap, countCases } from '../server/src/modules/cases/list.ts';
import { loadCase } from '../server/src/modules/cases/repository.ts';
import { caseListQuerySchema } from '../server/src/modules/cases/schemas.ts';
import { getCase, requestTransition } from '../server/src/modules/cases/service.ts';
import { loadWorkflow } from '../server/src/modules/cases/workflow.ts';
import { seedDemo } from '../server/src/modules/demo/seed-demo.ts';
import { authenticateSession } from '../server/src/platform/auth/authenticate.ts';
import { loadConfig } from '../server/src/platform/config.ts';
import { hashToken } from '../server/src/platform/crypto/secrets.ts';
import { type DatabaseHandle, openPGlite, openPostgres } from '../server/src/platform/db/database.ts';
import { migrate } from '../server/src/platform/db/migrate.ts';
import type { ServiceContext } from '../server/src/platform/http/context.ts';
import { addCaseTasks, multiplyPopulation } from './bulk-population.ts';

const PGLITE_PERSONS = Number(process.env.BENCH_LIFECYCLE_PGLITE ?? 100_000);
const POSTGRES_PERSONS = Number(process.env.BENCH_LIFECYCLE_POSTGRES ?? 1_000_000);
const GENERATED = Number(process.env.BENCH_LIFECYCLE_GENERATED ?? 10_000);
const RUNS = Number(process.env.BENCH_LIFECYCLE_RUNS ?? 40);
const TRANSITIONS = Number(process.env.BENCH_LIFECYCLE_TRANSITIONS ?? 200);
const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Also time the exact (uncapped) count of every filter, for comparison (BENCH_LIFECYCLE_EXACT=0 skips it). */
const EXACT_COUNTS = process.env.BENCH_LIFECYCLE_EXACT !== '0';
/** Which measurements to run (comma-separated; default all): list, page, transitions. */
const PARTS = new Set((process.env.BENCH_LIFECYCLE_PARTS ?? 'list,page,transitions').split(','));

/** Print each list filter's plans, page and capped count (EXPLAIN ANALYZE, BUFFERS), before its figures. */
const EXPLAIN = process.env.BENCH_LIFECYCLE_EXPLAIN === '1';

const DEFAULT_FILTERS = [
  'status=open',
  'status=open&stage=7,8',
  'status=open&ageBand=5-9&sex=female',
  'track=justice&trackStatus=diverted',
  'flag=trafficking_indicators',
  'q=gul',
];
/** The list filters to measure ('|'-separated query strings; default the typical ones and a whole name). */
const TYPICAL_FILTERS = process.env.BENCH_LIFECYCLE_FILTERS?.split('|') ?? DEFAULT_FILTERS;
const WHOLE_NAME = process.env.BENCH_LIFECYCLE_FILTERS === undefined;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0).toFixed(2));
}

async function sample(run: (i: number) => Promise<unknown>, runs = RUNS): Promise<number[]> {
  await run(0); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await run(i + 1);
    samples.push(performance.now() - started);
  }
  return samples;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** A supervisor's service context, signed in through a session row (no password hashing in the loop). */
async function supervisorContext(handle: DatabaseHandle): Promise<ServiceContext> {
  const config = loadConfig({ HOMEWARD_DATA_DIR: 'memory://', HOMEWARD_DEMO: '1', LOG_LEVEL: 'silent' });
  const user = await handle.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'supervisor')
    .executeTakeFirstOrThrow();
  const token = randomBytes(32).toString('base64url');
  await handle.db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: user.id,
      csrf_token: 'bench',
      expires_at: new Date(Date.now() + 3_600_000),
    })
    .execute();
  const actor = await authenticateSession(handle.db, config, token);
  return {
    db: handle.db,
    config,
    actor,
    audit: { actorUserId: actor.userId, actorAgencyId: actor.agencyId, clientIp: null, requestId: null },
  };
}

/** The demo population, generated then multiplied in SQL; seconds per phase. */
async function populate(handle: DatabaseHandle, persons: number, backend: string) {
  const { db } = handle;
  await migrate(handle);
  const phases: Record<string, number> = {};
  let started = performance.now();
  const seeded = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (!seeded) await seedDemo(db, { seed: 11, persons: Math.min(persons, GENERATED) });
  phases.generatedS = (performance.now() - started) / 1000;
  started = performance.now();
  const result = await multiplyPopulation(db, persons, (n) =>
    console.log(
      `  ${backend}: ${n} persons (${((performance.now() - started) / 1000).toFixed(0)} s, load ${load()})`,
    ),
  );
  phases.copiedS = (performance.now() - started) / 1000;
  started = performance.now();
  const tasks = await addCaseTasks(db);
  phases.tasksS = (performance.now() - started) / 1000;
  started = performance.now();
  // As autovacuum leaves a database some time after a bulk load: statistics, and the visibility map that
  // lets a count read an index alone.
  await sql`VACUUM ANALYZE`.execute(db);
  phases.vacuumAnalyzeS = (performance.now() - started) / 1000;
  const rounded = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Number(v.toFixed(1))]));
  console.log(`  ${backend}: ${result.persons} persons, ${result.cases} cases, ${tasks} tasks`, rounded);
  return { ...result, tasks, phases: rounded };
}

/** The plans of one list filter as measured: its page, and its count capped as the API caps it. */
async function explain(
  handle: DatabaseHandle,
  query: string,
  page: { compile(): CompiledQuery },
  filtered: ReturnType<typeof buildCaseListQuery>['filtered'],
  cap: number,
) {
  const count = handle.db
    .selectFrom(
      filtered
        .select(sql.lit(1).as('one'))
        .limit(cap + 1)
        .as('matches'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'));
  for (const [what, compiled] of [
    ['page', page.compile()],
    ['count', count.compile()],
  ] as const) {
    const plan = await handle.db.executeQuery({
      ...compiled,
      sql: `EXPLAIN (ANALYZE, BUFFERS) ${compiled.sql}`,
    });
    console.log(`-- ${what} ${decodeURIComponent(query)}`);
    console.log(plan.rows.map((r) => Object.values(r as object)[0]).join('\n'));
  }
}

async function measure(handle: DatabaseHandle, persons: number, backend: string) {
  const population = await populate(handle, persons, backend);
  const ctx = await supervisorContext(handle);
  const workflow = loadWorkflow(undefined);
  const rows: Record<string, unknown>[] = [
    {
      backend,
      persons: population.persons,
      what: `population: ${population.cases} cases, ${population.tasks} tasks; seconds ${JSON.stringify(population.phases)}`,
    },
  ];
  const at = (what: string) => console.log(`  ${backend} ${what}: load ${load()}`);
  // A whole name as a case worker types it: the display name of one listed person (namesakes included).
  const listed = await handle.db
    .selectFrom('person_names')
    .select('full_name')
    .where('is_display', '=', true)
    .where('script', '=', 'latin')
    .where(sql<boolean>`full_name LIKE '% %'`)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  at('measuring');
  const lists = PARTS.has('list')
    ? [...TYPICAL_FILTERS, ...(WHOLE_NAME ? [`q=${encodeURIComponent(listed.full_name)}`] : [])]
    : [];
  for (const query of lists) {
    const filters = caseListQuerySchema.parse(Object.fromEntries(new URLSearchParams(`${query}&limit=50`)));
    // As listCases runs it: counted first, the page following from the count (pageOfFewMatches).
    const { filtered, page } = buildCaseListQuery(ctx, filters);
    const counted = await countCases(ctx, filtered, caseListCountCap(filters));
    const pages = await sample(() => page(counted).execute());
    const counts = await sample(() => countCases(ctx, filtered, caseListCountCap(filters)));
    const exact = EXACT_COUNTS ? await sample(() => countCases(ctx, filtered, null)) : [];
    const total = await countCases(ctx, filtered, null);
    if (EXPLAIN) await explain(handle, query, page(counted), filtered, caseListCountCap(filters));
    rows.push({
      backend,
      persons: population.persons,
      what: `list ${decodeURIComponent(query)}`,
      matches: total.total,
      p50: percentile(pages, 50),
      p95: percentile(pages, 95),
      countP50: percentile(counts, 50),
      countP95: percentile(counts, 95),
      ...(EXACT_COUNTS ? { exactCountP50: percentile(exact, 50), exactCountP95: percentile(exact, 95) } : {}),
      load: load(),
    });
  }
  at('list done');
  // Cases spread over the whole table (not the first rows of an index), visible to the supervisor.
  const ids = (
    await handle.db
      .selectFrom('cases')
      .select('id')
      .where('owner_agency_id', '=', ctx.actor.agencyId)
      .where('status', '=', 'open')
      .orderBy(sql`md5(id::text || 'lifecycle')`)
      .limit(Math.max(RUNS + 1, TRANSITIONS))
      .execute()
  ).map((r) => r.id);
  if (PARTS.has('page')) {
    const loadMs = await sample(async (i) => {
      const row = await handle.db
        .selectFrom('cases')
        .selectAll()
        .where('id', '=', ids[i % ids.length]!)
        .executeTakeFirstOrThrow();
      return loadCase(handle.db, ctx.actor, workflow, row);
    });
    rows.push({
      backend,
      persons: population.persons,
      what: 'case page: row + loadCase',
      p50: percentile(loadMs, 50),
      p95: percentile(loadMs, 95),
      load: load(),
    });
    const getMs = await sample((i) => getCase(ctx, workflow, ids[(i + RUNS) % ids.length]!));
    rows.push({
      backend,
      persons: population.persons,
      what: 'case page: getCase (visibility, loadCase, audit entry)',
      p50: percentile(getMs, 50),
      p95: percentile(getMs, 95),
      load: load(),
    });
  }
  at('case page done');
  if (!PARTS.has('transitions')) return rows;
  // Open and close the protection track of the same cases, back and forth: each is a full transition.
  const versions = new Map<string, number>();
  for (const id of ids) {
    const row = await handle.db
      .selectFrom('cases')
      .select('version')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    versions.set(id, row.version);
  }
  const started = performance.now();
  let transitions = 0;
  for (const id of ids) {
    const track = await handle.db
      .selectFrom('case_tracks')
      .select('status')
      .where('case_id', '=', id)
      .where('track', '=', 'protection')
      .executeTakeFirst();
    const code = !track
      ? 'protection.open'
      : track.status === 'active'
        ? 'protection.monitor'
        : 'protection.resume';
    if (track?.status === 'closed') continue;
    const result = await requestTransition(ctx, workflow, id, {
      transition: code,
      version: versions.get(id)!,
    });
    versions.set(id, result.case.version);
    transitions += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  rows.push({
    backend,
    persons: population.persons,
    what: `transitions/s (${transitions})`,
    p50: Math.round(transitions / seconds),
    load: load(),
  });
  at('transitions done');
  return rows;
}

export async function benchLifecycle() {
  const rows: Record<string, unknown>[] = [];
  if (PGLITE_PERSONS > 0) {
    const pglite = await openPGlite('memory://');
    try {
      rows.push(...(await measure(pglite, PGLITE_PERSONS, 'PGlite')));
    } finally {
      await pglite.close();
    }
  }
  if (POSTGRES_PERSONS > 0) {
    const keep = process.env.BENCH_LIFECYCLE_DB;
    const name = keep ?? `hw_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    const postgres = openPostgres(url.toString());
    try {
      rows.push(...(await measure(postgres, POSTGRES_PERSONS, 'PostgreSQL')));
    } finally {
      await postgres.close();
      if (!keep) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  return rows;
}
