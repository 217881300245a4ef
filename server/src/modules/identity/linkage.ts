import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../../platform/auth/actor.ts';
import type { DB } from '../../platform/db/schema.ts';
import { personVisibilityFilter } from '../access/access.ts';
import {
  keyWeight,
  type LookupKeys,
  loadPersonEvidence,
  lookupKeys,
  restrictNames,
  uncommonKeys,
} from './candidates.ts';
import type { ReadRecord } from './evidence.ts';
import { defaultLinkageWorkers, LinkagePool } from './linkage-pool.ts';
import {
  explainInOneLine,
  type LinkPair,
  type LinkScoring,
  type LinkTask,
  scoreLinkTask,
} from './linkage-scoring.ts';
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
   * Worker threads comparing records (default 1: everything in the calling thread; see
   * defaultLinkageWorkers for why). The pairs are the same, in the same order, whatever the number.
   */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Scores batches of records, in this thread or in worker threads, one batch in flight while the
 * caller prepares the next (blocks the next records, loads their candidates).
 */
class LinkScorer {
  private readonly pool: LinkagePool | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  readonly pairs: LinkPair[] = [];
  private done = 0;

  constructor(
    private readonly scoring: LinkScoring,
    workers: number,
    private readonly total: number,
    private readonly onProgress: LinkOptions['onProgress'],
  ) {
    this.pool = workers > 1 ? new LinkagePool(workers) : undefined;
  }

  /** Hands over a batch; waits for the one before it, so at most one batch is being compared. */
  async submit(tasks: LinkTask[]): Promise<void> {
    await this.inFlight;
    const pool = this.pool;
    if (pool === undefined) {
      this.collect(tasks.map((t) => scoreLinkTask(t, this.scoring)));
      return;
    }
    const batch = pool.score(tasks, this.scoring).then((pairs) => this.collect(pairs));
    // A failure surfaces at the next submit() or at finish(); until then it must not go unhandled.
    batch.catch(() => undefined);
    this.inFlight = batch;
  }

  private collect(results: LinkPair[][]): void {
    for (const r of results) this.pairs.push(...r);
    this.done += results.length;
    this.onProgress?.(this.done, this.total);
  }

  async finish(): Promise<LinkPair[]> {
    try {
      await this.inFlight;
    } finally {
      await this.pool?.close();
    }
    return this.pairs;
  }

  async abandon(): Promise<void> {
    await this.inFlight.catch(() => undefined);
    await this.pool?.close();
  }
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
  const index = new KeyIndex();
  right.forEach((r, i) => {
    const keys = lookupKeys(r.evidence.names);
    index.add(i, [...keys.selective, ...keys.broad]);
  });
  const scorer = new LinkScorer(
    scoring,
    options.workers ?? defaultLinkageWorkers(left.length),
    left.length,
    options.onProgress,
  );
  try {
    for (let start = 0; start < left.length; start += LIST_BATCH) {
      // Blocking this batch overlaps with the comparisons of the one before.
      const tasks = left.slice(start, start + LIST_BATCH).map(
        (l): LinkTask => ({
          leftId: l.id,
          evidence: l.evidence,
          candidates: rankByKeys(index, lookupKeys(l.evidence.names), maxCandidates, broadKeyLimit).map(
            (p) => {
              const r = right[p] as ReadRecord;
              return { rightId: r.id, evidence: r.evidence };
            },
          ),
        }),
      );
      await scorer.submit(tasks);
    }
  } catch (error) {
    await scorer.abandon();
    throw error;
  }
  return scorer.finish();
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
  const scorer = new LinkScorer(
    scoring,
    options.workers ?? defaultLinkageWorkers(records.length),
    records.length,
    options.onProgress,
  );
  try {
    for (let start = 0; start < records.length; start += chunk) {
      // Loading this chunk's candidates overlaps with the comparisons of the chunk before.
      await scorer.submit(
        await registryTasks(db, actor, records.slice(start, start + chunk), maxCandidates, broadKeyLimit),
      );
    }
  } catch (error) {
    await scorer.abandon();
    throw error;
  }
  return scorer.finish();
}

/** One chunk's records with their registry candidates: one key query, one evidence load. */
async function registryTasks(
  db: Executor,
  actor: Actor | 'system',
  part: readonly ReadRecord[],
  maxCandidates: number,
  broadKeyLimit: number,
): Promise<LinkTask[]> {
  const keysOf = part.map((r) => lookupKeys(r.evidence.names));
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
  return part.map((record, i): LinkTask => {
    const candidates: LinkTask['candidates'] = [];
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
