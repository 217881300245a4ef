// Seed throughput (persons/s) of the synthetic population on PGlite and on PostgreSQL.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { seedDemo } from '../server/src/modules/demo/seed-demo.ts';
import { openPGlite, openPostgres } from '../server/src/platform/db/database.ts';
import { migrate } from '../server/src/platform/db/migrate.ts';

const PGLITE_PERSONS = Number(process.env.BENCH_SEED_PGLITE ?? 20_000);
const POSTGRES_PERSONS = Number(process.env.BENCH_SEED_POSTGRES ?? 100_000);
const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function measure(handle: Awaited<ReturnType<typeof openPGlite>>, persons: number) {
  await migrate(handle);
  const started = performance.now();
  const result = await seedDemo(handle.db, { seed: 7, persons });
  const seconds = (performance.now() - started) / 1000;
  return {
    persons: result.persons,
    cases: result.cases,
    seconds: Number(seconds.toFixed(1)),
    personsPerSecond: Math.round(result.persons / seconds),
  };
}

export async function benchSeed() {
  const rows: Record<string, unknown>[] = [];
  const pglite = await openPGlite('memory://');
  try {
    rows.push({ backend: 'PGlite (in memory)', ...(await measure(pglite, PGLITE_PERSONS)) });
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
    rows.push({ backend: 'PostgreSQL 15 (local)', ...(await measure(postgres, POSTGRES_PERSONS)) });
  } finally {
    await postgres.close();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
  return rows;
}
