import { NameMemo } from './memo.ts';
import { detectScript, foldHomoglyphs, foldText } from './normalise.ts';
import { parseName } from './parse.ts';
import { findSuffix, type Phonetics, phoneticsOf } from './phonetic.ts';
import type { NameParts, NameRole, Script } from './types.ts';

/** A name part ready for comparison: its readings, skeletons and (for surnames) stems. */
export interface Token {
  role: NameRole;
  display: string;
  /** Lower case, Arabic folded, apostrophes and hyphens removed: equality means "exact". */
  exact: string;
  /** Lower case with apostrophes, the input of the phonetic reader. */
  norm: string;
  script: Script;
  fine: string[];
  skeleton: string[];
  /** Importance of the part in the name score. */
  weight: number;
  /** A gendered or patronymic ending (label) and the stems left when it is removed. */
  ending: string | undefined;
  stems: string[];
  /** Which ending family the stems belong to: equivalent endings swap freely (-ov/-ova/-zoda). */
  endingFamily: 'gendered' | 'fixed' | undefined;
  /** Joined to the next token by a hyphen in the input (Mukhammad-Ali). */
  linkedToNext: boolean;
}

export interface Analysis {
  parts: NameParts;
  core: Token[];
  patronymic: Token | undefined;
  kunya: { kind: 'abu' | 'umm'; token: Token } | undefined;
  nasab: { kind: 'ibn' | 'bint'; token: Token }[];
  nisba: Token[];
  /** Canonical text used to order the two sides of a comparison (symmetry). */
  key: string;
}

const ABD_START = new Set(['abd', 'abdul', 'abdel', 'abdal', 'abdur', 'abdus', 'абд', 'абдул', 'عبد']);
const FIXED_ENDINGS = new Set(['-yan', '-enko', '-dze', '-shvili']);

function normOf(display: string): string {
  return foldHomoglyphs(foldText(display, false));
}

function exactOf(norm: string): string {
  let out = '';
  for (const ch of norm) if (ch !== "'" && ch !== '-' && ch !== ' ') out += ch;
  return out;
}

// Tokens repeat across names and lists (a registry holds a few thousand distinct words): building one
// is most of the cost of keys and comparisons, so they are memoised. Tokens are never mutated after
// construction; callers that change a field spread a copy.
const tokenCache = new NameMemo<Token>(50_000);

export function makeToken(display: string, role: NameRole, weight: number, linkedToNext = false): Token {
  const key = `${display}\u0000${role}\u0000${weight}\u0000${linkedToNext ? 1 : 0}`;
  const hit = tokenCache.get(key);
  if (hit !== undefined) return hit;
  const token = buildToken(display, role, weight, linkedToNext);
  tokenCache.set(key, token);
  return token;
}

function buildToken(display: string, role: NameRole, weight: number, linkedToNext: boolean): Token {
  const norm = normOf(display);
  const exact = exactOf(norm);
  const ph = withoutGluedArticle(norm, phoneticsOf(exactOfKeepApostrophe(norm)));
  const token: Token = {
    role,
    display,
    exact,
    norm,
    script: detectScript(norm),
    fine: ph.fine,
    skeleton: ph.skeleton,
    weight,
    ending: undefined,
    stems: [],
    endingFamily: undefined,
    linkedToNext,
  };
  const kinds = role === 'surname' ? (['surname', 'surname-weak'] as const) : (['surname'] as const);
  const arabic = token.script !== 'latin' && token.script !== 'cyrillic';
  for (const f of ph.fine) {
    const found = findSuffix(f, kinds, arabic);
    if (found === undefined) continue;
    token.ending ??= found.suffix.label;
    token.endingFamily = FIXED_ENDINGS.has(found.suffix.label) ? 'fixed' : 'gendered';
    if (!token.stems.includes(found.stem)) token.stems.push(found.stem);
  }
  return token;
}

/**
 * A glued Arabic article is kept in the word (parse.ts), so the word reads both ways: with it
 * (الييا, Äliia; اليشر, Alisher) and without it (الحسن, Hasan). A new object: readings are memoised.
 */
function withoutGluedArticle(norm: string, ph: Phonetics): Phonetics {
  if (!norm.startsWith('ال') || norm.length < 4 || detectScript(norm) !== 'arabic') return ph;
  const bare = phoneticsOf(exactOfKeepApostrophe(norm.slice(2)));
  return {
    script: ph.script,
    fine: [...ph.fine, ...bare.fine.filter((f) => !ph.fine.includes(f))],
    skeleton: [...ph.skeleton, ...bare.skeleton.filter((s) => !ph.skeleton.includes(s))],
  };
}

function exactOfKeepApostrophe(norm: string): string {
  let out = '';
  for (const ch of norm) if (ch !== '-' && ch !== ' ') out += ch;
  return out;
}

/** The father's name inside a patronymic: 'Erlanovna' → erlan, 'Erlan qyzy' → erlan. */
function patronymicToken(display: string): Token {
  const words = normOf(display)
    .split(/[ -]/u)
    .filter((w) => w !== '');
  if (words.length >= 2) {
    const father = makeToken(words.slice(0, -1).join(' '), 'patronymic', 0.5);
    return { ...father, display, exact: exactOf(normOf(display)) };
  }
  const token = makeToken(display, 'patronymic', 0.5);
  const stems: string[] = [];
  const arabic = token.script !== 'latin' && token.script !== 'cyrillic';
  for (const f of token.fine) {
    const found = findSuffix(f, ['patronymic'], arabic);
    if (found !== undefined && !stems.includes(found.stem)) stems.push(found.stem);
  }
  // Compare patronymics through the father's name so that -ovna, -ovich and qyzy agree.
  return stems.length > 0 ? { ...token, fine: stems, ending: undefined, stems: [] } : token;
}

/** Split a part written as several words into tokens ('Mukhammad-Ali'), keeping Abd compounds whole. */
function tokensOf(text: string, role: NameRole, firstWeight: number, restWeight: number): Token[] {
  const folded = foldText(text, true).trim();
  const lower = normOf(folded);
  const firstWord = lower.split(/[ -]/u)[0] ?? '';
  if (ABD_START.has(firstWord.replaceAll("'", ''))) return [makeToken(folded, role, firstWeight)];
  const out: Token[] = [];
  let word = '';
  const flush = (linked: boolean): void => {
    if (word !== '') out.push(makeToken(word, role, out.length === 0 ? firstWeight : restWeight, linked));
    word = '';
  };
  for (const ch of folded) {
    if (ch === ' ') flush(false);
    else if (ch === '-') flush(true);
    else word += ch;
  }
  flush(false);
  return out.filter((t) => t.exact !== '');
}

function stripArticle(text: string): string {
  const lower = text.toLowerCase();
  for (const a of ['al-', 'el-', 'ul-', 'ad-', 'ar-', 'as-', 'at-', 'az-', 'an-', 'ash-', 'al ', 'el ']) {
    if (lower.startsWith(a)) return text.slice(a.length);
  }
  if (text.startsWith('ال') && text.length >= 4) return text.slice(2);
  return text;
}

export function analyseParts(parts: NameParts): Analysis {
  const core: Token[] = [];
  parts.given.forEach((g, i) => {
    core.push(...tokensOf(g, 'given', i === 0 ? 1 : 0.7, 0.7));
  });
  for (const s of parts.surname) core.push(...tokensOf(s, 'surname', 1, 0.7));
  const patronymic =
    parts.patronymic !== undefined && parts.patronymic.trim() !== ''
      ? patronymicToken(parts.patronymic)
      : undefined;
  const kunya =
    parts.kunya !== undefined
      ? { kind: parts.kunya.kind, token: makeToken(parts.kunya.name, 'kunya', 0.8) }
      : undefined;
  const nasab = (parts.nasab ?? []).map((n) => ({ kind: n.kind, token: makeToken(n.name, 'nasab', 0.5) }));
  const nisba = (parts.nisba ?? []).map((n) => makeToken(stripArticle(n), 'nisba', 0.3));
  const key = [
    core.map((t) => `${t.role}:${t.exact}`).join(' '),
    patronymic?.exact ?? '',
    kunya === undefined ? '' : `${kunya.kind}:${kunya.token.exact}`,
    nasab.map((n) => `${n.kind}:${n.token.exact}`).join(' '),
    nisba.map((t) => t.exact).join(' '),
  ].join('|');
  return { parts, core, patronymic, kunya, nasab, nisba, key };
}

// Batch work compares the same names many times (aliases × candidates, a population's repeated
// names against a list): keep the analyses of recent distinct names.
const cache = new NameMemo<Analysis>(50_000);
const partsCache = new WeakMap<NameParts, Analysis>();

export function analyse(input: string | NameParts): Analysis {
  if (typeof input !== 'string') {
    const hit = partsCache.get(input);
    if (hit !== undefined) return hit;
    const a = analyseParts(input);
    partsCache.set(input, a);
    return a;
  }
  const hit = cache.get(input);
  if (hit !== undefined) return hit;
  const a = analyseParts(parseName(input));
  cache.set(input, a);
  return a;
}
