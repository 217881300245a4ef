import { detectScript, foldHomoglyphs, foldText } from './normalise.ts';
import { findSuffix, phoneticsOf, skeletonOf } from './phonetic.ts';
import type { NameOrder, NameParts } from './types.ts';

/** One word of the input, as written and in its comparable form. */
interface Piece {
  display: string;
  norm: string;
  /** Joined to the next piece by a hyphen in the input. */
  hyphenNext: boolean;
  /** Written before the first comma ('ZHANBULATOVA, Gulnara'). */
  beforeComma: boolean;
  /** Written all in capitals while some other word is not. */
  shouted: boolean;
  /** Carried an Arabic article (al-, el-, ad-, ال…) that was removed. */
  article: boolean;
}

const set = (words: string): Set<string> => new Set(words.split(' '));

// Compared after normalisation (lower case, Arabic folded, apostrophes removed).
const HONORIFICS = set(
  'haji hajji hadji hadzhi khadzhi hajj alhaj alhajj hajja hajjah sheikh shaykh sheik shaikh shekh shaykha ' +
    'mullah mulla molla mollah imam mawlana maulana mavlono ustaz ustadh ustad ustoz sayyid sayyida eshon ' +
    'mr mrs ms miss mme mlle dr prof sir madam madame hon ' +
    'хаджи хаджа шейх шайх мулла имам устаз г-н г-жа гн гжа господин госпожа ' +
    'حاج حاجي الحاج حجي شيخ الشيخ ملا الملا امام الامام السيد',
);
const ABU = set('abu abou abo aboo ebu abū абу ابو ابي ابا');
const UMM = set('umm um oum om ummu umme умм ум ام');
const IBN = set('ibn bin ben ибн бин ابن بن');
const BINT = set('bint binti bent бинт بنت');
const SON = set(
  "uly ulı uli ugly ugli uulu ogli oglu ogly og'li o'g'li ogʻli улы ұлы уулу угли ўғли оглы огли",
);
const DAUGHTER = set('qyzy kyzy kizi qizi gizi kyzi қызы кызы кизи қизи');
const ABD = set('abd abdul abdel abdal abdur abdus abdun абд абдул абдель عبد');
// Articles: written with a hyphen (assimilated forms included) or, for al/el/ul, as a word.
const ARTICLE_HYPHEN = set(
  'al el ul il ol ad ed ud ar er ur as es us at et ut az ez an en un ash ath adh ал эль',
);
const ARTICLE_WORD = set('al el ul ал эль');
/** Nisbas common in this caseload, by skeleton, so they are recognised without an article. */
const KNOWN_NISBA_SKELETONS = new Set(
  [
    'kazakhi',
    'qazaqi',
    'uzbeki',
    'tajiki',
    'qirghizi',
    'kirgizi',
    'kyrgyzi',
    'shishani',
    'turkistani',
    'turkestani',
    'dagestani',
    'uyghuri',
    'turkmani',
    'afghani',
    'kazakhstani',
    'shishani',
  ].map((w) => skeletonOf(phoneticsOf(w).fine[0] ?? '')),
);

function stripApostrophes(s: string): string {
  let out = '';
  for (const ch of s) if (ch !== "'") out += ch;
  return out;
}

function isShouted(s: string): boolean {
  return s.length >= 2 && s === s.toUpperCase() && s !== s.toLowerCase();
}

/** Split the input into words, remembering commas, hyphens and capitals. */
function piecesOf(original: string): Piece[] {
  const folded = foldText(original, true);
  const out: Piece[] = [];
  let commaSeen = false;
  let word = '';
  const flush = (hyphenNext: boolean): void => {
    if (word === '') return;
    const norm = foldHomoglyphs(word.toLowerCase());
    if (stripApostrophes(norm) !== '') {
      out.push({ display: word, norm, hyphenNext, beforeComma: !commaSeen, shouted: false, article: false });
    }
    word = '';
  };
  for (const ch of folded) {
    if (ch === ' ') flush(false);
    else if (ch === ',') {
      flush(false);
      if (out.length > 0) commaSeen = true;
    } else if (ch === '-') flush(true);
    else word += ch;
  }
  flush(false);
  if (!commaSeen) for (const p of out) p.beforeComma = false;
  const anyQuiet = out.some((p) => !isShouted(p.display) && detectScript(p.display) !== 'arabic');
  if (anyQuiet) for (const p of out) p.shouted = isShouted(p.display);
  return out;
}

function key(p: Piece): string {
  return stripApostrophes(p.norm);
}

/** Arabic-only spellings of endings (-ufa for -ova) are tried only on Arabic-script words. */
function mayBeArabic(p: Piece): boolean {
  const script = detectScript(p.norm);
  return script !== 'latin' && script !== 'cyrillic';
}

function endingOf(p: Piece, kind: 'surname' | 'patronymic') {
  return findSuffix(phoneticsOf(key(p)).fine[0] ?? '', [kind], mayBeArabic(p));
}

function hasSurnameEnding(p: Piece): boolean {
  return endingOf(p, 'surname') !== undefined;
}

/**
 * Remove an Arabic-script article glued to an attributive (الكازاخي → كازاخي). Any other word keeps
 * it: Central Asian names beginning with Al- are written that way in Arabic script (الييا is Äliia,
 * اليشر Alisher), and the token built from the whole word also carries the article-less reading
 * (الحسن reads as alhasan and as hasan: see `buildToken`).
 */
function stripArabicArticle(p: Piece): void {
  if (
    p.norm.startsWith('ال') &&
    p.norm.length >= 4 &&
    /[يى]$/u.test(p.norm) &&
    detectScript(p.norm) === 'arabic'
  ) {
    p.norm = p.norm.slice(2);
    p.display = p.display.slice(2);
    p.article = true;
  }
}

function isNisba(p: Piece): boolean {
  const fine = phoneticsOf(key(p)).fine[0] ?? '';
  const endsInI = fine.endsWith('i') || fine.endsWith('y');
  if (endsInI && KNOWN_NISBA_SKELETONS.has(skeletonOf(fine))) return true;
  // Any other attributive with an article: al-Baghdadi, ash-Shami (ends in -i / ي).
  return p.article && endsInI && fine.length >= 4;
}

function joinDisplay(a: Piece, b: Piece): string {
  return a.hyphenNext ? `${a.display}-${b.display}` : `${a.display} ${b.display}`;
}

const EMPTY_PIECE: Piece = {
  display: '',
  norm: '',
  hyphenNext: false,
  beforeComma: false,
  shouted: false,
  article: false,
};

/**
 * Split a name into given names, surname, patronymic, kunya, nasab, nisba and honorifics.
 * Order is taken from a comma, a surname ending at one end only, a patronymic's position or capitals,
 * in that order of trust;
 * with none of them the last word is taken as the surname and `order` is 'unknown'.
 */
export function parseName(original: string): NameParts {
  let pieces = piecesOf(original);
  const parts: NameParts = {
    original,
    given: [],
    surname: [],
    nasab: [],
    nisba: [],
    honorifics: [],
    order: 'unknown',
    script: detectScript(original),
  };
  const nasab = parts.nasab ?? [];
  const nisba = parts.nisba ?? [];
  const honorifics = parts.honorifics ?? [];

  // Honorifics, unless nothing else would remain.
  const kept = pieces.filter((p) => !HONORIFICS.has(key(p)));
  if (kept.length > 0 && kept.length < pieces.length) {
    for (const p of pieces) if (HONORIFICS.has(key(p))) honorifics.push(p.display);
    pieces = kept;
  }

  // Articles, and 'Abd al-Rahman' compounds which keep theirs inside one given name.
  const withArticles: Piece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i] ?? EMPTY_PIECE;
    const next = pieces[i + 1];
    const nextIsSurname = next !== undefined && hasSurnameEnding(next);
    if (ABD.has(key(p)) && next !== undefined && !nextIsSurname) {
      let joined = next;
      let display = joinDisplay(p, next);
      let norm = p.norm + next.norm;
      const after = pieces[i + 2];
      if ((ARTICLE_HYPHEN.has(key(next)) || key(next) === 'ال') && after !== undefined) {
        joined = after;
        display = joinDisplay({ ...next, display }, after);
        norm += after.norm;
        i++;
      }
      i++;
      withArticles.push({ ...joined, display, norm, article: false });
      continue;
    }
    const isArticle =
      next !== undefined &&
      ((p.hyphenNext && ARTICLE_HYPHEN.has(key(p))) || (!p.hyphenNext && ARTICLE_WORD.has(key(p))));
    if (isArticle) {
      // The article is dropped from the display too: al-Kazakhi and Kazakhi are one nisba.
      withArticles.push({ ...next, article: true });
      i++;
      continue;
    }
    const copy = { ...p };
    stripArabicArticle(copy);
    if (
      !copy.article &&
      /* joined Latin article: Alkazakhi */ (key(copy).startsWith('al') || key(copy).startsWith('el'))
    ) {
      const rest = { ...copy, norm: copy.norm.slice(2), display: copy.display.slice(2), article: true };
      if (
        rest.norm.length >= 4 &&
        KNOWN_NISBA_SKELETONS.has(skeletonOf(phoneticsOf(key(rest)).fine[0] ?? ''))
      ) {
        withArticles.push(rest);
        continue;
      }
    }
    withArticles.push(copy);
  }
  pieces = withArticles;

  // Kunya, nasab, patronymic markers and nisbas, wherever they are.
  const core: Piece[] = [];
  let patronymicIndex = -1;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i] ?? EMPTY_PIECE;
    const k = key(p);
    let next = pieces[i + 1];
    if ((ABU.has(k) || UMM.has(k)) && next !== undefined && parts.kunya === undefined) {
      // Umm-e Yusuf: the Persian ezafe 'e' belongs to the kunya.
      if (UMM.has(k) && key(next) === 'e' && pieces[i + 2] !== undefined) {
        i++;
        next = pieces[i + 1] ?? EMPTY_PIECE;
      }
      parts.kunya = { kind: ABU.has(k) ? 'abu' : 'umm', name: next.display };
      i++;
      continue;
    }
    if ((IBN.has(k) || BINT.has(k)) && next !== undefined && i > 0) {
      nasab.push({ kind: IBN.has(k) ? 'ibn' : 'bint', name: next.display });
      i++;
      continue;
    }
    if ((SON.has(k) || DAUGHTER.has(k)) && core.length > 0 && parts.patronymic === undefined) {
      const father = core.pop() ?? EMPTY_PIECE;
      parts.patronymic = `${father.display} ${p.display}`;
      parts.impliedSex = SON.has(k) ? 'male' : 'female';
      patronymicIndex = core.length;
      continue;
    }
    if (isNisba(p)) {
      nisba.push(p.display);
      continue;
    }
    if (parts.patronymic === undefined) {
      const found = endingOf(p, 'patronymic');
      if (found !== undefined && (core.length > 0 || i < pieces.length - 1)) {
        parts.patronymic = p.display;
        parts.impliedSex = found.suffix.sex;
        patronymicIndex = core.length;
        continue;
      }
    }
    core.push(p);
  }
  if (parts.kunya !== undefined && parts.impliedSex === undefined) {
    parts.impliedSex = parts.kunya.kind === 'umm' ? 'female' : 'male';
  }
  const firstNasab = nasab[0];
  if (firstNasab !== undefined && parts.impliedSex === undefined) {
    parts.impliedSex = firstNasab.kind === 'bint' ? 'female' : 'male';
  }

  assignRoles(parts, core, patronymicIndex);
  return parts;
}

function assignRoles(parts: NameParts, core: Piece[], patronymicIndex: number): void {
  const n = core.length;
  if (n === 0) return;
  const surnameAt = (index: number, order: NameOrder): void => {
    core.forEach((p, i) => {
      if (i === index) parts.surname.push(p.display);
      else parts.given.push(p.display);
    });
    parts.order = order;
  };
  // 1. A comma: what precedes it is the surname.
  if (core.some((p) => p.beforeComma)) {
    for (const p of core) (p.beforeComma ? parts.surname : parts.given).push(p.display);
    parts.order = 'surname-first';
    return;
  }
  if (n === 1) {
    const only = core[0] ?? EMPTY_PIECE;
    if (hasSurnameEnding(only) && parts.patronymic === undefined) parts.surname.push(only.display);
    else parts.given.push(only.display);
    return;
  }
  // 2. A surname ending at one end and not the other: Zhanbulatova Gulnara, Gulnara Zhanbulatova,
  //    and with a patronymic Parvina Yorzoda Sukhrobovna (Given Surname Patronymic, common in
  //    Tajik and Uzbek lists) as well as Ёрова Парвина Сухробовна (the Russian official order).
  const firstIs = hasSurnameEnding(core[0] ?? EMPTY_PIECE);
  const lastIs = hasSurnameEnding(core[n - 1] ?? EMPTY_PIECE);
  if (firstIs !== lastIs) {
    if (firstIs) surnameAt(0, 'surname-first');
    else surnameAt(n - 1, 'given-first');
    return;
  }
  // 3. A patronymic, no telling ending: Surname Given Patronymic (Russian official order) when it
  //    comes last, Given Patronymic Surname when something follows it.
  if (parts.patronymic !== undefined && patronymicIndex >= 0) {
    if (patronymicIndex >= n) surnameAt(0, 'surname-first');
    else surnameAt(n - 1, 'given-first');
    return;
  }
  // 4. One word in capitals among others that are not (common on registration forms).
  const shouted = core.map((p) => p.shouted);
  if (shouted[0] !== shouted[n - 1]) {
    if (shouted[0] === true) surnameAt(0, 'surname-first');
    else surnameAt(n - 1, 'given-first');
    return;
  }
  // 5. Assume given names first; say that it was assumed.
  surnameAt(n - 1, 'unknown');
}
