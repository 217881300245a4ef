import { classOf, isVowel } from './phonetic.ts';

/*
 * Homeward's own small string metrics. The weighted edit distance is the workhorse: its costs
 * encode which differences are spelling (cheap) and which are a different name (full price).
 * Costs live in precomputed 128×128 tables indexed by char code; the DP reuses two rows.
 */

const SIZE = 128;

function table(): Float64Array {
  return new Float64Array(SIZE * SIZE).fill(1);
}

// Vowel quality differs freely between romanisations (Yusuf/Yousef/Iosif, Muhammad/Mohammed).
function vowelCost(a: string, b: string): number {
  const pair = a < b ? a + b : b + a;
  switch (pair) {
    case 'ou':
      return 0.15;
    case 'ei':
      return 0.2;
    case 'ae':
      return 0.25;
    default:
      return 0.35;
  }
}

/** Consonant classes that transliterations confuse even across the skeleton classes. */
const NEAR_CLASSES: Record<string, number> = {
  HK: 0.4, // ك or ق for г; q/k/kh
  JS: 0.5, // ч/ц/с: Kazakh 2021 s for ц, Turkish ç, chechen ts/ch
  HJ: 0.6, // ج for a hard g (Egyptian practice), German ch
  BV: 0.5, // б/в alternation, ب for в
  ST: 0.6, // Arabic th/dh read as s or t
  MN: 0.7,
  LR: 0.7,
};

function nearCost(ca: string, cb: string): number {
  const key = ca < cb ? ca + cb : cb + ca;
  return NEAR_CLASSES[key] ?? 1;
}

const FINE_SYMBOLS = 'aeiouybpvftdszcjxqkghrlmn';

/** sub[a][b] and indel[a] for fine strings; Arabic mode has its own tables (see below). */
const FINE_SUB = table();
const FINE_INDEL = new Float64Array(SIZE).fill(1);
// In Arabic-vs-other mode, row = the Arabic-side symbol, column = the other side's symbol.
const ARABIC_SUB = table();
const ARABIC_INDEL_ARABIC = new Float64Array(SIZE).fill(1);
const ARABIC_INDEL_OTHER = new Float64Array(SIZE).fill(1);

function fineSubCost(a: string, b: string): number {
  if (a === b) return 0;
  const av = isVowel(a);
  const bv = isVowel(b);
  if (av && bv) return vowelCost(a, b);
  if ((a === 'y' && bv) || (b === 'y' && av)) return a === 'i' || b === 'i' ? 0.1 : 0.35;
  const ca = classOf(a);
  const cb = classOf(b);
  if (ca !== undefined && cb !== undefined) return ca === cb ? 0.25 : nearCost(ca, cb);
  return 1;
}

function fineIndelCost(a: string): number {
  if (a === 'y') return 0.2; // glides come and go (Yerlan/Erlan, Mariya/Maria)
  if (isVowel(a)) return 0.5;
  if (a === 'h') return 0.5; // Mohamad/Mohammad/Mohamed vs Muhammad; silent h
  return 1;
}

// Arabic script writes long vowels and drops short ones: a vowel missing on the Arabic side costs
// little; a vowel present in Arabic but absent from the other spelling costs more.
function arabicSubCost(arabic: string, other: string): number {
  if (arabic === other) return 0;
  if (isVowel(arabic) || arabic === 'y') {
    if (arabic === 'a') return other === 'e' ? 0.2 : isVowel(other) ? 0.4 : 1; // ا or ع
    if (arabic === 'u') return other === 'o' ? 0.05 : isVowel(other) ? 0.4 : other === 'v' ? 0.3 : 1;
    if (arabic === 'i') return other === 'e' || other === 'y' ? 0.05 : isVowel(other) ? 0.4 : 1;
    if (arabic === 'y') return other === 'i' || other === 'e' ? 0.1 : other === 'j' ? 0.5 : 1;
  }
  if (arabic === 'v' && (other === 'u' || other === 'o')) return 0.3; // و read as consonant
  return fineSubCost(arabic, other);
}

for (const a of FINE_SYMBOLS) {
  const ia = a.charCodeAt(0);
  FINE_INDEL[ia] = fineIndelCost(a);
  ARABIC_INDEL_ARABIC[ia] = isVowel(a) ? 0.4 : a === 'y' ? 0.2 : fineIndelCost(a);
  // a (а) is the vowel Arabic spelling drops most; о/у/и/е are usually written (و, ي).
  ARABIC_INDEL_OTHER[ia] = a === 'a' ? 0.1 : isVowel(a) ? 0.2 : a === 'y' ? 0.1 : fineIndelCost(a);
  for (const b of FINE_SYMBOLS) {
    const ib = b.charCodeAt(0);
    FINE_SUB[ia * SIZE + ib] = fineSubCost(a, b);
    ARABIC_SUB[ia * SIZE + ib] = arabicSubCost(a, b);
  }
}

const SKELETON_SYMBOLS = '@BVTSJKHRLMN';
const SKELETON_SUB = table();
const SKELETON_INDEL = new Float64Array(SIZE).fill(1);
for (const a of SKELETON_SYMBOLS) {
  const ia = a.charCodeAt(0);
  SKELETON_INDEL[ia] = a === '@' ? 0.5 : 1;
  for (const b of SKELETON_SYMBOLS) {
    const ib = b.charCodeAt(0);
    SKELETON_SUB[ia * SIZE + ib] = a === b ? 0 : a === '@' || b === '@' ? 1 : nearCost(a, b);
  }
}

const TRANSPOSE = 0.6;
let rowA = new Float64Array(64);
let rowB = new Float64Array(64);
let rowC = new Float64Array(64);

/**
 * Weighted optimal-string-alignment distance. `sub` is indexed [a][b]; `delA` prices removing a
 * letter of `a`, `insB` adding a letter of `b`.
 */
function weightedDistance(
  a: string,
  b: string,
  sub: Float64Array,
  delA: Float64Array,
  insB: Float64Array,
): number {
  const n = a.length;
  const m = b.length;
  if (m + 1 > rowA.length) {
    rowA = new Float64Array(m + 32);
    rowB = new Float64Array(m + 32);
    rowC = new Float64Array(m + 32);
  }
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  prev[0] = 0;
  for (let j = 1; j <= m; j++) prev[j] = (prev[j - 1] ?? 0) + (insB[b.charCodeAt(j - 1) & 127] ?? 1);
  for (let i = 1; i <= n; i++) {
    const ca = a.charCodeAt(i - 1) & 127;
    const del = delA[ca] ?? 1;
    cur[0] = (prev[0] ?? 0) + del;
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1) & 127;
      let best = (prev[j - 1] ?? 0) + (sub[ca * SIZE + cb] ?? 1);
      const d = (prev[j] ?? 0) + del;
      if (d < best) best = d;
      const ins = (cur[j - 1] ?? 0) + (insB[cb] ?? 1);
      if (ins < best) best = ins;
      if (i > 1 && j > 1 && ca === (b.charCodeAt(j - 2) & 127) && cb === (a.charCodeAt(i - 2) & 127)) {
        const t = (prev2[j - 2] ?? 0) + TRANSPOSE;
        if (t < best) best = t;
      }
      cur[j] = best;
    }
    const tmp = prev2;
    prev2 = prev;
    prev = cur;
    cur = tmp;
  }
  return prev[m] ?? 0;
}

function toSimilarity(distance: number, a: string, b: string): number {
  const len = Math.max(a.length, b.length);
  if (len === 0) return 1;
  return Math.max(0, 1 - distance / len);
}

/** Similarity of two fine readings written in the same kind of script (0..1). */
export function fineSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  return toSimilarity(weightedDistance(a, b, FINE_SUB, FINE_INDEL, FINE_INDEL), a, b);
}

/** Similarity of a fine reading of Arabic script with one from Latin or Cyrillic (0..1). */
export function arabicFineSimilarity(arabic: string, other: string): number {
  if (arabic === other) return 1;
  const d = weightedDistance(arabic, other, ARABIC_SUB, ARABIC_INDEL_ARABIC, ARABIC_INDEL_OTHER);
  return toSimilarity(d, arabic, other);
}

/** Similarity of two consonant skeletons (0..1). */
export function skeletonSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  return toSimilarity(weightedDistance(a, b, SKELETON_SUB, SKELETON_INDEL, SKELETON_INDEL), a, b);
}

/** Plain Levenshtein distance (unit costs), for callers that want an edit count. */
export function levenshtein(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[m] ?? 0;
}

/** Jaro–Winkler similarity (prefix scale 0.1, prefix up to 4), 0..1. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(n, m) / 2) - 1);
  const matchedA = new Uint8Array(n);
  const matchedB = new Uint8Array(m);
  let matches = 0;
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(m - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (matchedB[j] === 0 && a.charCodeAt(i) === b.charCodeAt(j)) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const t = transpositions / 2;
  const jaro = (matches / n + matches / m + (matches - t) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < n && prefix < m && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
