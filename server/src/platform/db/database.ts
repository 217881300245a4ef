import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import {
  type DatabaseConnection,
  type Driver,
  Kysely,
  PGliteDialect,
  PostgresDialect,
  type TransactionSettings,
} from 'kysely';
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

/**
 * PGlite has one connection. Kysely's PGlite driver hands that connection to every caller, so a
 * query from one request could run inside another request's open transaction. This driver
 * hands the connection to one caller at a time (a transaction holds it until commit or rollback).
 */
class SerialisedDriver implements Driver {
  #inner: Driver;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(inner: Driver) {
    this.#inner = inner;
  }
  init() {
    return this.#inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
    return this.#inner.acquireConnection();
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.#inner.releaseConnection(connection);
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    return this.#inner.beginTransaction(connection, settings);
  }
  commitTransaction(connection: DatabaseConnection) {
    return this.#inner.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection) {
    return this.#inner.rollbackTransaction(connection);
  }
  destroy() {
    return this.#inner.destroy();
  }
}

class SerialisedPGliteDialect extends PGliteDialect {
  override createDriver(): Driver {
    return new SerialisedDriver(super.createDriver());
  }
}

export async function createPGlite(dataDir: string): Promise<PGlite> {
  if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });
  return PGlite.create(dataDir === 'memory://' ? undefined : dataDir, {
    extensions: { pg_trgm, unaccent, fuzzystrmatch },
    parsers: sharedParsers,
  });
}

export async function openPGlite(dataDir: string): Promise<DatabaseHandle> {
  const pglite = await createPGlite(dataDir);
  const db = new Kysely<DB>({ dialect: new SerialisedPGliteDialect({ pglite }) });
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
