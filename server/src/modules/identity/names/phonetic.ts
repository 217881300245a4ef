import { detectScript } from './normalise.ts';
import type { Script } from './types.ts';

/*
 * Phonetic keys.
 *
 * Every token, whatever its script, is rewritten into a small "fine" phoneme alphabet; the fine
 * string is then reduced to a coarse consonant "skeleton". Spellings of one name collide on the
 * skeleton across scripts, and are close on the fine string within Latin/Cyrillic.
 *
 * Fine alphabet (one ASCII letter per sound):
 *   vowels  a e i o u        glide  y (й, y/i next to a vowel, ي/ی as a consonant)
 *   b p v f t d s z          c = ts (ц)    j = zh/dzh/j (ж, дж, ج)    x = sh (ш, ش)
 *   q = ch (ч, تش, چ)        k (к, қ, q, ق, ك)   g (г, ғ, gh, ğ, غ)   h (х, һ, ҳ, kh, x, ح, خ, ه)
 *   r l m n
 *
 * Skeleton classes (why each merge): the transliteration systems of romanisation.md and Arabic
 * script disagree exactly along these lines.
 *   B = b p        Arabic has no p (ب for п); Turkic devoicing.
 *   V = v f        Arabic has no v (ف for в); German w; Turkic v/f.
 *   T = t d        Arabic ت/د/ط/ض all land here; Turkish final devoicing (Ahmet/Ahmad, Mehmet).
 *   S = s z c      German s for з and z for ц; Kazakh 2021 s for ц; ts/tc/tz; Arabic س ص ز ث ذ ظ.
 *   J = j x q      ж ш ч щ and ج ش چ: French ch=ш, English ch=ч, German sch/tsch/dsch, Turkish ç ş,
 *                  and j meaning ж (French, Kazakh/Uzbek Latin) all fall together.
 *   K = k          к қ q ق ك.
 *   H = g h        х/kh/x/h and г/ғ/gh/ğ: Russian writes Arabic ḥ as г (Magomed, Guseyn, Ibragim).
 *   R L M N        stable everywhere.
 * Vowels and glides are dropped (Arabic does not write short vowels); a word-initial vowel or
 * glide leaves '@', because Arabic does write it (أ, ع, ي, ا) and it separates Ali from Li.
 */

export const MAX_VARIANTS = 4;

const VOWELS = 'aeiou';
export function isVowel(c: string | undefined): boolean {
  return c !== undefined && c.length === 1 && VOWELS.includes(c);
}

/** Accumulates up to MAX_VARIANTS readings of an ambiguous spelling; the first is the primary one. */
class Readings {
  variants: string[] = [''];
  push(s: string): void {
    for (let i = 0; i < this.variants.length; i++) this.variants[i] += s;
  }
  /** An ambiguous letter: 'ch' is ч in English, ш in French and х in German. */
  pushEither(primary: string, secondary: string): void {
    if (this.variants.length * 2 > MAX_VARIANTS) {
      this.push(primary);
      return;
    }
    const next: string[] = [];
    for (const v of this.variants) next.push(v + primary, v + secondary);
    this.variants = next;
  }
}

// ---------------------------------------------------------------- Latin

/** Single Latin letters (after lower-casing and NFC). 'Y' marks a y to be read as vowel or glide. */
const LATIN = new Map<string, string>();
function fillLatinTable(): void {
  const plain = 'abdefghiklmnoprstuvz';
  for (const ch of plain) LATIN.set(ch, ch);
  LATIN.set('q', 'k');
  LATIN.set('w', 'v'); // German в; English w before a vowel is consonantal too
  LATIN.set('x', 'h'); // Uzbek Latin x = х
  LATIN.set('y', 'Y');
  const groups: [string, string][] = [
    ['äáàâãåāăąəǎ', 'a'], // Kazakh ä/á = ә
    ['éèêëēėęě', 'e'],
    ['íìîïīıįǐĭ', 'i'], // Kazakh 2021 ı = і; French ï = й
    ['óòôõöøōőǒ', 'o'], // Kazakh ö/ó = ө
    ['úùûüūűůǔųŭ', 'u'], // ü/ú = ү, ū = ұ
    ['ý', 'u'], // Kazakh 2018 ý = у
    ['ÿ', 'Y'],
    ['çčć', 'q'], // Kazakh 2021 / Turkish ç = ч
    ['şșšś', 'x'], // ş = ш
    ['ţț', 'c'],
    ['ğǵģǧ', 'g'], // ğ/ǵ = ғ
    ['ñńňņŋ', 'n'], // ñ/ń = ң
    ['ž', 'j'],
    ['źż', 'z'],
    ['ḥḫẖħ', 'h'],
    ['ṣ', 's'],
    ['ṭ', 't'],
    ['ḍđ', 'd'],
    ['ẓ', 'z'],
    ['ł', 'l'],
    ['ß', 's'],
    ['æ', 'a'],
    ['œ', 'e'],
  ];
  for (const [chars, v] of groups) for (const ch of chars) LATIN.set(ch, v);
}
fillLatinTable();

function latinLetter(ch: string): string {
  const hit = LATIN.get(ch);
  if (hit !== undefined) return hit;
  // Rare accented letters: strip the accent once and remember the answer.
  const base = ch.normalize('NFD').charAt(0);
  const v = base !== ch ? (LATIN.get(base) ?? '') : '';
  LATIN.set(ch, v);
  return v;
}

function isLatinVowelLetter(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const v = LATIN.get(ch);
  return v !== undefined && (isVowel(v) || v === 'Y');
}

function readLatin(w: string, r: Readings): void {
  const n = w.length;
  let i = 0;
  while (i < n) {
    const c = w.charAt(i);
    const n1 = w.charAt(i + 1);
    const n2 = w.charAt(i + 2);
    switch (c) {
      case "'":
        // ь in older passports, ayn, or the mark of oʻ gʻ a' n' already read with its letter.
        i++;
        continue;
      case 'c':
        if (n1 === 'h') {
          r.pushEither('q', 'h'); // English/French ч/ш (both J) or German х
          i += 2;
        } else if (n1 === "'") {
          r.push('q'); // Kazakh 2017 c' = ч
          i += 2;
        } else if (n1 === 'k') {
          r.push('k');
          i += 2;
        } else {
          r.push(n1 === 'e' || n1 === 'i' || n1 === 'y' ? 's' : 'k');
          i++;
        }
        continue;
      case 'd':
        if (n1 === 'z' && n2 === 'h') {
          r.push('j'); // dzh = дж
          i += 3;
        } else if (n1 === 's' && n2 === 'c' && w.charAt(i + 3) === 'h') {
          r.push('j'); // German dsch = дж
          i += 4;
        } else if (n1 === 'j') {
          r.push('j'); // French dj = дж
          i += 2;
        } else if (n1 === 'h') {
          r.push('z'); // Arabic dh (ذ) is z in Central Asian use
          i += 2;
        } else {
          r.push('d');
          i++;
        }
        continue;
      case 'g':
        r.push('g');
        i += n1 === 'h' ? 2 : 1; // gh = ғ/غ
        continue;
      case 'k':
        r.push(n1 === 'h' ? 'h' : 'k'); // kh = х
        i += n1 === 'h' ? 2 : 1;
        continue;
      case 'o':
        if (n1 === 'u' || n1 === 'o') {
          r.push('u'); // French ou = у; English oo
          i += 2;
        } else {
          r.push('o');
          i++;
        }
        continue;
      case 'p':
        r.push(n1 === 'h' ? 'f' : 'p');
        i += n1 === 'h' ? 2 : 1;
        continue;
      case 's':
        if (n1 === 'h' && n2 === 'c' && w.charAt(i + 3) === 'h') {
          r.push('xq'); // shch = щ
          i += 4;
        } else if (n1 === 'c' && n2 === 'h') {
          r.pushEither('x', 'sq'); // German sch = ш, or ICAO s+ch (сч)
          i += 3;
        } else if (n1 === 'h') {
          r.push('x');
          i += 2;
        } else if (n1 === "'") {
          r.pushEither('x', 's'); // Kazakh 2017 s' = ш, or an ayn (Mas'ud)
          i += 2;
        } else {
          r.push('s');
          i++;
        }
        continue;
      case 't':
        if (n1 === 's' && n2 === 'c' && w.charAt(i + 3) === 'h') {
          r.push('q'); // German tsch = ч
          i += 4;
        } else if (n1 === 'c' && n2 === 'h') {
          r.push('q'); // French tch = ч
          i += 3;
        } else if (n1 === 's' && n2 === 'h') {
          r.push('t'); // т + ш; the sh is read next
          i++;
        } else if (n1 === 's' || n1 === 'c') {
          r.push('c'); // ts (ICAO) / tc (2010–14 passports) = ц
          i += 2;
        } else if (n1 === 'h') {
          r.pushEither('s', 't'); // Arabic th (ث: Uthman/Usman) or t+h
          i += 2;
        } else {
          r.push('t');
          i++;
        }
        continue;
      case 'z':
        r.push(n1 === 'h' ? 'j' : 'z'); // zh = ж
        i += n1 === 'h' ? 2 : 1;
        continue;
      case 'i':
        r.push(n1 === "'" ? 'y' : 'i'); // Kazakh 2017 i' = й
        i += n1 === "'" ? 2 : 1;
        continue;
      case 'y':
        r.push(n1 === "'" ? 'u' : 'Y'); // Kazakh 2017 y' = у
        i += n1 === "'" ? 2 : 1;
        continue;
      case 'j':
        r.pushEither('j', 'y'); // ж in French/Kazakh/Uzbek Latin, й in German
        i++;
        continue;
      case 'h':
        // A final h after a vowel is silent or Arabic tāʼ marbūṭa: Abdullah = Abdulla, Fatimah = Fatima.
        if (i === n - 1 && i > 0 && isLatinVowelLetter(w.charAt(i - 1))) {
          i++;
          continue;
        }
        r.push('h');
        i++;
        continue;
      default:
        r.push(latinLetter(c));
        i++;
    }
  }
}

// ---------------------------------------------------------------- Cyrillic

const CYRILLIC = new Map<string, string>([
  ['а', 'a'],
  ['б', 'b'],
  ['в', 'v'],
  ['г', 'g'],
  ['д', 'd'],
  ['е', 'e'],
  ['ё', 'e'],
  ['ж', 'j'],
  ['з', 'z'],
  ['и', 'i'],
  ['й', 'y'],
  ['к', 'k'],
  ['л', 'l'],
  ['м', 'm'],
  ['н', 'n'],
  ['о', 'o'],
  ['п', 'p'],
  ['р', 'r'],
  ['с', 's'],
  ['т', 't'],
  ['у', 'u'],
  ['ф', 'f'],
  ['х', 'h'],
  ['ц', 'c'],
  ['ч', 'q'],
  ['ш', 'x'],
  ['щ', 'xq'],
  ['ъ', ''],
  ['ы', 'i'],
  ['ь', ''],
  ['э', 'e'],
  ['ю', 'yu'],
  ['я', 'ya'],
  // Kazakh, Uzbek, Tajik, Kyrgyz letters (romanisation.md, national alphabets).
  ['ә', 'a'],
  ['ғ', 'g'],
  ['қ', 'k'],
  ['ң', 'n'],
  ['ө', 'o'],
  ['ұ', 'u'],
  ['ү', 'u'],
  ['һ', 'h'],
  ['і', 'i'],
  ['ў', 'o'],
  ['ҳ', 'h'],
  ['ӣ', 'i'],
  ['ӯ', 'u'],
  ['ҷ', 'j'],
  ['ӊ', 'n'],
  ['ӈ', 'n'],
  ['ҙ', 'z'],
  ['ҫ', 's'],
  ['ҡ', 'k'],
  ['є', 'ye'],
  ['ї', 'yi'],
  ['ґ', 'g'],
  ['ј', 'y'],
]);

function readCyrillic(w: string, r: Readings): void {
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const c = w.charAt(i);
    const n1 = w.charAt(i + 1);
    if (c === 'д' && n1 === 'ж') {
      r.push('j'); // дж is one sound, written dzh/dj/j/c
      i++;
    } else if (c === 'т' && n1 === 'с') {
      r.push('c'); // тс sounds as ц and ICAO 'ts' cannot tell them apart
      i++;
    } else if (c === 'т' && n1 === 'ч') {
      r.push('q'); // тч sounds as ч and ICAO 'tch' reads as French ч
      i++;
    } else if (c === 'ё' && (i === 0 || 'аеёиоуыэюяъь'.includes(w.charAt(i - 1)))) {
      // Initial ё is yo: ICAO writes E (Ёрова → Erova), Tajik and Uzbek Latin Yo (Yorzoda).
      r.pushEither('e', 'yo');
    } else {
      r.push(CYRILLIC.get(c) ?? '');
    }
  }
}

// ---------------------------------------------------------------- Arabic

const ALEF = '\u0627';
const WAW = '\u0648';
const YEH = '\u064a';
const ARABIC = new Map<string, string>([
  ['\u0628', 'b'],
  ['\u067e', 'p'],
  ['\u062a', 't'],
  ['\u062b', 's'],
  ['\u062c', 'j'],
  ['\u0686', 'q'],
  ['\u062d', 'h'],
  ['\u062e', 'h'],
  ['\u062f', 'd'],
  ['\u0630', 'z'],
  ['\u0631', 'r'],
  ['\u0632', 'z'],
  ['\u0698', 'j'],
  ['\u0633', 's'],
  ['\u0634', 'x'],
  ['\u0635', 's'],
  ['\u0636', 'd'],
  ['\u0637', 't'],
  ['\u0638', 'z'],
  ['\u0639', 'a'],
  ['\u063a', 'g'],
  ['\u0641', 'f'],
  ['\u06a4', 'v'],
  ['\u0642', 'k'],
  ['\u0643', 'k'],
  ['\u06af', 'g'],
  ['\u0644', 'l'],
  ['\u0645', 'm'],
  ['\u0646', 'n'],
  ['\u0647', 'h'],
]);

function readArabic(w: string, r: Readings): void {
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const c = w.charAt(i);
    const prev = w.charAt(i - 1);
    const next = w.charAt(i + 1);
    // An alef inside the word (not the word-initial vowel carrier) next to و/ي makes them consonants:
    // داود Dawud, مروان Marwan, ايوب but اوزبكي Uzbeki.
    const afterInnerAlef = prev === ALEF && i >= 2;
    switch (c) {
      case ALEF:
        // Initial او / اي are how Arabic writes an initial o/u/i: the next letter carries the vowel.
        if (i === 0 && (next === WAW || next === YEH)) continue;
        r.push('a');
        continue;
      case WAW:
        r.push(i === 0 || next === ALEF || afterInnerAlef ? 'v' : 'u');
        continue;
      case YEH:
        r.push(i === 0 || next === ALEF || afterInnerAlef ? 'y' : 'i');
        continue;
      case '\u062a': // ت
        if (next === '\u0634') {
          r.push('q'); // تش = ч
          i++;
        } else if (next === '\u0633') {
          r.push('c'); // تس = ц
          i++;
        } else {
          r.push('t');
        }
        continue;
      case '\u0647': // ه: final heh is teh marbuta or a silent h, i.e. a vowel
        r.push(i === n - 1 && i > 0 ? 'a' : 'h');
        continue;
      default:
        r.push(ARABIC.get(c) ?? '');
    }
  }
}

// ---------------------------------------------------------------- shared

/**
 * Resolve glides and collapse doubles, the same way for every script: y/i next to a vowel is the
 * glide y (Mariia / Mariya / Мария; Hussein / Husayn / Хусейн), doubled letters are single.
 */
function finishFine(raw: string): string {
  let out = '';
  let last = '';
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charAt(i);
    const next = raw.charAt(i + 1);
    if (c === 'Y') {
      c = isVowel(last) || isVowel(next) ? 'y' : 'i';
    } else if (c === 'i') {
      if (isVowel(last) || (last === '' && next !== 'i' && isVowel(next))) c = 'y';
    }
    if (c === last) continue;
    out += c;
    last = c;
  }
  return out;
}

const CLASS: Record<string, string> = {
  b: 'B',
  p: 'B',
  v: 'V',
  f: 'V',
  t: 'T',
  d: 'T',
  s: 'S',
  z: 'S',
  c: 'S',
  j: 'J',
  x: 'J',
  q: 'J',
  k: 'K',
  g: 'H',
  h: 'H',
  r: 'R',
  l: 'L',
  m: 'M',
  n: 'N',
};

export function classOf(fineSymbol: string): string | undefined {
  return CLASS[fineSymbol];
}

/** The consonant skeleton of a fine string. */
export function skeletonOf(fine: string): string {
  let out = '';
  let prevConsonant = false;
  for (let i = 0; i < fine.length; i++) {
    const cls = CLASS[fine.charAt(i)];
    if (cls === undefined) {
      if (i === 0) out = '@';
      prevConsonant = false;
      continue;
    }
    // Collapse only adjacent repeats (ж+ш of щ, tt); a vowel between two equal consonants stays visible.
    if (!(prevConsonant && out.endsWith(cls))) out += cls;
    prevConsonant = true;
  }
  return out;
}

export interface Phonetics {
  script: Script;
  /** Fine phoneme readings, primary first, at most MAX_VARIANTS. */
  fine: string[];
  /** Distinct skeletons of the readings, plus the 'abd al-' reading (see below). */
  skeleton: string[];
}

/** Phonetic readings of one normalised token (lower case, no spaces, hyphens or commas). */
export function phoneticsOf(norm: string): Phonetics {
  const script = detectScript(norm);
  const r = new Readings();
  if (script === 'arabic') {
    readArabic(norm, r);
  } else if (script === 'cyrillic') {
    readCyrillic(norm, r);
  } else if (script === 'latin' || script === 'unknown') {
    readLatin(norm, r);
  } else {
    // Mixed within a token after homoglyph folding: read each run in its own script.
    let run = '';
    let runScript: Script = 'unknown';
    const flush = (): void => {
      if (runScript === 'arabic') readArabic(run, r);
      else if (runScript === 'cyrillic') readCyrillic(run, r);
      else readLatin(run, r);
      run = '';
    };
    for (const ch of norm) {
      const s = detectScript(ch);
      if (s !== runScript && s !== 'unknown' && run !== '') flush();
      if (s !== 'unknown') runScript = s;
      run += ch;
    }
    if (run !== '') flush();
  }
  const fine: string[] = [];
  for (const v of r.variants) {
    const f = finishFine(v);
    if (f !== '' && !fine.includes(f)) fine.push(f);
  }
  const skeleton: string[] = [];
  for (const f of fine) {
    const s = skeletonOf(f);
    if (!skeleton.includes(s)) skeleton.push(s);
    // Abd al-Rahman / Abdulrahman / Abdurrahman / Abdurakhmon: the article's l is assimilated or
    // dropped in most spellings, so a skeleton @BTL + two or more consonants also gets @BT + rest.
    if (s.startsWith('@BTL') && s.length >= 6) {
      const alt = `@BT${s.slice(4)}`;
      if (!skeleton.includes(alt)) skeleton.push(alt);
    }
  }
  return { script, fine, skeleton };
}

// ---------------------------------------------------------------- morphology

export interface Suffix {
  /** Canonical label shown in explanations: '-ova', '-ovich'. */
  label: string;
  kind: 'surname' | 'surname-weak' | 'patronymic';
  sex: 'female' | 'male' | undefined;
  /** Fine-alphabet spellings of the suffix, longest first. */
  patterns: string[];
  /** The same, without the spellings only Arabic script produces (-ufa for -ova, -ifa for -eva). */
  plainPatterns: string[];
  /** How many trailing fine letters to remove to reach the stem (per pattern). */
  keep: number;
  /** Shortest stem accepted (default 3 sounds). */
  minStem: number;
  /** Patterns that accept the shorter stem: the unambiguous endings (Ёр-ова, Ёр-зода). */
  shortStemPatterns: readonly string[];
  /** Stems that, with this suffix, make a given name rather than a surname (Sher-zod, Beh-zod). */
  givenNameStems: ReadonlySet<string>;
}

/**
 * Arabic writes о/у as و and е/и as ي and в as ف: each suffix is also matched in those spellings
 * (Жанбулатова / جانبولاتوفا → -ova / -ufa).
 */
function spellings(pattern: string): string[] {
  let out = [''];
  for (const ch of pattern) {
    const alts = ch === 'o' ? ['o', 'u'] : ch === 'e' ? ['e', 'i'] : ch === 'v' ? ['v', 'f'] : [ch];
    const next: string[] = [];
    for (const o of out) for (const a of alts) next.push(o + a);
    out = next;
  }
  return out;
}

function suffix(
  label: string,
  kind: Suffix['kind'],
  sex: Suffix['sex'],
  patterns: string[],
  keep = 0,
  short: { minStem: number; patterns: string[] } | undefined = undefined,
  givenNameStems: string[] = [],
): Suffix {
  const all: string[] = [];
  for (const p of patterns) for (const s of spellings(p)) if (!all.includes(s)) all.push(s);
  return {
    label,
    kind,
    sex,
    patterns: all,
    plainPatterns: patterns,
    keep,
    minStem: short?.minStem ?? MIN_STEM,
    shortStemPatterns: short?.patterns ?? [],
    givenNameStems: new Set(givenNameStems),
  };
}

const MIN_STEM = 3;

/*
 * Tajik and Uzbek given names built on -zod (Sherzod, Behzod, Bekzod, Farzod, Shahzod, Shohzod,
 * Ferzod) end like the short form of the -zoda surname; their first syllable tells them apart.
 */
const ZOD_GIVEN_NAMES = ['xer', 'beh', 'bek', 'bey', 'far', 'fer', 'xah', 'xoh', 'xeh', 'mah', 'meh'];

// Longest first: -ovna before -na, -skaya before -aya.
const SUFFIXES: Suffix[] = [
  suffix('-ovich', 'patronymic', 'male', ['ovich', 'oviq', 'eviq', 'yeviq']),
  suffix('-ovna', 'patronymic', 'female', ['ovna', 'evna', 'yevna', 'iqna']),
  suffix('-ich', 'patronymic', 'male', ['iq']),
  suffix('-skaya', 'surname', 'female', ['skaya', 'ckaya', 'skaa'], 2),
  suffix('-sky', 'surname', 'male', ['skiy', 'ckiy', 'skoy', 'ski', 'cki'], 2),
  // Ёр-зода / Ёр-ова (Yor, a short Tajik stem): the long, unambiguous endings accept a 2-sound stem.
  suffix(
    '-zoda',
    'surname',
    undefined,
    ['zoda', 'zada', 'zade', 'zod'],
    0,
    { minStem: 2, patterns: ['zoda', 'zuda', 'zada', 'zade', 'zadi'] },
    ZOD_GIVEN_NAMES,
  ),
  suffix('-ova', 'surname', 'female', ['ova', 'eva', 'yova', 'yeva'], 0, { minStem: 2, patterns: ['ova'] }),
  suffix('-ov', 'surname', 'male', ['ov', 'ev', 'yov', 'yev'], 0, { minStem: 2, patterns: ['ov'] }),
  suffix('-uly', 'surname', 'male', ['uli', 'ulu', 'ugli', 'ogli', 'oglu']),
  suffix('-kyzy', 'surname', 'female', ['kizi', 'gizi']),
  suffix('-ina', 'surname-weak', 'female', ['ina', 'yna']),
  suffix('-in', 'surname-weak', 'male', ['in', 'yn']),
  // Not gendered, but they mark a token as the surname when the order is unknown.
  suffix('-yan', 'surname', undefined, ['yan']),
  suffix('-enko', 'surname', undefined, ['enko']),
  suffix('-dze', 'surname', undefined, ['dze']),
  suffix('-shvili', 'surname', undefined, ['xvili']),
];

export interface SuffixMatch {
  suffix: Suffix;
  stem: string;
}

/**
 * The first suffix (longest first) that a fine reading ends with, leaving a stem of 3+ sounds (2 for
 * the unambiguous -ova/-ov/-zoda). Spellings that only Arabic script produces (و for о, ف for в, ي
 * for е: -ufa, -ifa) are tried only for Arabic-script words, so that Latin or Cyrillic Yusuf,
 * Hanifa and Latifa are not read as surnames in -ov/-eva.
 */
export function findSuffix(
  fine: string,
  kinds: readonly Suffix['kind'][],
  arabicScript = true,
): SuffixMatch | undefined {
  for (const s of SUFFIXES) {
    if (!kinds.includes(s.kind)) continue;
    for (const p of arabicScript ? s.patterns : s.plainPatterns) {
      if (!fine.endsWith(p)) continue;
      const stem = fine.slice(0, fine.length - p.length + s.keep);
      const minStem = s.shortStemPatterns.includes(p) ? s.minStem : MIN_STEM;
      if (stem.length < minStem || /* a stem needs a vowel */ ![...stem].some(isVowel)) continue;
      if (s.givenNameStems.has(stem) && p === 'zod') continue;
      return { suffix: s, stem };
    }
  }
  return undefined;
}
