import { expressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import type { Actor } from '../../platform/auth/actor.ts';
import type { DB } from '../../platform/db/schema.ts';
import { personVisibilityFilter } from '../access/access.ts';
import { loadPersonEvidence, PRE_LIMIT, restrictNames, uncommonKeys } from './candidates.ts';
import type { ReadRecord } from './evidence.ts';
import { defaultLinkageWorkers, LinkagePool } from './linkage-pool.ts';
import {
  explainInOneLine,
  type LinkCandidate,
  type LinkJob,
  type LinkPair,
  type LinkScoring,
  resolveJob,
  scoreLinkTask,
} from './linkage-scoring.ts';
import { keyWeight, type LookupKeys, lookupKeys } from './lookup-keys.ts';
import type { PersonEvidence } from './names/index.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/*
 * Batch linkage: every record of one list against every record of another (or the registry), never
 * all pairs — records are blocked on the name engine's keys and only records sharing a key are
 * compared. A record whose names yield no pair key (a one-word name, a typo in one of two parts)
 * falls back to single-part keys, skipping parts so common that they would block nothing.
 */

/**
 * Lowest score a linkage writes by default: 'possible' pairs below it are mostly namesakes (siblings,
 * cousins) whose dates of birth a year or two apart did not rule them out (bench/identity-quality.ts).
 */
export const DEFAULT_LINK_THRESHOLD = 0.6;

export type { LinkPair };
export { explainInOneLine };

export interface LinkOptions {
  /** Lowest score written (default DEFAULT_LINK_THRESHOLD). */
  threshold?: number;
  /** Best pairs kept per left record (default 5). */
  perRecord?: number;
  /** Right records compared per left record at most (default 50). */
  maxCandidates?: number;
  /** A single-part key shared by more right records than this is not used to block (default 200). */
  broadKeyLimit?: number;
  /**
   * Worker threads keying and comparing records (default: defaultLinkageWorkers; 1 keeps everything
   * in the calling thread). The pairs are the same, in the same order, whatever the number.
   */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Where the keys are computed and the records compared: this thread, or worker threads (LinkagePool,
 * which keys and compares each record in the same worker, so its names are parsed once).
 */
interface Comparer {
  /** Holds the right-hand list (list ↔ list) and returns its records' keys. */
  setRight(right: readonly LinkCandidate[]): Promise<LookupKeys[]>;
  keys(evidences: readonly PersonEvidence[]): Promise<LookupKeys[]>;
  /** Compares a batch that keys() was given, in the same order and length. */
  score(jobs: readonly LinkJob[], scoring: LinkScoring): Promise<LinkPair[][]>;
  close(): Promise<void>;
}

/** Records compared in this thread between two turns of the event loop. */
const YIELD_EVERY = 50;

class ThisThread implements Comparer {
  private right: readonly LinkCandidate[] = [];
  async setRight(right: readonly LinkCandidate[]): Promise<LookupKeys[]> {
    this.right = right;
    return right.map((r) => lookupKeys(r.evidence.names));
  }
  async keys(evidences: readonly PersonEvidence[]): Promise<LookupKeys[]> {
    return evidences.map((e) => lookupKeys(e.names));
  }
  async score(jobs: readonly LinkJob[], scoring: LinkScoring): Promise<LinkPair[][]> {
    const out: LinkPair[][] = [];
    for (let start = 0; start < jobs.length; start += YIELD_EVERY) {
      // Let the next batch's queries go out and their answers in between slices (linkInBatches).
      await new Promise((resolve) => setImmediate(resolve));
      for (const job of jobs.slice(start, start + YIELD_EVERY))
        out.push(scoreLinkTask(resolveJob(job, this.right), scoring));
    }
    return out;
  }
  async close(): Promise<void> {}
}

const comparerFor = (workers: number): Comparer =>
  workers > 1 ? new LinkagePool(workers) : new ThisThread();

/** Batches being compared at once while the calling thread prepares the next one. */
const AHEAD = 2;

/**
 * Runs a linkage batch by batch: keys of a batch, its jobs (candidates found by `jobsFor`), its
 * comparisons. The next batch is prepared (its keys asked for, its candidates queried) before this
 * one is compared, so that the database, the workers and the calling thread work at the same time;
 * at most AHEAD batches are being compared at once. Pairs come out in the records' order.
 */
async function linkInBatches(
  comparer: Comparer,
  records: readonly ReadRecord[],
  batchSize: number,
  scoring: LinkScoring,
  jobsFor: (part: readonly ReadRecord[], keys: readonly LookupKeys[]) => Promise<LinkJob[]>,
  onProgress: LinkOptions['onProgress'],
): Promise<LinkPair[]> {
  const parts: (readonly ReadRecord[])[] = [];
  for (let start = 0; start < records.length; start += batchSize)
    parts.push(records.slice(start, start + batchSize));
  const prepare = (part: readonly ReadRecord[]): Promise<LinkJob[]> => {
    const jobs = comparer.keys(part.map((r) => r.evidence)).then((keys) => jobsFor(part, keys));
    // A failure surfaces where the jobs are awaited; until then it must not go unhandled.
    jobs.catch(() => undefined);
    return jobs;
  };
  const scored: Promise<LinkPair[][]>[] = [];
  let done = 0;
  let next = parts[0] === undefined ? undefined : prepare(parts[0]);
  for (let b = 0; b < parts.length; b++) {
    const jobs = await (next as Promise<LinkJob[]>);
    const following = parts[b + 1];
    next = following === undefined ? undefined : prepare(following);
    const batch = comparer.score(jobs, scoring).then((pairs) => {
      done += pairs.length;
      onProgress?.(done, records.length);
      return pairs;
    });
    batch.catch(() => undefined);
    scored.push(batch);
    const before = scored[scored.length - 1 - AHEAD];
    if (before !== undefined) await before;
  }
  const pairs: LinkPair[] = [];
  for (const batch of scored) for (const r of await batch) pairs.push(...r);
  return pairs;
}

/** Index of records by key → record positions, with each record's keys. */
class KeyIndex {
  readonly postings = new Map<string, number[]>();
  add(position: number, keys: Iterable<string>): void {
    for (const key of keys) {
      const list = this.postings.get(key);
      if (list === undefined) this.postings.set(key, [position]);
      else list.push(position);
    }
  }
}

/** Candidate positions ranked by the weight of the keys they share with a record. */
function rankByKeys(
  index: KeyIndex,
  keys: LookupKeys,
  maxCandidates: number,
  broadKeyLimit: number,
): number[] {
  const score = new Map<number, number>();
  const add = (key: string): void => {
    const list = index.postings.get(key);
    if (list === undefined) return;
    const w = keyWeight(key);
    for (const p of list) score.set(p, (score.get(p) ?? 0) + w);
  };
  for (const k of keys.selective) add(k);
  if (score.size === 0) {
    for (const k of keys.broad) {
      const list = index.postings.get(k);
      if (list !== undefined && list.length <= broadKeyLimit) add(k);
    }
  }
  return [...score.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, maxCandidates)
    .map(([p]) => p);
}

/** Left records blocked per batch handed to the comparing threads. */
const LIST_BATCH = 1000;

/** Links two lists in memory: pairs scoring at least the threshold, best first per left record. */
export async function linkLists(
  left: readonly ReadRecord[],
  right: readonly ReadRecord[],
  options: LinkOptions = {},
): Promise<LinkPair[]> {
  const scoring: LinkScoring = {
    threshold: options.threshold ?? DEFAULT_LINK_THRESHOLD,
    perRecord: options.perRecord ?? 5,
    registry: false,
  };
  const maxCandidates = options.maxCandidates ?? 50;
  const broadKeyLimit = options.broadKeyLimit ?? 200;
  const comparer = comparerFor(options.workers ?? defaultLinkageWorkers(left.length));
  try {
    const rightKeys = await comparer.setRight(right.map((r) => ({ rightId: r.id, evidence: r.evidence })));
    const index = new KeyIndex();
    rightKeys.forEach((keys, i) => {
      index.add(i, [...keys.selective, ...keys.broad]);
    });
    return await linkInBatches(
      comparer,
      left,
      LIST_BATCH,
      scoring,
      async (part, keys) =>
        part.map(
          (l, i): LinkJob => ({
            leftId: l.id,
            evidence: l.evidence,
            candidates: rankByKeys(index, keys[i] as LookupKeys, maxCandidates, broadKeyLimit),
          }),
        ),
      options.onProgress,
    );
  } finally {
    await comparer.close();
  }
}

/**
 * Links records against the registry (persons the actor may see; 'system' for the operator's CLI,
 * which has the database anyway), a chunk of records at a time: one ranking query per chunk
 * (rankInRegistry), which also returns what the comparisons need. right ids are person ids.
 */
export async function linkAgainstRegistry(
  db: Executor,
  actor: Actor | 'system',
  records: readonly ReadRecord[],
  options: LinkOptions & { chunk?: number } = {},
): Promise<LinkPair[]> {
  const scoring: LinkScoring = {
    threshold: options.threshold ?? DEFAULT_LINK_THRESHOLD,
    perRecord: options.perRecord ?? 5,
    registry: true,
  };
  const maxCandidates = options.maxCandidates ?? 50;
  const broadKeyLimit = options.broadKeyLimit ?? 200;
  const chunk = options.chunk ?? 500;
  const comparer = comparerFor(options.workers ?? defaultLinkageWorkers(records.length));
  try {
    return await withBatchSettings(db, (conn) =>
      linkInBatches(
        comparer,
        records,
        chunk,
        scoring,
        (part, keys) => registryJobs(conn, actor, part, keys, maxCandidates, broadKeyLimit),
        options.onProgress,
      ),
    );
  } finally {
    await comparer.close();
  }
}

/**
 * Runs a batch linkage's queries on one connection set for large analytic queries: no JIT (its
 * compilation, ≈ 0.3 s a statement, is triggered by the ranking's row estimates and costs more than
 * it saves) and enough work_mem for the ranking's sorts to stay in memory. Inside a caller's
 * transaction the settings are left alone.
 */
async function withBatchSettings<T>(db: Executor, run: (db: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return run(db);
  return db.connection().execute(async (conn) => {
    await sql`SET jit = off`.execute(conn);
    await sql`SET work_mem = '64MB'`.execute(conn);
    try {
      return await run(conn);
    } finally {
      await sql`RESET jit`.execute(conn);
      await sql`RESET work_mem`.execute(conn);
    }
  });
}

interface RankedCandidate {
  rec: number;
  person_id: string;
  /** The person's names that produced the keys shared with the record: only these are compared. */
  name_ids: string[];
  /** Their texts, in loadPersonEvidence's order (display name first, then by date recorded). */
  names: string[];
  sex: string;
  birth_date_kind: string;
  birth_date_from: string | null;
  birth_date_to: string | null;
  place_of_birth: string | null;
}

/**
 * The candidates of a chunk's records, ranked in the database as a lookup ranks them (candidates.ts):
 * per record, the persons sharing the most key weight (at most PRE_LIMIT, from the key index alone),
 * then — joined to persons under the row filter — that weight plus what sex and birth range say, best
 * maxCandidates, ties by person id. At a million persons a popular name's pair keys are shared by a
 * thousand persons or more; aggregating in the database returns 50 rows a record instead of every
 * key hit. `records` are (position, keys) pairs; the result is in position and rank order.
 */
async function rankInRegistry(
  db: Executor,
  actor: Actor | 'system',
  part: readonly ReadRecord[],
  records: readonly { rec: number; keys: readonly string[] }[],
  maxCandidates: number,
): Promise<RankedCandidate[]> {
  const recs: number[] = [];
  const keys: string[] = [];
  const weights: number[] = [];
  for (const r of records) {
    for (const k of r.keys) {
      recs.push(r.rec);
      keys.push(k);
      weights.push(keyWeight(k));
    }
  }
  if (recs.length === 0) return [];
  const facts = records.map((r) => {
    const e = part[r.rec]?.evidence;
    return {
      sex: e?.sex === 'female' || e?.sex === 'male' ? e.sex : null,
      from: e?.birth?.from ?? null,
      to: e?.birth?.to ?? null,
    };
  });
  const visible =
    actor === 'system'
      ? sql<boolean>`true`
      : personVisibilityFilter(actor)(expressionBuilder<DB, 'persons'>());
  const rows = await sql<RankedCandidate>`
    WITH q AS (
      SELECT * FROM unnest(${recs}::int[], ${keys}::text[], ${weights}::real[]) AS q(rec, key, weight)
    ), e AS (
      SELECT * FROM unnest(${records.map((r) => r.rec)}::int[], ${facts.map((f) => f.sex)}::text[],
                           ${facts.map((f) => f.from)}::date[], ${facts.map((f) => f.to)}::date[])
        AS e(rec, sex, birth_from, birth_to)
    ), hits AS (
      SELECT q.rec, k.person_id, sum(q.weight) AS weight
      FROM q JOIN person_name_keys k ON k.key = q.key
      GROUP BY q.rec, k.person_id
    ), pre AS (
      SELECT rec, person_id, weight FROM (
        SELECT hits.*, row_number() OVER (PARTITION BY rec ORDER BY weight DESC, person_id) AS n FROM hits
      ) AS h WHERE n <= ${PRE_LIMIT}
    ), ranked AS (
      SELECT pre.rec, pre.person_id, persons.sex, persons.birth_date_kind, persons.birth_date_from,
        persons.birth_date_to, persons.place_of_birth,
        row_number() OVER (PARTITION BY pre.rec ORDER BY pre.weight
        + CASE WHEN e.sex IS NULL OR persons.sex = 'unknown' THEN 0 WHEN persons.sex = e.sex THEN 0.5 ELSE -3 END
        + CASE WHEN e.birth_from IS NULL OR persons.birth_date_from IS NULL OR persons.birth_date_to IS NULL THEN 0
               WHEN persons.birth_date_from <= e.birth_to + 366 AND persons.birth_date_to >= e.birth_from - 366
                 THEN 1.5
               ELSE -2 END DESC, pre.person_id) AS n
      FROM pre JOIN e ON e.rec = pre.rec JOIN persons ON persons.id = pre.person_id
      WHERE ${visible}
    ), record_keys AS (
      SELECT rec, array_agg(key) AS keys FROM q GROUP BY rec
    )
    SELECT r.rec, r.person_id, s.name_ids, s.names, r.sex, r.birth_date_kind,
      r.birth_date_from, r.birth_date_to, r.place_of_birth
    FROM ranked r JOIN record_keys rk ON rk.rec = r.rec
    CROSS JOIN LATERAL (
      SELECT array_agg(n.id ORDER BY n.is_display DESC, n.recorded_on, n.id) AS name_ids,
             array_agg(n.full_name ORDER BY n.is_display DESC, n.recorded_on, n.id) AS names
      FROM person_names n
      WHERE n.id IN (SELECT k.name_id FROM person_name_keys k
                     WHERE k.key = ANY(rk.keys) AND k.person_id = r.person_id)
    ) AS s
    WHERE r.n <= ${maxCandidates}
    ORDER BY r.rec, r.n`.execute(db);
  return rows.rows;
}

/**
 * One chunk's records with their registry candidates: one ranking query for the pair keys, one for
 * the single-part keys of records the pair keys found nobody for, one evidence load.
 */
async function registryJobs(
  db: Executor,
  actor: Actor | 'system',
  part: readonly ReadRecord[],
  keysOf: readonly LookupKeys[],
  maxCandidates: number,
  broadKeyLimit: number,
): Promise<LinkJob[]> {
  const ranked = await rankInRegistry(
    db,
    actor,
    part,
    keysOf.map((k, rec) => ({ rec, keys: k.selective })),
    maxCandidates,
  );
  // Single-part keys only for records no pair key found anyone for, and only uncommon ones.
  const found = new Set(ranked.map((r) => r.rec));
  const thin = keysOf.map((k, rec) => ({ rec, keys: k.broad })).filter((r) => !found.has(r.rec));
  const usable = new Set(await uncommonKeys(db, [...new Set(thin.flatMap((r) => r.keys))], broadKeyLimit));
  if (usable.size > 0) {
    const widened = await rankInRegistry(
      db,
      actor,
      part,
      thin.map((r) => ({ rec: r.rec, keys: r.keys.filter((k) => usable.has(k)) })),
      maxCandidates,
    );
    ranked.push(...widened);
  }
  const byRecord: RankedCandidate[][] = part.map(() => []);
  for (const r of ranked) byRecord[r.rec]?.push(r);
  // Nationalities and parents' names count only when the record has them too (comparePersons): a
  // chunk without them is compared with what the ranking query returned; one with them loads them.
  const extras =
    part.some((r) => (r.evidence.nationality?.length ?? 0) > 0) ||
    part.some((r) => r.evidence.motherName !== undefined || r.evidence.fatherName !== undefined);
  const registry = extras
    ? await loadPersonEvidence(db, actor, [...new Set(ranked.map((r) => r.person_id))], {
        nameIds: [...new Set(ranked.flatMap((r) => r.name_ids))],
      })
    : undefined;
  return part.map((record, i): LinkJob => {
    const candidates: LinkCandidate[] = [];
    for (const r of byRecord[i] ?? []) {
      if (registry === undefined) {
        candidates.push({ rightId: r.person_id, evidence: rankedEvidence(r) });
        continue;
      }
      const entry = registry.get(r.person_id);
      if (entry === undefined) continue;
      candidates.push({ rightId: r.person_id, evidence: restrictNames(entry, new Set(r.name_ids)) });
    }
    return { leftId: record.id, evidence: record.evidence, candidates };
  });
}

/** A ranked candidate as evidence: what loadPersonEvidence gives, minus nationalities and parents. */
function rankedEvidence(r: RankedCandidate): PersonEvidence {
  const evidence: PersonEvidence = { names: r.names ?? [], sex: r.sex as NonNullable<PersonEvidence['sex']> };
  if (r.birth_date_kind !== 'unknown' && r.birth_date_from !== null && r.birth_date_to !== null)
    evidence.birth = { from: r.birth_date_from, to: r.birth_date_to };
  if (r.place_of_birth !== null) evidence.placeOfBirth = r.place_of_birth;
  return evidence;
}

export type { PersonEvidence };
