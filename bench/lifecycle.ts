// The lifecycle API's hot paths (issue 3 §10), on PGlite and PostgreSQL, with the demo population:
//  1. the case list with typical filters — the page query and its count, as a supervisor (agency scope);
//  2. the full case page (person, names, family cases, stage, tracks, pending approval, open tasks);
//  3. transitions per second, each with its case_transitions row and hash-chained audit entry.
// Sizes: BENCH_LIFECYCLE_PGLITE (default 20,000 persons), BENCH_LIFECYCLE_POSTGRES (default 100,000).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { buildCaseListQuery } from '../server/src/modules/cases/list.ts';
import { loadCase } from '../server/src/modules/cases/repository.ts';
import { caseListQuerySchema } from '../server/src/modules/cases/schemas.ts';
import { requestTransition } from '../server/src/modules/cases/service.ts';
import { loadWorkflow } from '../server/src/modules/cases/workflow.ts';
import { seedDemo } from '../server/src/modules/demo/seed-demo.ts';
import { authenticateSession } from '../server/src/platform/auth/authenticate.ts';
import { loadConfig } from '../server/src/platform/config.ts';
import { hashToken } from '../server/src/platform/crypto/secrets.ts';
import { type DatabaseHandle, openPGlite, openPostgres } from '../server/src/platform/db/database.ts';
import { migrate } from '../server/src/platform/db/migrate.ts';
import type { ServiceContext } from '../server/src/platform/http/context.ts';

const PGLITE_PERSONS = Number(process.env.BENCH_LIFECYCLE_PGLITE ?? 20_000);
const POSTGRES_PERSONS = Number(process.env.BENCH_LIFECYCLE_POSTGRES ?? 100_000);
const RUNS = Number(process.env.BENCH_LIFECYCLE_RUNS ?? 40);
const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const TYPICAL_FILTERS = [
  'status=open',
  'status=open&stage=7,8',
  'status=open&ageBand=5-9&sex=female',
  'track=justice&trackStatus=diverted',
  'flag=trafficking_indicators',
  'q=gul',
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0).toFixed(2));
}

async function sample(run: (i: number) => Promise<unknown>): Promise<number[]> {
  await run(0); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await run(i + 1);
    samples.push(performance.now() - started);
  }
  return samples;
}

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

async function measure(handle: DatabaseHandle, persons: number, backend: string) {
  await migrate(handle);
  await seedDemo(handle.db, { seed: 11, persons });
  await sql`ANALYZE`.execute(handle.db);
  const ctx = await supervisorContext(handle);
  const workflow = loadWorkflow(undefined);
  const rows: Record<string, unknown>[] = [];
  for (const query of TYPICAL_FILTERS) {
    const filters = caseListQuerySchema.parse(Object.fromEntries(new URLSearchParams(`${query}&limit=50`)));
    const { page, filtered } = buildCaseListQuery(ctx, filters);
    const pages = await sample(() => page.execute());
    const counts = await sample(() =>
      filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    );
    rows.push({
      backend,
      persons,
      what: `list ${query}`,
      p50: percentile(pages, 50),
      p95: percentile(pages, 95),
      countP50: percentile(counts, 50),
      countP95: percentile(counts, 95),
    });
  }
  const ids = (
    await handle.db
      .selectFrom('cases')
      .select('id')
      .where('owner_agency_id', '=', ctx.actor.agencyId)
      .where('status', '=', 'open')
      .limit(RUNS + 1)
      .execute()
  ).map((r) => r.id);
  const pagesMs = await sample(async (i) => {
    const row = await handle.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', ids[i % ids.length]!)
      .executeTakeFirstOrThrow();
    return loadCase(handle.db, ctx.actor, workflow, row);
  });
  rows.push({
    backend,
    persons,
    what: 'case page',
    p50: percentile(pagesMs, 50),
    p95: percentile(pagesMs, 95),
  });
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
  rows.push({ backend, persons, what: 'transitions/s', p50: Math.round(transitions / seconds) });
  return rows;
}

export async function benchLifecycle() {
  const rows: Record<string, unknown>[] = [];
  const pglite = await openPGlite('memory://');
  try {
    rows.push(...(await measure(pglite, PGLITE_PERSONS, 'PGlite')));
  } finally {
    await pglite.close();
  }
  const name = `hw_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const postgres = openPostgres(url.toString());
  try {
    rows.push(...(await measure(postgres, POSTGRES_PERSONS, 'PostgreSQL')));
  } finally {
    await postgres.close();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
  return rows;
}
