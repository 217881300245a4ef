// Identity speed: one registry lookup (p50/p95) on PGlite and PostgreSQL beside a plain pg_trgm `%`
// query on raw names, batch linkage throughput against the registry, and screening throughput
// against a synthetic list, list ↔ list linkage in memory. `npm run bench identity-speed`; sizes from
// BENCH_IDENTITY_* variables (0 skips a step; BENCH_IDENTITY_WORKERS: worker threads for screening
// and linkage, default one per core). Linkage is run on one thread and then on the workers, and
// reports CPU time (all threads of the process) beside wall time: the machine is often shared.
// BENCH_IDENTITY_DB names a PostgreSQL database to keep and reuse: a re-run skips the seeding it
// has done (seeding a million persons takes many minutes). Every row carries the load average.
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { findCandidates } from '../server/src/modules/identity/candidates.ts';
import type { ReadRecord } from '../server/src/modules/identity/evidence.ts';
import { type LinkPair, linkAgainstRegistry, linkLists } from '../server/src/modules/identity/linkage.ts';
import { clearNameMemos, type PersonEvidence } from '../server/src/modules/identity/names/index.ts';
import { type ScreenableEntry, WatchlistMatcher } from '../server/src/modules/identity/screening.ts';
import { defaultScreeningWorkers } from '../server/src/modules/identity/screening-pool.ts';
import { type GeneratedPerson, generatePopulation } from '../server/src/modules/synthetic/generator.ts';
import { seedPopulation } from '../server/src/modules/synthetic/seed.ts';
import type { Actor } from '../server/src/platform/auth/actor.ts';
import { type DatabaseHandle, openPGlite, openPostgres } from '../server/src/platform/db/database.ts';
import { migrate } from '../server/src/platform/db/migrate.ts';

const PGLITE_PERSONS = Number(process.env.BENCH_IDENTITY_PGLITE ?? 100_000);
const POSTGRES_PERSONS = Number(process.env.BENCH_IDENTITY_POSTGRES ?? 1_000_000);
const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LOOKUPS = Number(process.env.BENCH_IDENTITY_LOOKUPS ?? 200);
const LINK_RECORDS = Number(process.env.BENCH_IDENTITY_LINK ?? 2_000);
const SCREEN_PERSONS = Number(process.env.BENCH_IDENTITY_SCREEN ?? 50_000);
/** Persons whose spellings make the two lists of the list ↔ list linkage. */
const LIST_PERSONS = Number(process.env.BENCH_IDENTITY_LISTS ?? 20_000);
const WORKERS =
  process.env.BENCH_IDENTITY_WORKERS === undefined ? undefined : Number(process.env.BENCH_IDENTITY_WORKERS);
const SEED = 11;

/**
 * Runs a linkage from cold caches (the name engine's memos emptied; workers start with their own
 * empty ones) and measures it: wall time, and CPU time of every thread of the process.
 */
async function timed(records: number, run: () => Promise<LinkPair[]>) {
  clearNameMemos();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const pairs = await run();
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return {
    pairs,
    wallSeconds: Number(wall.toFixed(1)),
    cpuSeconds: Number(cpuSeconds.toFixed(1)),
    recordsPerSecond: Math.round(records / wall),
    cpuMsPerRecord: Number(((cpuSeconds * 1000) / records).toFixed(2)),
  };
}

/** The same pairs in the same order (what the worker threads promise). */
const samePairs = (a: LinkPair[], b: LinkPair[]) => JSON.stringify(a) === JSON.stringify(b);

/** An actor who may see every person (the widest row filter: the worst case for a lookup). */
function benchActor(agencyId: string): Actor {
  return {
    userId: '00000000-0000-4000-8000-000000000000',
    username: 'bench',
    displayName: 'Bench',
    agencyId,
    agencyKind: 'security',
    agencyCode: 'BENCH',
    agencyName: 'Bench',
    supervisorId: null,
    roles: ['security_assessor'],
    roleNames: [],
    rolePermissions: new Set(['persons:read', 'identity:search']),
    permissions: new Set(['persons:read', 'identity:search']),
    via: 'session',
    tokenId: null,
    sessionTokenHash: null,
    csrfToken: null,
    mfaEnrolmentPending: false,
    totpEnabled: false,
    preferredLanguage: 'en',
    caseScope: 'all',
  };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/** Queries: a person of the population as another list writes them (a non-display spelling, DOB). */
function sampleQueries(persons: number, count: number): { personId: string; evidence: PersonEvidence }[] {
  const out: { personId: string; evidence: PersonEvidence }[] = [];
  const every = Math.max(1, Math.floor(persons / count));
  let i = 0;
  for (const family of generatePopulation({ seed: SEED, persons })) {
    for (const p of family.persons) {
      if (i++ % every !== 0 || out.length >= count) continue;
      const variant = p.names.find(
        (n) => !n.is_display && n.name_type !== 'kunya' && n.name_type !== 'alias',
      );
      if (variant === undefined) continue;
      out.push({ personId: p.id, evidence: evidenceOf(p, variant.full_name) });
    }
  }
  return out;
}

function evidenceOf(p: GeneratedPerson, name: string): PersonEvidence {
  return {
    names: [name],
    sex: p.sex,
    ...(p.birth_date_from !== null && p.birth_date_to !== null
      ? { birth: { from: p.birth_date_from, to: p.birth_date_to } }
      : {}),
  };
}

/** The 1/5/15-minute load averages, as `uptime` prints them. */
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * Seeds the bench population, or finds it in a kept database (BENCH_IDENTITY_DB): the bench agency
 * is renamed BENCH_DONE once seeding has finished; an interrupted seed must be dropped by hand.
 */
async function seed(handle: DatabaseHandle, persons: number): Promise<string> {
  await migrate(handle);
  const seeded = await sql<{ id: string; persons: number }>`
    SELECT a.id, (SELECT count(*)::int FROM persons WHERE owner_agency_id = a.id) AS persons
    FROM agencies a WHERE a.code = 'BENCH_DONE'`.execute(handle.db);
  const done = seeded.rows[0];
  if (done !== undefined) {
    if (done.persons < persons)
      throw new Error(`the kept database holds ${done.persons} persons, not ${persons}; drop it`);
    process.stderr.write(`  reusing ${done.persons} seeded persons\n`);
    return done.id;
  }
  const partial = await sql<{ n: number }>`SELECT count(*)::int AS n FROM persons`.execute(handle.db);
  if ((partial.rows[0]?.n ?? 0) > 0) throw new Error('the kept database holds an unfinished seed; drop it');
  const agency = await handle.db
    .insertInto('agencies')
    .values({ code: 'BENCH', name: 'Bench agency', kind: 'social_services' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const started = performance.now();
  let last = 0;
  await seedPopulation(handle.db, {
    seed: SEED,
    persons,
    agencies: [{ id: agency.id, kind: 'social_services' }],
    caseWorkers: [],
    onProgress: (done) => {
      if (done - last >= persons / 10) {
        last = done;
        process.stderr.write(
          `  seeded ${done}/${persons} (${((performance.now() - started) / 1000).toFixed(0)} s, load ${load()})\n`,
        );
      }
    },
  });
  // VACUUM as well: it sets the visibility map, so key lookups are index-only scans, as they are on a
  // registry autovacuum has visited (a fresh bulk load would otherwise fetch every key row's page).
  await sql`VACUUM ANALYZE`.execute(handle.db);
  await handle.db.updateTable('agencies').set({ code: 'BENCH_DONE' }).where('id', '=', agency.id).execute();
  return agency.id;
}

async function measureBackend(
  label: string,
  handle: DatabaseHandle,
  persons: number,
  report: (row: Record<string, unknown>) => void,
) {
  const seedStarted = performance.now();
  const agencyId = await seed(handle, persons);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const keys = await sql<{ n: number }>`SELECT count(*)::int AS n FROM person_name_keys`.execute(handle.db);
  const actor = benchActor(agencyId);
  const queries = sampleQueries(persons, LOOKUPS);
  // Warm-up: the first queries pay for plan caches and cold pages.
  for (const q of queries.slice(0, 10)) await findCandidates(handle.db, q.evidence, { actor });
  const times: number[] = [];
  let found = 0;
  for (const q of queries) {
    const t = performance.now();
    const results = await findCandidates(handle.db, q.evidence, { actor, limit: 10 });
    times.push(performance.now() - t);
    if (results.some((r) => r.personId === q.personId)) found++;
  }
  // The plain alternative: pg_trgm `%` on raw names, with a GIN trigram index built for it.
  const indexStarted = performance.now();
  await sql`CREATE INDEX IF NOT EXISTS bench_person_names_trgm ON person_names USING gin (full_name gin_trgm_ops)`.execute(
    handle.db,
  );
  const trgmIndexSeconds = (performance.now() - indexStarted) / 1000;
  const trgm: number[] = [];
  let trgmFound = 0;
  for (const q of queries.slice(0, Math.min(queries.length, 50))) {
    const t = performance.now();
    const rows = await sql<{ person_id: string }>`
      SELECT person_id FROM person_names WHERE full_name % ${q.evidence.names[0]}
      ORDER BY similarity(full_name, ${q.evidence.names[0]}) DESC LIMIT 10`.execute(handle.db);
    trgm.push(performance.now() - t);
    if (rows.rows.some((r) => r.person_id === q.personId)) trgmFound++;
  }
  report({
    backend: label,
    persons,
    keyRows: keys.rows[0]?.n ?? 0,
    seedSeconds: Number(seedSeconds.toFixed(0)),
    lookupP50ms: Number(percentile(times, 50).toFixed(1)),
    lookupP95ms: Number(percentile(times, 95).toFixed(1)),
    lookupRecall: Number((found / queries.length).toFixed(3)),
    trgmP50ms: Number(percentile(trgm, 50).toFixed(1)),
    trgmP95ms: Number(percentile(trgm, 95).toFixed(1)),
    trgmRecall: Number((trgmFound / trgm.length).toFixed(3)),
    trgmIndexSeconds: Number(trgmIndexSeconds.toFixed(0)),
  });
  if (LINK_RECORDS === 0) return;
  // Batch linkage against the registry.
  const linkQueries = sampleQueries(persons, LINK_RECORDS);
  const records: ReadRecord[] = linkQueries.map((q, i) => ({
    id: `r${i}`,
    evidence: q.evidence,
    problems: [],
  }));
  // The workers first, then one thread (the code path before worker threads), each from cold name
  // caches; the second run finds the database warm, so the comparison is in one thread's favour.
  const workers = WORKERS ?? availableParallelism();
  const progress = (what: string) => {
    const started = performance.now();
    let last = 0;
    return (done: number, total: number) => {
      if (done - last < total / 10 && done < total) return;
      last = done;
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      process.stderr.write(`  ${what}: linked ${done}/${total} (${seconds} s, load ${load()})\n`);
    };
  };
  const linkMany = await timed(records.length, () =>
    linkAgainstRegistry(handle.db, actor, records, { workers, onProgress: progress(`${workers} workers`) }),
  );
  const linkOne = await timed(records.length, () =>
    linkAgainstRegistry(handle.db, actor, records, { workers: 1, onProgress: progress('one thread') }),
  );
  const pairs = linkMany.pairs;
  const linkedPairs = new Set(pairs.map((p) => `${p.leftId} ${p.rightId}`));
  const linked = linkQueries.filter((q, i) => linkedPairs.has(`r${i} ${q.personId}`)).length;
  report({
    backend: `${label}, linkage`,
    persons,
    linkRecords: records.length,
    link1Wall: linkOne.wallSeconds,
    link1Cpu: linkOne.cpuSeconds,
    link1CpuMsPerRecord: linkOne.cpuMsPerRecord,
    linkWorkers: workers,
    linkNWall: linkMany.wallSeconds,
    linkNCpu: linkMany.cpuSeconds,
    linkNCpuMsPerRecord: linkMany.cpuMsPerRecord,
    linkNRecordsPerSecond: linkMany.recordsPerSecond,
    linkSamePairs: samePairs(linkOne.pairs, linkMany.pairs),
    linkRecall: Number((linked / records.length).toFixed(3)),
  });
}

/** A synthetic list of the UN list's size: 700 individuals with aliases, from another seed. */
function syntheticList(): ScreenableEntry[] {
  const entries: ScreenableEntry[] = [];
  for (const family of generatePopulation({ seed: 999, persons: 3000 })) {
    for (const p of family.persons) {
      if (entries.length >= 700 || p.role === 'child') continue;
      entries.push({
        id: p.id,
        referenceNumber: `SYNi.${entries.length + 1}`,
        listedName: p.names[0]?.full_name ?? '',
        names: p.names.map((n, i) => ({
          name: n.full_name,
          type: i === 0 ? 'primary' : 'alias',
          quality: i % 3 === 2 ? 'low' : 'good',
        })),
        gender: p.sex === 'female' ? 'Female' : 'Male',
        births:
          p.birth_date_from === null || p.birth_date_to === null
            ? []
            : [{ from: p.birth_date_from, to: p.birth_date_to, type: 'EXACT' }],
        nationalities: p.nationalities.map((n) => n.country),
        placesOfBirth: p.place_of_birth === null ? [] : [p.place_of_birth],
        contentHash: p.id,
      });
    }
  }
  return entries;
}

async function measureScreening() {
  const matcher = new WatchlistMatcher(syntheticList());
  const people: PersonEvidence[] = [];
  for (const family of generatePopulation({ seed: SEED, persons: SCREEN_PERSONS })) {
    for (const p of family.persons)
      people.push({ ...evidenceOf(p, ''), names: p.names.map((n) => n.full_name) });
  }
  const started = performance.now();
  // screenMany spreads the batch over worker threads (one per core unless BENCH_IDENTITY_WORKERS says).
  const results = await matcher.screenMany(people, undefined, WORKERS);
  const seconds = (performance.now() - started) / 1000;
  await matcher.close();
  return {
    backend: 'in memory (screening)',
    persons: people.length,
    listEntries: matcher.size,
    workers: WORKERS ?? defaultScreeningWorkers(people.length),
    hits: results.reduce((n, r) => n + r.length, 0),
    seconds: Number(seconds.toFixed(1)),
  };
}

/**
 * List ↔ list linkage in memory (`homeward link a.csv b.csv`): each person's first non-display
 * spelling in the left list against their display spelling in the right one.
 */
async function measureListLinkage() {
  const left: ReadRecord[] = [];
  const right: ReadRecord[] = [];
  for (const family of generatePopulation({ seed: SEED, persons: LIST_PERSONS })) {
    for (const p of family.persons) {
      const own = p.names.filter((n) => n.name_type !== 'kunya' && n.name_type !== 'alias');
      const display = own.find((n) => n.is_display);
      const variant = own.find((n) => !n.is_display);
      if (display === undefined) continue;
      right.push({ id: p.id, evidence: evidenceOf(p, display.full_name), problems: [] });
      if (variant !== undefined)
        left.push({ id: p.id, evidence: evidenceOf(p, variant.full_name), problems: [] });
    }
  }
  // Workers first, then one thread, each from cold name caches.
  const workers = WORKERS ?? availableParallelism();
  const many = await timed(left.length, () => linkLists(left, right, { workers }));
  const one = await timed(left.length, () => linkLists(left, right, { workers: 1 }));
  const found = new Set(many.pairs.filter((p) => p.leftId === p.rightId).map((p) => p.leftId)).size;
  return {
    backend: 'in memory (list ↔ list linkage)',
    left: left.length,
    right: right.length,
    link1Wall: one.wallSeconds,
    link1Cpu: one.cpuSeconds,
    link1CpuMsPerRecord: one.cpuMsPerRecord,
    linkWorkers: workers,
    linkNWall: many.wallSeconds,
    linkNCpu: many.cpuSeconds,
    linkNCpuMsPerRecord: many.cpuMsPerRecord,
    linkNRecordsPerSecond: many.recordsPerSecond,
    linkSamePairs: samePairs(one.pairs, many.pairs),
    linkRecall: Number((found / left.length).toFixed(3)),
  };
}

export async function benchIdentitySpeed() {
  const rows: Record<string, unknown>[] = [];
  // Each row is printed as soon as it is measured: the PostgreSQL million takes a while.
  const report = (measured: Record<string, unknown>) => {
    const row = { ...measured, load: load() };
    rows.push(row);
    console.log(JSON.stringify(row));
  };
  if (SCREEN_PERSONS > 0) report(await measureScreening());
  if (LIST_PERSONS > 0) report(await measureListLinkage());
  if (PGLITE_PERSONS > 0) {
    const pglite = await openPGlite('memory://');
    try {
      await measureBackend('PGlite (in memory)', pglite, PGLITE_PERSONS, report);
    } finally {
      await pglite.close();
    }
  }
  if (POSTGRES_PERSONS > 0) {
    const keep = process.env.BENCH_IDENTITY_DB;
    const name = keep ?? `hw_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    const postgres = openPostgres(url.toString());
    try {
      await measureBackend('PostgreSQL (local)', postgres, POSTGRES_PERSONS, report);
    } finally {
      await postgres.close();
      if (!keep) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  return rows;
}
