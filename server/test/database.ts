import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseHandle, openPGlite, openPostgres } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on
 * the PostgreSQL server named by DATABASE_URL (dropped again on close). Same tests, both backends.
 */
export interface TestDatabase extends DatabaseHandle {
  /** The URL of the throwaway PostgreSQL database, when on PostgreSQL. */
  url?: string;
}

export const testBackend = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export async function createEmptyTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) return openPGlite('memory://');
  const name = `hw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = openPostgres(url.toString(), 5);
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const handle = await createEmptyTestDatabase();
  await migrate(handle);
  return handle;
}
