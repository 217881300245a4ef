import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../../platform/auth/actor.ts';
import type { DB } from '../../platform/db/schema.ts';
import { personVisibilityFilter } from '../access/access.ts';
import {
  compareWithRegistry,
  keyWeight,
  type LookupKeys,
  loadPersonEvidence,
  lookupKeys,
  restrictNames,
  uncommonKeys,
} from './candidates.ts';
import type { ReadRecord } from './evidence.ts';
import {
  bestNamePair,
  cannotReach,
  comparePersons,
  type PersonComparison,
  type PersonEvidence,
} from './names/index.ts';

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

export interface LinkPair {
  leftId: string;
  rightId: string;
  score: number;
  decision: 'match' | 'possible';
  explanation: string;
}

export interface LinkOptions {
  /** Lowest score written (default DEFAULT_LINK_THRESHOLD). */
  threshold?: number;
  /** Best pairs kept per left record (default 5). */
  perRecord?: number;
  /** Right records compared per left record at most (default 50). */
  maxCandidates?: number;
  /** A single-part key shared by more right records than this is not used to block (default 200). */
  broadKeyLimit?: number;
  onProgress?: (done: number, total: number) => void;
}

/** One line for a CSV cell: the decision, then the evidence, joined with '; '. */
export function explainInOneLine(c: PersonComparison): string {
  return c.explanation.map((l) => l.trim()).join('; ');
}

function keep(
  out: LinkPair[],
  leftId: string,
  scored: { rightId: string; comparison: PersonComparison }[],
  threshold: number,
  perRecord: number,
): void {
  scored
    .filter((s) => s.comparison.decision !== 'no_match' && s.comparison.score >= threshold)
    .sort((a, b) => b.comparison.score - a.comparison.score || (a.rightId < b.rightId ? -1 : 1))
    .slice(0, perRecord)
    .forEach((s) => {
      out.push({
        leftId,
        rightId: s.rightId,
        score: Math.round(s.comparison.score * 1000) / 1000,
        decision: s.comparison.decision === 'match' ? 'match' : 'possible',
        explanation: explainInOneLine(s.comparison),
      });
    });
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

/** Links two lists in memory: pairs scoring at least the threshold, best first per left record. */
export function linkLists(
  left: readonly ReadRecord[],
  right: readonly ReadRecord[],
  options: LinkOptions = {},
) {
  const threshold = options.threshold ?? DEFAULT_LINK_THRESHOLD;
  const perRecord = options.perRecord ?? 5;
  const maxCandidates = options.maxCandidates ?? 50;
  const broadKeyLimit = options.broadKeyLimit ?? 200;
  const index = new KeyIndex();
  right.forEach((r, i) => {
    const keys = lookupKeys(r.evidence.names);
    index.add(i, [...keys.selective, ...keys.broad]);
  });
  const pairs: LinkPair[] = [];
  left.forEach((l, done) => {
    const positions = rankByKeys(index, lookupKeys(l.evidence.names), maxCandidates, broadKeyLimit);
    const scored: { rightId: string; comparison: PersonComparison }[] = [];
    for (const p of positions) {
      const r = right[p] as ReadRecord;
      // Pairs whose names alone cannot reach the threshold would be dropped by keep(): skip the rest.
      const names = bestNamePair(l.evidence, r.evidence);
      if (cannotReach(names, threshold)) continue;
      scored.push({ rightId: r.id, comparison: comparePersons(l.evidence, r.evidence, names) });
    }
    keep(pairs, l.id, scored, threshold, perRecord);
    if ((done + 1) % 100 === 0 || done + 1 === left.length) options.onProgress?.(done + 1, left.length);
  });
  return pairs;
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
  const threshold = options.threshold ?? DEFAULT_LINK_THRESHOLD;
  const perRecord = options.perRecord ?? 5;
  const maxCandidates = options.maxCandidates ?? 50;
  const broadKeyLimit = options.broadKeyLimit ?? 200;
  const chunk = options.chunk ?? 500;
  const pairs: LinkPair[] = [];
  for (let start = 0; start < records.length; start += chunk) {
    const part = records.slice(start, start + chunk);
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
    part.forEach((record, i) => {
      const scored: { rightId: string; comparison: PersonComparison }[] = [];
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
        const restricted = restrictNames(entry, nameIds);
        const names = bestNamePair(record.evidence, restricted);
        if (cannotReach(names, threshold)) continue;
        scored.push({ rightId: id, comparison: compareWithRegistry(record.evidence, restricted, names) });
      }
      keep(pairs, record.id, scored, threshold, perRecord);
    });
    options.onProgress?.(Math.min(records.length, start + chunk), records.length);
  }
  return pairs;
}

export type { PersonEvidence };
