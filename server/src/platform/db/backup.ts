import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { type Kysely, sql, type Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import { AppError } from '../errors.ts';
import type { DatabaseHandle } from './database.ts';
import { currentSchemaVersion, latestSchemaVersion, loadMigrations, migrate } from './migrate.ts';
import type { DB } from './schema.ts';

/**
 * Backup format: gzip of newline-delimited JSON.
 *   line 1   {"format":"homeward-backup","formatVersion":1,"schemaVersion":N,"tables":[…],"sequences":[…]}
 *   rows     {"t":"<table>","r":<row_to_json of the row>}
 *   last     {"end":true,"rows":N,"counts":{…},"sha256":"<hex of every byte before this line>"}
 * The schema itself is not in the file: the header's schemaVersion names the migrations that make it.
 * Rows come from one snapshot and load back through json_populate_recordset, so every PostgreSQL
 * type round-trips through its own text form, on PGlite and PostgreSQL alike.
 */
export const BACKUP_FORMAT = 'homeward-backup';
export const BACKUP_FORMAT_VERSION = 1;
const PAGE_SIZE = 2000;
const INSERT_BATCH = 500;

interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: { name: string; type: string }[];
}
interface SequenceInfo {
  name: string;
  lastValue: number;
  isCalled: boolean;
}
interface BackupHeader {
  format: string;
  formatVersion: number;
  schemaVersion: number;
  createdAt: string;
  backend: string;
  tables: { name: string; columns: string[] }[];
  sequences: SequenceInfo[];
}

type Executor = Kysely<DB> | Transaction<DB>;
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function describeTables(db: Executor): Promise<TableInfo[]> {
  const rows = await sql<{ table_name: string; columns: string[]; pk: string[]; pk_types: string[] }>`
    SELECT c.relname AS table_name,
      (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
      (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE i.indrelid = c.oid AND i.indisprimary) AS pk,
      (SELECT array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY k.ord) FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE i.indrelid = c.oid AND i.indisprimary) AS pk_types
    FROM pg_class c
    WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
      AND c.relname <> 'schema_migrations'
    ORDER BY c.relname`.execute(db);
  return rows.rows.map((r) => {
    if (!r.pk?.length) throw new Error(`Table ${r.table_name} has no primary key and cannot be backed up`);
    return {
      name: r.table_name,
      columns: r.columns,
      primaryKey: r.pk.map((name, i) => ({ name, type: r.pk_types[i] ?? 'text' })),
    };
  });
}

async function describeSequences(db: Executor): Promise<SequenceInfo[]> {
  const names = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_class c
    WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace ORDER BY c.relname`.execute(db);
  const result: SequenceInfo[] = [];
  for (const { name } of names.rows) {
    const state = await sql<{ last_value: number; is_called: boolean }>`
      SELECT last_value, is_called FROM ${sql.table(name)}`.execute(db);
    const row = state.rows[0];
    if (row) result.push({ name, lastValue: Number(row.last_value), isCalled: row.is_called });
  }
  return result;
}

async function countRows(db: Executor, table: string): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/** Pages through a table by its primary key: constant memory, stable order, no OFFSET scans. */
async function* tableRows(db: Executor, table: TableInfo): AsyncGenerator<string> {
  const pkList = table.primaryKey.map((c) => quoteIdent(c.name)).join(', ');
  let after: unknown[] | null = null;
  for (;;) {
    const where: ReturnType<typeof sql> = after
      ? sql`WHERE (${sql.raw(pkList)}) > (${sql.join(
          table.primaryKey.map((c, i) => sql`${after?.[i]}::${sql.raw(c.type)}`),
        )})`
      : sql``;
    const page = await sql<{ row: string; pk: unknown[] }>`
      SELECT row_to_json(t)::text AS row, json_build_array(${sql.raw(pkList)})::text AS pk
      FROM ${sql.table(table.name)} AS t ${where}
      ORDER BY ${sql.raw(pkList)} LIMIT ${PAGE_SIZE}`.execute(db);
    for (const r of page.rows) yield r.row;
    const last = page.rows.at(-1);
    if (page.rows.length < PAGE_SIZE || !last) return;
    after = JSON.parse(last.pk as unknown as string) as unknown[];
  }
}

export interface BackupSummary {
  tables: number;
  rows: number;
  schemaVersion: number;
  sha256: string;
}

export async function backupDatabase(
  handle: Pick<DatabaseHandle, 'db' | 'backend'>,
  file: string,
  options: { onProgress?: (done: number, total: number) => void } = {},
): Promise<BackupSummary> {
  const gzip = createGzip();
  const out = createWriteStream(file, { mode: 0o600 });
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(out);
  const digest = createHash('sha256');
  const write = async (line: string) => {
    const text = `${line}\n`;
    digest.update(text);
    if (!gzip.write(text)) await once(gzip, 'drain');
  };

  const summary = await handle.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const schemaVersion = await currentSchemaVersion(trx as unknown as Kysely<DB>);
      const tables = await describeTables(trx);
      const sequences = await describeSequences(trx);
      const counts: Record<string, number> = {};
      let total = 0;
      for (const table of tables) {
        counts[table.name] = await countRows(trx, table.name);
        total += counts[table.name] ?? 0;
      }
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        schemaVersion,
        createdAt: new Date().toISOString(),
        backend: handle.backend,
        tables: tables.map((t) => ({ name: t.name, columns: t.columns })),
        sequences,
      };
      await write(JSON.stringify(header));
      let done = 0;
      for (const table of tables) {
        const prefix = `{"t":${JSON.stringify(table.name)},"r":`;
        for await (const row of tableRows(trx, table)) {
          await write(`${prefix}${row}}`);
          done += 1;
          if (done % 1000 === 0) options.onProgress?.(done, total);
        }
      }
      options.onProgress?.(done, total);
      const sha256 = digest.digest('hex');
      gzip.end(`${JSON.stringify({ end: true, rows: done, counts, sha256 })}\n`);
      return { tables: tables.length, rows: done, schemaVersion, sha256 };
    });
  await finished;
  await handle.db
    .transaction()
    .execute((trx) =>
      recordAudit(
        trx,
        { actorUserId: null, actorAgencyId: null, clientIp: null, requestId: null },
        { action: 'system.backup', details: { rows: summary.rows, sha256: summary.sha256 } },
      ),
    );
  return summary;
}

function invalid(message: string): never {
  throw new AppError('BACKUP_INVALID', { message: `Not a valid Homeward backup: ${message}` });
}

async function* backupLines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file).pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) yield line;
  } catch (error) {
    invalid(`cannot be read (${(error as Error).message})`);
  }
}

interface CheckedBackup {
  header: BackupHeader;
  rows: number;
  counts: Record<string, number>;
}

/** Reads the whole file once and checks it before the database is touched. */
async function checkBackup(file: string): Promise<CheckedBackup> {
  const digest = createHash('sha256');
  let header: BackupHeader | undefined;
  type Footer = { end: true; rows: number; counts: Record<string, number>; sha256: string };
  let footer: Footer | undefined;
  const counts: Record<string, number> = {};
  let rows = 0;
  for await (const line of backupLines(file)) {
    if (footer) invalid('data after the end marker');
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      invalid(`line ${rows + (header ? 2 : 1)} is not JSON`);
    }
    if (!header) {
      if (parsed.format !== BACKUP_FORMAT) invalid('unknown format');
      if (parsed.formatVersion !== BACKUP_FORMAT_VERSION)
        invalid(`format version ${String(parsed.formatVersion)} is not supported`);
      header = parsed as unknown as BackupHeader;
      digest.update(`${line}\n`);
      continue;
    }
    if (parsed.end === true) {
      footer = parsed as unknown as Footer;
      continue;
    }
    const table = parsed.t;
    if (typeof table !== 'string' || typeof parsed.r !== 'object' || parsed.r === null)
      invalid(`line ${rows + 2} is not a row`);
    counts[table] = (counts[table] ?? 0) + 1;
    rows += 1;
    digest.update(`${line}\n`);
  }
  if (!header) invalid('empty file');
  if (!footer) invalid('truncated: no end marker');
  if (footer.sha256 !== digest.digest('hex')) invalid('checksum mismatch: the file was altered or damaged');
  if (footer.rows !== rows) invalid('row count mismatch');
  for (const [table, n] of Object.entries(footer.counts)) {
    if ((counts[table] ?? 0) !== n) invalid(`row count mismatch in ${table}`);
  }
  return { header, rows, counts };
}

export interface RestoreSummary {
  tables: number;
  rows: number;
}

/**
 * "Empty" means no deployment data: no agencies, users, persons or audit entries. Whatever a fresh
 * migration run puts in other tables (default roles, reference data) is replaced by the backup's.
 */
const DEPLOYMENT_TABLES = ['agencies', 'users', 'persons', 'audit_events'] as const;

async function assertEmptyTarget(trx: Transaction<DB>): Promise<void> {
  for (const table of DEPLOYMENT_TABLES) {
    if ((await countRows(trx, table)) > 0) {
      throw new AppError('RESTORE_TARGET_NOT_EMPTY', {
        message: `Restore needs an empty database: ${table} already holds rows`,
        details: { table },
      });
    }
  }
}

/**
 * Restores into an empty database: the file is checked whole first (format, schema version,
 * checksum, counts, known tables and columns), then loaded in one transaction with foreign keys
 * deferred — all of it or nothing.
 */
export async function restoreDatabase(
  handle: Pick<DatabaseHandle, 'db' | 'executeScript' | 'backend'>,
  file: string,
  options: { onProgress?: (done: number, total: number) => void } = {},
): Promise<RestoreSummary> {
  const checked = await checkBackup(file);
  const { header } = checked;
  const latest = latestSchemaVersion();
  if (header.schemaVersion > latest)
    invalid(`it comes from a newer Homeward (schema ${header.schemaVersion} > ${latest})`);
  const current = await currentSchemaVersion(handle.db);
  if (current > header.schemaVersion) {
    throw new AppError('RESTORE_TARGET_NOT_EMPTY', {
      message: `The target database is at schema ${current}, newer than the backup's ${header.schemaVersion}: restore into an empty database`,
    });
  }
  // Bring the target to the backup's schema version, load, then migrate the rest of the way.
  await migrate(handle, { migrations: loadMigrations().filter((m) => m.version <= header.schemaVersion) });

  await handle.db.transaction().execute(async (trx) => {
    await sql`SET CONSTRAINTS ALL DEFERRED`.execute(trx);
    const tables = await describeTables(trx);
    const known = new Map(tables.map((t) => [t.name, t]));
    for (const table of header.tables) {
      const target = known.get(table.name);
      if (!target) invalid(`unknown table ${table.name}`);
      if (target.columns.join(',') !== table.columns.join(','))
        invalid(`the columns of ${table.name} differ from this schema`);
    }
    await assertEmptyTarget(trx);
    const replaced = tables.filter((t) => t.name !== 'audit_events').map((t) => quoteIdent(t.name));
    if (replaced.length > 0) await sql.raw(`TRUNCATE ${replaced.join(', ')}`).execute(trx);

    let batch: string[] = [];
    let batchTable = '';
    let done = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await sql`INSERT INTO ${sql.table(batchTable)} OVERRIDING SYSTEM VALUE
        SELECT * FROM json_populate_recordset(NULL::${sql.table(batchTable)}, ${`[${batch.join(',')}]`}::json)`.execute(
        trx,
      );
      done += batch.length;
      options.onProgress?.(done, checked.rows);
      batch = [];
    };
    let first = true;
    for await (const line of backupLines(file)) {
      if (first) {
        first = false;
        continue;
      }
      if (line.startsWith('{"end":')) break;
      // Rows are written as {"t":<name>,"r":<row>}: the row's own JSON text goes back as it came.
      const split = line.indexOf(',"r":');
      const table = JSON.parse(line.slice(5, split)) as string;
      if (table !== batchTable || batch.length >= INSERT_BATCH) {
        await flush();
        batchTable = table;
      }
      batch.push(line.slice(split + 5, -1));
    }
    await flush();
    for (const sequence of header.sequences) {
      await sql`SELECT setval(${sequence.name}::regclass, ${sequence.lastValue}, ${sequence.isCalled})`.execute(
        trx,
      );
    }
    await recordAudit(
      trx,
      { actorUserId: null, actorAgencyId: null, clientIp: null, requestId: null },
      { action: 'system.restore', details: { rows: checked.rows, schemaVersion: header.schemaVersion } },
    );
  });
  await migrate(handle);
  return { tables: header.tables.length, rows: checked.rows };
}
