import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';

/** Who did something, from where; carried by every request. */
export interface AuditContext {
  actorUserId: string | null;
  actorAgencyId: string | null;
  clientIp: string | null;
  requestId: string | null;
}

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEntry {
  /** Dotted verb: 'auth.login', 'user.create', 'person.read', 'case.transition'… */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  /** Which sections of a record were read or written (for reads of personal data). */
  sections?: string[];
  justification?: string | null;
  outcome?: AuditOutcome;
  /** Identifiers and codes only: never names, notes or other personal data. */
  details?: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_CHAIN_LOCK = 727002;

export interface AuditRow {
  seq: number;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_agency_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  sections: string[];
  justification: string | null;
  client_ip: string | null;
  request_id: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  prev_hash: string;
}

/** JSON with keys sorted at every depth: the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of a row covers every column and the previous row's hash, so edits, deletions and reordering show. */
export function hashAuditRow(row: AuditRow): string {
  const body = canonicalJson({ ...row, occurred_at: row.occurred_at.toISOString() });
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Appends one entry in the caller's transaction. The chain lock serialises appenders until commit,
 * so seq order and chain order are the same and a rolled-back change leaves no entry behind.
 */
export async function recordAudit(
  trx: Transaction<DB>,
  context: AuditContext,
  entry: AuditEntry,
): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  // Millisecond precision: what JavaScript can hold is what is hashed and what is stored.
  const occurredAt = new Date(Math.floor(Date.now()));
  const row: AuditRow = {
    seq: (last?.seq ?? 0) + 1,
    occurred_at: occurredAt,
    actor_user_id: context.actorUserId,
    actor_agency_id: context.actorAgencyId,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    sections: entry.sections ?? [],
    justification: entry.justification ?? null,
    client_ip: context.clientIp,
    request_id: context.requestId,
    outcome: entry.outcome ?? 'success',
    details: entry.details ?? {},
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  await trx
    .insertInto('audit_events')
    .values({ ...row, details: JSON.stringify(row.details), hash: hashAuditRow(row) })
    .execute();
  return row.seq;
}

/** Records an entry in a transaction of its own: for denials and failures whose own change was rolled back. */
export async function recordAuditAlone(
  db: Database,
  context: AuditContext,
  entry: AuditEntry,
): Promise<number> {
  return db.transaction().execute((trx) => recordAudit(trx, context, entry));
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first row that does not fit the chain, and why. */
  firstBad?: { seq: number; reason: 'hash_mismatch' | 'broken_link' | 'sequence_gap' };
}

/**
 * Walks the whole chain in seq order. An edited row fails its own hash; a deleted row leaves a gap
 * and a broken link; reordered rows break the links. Reads in pages so a long trail never sits in memory.
 */
export async function verifyAuditChain(
  db: Database,
  options: { pageSize?: number; onProgress?: (checked: number) => void } = {},
): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5000;
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const stored of rows) {
      if (stored.seq !== expectedSeq)
        return { ok: false, checked, firstBad: { seq: stored.seq, reason: 'sequence_gap' } };
      const { hash, ...rest } = stored;
      const row: AuditRow = { ...rest, occurred_at: new Date(rest.occurred_at) };
      if (row.prev_hash !== previousHash)
        return { ok: false, checked, firstBad: { seq: row.seq, reason: 'broken_link' } };
      if (hashAuditRow(row) !== hash)
        return { ok: false, checked, firstBad: { seq: row.seq, reason: 'hash_mismatch' } };
      previousHash = hash;
      expectedSeq += 1;
      checked += 1;
    }
    options.onProgress?.(checked);
    if (rows.length < pageSize) return { ok: true, checked };
  }
}
