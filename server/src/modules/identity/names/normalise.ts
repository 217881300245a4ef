import type { Script } from './types.ts';

// Character-level normalisation: one pass over code points with precomputed tables, no regular
// expressions, so it can run on every token of every comparison.

enum Kind {
  Other = 0,
  Latin = 1,
  Cyrillic = 2,
  Arabic = 3,
}

function kindOf(cp: number): Kind {
  if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a)) return Kind.Latin;
  if (cp < 0xc0) return Kind.Other;
  if (cp <= 0x24f) return cp === 0xd7 || cp === 0xf7 ? Kind.Other : Kind.Latin;
  if (cp >= 0x250 && cp <= 0x2af) return Kind.Latin;
  if (cp >= 0x1e00 && cp <= 0x1eff) return Kind.Latin;
  if (cp >= 0x400 && cp <= 0x52f) return Kind.Cyrillic;
  // Arabic letters only: harakat (0x64b–0x65f, 0x670) and digits are not evidence of the script.
  if (cp >= 0x620 && cp <= 0x64a) return Kind.Arabic;
  if (cp >= 0x671 && cp <= 0x6d3) return Kind.Arabic;
  if (cp >= 0x6fa && cp <= 0x6ff) return Kind.Arabic;
  if (cp >= 0x750 && cp <= 0x77f) return Kind.Arabic;
  if (cp >= 0x8a0 && cp <= 0x8ff) return Kind.Arabic;
  if (cp >= 0xfb50 && cp <= 0xfdff) return Kind.Arabic;
  if (cp >= 0xfe70 && cp <= 0xfeff) return Kind.Arabic;
  return Kind.Other;
}

/**
 * The writing system of a string: the script of most of its letters, or 'mixed' when a second
 * script holds at least a fifth of them (a stray homoglyph does not make a name mixed).
 */
export function detectScript(s: string): Script {
  let latin = 0;
  let cyrillic = 0;
  let arabic = 0;
  for (const ch of s) {
    const k = kindOf(ch.codePointAt(0) ?? 0);
    if (k === Kind.Latin) latin++;
    else if (k === Kind.Cyrillic) cyrillic++;
    else if (k === Kind.Arabic) arabic++;
  }
  const total = latin + cyrillic + arabic;
  if (total === 0) return 'unknown';
  const top = Math.max(latin, cyrillic, arabic);
  if (total - top >= 1 && (total - top) * 5 >= total) return 'mixed';
  if (top === arabic) return 'arabic';
  return top === cyrillic ? 'cyrillic' : 'latin';
}

/** How each character is folded; undefined means "keep as is". '' removes it. */
const FOLD = new Map<string, string>();
function fillFoldTable(): void {
  // Apostrophes: Uzbek oʻ gʻ (U+02BB), Kazakh 2017 digraphs, ayn/hamza marks, typewriter forms.
  for (const a of [
    '\u02bb',
    '\u02bc',
    '\u2018',
    '\u2019',
    '`',
    '\u00b4',
    '\u02b9',
    '\u02be',
    '\u02bf',
    '\u2032',
  ]) {
    FOLD.set(a, "'");
  }
  for (const h of ['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212']) FOLD.set(h, '-');
  FOLD.set('\u00ad', ''); // soft hyphen
  // Arabic orthography (romanisation.md): hamza seats on alef → bare alef; alef maqsura and Persian
  // yeh → yeh; teh marbuta → heh (both are a final -a/-ah); keheh → kaf; tatweel and harakat go.
  for (const a of ['\u0623', '\u0625', '\u0622', '\u0671', '\u0672', '\u0673']) FOLD.set(a, '\u0627');
  FOLD.set('\u0649', '\u064a');
  FOLD.set('\u06cc', '\u064a');
  FOLD.set('\u06d0', '\u064a');
  FOLD.set('\u0626', '\u064a');
  FOLD.set('\u0624', '\u0648');
  FOLD.set('\u0629', '\u0647');
  FOLD.set('\u06c0', '\u0647');
  FOLD.set('\u06c1', '\u0647');
  FOLD.set('\u06d5', '\u0647');
  FOLD.set('\u06a9', '\u0643');
  FOLD.set('\u06aa', '\u0643');
  FOLD.set('\u0621', '');
  FOLD.set('\u0640', '');
  for (let cp = 0x64b; cp <= 0x65f; cp++) FOLD.set(String.fromCharCode(cp), '');
  FOLD.set('\u0670', '');
  FOLD.set('\u060c', ',');
  // Combining marks left after NFKC (e.g. the dot of Turkish İ once lower-cased) carry no name.
  for (let cp = 0x300; cp <= 0x36f; cp++) FOLD.set(String.fromCharCode(cp), '');
  // Digits (ASCII and Arabic-Indic) are not part of names; OCR noise at best.
  for (let d = 0; d <= 9; d++) {
    FOLD.set(String.fromCharCode(0x30 + d), '');
    FOLD.set(String.fromCharCode(0x660 + d), '');
    FOLD.set(String.fromCharCode(0x6f0 + d), '');
  }
  for (const p of [
    '.',
    ';',
    ':',
    '/',
    '\\',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '"',
    '\u00ab',
    '\u00bb',
    '_',
    '*',
  ]) {
    FOLD.set(p, ' ');
  }
  for (const ws of ['\t', '\n', '\r', '\u00a0', '\u2007', '\u202f', '\u3000']) FOLD.set(ws, ' ');
}
fillFoldTable();

// Homoglyphs: camp lists typed on mixed keyboards put Latin letters inside Cyrillic words and the
// reverse. Inside a token, the minority script's look-alikes are folded into the majority script.
const LATIN_TO_CYRILLIC = new Map<string, string>([
  ['a', 'а'],
  ['e', 'е'],
  ['o', 'о'],
  ['p', 'р'],
  ['c', 'с'],
  ['x', 'х'],
  ['y', 'у'],
  ['k', 'к'],
  ['m', 'м'],
  ['t', 'т'],
  ['b', 'в'],
  ['h', 'н'],
  ['i', 'і'],
]);
const CYRILLIC_TO_LATIN = new Map<string, string>();
for (const [lat, cyr] of LATIN_TO_CYRILLIC) CYRILLIC_TO_LATIN.set(cyr, lat);
CYRILLIC_TO_LATIN.set('в', 'v'); // lower-case в reads as v in a Latin word, not b
CYRILLIC_TO_LATIN.set('н', 'n');

/** Case-fold and clean one piece of text, keeping the characters that matter for names. */
export function foldText(s: string, keepCase: boolean): string {
  const src = keepCase ? s.normalize('NFKC') : s.normalize('NFKC').toLowerCase();
  let out = '';
  for (const ch of src) {
    const f = FOLD.get(ch);
    out += f === undefined ? ch : f;
  }
  return out;
}

/** Fold homoglyphs of a single token toward the script most of its letters are in. */
export function foldHomoglyphs(token: string): string {
  let latin = 0;
  let cyrillic = 0;
  for (const ch of token) {
    const k = kindOf(ch.codePointAt(0) ?? 0);
    if (k === Kind.Latin) latin++;
    else if (k === Kind.Cyrillic) cyrillic++;
  }
  if (latin === 0 || cyrillic === 0) return token;
  const table = cyrillic >= latin ? LATIN_TO_CYRILLIC : CYRILLIC_TO_LATIN;
  let out = '';
  for (const ch of token) out += table.get(ch) ?? ch;
  return out;
}

/** Collapse whitespace and tidy hyphens: 'Mukhammad - Ali' → 'mukhammad-ali'. */
function tidySpaces(s: string): string {
  let out = '';
  let pendingSpace = false;
  for (const ch of s) {
    if (ch === ' ') {
      pendingSpace = out.length > 0;
      continue;
    }
    if (ch === '-') {
      if (out.endsWith('-')) continue;
      pendingSpace = false;
      out += '-';
      continue;
    }
    if (pendingSpace && !out.endsWith('-')) out += ' ';
    pendingSpace = false;
    out += ch;
  }
  while (out.endsWith('-')) out = out.slice(0, -1);
  while (out.startsWith('-')) out = out.slice(1);
  return out;
}

/**
 * A name in a canonical written form, still in its own script: NFKC, lower case, one kind of
 * apostrophe and hyphen, Arabic orthographic variants folded (hamza seats, ى/ي, ة/ه, Persian
 * letters, tatweel, harakat), digits and punctuation removed, single spaces. Commas are dropped.
 */
export function normaliseName(s: string): string {
  const folded = foldText(s, false);
  let cleaned = '';
  for (const ch of folded) cleaned += ch === ',' ? ' ' : ch;
  const tidy = tidySpaces(cleaned);
  // Homoglyphs are a per-word matter.
  return tidy
    .split(' ')
    .map((w) => w.split('-').map(foldHomoglyphs).join('-'))
    .join(' ');
}

export function isArabicChar(ch: string): boolean {
  return kindOf(ch.codePointAt(0) ?? 0) === Kind.Arabic;
}
