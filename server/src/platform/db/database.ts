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
  /**
   * PostgreSQL only: hears `NOTIFY channel` from every connection to this database, on a dedicated
   * connection of its own (a pooled one would be handed to queries and miss notices between them).
   * Absent on PGlite: one process holds that database, so nothing changes it behind this process's back.
   */
  listen?(channel: string, handlers: NotificationHandlers, options?: ListenOptions): DatabaseListener;
  /** Closes the pool and any listener still open. */
  close(): Promise<void>;
}

export interface NotificationHandlers {
  notify(payload: string): void;
  /** Listening (again): notices sent from now on arrive; any sent while down were lost. */
  up(): void;
  /** Not listening: the connection failed or dropped; a new one is tried with backoff. */
  down(): void;
}

export interface ListenOptions {
  /**
   * How often the connection must answer a `SELECT 1`, and how long it may take, before it is taken
   * for lost (default 5 s): a connection cut without a reset (a network partition) sends no error.
   */
  heartbeatMs?: number;
}

export interface DatabaseListener {
  /** Settles once the first connection attempt has succeeded (after `up`) or failed (after `down`). */
  firstAttempt: Promise<void>;
  readonly listening: boolean;
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
  const listeners = new Set<DatabaseListener>();
  return {
    db,
    backend: 'postgres',
    executeScript: async (script) => {
      // node-postgres sends a query without parameters through the simple protocol.
      await pool.query(script);
    },
    listen: (channel, handlers, options = {}) => {
      const listener = listenOnPostgres(databaseUrl, channel, handlers, options, () =>
        listeners.delete(listener),
      );
      listeners.add(listener);
      return listener;
    },
    close: async () => {
      await Promise.all([...listeners].map((listener) => listener.close()));
      await db.destroy();
    },
  };
}

/** Reconnection delays: doubling from 100 ms to at most 10 s, with jitter so processes do not stampede. */
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 10_000;

function listenOnPostgres(
  databaseUrl: string,
  channel: string,
  handlers: NotificationHandlers,
  options: ListenOptions,
  onClosed: () => void,
): DatabaseListener {
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a plain channel name: ${channel}`);
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let settleFirst: () => void = () => undefined;
  const firstAttempt = new Promise<void>((resolve) => {
    settleFirst = resolve;
  });

  // Called once per connection however it ends (error, end, failed connect): both events can fire.
  const lost = (lostClient: pg.Client) => {
    if (client !== lostClient) return;
    client = null;
    listening = false;
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
    handlers.down();
    settleFirst();
    lostClient.end().catch(() => undefined);
    if (closed) return;
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** failures);
    failures++;
    retry = setTimeout(connect, ceiling / 2 + Math.random() * (ceiling / 2));
    retry.unref();
  };

  const connect = async () => {
    retry = null;
    if (closed) return;
    // keepAlive as well as the heartbeat: the socket itself is probed too, not only when a query is due.
    const attempt = new pg.Client({
      connectionString: databaseUrl,
      keepAlive: true,
      application_name: `homeward listen ${channel}`,
    });
    client = attempt;
    attempt.on('error', () => lost(attempt));
    attempt.on('end', () => lost(attempt));
    attempt.on('notification', (message) => {
      if (client === attempt && message.channel === channel) handlers.notify(message.payload ?? '');
    });
    try {
      await attempt.connect();
      await attempt.query(`LISTEN ${channel}`);
    } catch {
      lost(attempt);
      return;
    }
    if (client !== attempt) return;
    if (closed) {
      client = null;
      await attempt.end().catch(() => undefined);
      settleFirst();
      return;
    }
    failures = 0;
    listening = true;
    heartbeat = setInterval(() => {
      const deadline = setTimeout(() => lost(attempt), heartbeatMs);
      deadline.unref();
      attempt.query('SELECT 1').then(
        () => clearTimeout(deadline),
        () => {
          clearTimeout(deadline);
          lost(attempt);
        },
      );
    }, heartbeatMs);
    heartbeat.unref();
    handlers.up();
    settleFirst();
  };

  void connect();
  return {
    firstAttempt,
    get listening() {
      return listening;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (retry) clearTimeout(retry);
      if (heartbeat) clearInterval(heartbeat);
      const open = client;
      client = null;
      listening = false;
      settleFirst();
      onClosed();
      if (open) await open.end().catch(() => undefined);
    },
  };
}

export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
}): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPGlite(options.dataDir);
}
