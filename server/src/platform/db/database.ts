import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Backend } from '../config.ts';
import type { DB } from './schema.ts';

export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  backend: Backend;
  /**
   * Runs a multi-statement SQL script (a migration) as one implicit transaction through the simple
   * query protocol: all of it or none of it.
   */
  executeScript(script: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Type parsers shared by both backends so a row reads the same on PGlite and PostgreSQL:
 * int8 as number (our counters stay far below 2^53), date as 'YYYY-MM-DD' text (never a local-time Date).
 */
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;
const sharedParsers: Record<number, (value: string) => unknown> = {
  [INT8]: (v) => Number(v),
  [DATE]: (v) => v,
  [NUMERIC]: (v) => Number(v),
};

export async function createPGlite(dataDir: string): Promise<PGlite> {
  if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });
  return PGlite.create(dataDir === 'memory://' ? undefined : dataDir, {
    extensions: { pg_trgm, unaccent, fuzzystrmatch },
    parsers: sharedParsers,
  });
}

export async function openPGlite(dataDir: string): Promise<DatabaseHandle> {
  return wrapPGlite(await createPGlite(dataDir));
}

/** Kysely over an open PGlite instance (a new one, or a clone of a template in tests). */
export function wrapPGlite(pglite: PGlite): DatabaseHandle {
  // PGlite has one connection; Kysely's PGlite adapter declares so and Kysely then hands it to one
  // caller at a time (a transaction holds it until commit), which database.test.ts checks.
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    backend: 'pglite',
    // Holding Kysely's connection keeps every other caller out while the script runs.
    executeScript: (script) =>
      db.connection().execute(async () => {
        await pglite.exec(script);
      }),
    close: async () => {
      await db.destroy();
    },
  };
}

export function openPostgres(databaseUrl: string, poolSize = 10): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        sharedParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle pooled connection that the server ends (restart, failover, an administrator's
  // pg_terminate_backend) is reported here and dropped by the pool; the next query opens a new one.
  // Without a listener node-postgres would throw it as an uncaught error and stop the process.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    backend: 'postgres',
    executeScript: async (script) => {
      // node-postgres sends a query without parameters through the simple protocol.
      await pool.query(script);
    },
    close: async () => {
      await db.destroy();
    },
  };
}

export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
}): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPGlite(options.dataDir);
}
