import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../../platform/auth/actor.ts';
import type { DB } from '../../platform/db/schema.ts';
import { personVisibilityFilter } from '../access/access.ts';
import { loadPersonEvidence, restrictNames, uncommonKeys } from './candidates.ts';
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
    return jobs.map((job) => scoreLinkTask(resolveJob(job, this.right), scoring));
  }
  async close(): Promise<void> {}
}

const comparerFor = (workers: number): Comparer => (workers > 1 ? new LinkagePool(workers) : new ThisThread());

/** Batches being compared at once while the calling thread prepares the next one. */
const AHEAD = 2;

/**
 * Runs a linkage batch by batch: keys of a batch, its jobs (candidates found by `jobsFor`), its
 * comparisons. The keys of the next batch are asked for before this batch's comparisons, so with
 * workers they are ready when the calling thread has finished preparing this batch; at most AHEAD
 * batches are being compared while the next is prepared. Pairs come out in the records' order.
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
  const keysOf = (part: readonly ReadRecord[]): Promise<LookupKeys[]> => {
    const keys = comparer.keys(part.map((r) => r.evidence));
    // A failure surfaces where the keys are awaited; until then it must not go unhandled.
    keys.catch(() => undefined);
    return keys;
  };
  const scored: Promise<LinkPair[][]>[] = [];
  let done = 0;
  let nextKeys = parts[0] === undefined ? undefined : keysOf(parts[0]);
  for (let b = 0; b < parts.length; b++) {
    const part = parts[b] as readonly ReadRecord[];
    const keys = await (nextKeys as Promise<LookupKeys[]>);
    const following = parts[b + 1];
    nextKeys = following === undefined ? undefined : keysOf(following);
    const jobs = await jobsFor(part, keys);
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
  bonus: (position: number) => number = () => 0,
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
    .map(([p, w]): [number, number] => [p, w + bonus(p)])
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, maxCandidates)
    .map(([p]) => p);
}

const DAY = 86_400_000;

/** The same bonus as the registry lookup's SQL ranking (candidates.ts): sex and birth range. */
function evidenceBonus(
  e: PersonEvidence | undefined,
  f: { sex: string; from: string | null; to: string | null } | undefined,
): number {
  if (e === undefined || f === undefined) return 0;
  let bonus = 0;
  if ((e.sex === 'female' || e.sex === 'male') && f.sex !== 'unknown') bonus += e.sex === f.sex ? 0.5 : -3;
  if (e.birth !== undefined && f.from !== null && f.to !== null) {
    const near =
      Date.parse(f.from) <= Date.parse(e.birth.to) + 366 * DAY &&
      Date.parse(f.to) >= Date.parse(e.birth.from) - 366 * DAY;
    bonus += near ? 1.5 : -2;
  }
  return bonus;
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
 * which has the database anyway), a chunk of records at a time: one key query per chunk, one
 * evidence load per chunk. right ids are person ids.
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
    return await linkInBatches(
      comparer,
      records,
      chunk,
      scoring,
      (part, keys) => registryJobs(db, actor, part, keys, maxCandidates, broadKeyLimit),
      options.onProgress,
    );
  } finally {
    await comparer.close();
  }
}

/** One chunk's records with their registry candidates: one key query, one evidence load. */
async function registryJobs(
  db: Executor,
  actor: Actor | 'system',
  part: readonly ReadRecord[],
  keysOf: readonly LookupKeys[],
  maxCandidates: number,
  broadKeyLimit: number,
): Promise<LinkJob[]> {
  const personIds: string[] = [];
  const position = new Map<string, number>();
  const index = new KeyIndex();
  // key → person position → the name that produced it, to compare only key-sharing names.
  const producedBy = new Map<string, Map<number, string>>();
  // Sex and birth range of each fetched person: among many namesakes, rank those that fit first.
  const facts: { sex: string; from: string | null; to: string | null }[] = [];
  const fetch = async (keys: readonly string[]): Promise<void> => {
    if (keys.length === 0) return;
    let query = db
      .selectFrom('person_name_keys as k')
      .innerJoin('persons', 'persons.id', 'k.person_id')
      .where('k.key', 'in', [...keys])
      .select([
        'k.key',
        'k.person_id',
        'k.name_id',
        'persons.sex',
        'persons.birth_date_from',
        'persons.birth_date_to',
      ]);
    if (actor !== 'system') query = query.where((eb) => personVisibilityFilter(actor)(eb as never));
    const rows = await query.execute();
    for (const row of rows) {
      let p = position.get(row.person_id);
      if (p === undefined) {
        p = personIds.length;
        personIds.push(row.person_id);
        position.set(row.person_id, p);
        facts.push({ sex: row.sex, from: row.birth_date_from, to: row.birth_date_to });
      }
      index.add(p, [row.key]);
      const m = producedBy.get(row.key) ?? new Map<number, string>();
      producedBy.set(row.key, m);
      m.set(p, row.name_id);
    }
  };
  await fetch([...new Set(keysOf.flatMap((k) => k.selective))]);
  // Single-part keys only for records no pair key found anyone for, and only uncommon ones.
  const thin = keysOf.filter((k) => rankByKeys(index, k, maxCandidates, 0).length === 0);
  const broad = [...new Set(thin.flatMap((k) => k.broad))];
  if (broad.length > 0) await fetch(await uncommonKeys(db, broad, broadKeyLimit));
  const wanted = keysOf.map((k, i) => {
    const e = part[i]?.evidence;
    return rankByKeys(index, k, maxCandidates, broadKeyLimit, (p) => evidenceBonus(e, facts[p]));
  });
  const needed = new Set<string>();
  for (const w of wanted) for (const p of w) needed.add(personIds[p] as string);
  const registry = await loadPersonEvidence(db, actor, [...needed]);
  return part.map((record, i): LinkJob => {
    const candidates: LinkCandidate[] = [];
    const keys = keysOf[i];
    for (const p of wanted[i] ?? []) {
      const id = personIds[p] as string;
      const entry = registry.get(id);
      if (entry === undefined || keys === undefined) continue;
      const nameIds = new Set<string>();
      for (const k of [...keys.selective, ...keys.broad]) {
        const n = producedBy.get(k)?.get(p);
        if (n !== undefined) nameIds.add(n);
      }
      candidates.push({ rightId: id, evidence: restrictNames(entry, nameIds) });
    }
    return { leftId: record.id, evidence: record.evidence, candidates };
  });
}

export type { PersonEvidence };
