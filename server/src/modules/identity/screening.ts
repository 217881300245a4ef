import type { WatchlistBirth, WatchlistName } from '../../platform/db/tables/identity.ts';
import { lookupKeys } from './lookup-keys.ts';
import {
  bestNamePair,
  cannotReach,
  comparePersons,
  type PersonComparison,
  type PersonEvidence,
} from './names/index.ts';
import { defaultScreeningWorkers, ScreeningPool } from './screening-pool.ts';

/*
 * Screening against a sanctions list version, in memory and local: the list (hundreds of
 * individuals, a few thousand names) is indexed by the same blocking keys as the registry, and each
 * person is compared in full only with the entries sharing a key. No outside service is ever called.
 */

export interface ScreenableEntry {
  id: string;
  referenceNumber: string;
  listedName: string;
  names: WatchlistName[];
  gender: string | null;
  births: WatchlistBirth[];
  nationalities: string[];
  placesOfBirth: string[];
  contentHash: string;
}

export interface ScreeningResult {
  entry: ScreenableEntry;
  score: number;
  decision: 'match' | 'possible';
  /** The list's name that matched best, and whether it is an alias the list rates 'Low'. */
  matchedName: WatchlistName;
  weakAlias: boolean;
  explanation: string[];
  comparison: PersonComparison;
}

const NON_CORE = new Set(['kunya', 'nisba']);
const KUNYA_ONLY_FACTOR = 0.6;

/** Default lowest score reported by screening: every possible match goes to review. */
export const SCREENING_THRESHOLD = 0.5;

function sexOf(gender: string | null): PersonEvidence['sex'] {
  const g = (gender ?? '').trim().toLowerCase();
  if (g === 'female') return 'female';
  if (g === 'male') return 'male';
  return undefined;
}

interface SharedNames {
  mine: Set<number>;
  theirs: Set<number>;
}

function noteShared(shared: Map<number, SharedNames>, entry: number, mine: number, theirs: number): void {
  let s = shared.get(entry);
  if (s === undefined) {
    s = { mine: new Set<number>(), theirs: new Set<number>() };
    shared.set(entry, s);
  }
  s.mine.add(mine);
  s.theirs.add(theirs);
}

export class WatchlistMatcher {
  /** key → [entry index, name index] pairs: which listed names produce it. */
  private readonly postings = new Map<string, [number, number][]>();
  private readonly evidence: PersonEvidence[][];

  constructor(readonly entries: readonly ScreenableEntry[]) {
    this.evidence = entries.map((entry) => {
      const base: PersonEvidence = { names: entry.names.map((n) => n.name) };
      const sex = sexOf(entry.gender);
      if (sex !== undefined) base.sex = sex;
      const nationality = entry.nationalities.filter((n) => /^[A-Z]{2}$/u.test(n));
      if (nationality.length > 0) base.nationality = nationality;
      if (entry.placesOfBirth[0] !== undefined) base.placeOfBirth = entry.placesOfBirth[0];
      // One evidence per listed date of birth: the comparison keeps the most favourable.
      return entry.births.length === 0 ? [base] : entry.births.map((b) => ({ ...base, birth: b }));
    });
    entries.forEach((entry, i) => {
      entry.names.forEach((n, j) => {
        const keys = lookupKeys([n.name]);
        for (const key of [...keys.selective, ...keys.broad]) {
          const list = this.postings.get(key);
          if (list === undefined) this.postings.set(key, [[i, j]]);
          else list.push([i, j]);
        }
      });
    });
  }

  get size(): number {
    return this.entries.length;
  }

  private pool: ScreeningPool | undefined;

  /**
   * Screens a batch: results[i] are person i's, exactly as screen() gives them. Large batches are
   * spread over worker threads (screening-pool.ts), kept until close(); `workers: 1` screens here.
   */
  async screenMany(
    people: readonly PersonEvidence[],
    threshold = SCREENING_THRESHOLD,
    workers = defaultScreeningWorkers(people.length),
  ): Promise<ScreeningResult[][]> {
    if (workers <= 1) return people.map((p) => this.screen(p, threshold));
    if (this.pool !== undefined && this.pool.size !== workers) await this.close();
    this.pool ??= new ScreeningPool(this.entries, workers);
    return this.pool.screen(people, threshold);
  }

  /** Stops the worker threads of screenMany, if any were started. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }

  /**
   * Entries this person may be, best first, scoring at least the threshold. Only the names that share
   * a key (person name × listed name) are compared in full; single-part keys are used for a name that
   * shares no pair key with anything, unless many entries share them.
   */
  screen(person: PersonEvidence, threshold = SCREENING_THRESHOLD): ScreeningResult[] {
    // entry index → which of the person's names and which of the entry's names share a key.
    const shared = new Map<number, SharedNames>();
    for (let mine = 0; mine < person.names.length; mine++) {
      const keys = lookupKeys([person.names[mine] as string]);
      let any = false;
      for (const key of keys.selective) {
        const list = this.postings.get(key);
        if (list === undefined) continue;
        for (const [i, j] of list) noteShared(shared, i, mine, j);
        any = true;
      }
      if (any) continue;
      for (const key of keys.broad) {
        const list = this.postings.get(key);
        if (list === undefined || list.length > 25) continue;
        for (const [i, j] of list) noteShared(shared, i, mine, j);
      }
    }
    const out: ScreeningResult[] = [];
    for (const [i, pairs] of shared) {
      const entry = this.entries[i] as ScreenableEntry;
      const variants = this.evidence[i] ?? [];
      const first = variants[0];
      if (first === undefined) continue;
      const mine: PersonEvidence = {
        ...person,
        names: [...pairs.mine].map((k) => person.names[k] as string),
      };
      const theirNames = [...pairs.theirs].map((k) => first.names[k] as string);
      // The listed names are the same for every date of birth the entry has: score them once, and
      // skip the entry when the names alone cannot reach the threshold (person.ts, cannotReach).
      const names = bestNamePair(mine, { names: theirNames });
      if (cannotReach(names, threshold)) continue;
      let best: PersonComparison | undefined;
      for (const ev of variants) {
        const c = comparePersons(mine, { ...ev, names: theirNames }, names);
        if (best === undefined || c.score > best.score) best = c;
      }
      if (best === undefined || best.decision === 'no_match') continue;
      // A kunya alone (Umm Fatima, Abu Talha al-…) is shared by thousands: weak evidence on its own.
      const kunyaOnly =
        best.name !== undefined &&
        best.name.matches.length > 0 &&
        best.name.matches.every((m) => NON_CORE.has(m.leftPart) && NON_CORE.has(m.rightPart));
      const score = kunyaOnly ? best.score * KUNYA_ONLY_FACTOR : best.score;
      if (score < threshold) continue;
      const used = new Set([best.name?.left.original, best.name?.right.original]);
      const matchedName = entry.names.find((n) => used.has(n.name)) ?? (entry.names[0] as WatchlistName);
      const weakAlias = (matchedName.type === 'alias' && matchedName.quality === 'low') || kunyaOnly;
      const explanation = [...best.explanation];
      if (matchedName.type === 'alias' && matchedName.quality === 'low') {
        explanation.push("matched through an alias the list rates 'Low' quality: weak evidence");
      }
      if (kunyaOnly) explanation.push('only a kunya (and nisba) matched: weak evidence, score lowered');
      out.push({
        entry,
        score,
        decision: best.decision === 'match' && !kunyaOnly ? 'match' : 'possible',
        matchedName,
        weakAlias,
        explanation,
        comparison: best,
      });
    }
    out.sort((a, b) => b.score - a.score || (a.entry.referenceNumber < b.entry.referenceNumber ? -1 : 1));
    return out;
  }
}
