import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database, DatabaseHandle } from './database.ts';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Migrations are plain SQL files named NNNN_name.sql, shared by PGlite and PostgreSQL. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

export function latestSchemaVersion(migrations = loadMigrations()): number {
  return migrations.at(-1)?.version ?? 0;
}

async function ensureMigrationsTable(db: Database): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
}

export async function currentSchemaVersion(db: Database): Promise<number> {
  const exists = await sql<{
    present: boolean;
  }>`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`.execute(db);
  if (!exists.rows[0]?.present) return 0;
  const row = await db
    .selectFrom('schema_migrations')
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

export class MigrationError extends Error {}

/**
 * Applies every pending migration, each as one script together with its record in
 * schema_migrations, so a migration is applied whole or not at all. A migration edited after it
 * was applied is refused by checksum: migrations are history, not source to rewrite. Two servers
 * starting together serialise on an advisory lock taken inside each script.
 */
export async function migrate(
  handle: Pick<DatabaseHandle, 'db' | 'executeScript'>,
  options: { migrations?: Migration[]; onApplied?: (m: Migration) => void } = {},
): Promise<{ applied: Migration[]; version: number }> {
  const { db } = handle;
  const migrations = options.migrations ?? loadMigrations();
  await ensureMigrationsTable(db);
  const rows = await db.selectFrom('schema_migrations').select(['version', 'checksum', 'name']).execute();
  const applied = new Map(rows.map((r) => [r.version, r]));
  for (const m of migrations) {
    const row = applied.get(m.version);
    if (row && row.checksum !== m.checksum) {
      throw new MigrationError(`Migration ${m.version}_${m.name} was changed after it was applied`);
    }
  }
  const pending = migrations.filter((m) => !applied.has(m.version));
  for (const m of pending) {
    if (!/^[a-z0-9_]+$/.test(m.name) || !/^[0-9a-z]+$/.test(m.checksum)) {
      throw new MigrationError(`Migration ${m.version} has an unusable name or checksum`);
    }
    try {
      await handle.executeScript(
        `SELECT pg_advisory_xact_lock(727001);\n${m.sql}\n;INSERT INTO schema_migrations (version, name, checksum) ` +
          `VALUES (${Math.trunc(m.version)}, '${m.name}', '${m.checksum}');`,
      );
    } catch (error) {
      throw new MigrationError(`Migration ${m.version}_${m.name} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    options.onApplied?.(m);
  }
  return { applied: pending, version: latestSchemaVersion(migrations) };
}
