import { type Analysis, analyse, makeToken, type Token } from './analyse.ts';
import { arabicFineSimilarity, fineSimilarity } from './distance.ts';
import { NameMemo } from './memo.ts';
import type { MatchMethod, MissingPart, NameComparison, NameParts, NameRole, PartMatch } from './types.ts';

export interface TokenSimilarity {
  score: number;
  method: MatchMethod;
  detail: string;
}

function fineScore(a: Token, b: Token, fa: readonly string[], fb: readonly string[]): number {
  const arabicA = a.script === 'arabic';
  const arabicB = b.script === 'arabic';
  let best = 0;
  for (const x of fa) {
    for (const y of fb) {
      const s =
        arabicA === arabicB
          ? fineSimilarity(x, y)
          : arabicA
            ? arabicFineSimilarity(x, y)
            : arabicFineSimilarity(y, x);
      if (s > best) best = s;
    }
  }
  return best;
}

function consonants(skeleton: string): number {
  return skeleton.startsWith('@') ? skeleton.length - 1 : skeleton.length;
}

/**
 * What an equal skeleton is worth on its own: a long skeleton (MHMT, JNBLTV) is specific, a short one
 * (@L for Ali, Eli, Ola) is not.
 */
function skeletonFloor(skeleton: string): number {
  const n = consonants(skeleton);
  return n >= 4 ? 0.9 : n === 3 ? 0.85 : n === 2 ? 0.78 : 0.7;
}

function sharedSkeleton(a: Token, b: Token): string | undefined {
  for (const s of a.skeleton) if (b.skeleton.includes(s)) return s;
  return undefined;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * Similarity of two name parts and how it was reached. Morphology (a different ending on the same
 * stem) applies to endings both sides have, or to a surname whose ending was dropped, never to a
 * given name against a surname (Ivan is not Ivanov).
 */
export function compareTokens(a: Token, b: Token): TokenSimilarity {
  return { ...tokenSimilarity(a, b) };
}

// Token pairs recur across comparisons (a population shares a few thousand name words, and a list
// or registry name is compared with many persons): remember each pair's similarity. Tokens are
// memoised and never mutated, so the pair of objects identifies the pair of readings; the inner
// maps are bounded per token.
const PAIRS_PER_TOKEN = 2048;
const tokenPairs = new NameMemo<Map<Token, Readonly<TokenSimilarity>>, Token>(20_000);

/** compareTokens, remembered; the result is shared: copy it before changing a field. */
function tokenSimilarity(a: Token, b: Token): Readonly<TokenSimilarity> {
  let row = tokenPairs.get(a);
  if (row === undefined) {
    row = new Map();
    tokenPairs.set(a, row);
  }
  let sim = row.get(b);
  if (sim === undefined) {
    sim = computeTokenSimilarity(a, b);
    if (row.size >= PAIRS_PER_TOKEN) row.clear();
    row.set(b, sim);
  }
  return sim;
}

function computeTokenSimilarity(a: Token, b: Token): TokenSimilarity {
  if (a.exact === b.exact) return { score: 1, method: 'exact', detail: 'same spelling' };
  const arabic = (a.script === 'arabic') !== (b.script === 'arabic');
  const fineEqual = a.fine.some((f) => b.fine.includes(f));
  const fs = fineEqual ? 0.98 : fineScore(a, b, a.fine, b.fine);
  const skel = sharedSkeleton(a, b);
  let score = fs;
  let method: MatchMethod;
  let detail: string;
  if (fineEqual) {
    method = 'transliteration';
    detail = 'same sounds under another romanisation';
  } else if (skel !== undefined) {
    // Only across Arabic script is an equal skeleton worth more than the fine reading: there the
    // vowels are missing, while between Latin and Cyrillic they are evidence (Muhammad ≠ Mahmud).
    if (arabic) score = Math.max(fs, skeletonFloor(skel));
    method = arabic || fs < 0.85 ? 'consonant-skeleton' : 'transliteration';
    detail =
      method === 'transliteration'
        ? 'same sounds under another romanisation'
        : `same consonants (${skel.replace('@', 'initial vowel ')})${arabic ? ', vowels unwritten in Arabic' : ''}`;
  } else if (fs >= 0.7) {
    method = 'typo';
    detail = `close spelling (similarity ${pct(fs)})`;
  } else {
    method = 'different';
    detail = `different (similarity ${pct(fs)})`;
  }
  // Morphology: -ova/-ov/-eva/-zoda/-uly… on one stem.
  const endingsDiffer = a.ending !== b.ending;
  const gendered = a.endingFamily !== 'fixed' && b.endingFamily !== 'fixed';
  const bothEnded = a.stems.length > 0 && b.stems.length > 0;
  const droppedEnding =
    (a.stems.length > 0 && b.stems.length === 0 && b.role === 'surname') ||
    (b.stems.length > 0 && a.stems.length === 0 && a.role === 'surname');
  if (endingsDiffer && gendered && (bothEnded || droppedEnding)) {
    const sa = a.stems.length > 0 ? a.stems : a.fine;
    const sb = b.stems.length > 0 ? b.stems : b.fine;
    const ms = fineScore(a, b, sa, sb) * 0.95;
    if (ms >= 0.8 && ms >= score - 0.05) {
      score = Math.max(score, ms);
      method = 'morphology';
      detail = `same stem, ending ${a.ending ?? 'dropped'} vs ${b.ending ?? 'dropped'}`;
    }
  }
  return { score, method, detail };
}

interface Side {
  core: Token[];
  analysis: Analysis;
  /** Tokens merged into one for this configuration (for the explanation). */
  joined: string | undefined;
  kunyaAsName: boolean;
}

export interface Outcome {
  score: number;
  matches: PartMatch[];
  missing: MissingPart[];
  notes: string[];
  comparable: boolean;
}

const MISSING_FACTOR = 0.3;
const CONTRADICTION_BELOW = 0.82;
/** Same declared order on both sides, yet a given name pairs with a surname: probably two people. */
const CROSS_ROLE_FACTOR = 0.85;

interface PairCandidate {
  i: number;
  j: number;
  sim: Readonly<TokenSimilarity>;
  rank: number;
}

function byRank(x: PairCandidate, y: PairCandidate): number {
  return y.rank - x.rank || x.i - y.i || x.j - y.j;
}

function pairUp(
  left: Token[],
  right: Token[],
  crossRolePenalty: boolean,
): [Token, Token, Readonly<TokenSimilarity>][] {
  const candidates: PairCandidate[] = [];
  for (let i = 0; i < left.length; i++) {
    const a = left[i] as Token;
    for (let j = 0; j < right.length; j++) {
      const b = right[j] as Token;
      let sim: Readonly<TokenSimilarity> = tokenSimilarity(a, b);
      let rank = sim.score;
      if (a.role !== b.role && crossRolePenalty) {
        rank *= CROSS_ROLE_FACTOR;
        sim = { ...sim, score: rank };
      }
      // Prefer same-role pairs on ties.
      candidates.push({ i, j, sim, rank: rank + (a.role === b.role ? 1e-6 : 0) });
    }
  }
  candidates.sort(byRank);
  const usedL = new Uint8Array(left.length);
  const usedR = new Uint8Array(right.length);
  const out: [Token, Token, Readonly<TokenSimilarity>][] = [];
  for (const c of candidates) {
    if (usedL[c.i] === 1 || usedR[c.j] === 1) continue;
    usedL[c.i] = 1;
    usedR[c.j] = 1;
    const a = left[c.i];
    const b = right[c.j];
    if (a !== undefined && b !== undefined) out.push([a, b, c.sim]);
  }
  return out;
}

function partMatch(a: Token, b: Token, sim: Readonly<TokenSimilarity>, weight: number): PartMatch {
  return {
    leftPart: a.role,
    rightPart: b.role,
    left: a.display,
    right: b.display,
    method: sim.method,
    score: sim.score,
    weight,
    detail: sim.detail,
  };
}

/** What one configuration of the two names adds up to (methods, not closures: evaluate runs hot). */
class Tally {
  readonly matches: PartMatch[] = [];
  readonly missing: MissingPart[] = [];
  readonly notes: string[] = [];
  sum = 0;
  total = 0;
  penalty = 1;
  add(m: PartMatch, contradicts: boolean): void {
    this.matches.push(m);
    this.sum += m.weight * m.score;
    this.total += m.weight;
    if (contradicts && m.score < CONTRADICTION_BELOW) {
      const r = m.score / CONTRADICTION_BELOW;
      this.penalty *= 0.25 + 0.75 * r * r;
    }
  }
  miss(side: 'left' | 'right', t: Token): void {
    this.missing.push({ side, part: t.role, text: t.display });
    this.total += t.weight * MISSING_FACTOR;
  }
}

/** A shared nisba alone identifies no one, unless a nisba is all either name has. */
function onlyNisba(x: Side): boolean {
  return (
    x.core.length === 0 &&
    x.analysis.kunya === undefined &&
    x.analysis.patronymic === undefined &&
    x.analysis.nasab.length === 0
  );
}

function evaluate(left: Side, right: Side): Outcome {
  const tally = new Tally();
  const { matches, missing, notes } = tally;
  const la = left.analysis;
  const ra = right.analysis;
  const orderKnown =
    la.parts.order !== undefined && la.parts.order !== 'unknown' && la.parts.order === ra.parts.order;
  const comparableCore = left.core.length > 0 && right.core.length > 0;
  if (comparableCore) {
    const pairs = pairUp(left.core, right.core, orderKnown);
    let reordered = false;
    for (const [a, b, sim] of pairs) {
      let s = sim;
      const joinedHere =
        (left.joined !== undefined && a.display === left.joined) ||
        (right.joined !== undefined && b.display === right.joined);
      if (joinedHere && s.score >= 0.7) {
        s = {
          score: s.score * 0.98,
          method: 'joined',
          detail: `written as one word on one side (${s.detail})`,
        };
      }
      if (a.role !== b.role) reordered = true;
      tally.add(partMatch(a, b, s, (a.weight + b.weight) / 2), true);
    }
    for (const t of left.core) if (!pairs.some((p) => p[0] === t)) tally.miss('left', t);
    for (const t of right.core) if (!pairs.some((p) => p[1] === t)) tally.miss('right', t);
    if (reordered)
      notes.push('name order differs: a surname on one side corresponds to a given name on the other');
  }

  // Patronymic, or a nasab (ibn X) against a patronymic: both name the father.
  const fatherL = la.patronymic ?? la.nasab[0]?.token;
  const fatherR = ra.patronymic ?? ra.nasab[0]?.token;
  if (fatherL !== undefined && fatherR !== undefined) {
    const sim = tokenSimilarity(fatherL, fatherR);
    const detail = `father's name: ${sim.detail}`;
    tally.add(partMatch(fatherL, fatherR, { ...sim, detail }, 0.5), true);
  } else if (comparableCore && fatherL !== undefined) {
    tally.miss('left', fatherL);
  } else if (comparableCore && fatherR !== undefined) {
    tally.miss('right', fatherR);
  }

  if (la.kunya !== undefined && ra.kunya !== undefined) {
    const sim = tokenSimilarity(la.kunya.token, ra.kunya.token);
    if (la.kunya.kind !== ra.kunya.kind) {
      tally.add(
        partMatch(
          la.kunya.token,
          ra.kunya.token,
          {
            score: sim.score * 0.3,
            method: 'different',
            detail: `kunya of a ${la.kunya.kind === 'abu' ? 'man' : 'woman'} vs of a ${ra.kunya.kind === 'abu' ? 'man' : 'woman'}`,
          },
          0.8,
        ),
        true,
      );
    } else {
      const detail = `kunya ${la.kunya.kind === 'abu' ? 'Abu' : 'Umm'} + child's name: ${sim.detail}`;
      tally.add(partMatch(la.kunya.token, ra.kunya.token, { ...sim, detail }, 0.8), true);
    }
  } else if (la.kunya !== undefined || ra.kunya !== undefined) {
    if (!left.kunyaAsName && !right.kunyaAsName) {
      notes.push(
        'kunya on one side only: it names a child, not the person, so it is not compared with given names',
      );
    }
  }

  if (la.nisba.length > 0 && ra.nisba.length > 0) {
    let best: [Token, Token, Readonly<TokenSimilarity>] | undefined;
    for (const a of la.nisba) {
      for (const b of ra.nisba) {
        const sim = tokenSimilarity(a, b);
        if (best === undefined || sim.score > best[2].score) best = [a, b, sim];
      }
    }
    if (best !== undefined) {
      // A nisba is weak evidence either way: neighbours attribute origins loosely.
      tally.add(partMatch(best[0], best[1], { ...best[2], detail: `nisba: ${best[2].detail}` }, 0.3), false);
    }
  }

  const comparable =
    matches.length > 0 &&
    (comparableCore || matches.some((m) => m.leftPart !== 'nisba') || (onlyNisba(left) && onlyNisba(right)));
  const base = tally.total > 0 ? tally.sum / tally.total : 0;
  const score = comparable ? Math.max(0, Math.min(1, base * tally.penalty)) : 0;
  if (left.joined !== undefined || right.joined !== undefined) {
    notes.push(`joined or split name: "${left.joined ?? right.joined}" compared as one word`);
  }
  if (left.kunyaAsName || right.kunyaAsName)
    notes.push('a kunya on one side was read as a given name (Abubakr)');
  return { score, matches, missing, notes, comparable };
}

// Joined tokens are rebuilt for every comparison of a name; remember them (bounded).
const mergedCache = new Map<string, Token>();

function mergeTokens(a: Token, b: Token): Token {
  const display = `${a.display}${a.linkedToNext ? '-' : ' '}${b.display}`;
  const key = `${display}\u0000${Math.max(a.weight, b.weight)}`;
  const hit = mergedCache.get(key);
  if (hit !== undefined) return hit;
  const merged = { ...makeToken(`${a.display}${b.display}`, 'given', Math.max(a.weight, b.weight)), display };
  if (mergedCache.size >= 4096) mergedCache.clear();
  mergedCache.set(key, merged);
  return merged;
}

/** Core tokens with one pair of adjacent given names joined, for each such pair. */
function joinings(side: Side): Side[] {
  const out: Side[] = [];
  const core = side.core;
  for (let i = 0; i + 1 < core.length; i++) {
    const a = core[i];
    const b = core[i + 1];
    if (a === undefined || b === undefined) continue;
    if (!(a.linkedToNext || (a.role === 'given' && b.role === 'given'))) continue;
    const merged = mergeTokens(a, b);
    out.push({ ...side, core: [...core.slice(0, i), merged, ...core.slice(i + 2)], joined: merged.display });
  }
  return out;
}

function kunyaAsGiven(side: Side): Side | undefined {
  const k = side.analysis.kunya;
  if (k === undefined) return undefined;
  const word = k.kind === 'abu' ? 'Abu' : 'Umm';
  const token = mergeTokens({ ...k.token, display: word, linkedToNext: false, weight: 1 }, k.token);
  return { ...side, core: [...side.core, token], kunyaAsName: true };
}

function better(x: Outcome, y: Outcome): boolean {
  return y.score > x.score + 1e-12;
}

function compareAnalyses(la: Analysis, ra: Analysis): Outcome {
  const left: Side = { core: la.core, analysis: la, joined: undefined, kunyaAsName: false };
  const right: Side = { core: ra.core, analysis: ra, joined: undefined, kunyaAsName: false };
  let best = evaluate(left, right);
  if (best.score === 1) return best;
  for (const l of joinings(left)) {
    const o = evaluate(l, right);
    if (better(best, o)) best = o;
  }
  for (const r of joinings(right)) {
    const o = evaluate(left, r);
    if (better(best, o)) best = o;
  }
  // Abu Bakr / Abubakr: a kunya on one side only may really be a given name.
  if ((la.kunya === undefined) !== (ra.kunya === undefined)) {
    const l = la.kunya !== undefined ? kunyaAsGiven(left) : left;
    const r = ra.kunya !== undefined ? kunyaAsGiven(right) : right;
    if (l !== undefined && r !== undefined) {
      const o = evaluate(l, r);
      const kunyaMatch = o.matches.find(
        (m) =>
          m.left.startsWith('Abu') ||
          m.right.startsWith('Abu') ||
          m.left.startsWith('Umm') ||
          m.right.startsWith('Umm'),
      );
      if (kunyaMatch !== undefined && kunyaMatch.score >= 0.85 && better(best, o)) best = o;
    }
  }
  return best;
}

const ROLE_LABEL: Record<NameRole, string> = {
  given: 'given name',
  surname: 'surname',
  patronymic: 'patronymic',
  kunya: 'kunya',
  nasab: 'nasab',
  nisba: 'nisba',
};

const METHOD_LABEL: Record<MatchMethod, string> = {
  exact: 'exact',
  transliteration: 'transliteration-equivalent',
  'consonant-skeleton': 'consonant skeleton',
  morphology: 'morphology-equivalent',
  typo: 'typo distance',
  joined: 'joined/split',
  different: 'different',
};

function describe(m: PartMatch): string {
  const parts =
    m.leftPart === m.rightPart
      ? ROLE_LABEL[m.leftPart]
      : `${ROLE_LABEL[m.leftPart]}/${ROLE_LABEL[m.rightPart]}`;
  return `${parts} "${m.left}" ~ "${m.right}": ${METHOD_LABEL[m.method]}, ${pct(m.score)} (${m.detail})`;
}

function explain(o: Outcome): string[] {
  const lines: string[] = [];
  if (!o.comparable)
    lines.push('no comparable parts: the two names share no kind of part that can be compared');
  const sorted = [...o.matches].sort((x, y) => y.weight - x.weight || x.score - y.score);
  for (const m of sorted) lines.push(describe(m));
  for (const m of o.missing)
    lines.push(`missing part: ${ROLE_LABEL[m.part]} "${m.text}" only on the ${m.side}`);
  lines.push(...o.notes);
  return lines;
}

function swapOutcome(o: Outcome): Outcome {
  return {
    ...o,
    matches: o.matches.map((m) => ({
      ...m,
      leftPart: m.rightPart,
      rightPart: m.leftPart,
      left: m.right,
      right: m.left,
    })),
    missing: o.missing.map((m) => ({ ...m, side: m.side === 'left' ? 'right' : 'left' })),
  };
}

/**
 * A name comparison before its explanation is written: batch callers score many name pairs and
 * explain only the best (`explainNames`), which then reads exactly as `compareNames` would.
 */
export interface ScoredNames {
  readonly score: number;
  readonly left: Analysis;
  readonly right: Analysis;
  readonly outcome: Outcome;
  readonly swapped: boolean;
}

export function scoreNames(a: string | NameParts, b: string | NameParts): ScoredNames {
  const la = analyse(a);
  const ra = analyse(b);
  // Compare in a canonical order so that compareNames(a, b) and compareNames(b, a) agree exactly.
  const swapped = la.key > ra.key;
  const outcome = swapped ? compareAnalyses(ra, la) : compareAnalyses(la, ra);
  return { score: outcome.score, left: la, right: ra, outcome, swapped };
}

/** The full comparison, with its explanation, of a scored pair. */
export function explainNames(scored: ScoredNames): NameComparison {
  const o = scored.swapped ? swapOutcome(scored.outcome) : scored.outcome;
  return {
    score: o.score,
    matches: o.matches,
    missing: o.missing,
    notes: o.notes,
    explanation: [`score ${pct(o.score)}`, ...explain(o)],
    left: scored.left.parts,
    right: scored.right.parts,
  };
}

/**
 * Compare two names, each a string in any script or already split into parts. The score is in
 * [0,1]; `matches`, `missing`, `notes` and `explanation` say which part matched which and how.
 */
export function compareNames(a: string | NameParts, b: string | NameParts): NameComparison {
  return explainNames(scoreNames(a, b));
}
