/**
 * Small transliteration tables for *generating* name variants: plausible, not authoritative. They
 * follow the shapes in shared/data/romanisation.md (ICAO 9303, older Russian passport rules,
 * BGN/PCGN, French and German practice, Kazakh Latin 2021, Uzbek, Tajik and Kyrgyz Latin) so the
 * synthetic population carries the same variation real lists do. The identity module matches
 * names; it must not reuse these tables as its reference.
 */

export type Romanisation =
  | 'icao_9303'
  | 'ru_passport_2010'
  | 'ru_passport_1997'
  | 'bgn_pcgn'
  | 'french'
  | 'german'
  | 'kazakh_latin_2021'
  | 'uzbek_latin'
  | 'tajik_latin'
  | 'kyrgyz_latin';

type Table = Readonly<Record<string, string>>;

// biome-ignore format: a transliteration table reads best as a table
const ICAO: Table = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'shch', ъ: 'ie', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
  // Letters of the national alphabets, flattened the way passport offices do.
  ә: 'a', ғ: 'g', қ: 'k', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', і: 'i', ў: 'u', ҳ: 'kh', ҷ: 'dzh',
  ӣ: 'i', ӯ: 'u',
};

// biome-ignore format: a transliteration table reads best as a table
const TABLES: Readonly<Record<Romanisation, Table>> = {
  icao_9303: ICAO,
  ru_passport_2010: { ...ICAO, ц: 'tc' },
  ru_passport_1997: { ...ICAO, й: 'y', ъ: '', ю: 'yu', я: 'ya' },
  bgn_pcgn: {
    ...ICAO, ё: 'yë', й: 'y', ъ: '"', ь: "'", ю: 'yu', я: 'ya',
    ә: 'ä', ғ: 'gh', қ: 'q', ң: 'ng', ө: 'ö', ұ: 'ū', ү: 'ü', ў: 'ŭ', ҷ: 'j',
  },
  french: {
    ...ICAO, ж: 'j', й: 'ï', ч: 'tch', ш: 'ch', щ: 'chtch', ъ: '', у: 'ou', ю: 'iou', я: 'ia', ё: 'io',
    ғ: 'gh', қ: 'q', ұ: 'ou', ў: 'o', ҷ: 'dj',
  },
  german: {
    ...ICAO, в: 'w', ж: 'sch', з: 's', й: 'j', х: 'ch', ц: 'z', ч: 'tsch', ш: 'sch', щ: 'schtsch', ъ: '',
    ю: 'ju', я: 'ja', ё: 'jo', ғ: 'gh', ҳ: 'ch', ҷ: 'dsch',
  },
  kazakh_latin_2021: {
    ...ICAO, ә: 'ä', ё: 'io', ж: 'j', ғ: 'ğ', қ: 'q', ң: 'ñ', ө: 'ö', ұ: 'ū', ү: 'ü', х: 'h', һ: 'h',
    ц: 's', ч: 'ç', ш: 'ş', щ: 'ş', ъ: '', і: 'ı',
  },
  uzbek_latin: {
    ...ICAO, ё: 'yo', ж: 'j', й: 'y', ғ: 'gʻ', ў: 'oʻ', қ: 'q', ҳ: 'h', х: 'x', щ: 'sh', ъ: 'ʼ', ю: 'yu',
    я: 'ya', ы: 'i',
  },
  tajik_latin: {
    ...ICAO, ё: 'yo', й: 'y', ғ: 'gh', қ: 'q', ҳ: 'h', ҷ: 'j', ӣ: 'i', ӯ: 'u', ъ: '', ю: 'yu', я: 'ya',
  },
  kyrgyz_latin: { ...ICAO, ё: 'yo', ж: 'j', й: 'y', ң: 'ng', ө: 'ö', ү: 'ü', ъ: '', ю: 'yu', я: 'ya' },
};

const CYRILLIC_VOWELS = new Set('аеёиоуыэюяәөұүіўӣӯ');

/** A letter of the Latin or Cyrillic alphabets (a cheap test: romanise runs millions of times). */
function isLetter(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const code = ch.charCodeAt(0);
  return (code >= 0x400 && code <= 0x4ff) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

function isVowel(ch: string | undefined): boolean {
  return ch !== undefined && CYRILLIC_VOWELS.has(ch);
}

/**
 * Names come from small pools, so the same strings are romanised millions of times: remember them
 * (bounded, in case a caller feeds arbitrary text).
 */
const memo = new Map<string, string>();
function remembered(key: string, compute: () => string): string {
  let value = memo.get(key);
  if (value === undefined) {
    if (memo.size > 200_000) memo.clear();
    value = compute();
    memo.set(key, value);
  }
  return value;
}

/** Romanises one Cyrillic string (any case) by the named scheme, keeping initial capitals. */
export function romanise(text: string, scheme: Romanisation): string {
  return remembered(`${scheme}\u0000${text}`, () => romaniseUncached(text, scheme));
}

function romaniseUncached(text: string, scheme: Romanisation): string {
  const table = TABLES[scheme];
  const lower = text.toLowerCase();
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i] as string;
    const prev = lower[i - 1];
    const next = lower[i + 1];
    const wordStart = !isLetter(prev);
    let latin = table[ch];
    if (latin === undefined) {
      latin = ch;
    } else if (ch === 'д' && next === 'ж' && (scheme === 'french' || scheme === 'german')) {
      latin = scheme === 'french' ? 'dj' : 'dsch';
      i++;
    } else if (ch === 'е' && (wordStart || isVowel(prev) || prev === 'ъ' || prev === 'ь')) {
      if (scheme === 'bgn_pcgn' || scheme === 'uzbek_latin') latin = 'ye';
      else if (scheme === 'german' && wordStart) latin = 'je';
    } else if (ch === 'с' && isVowel(prev) && isVowel(next) && (scheme === 'french' || scheme === 'german')) {
      latin = 'ss';
    } else if (ch === 'й' && scheme === 'french' && !isVowel(prev)) {
      latin = 'i';
    }
    const upper = text[i] !== lower[i] || (ch === 'д' && latin.length > 1 && text[i] !== 'д');
    out += upper && latin.length > 0 ? latin[0]!.toUpperCase() + latin.slice(1) : latin;
  }
  return out;
}

// biome-ignore format: a transliteration table reads best as a table
const ARABIC_CONSONANTS: Table = {
  б: 'ب', в: 'ف', г: 'غ', ғ: 'غ', д: 'د', ж: 'ج', ҷ: 'ج', з: 'ز', й: 'ي', к: 'ك', қ: 'ق', л: 'ل',
  м: 'م', н: 'ن', ң: 'ن', п: 'ب', р: 'ر', с: 'س', т: 'ت', ф: 'ف', х: 'خ', ҳ: 'ه', һ: 'ه', ц: 'تس',
  ч: 'تش', ш: 'ش', щ: 'ش', ъ: '', ь: '',
};

// biome-ignore format: a transliteration table reads best as a table
const ARABIC_VOWELS: Table = {
  а: 'ا', ә: 'ا', э: 'ا', о: 'و', у: 'و', ў: 'و', ө: 'و', ұ: 'و', ү: 'و', ӯ: 'و', и: 'ي', е: 'ي',
  ё: 'يو', ы: 'ي', і: 'ي', ӣ: 'ي', ю: 'يو', я: 'يا',
};

/**
 * Writes a Cyrillic name in Arabic script the way camp lists do: long-vowel letters only, no
 * harakat. `defective` drops inner a/e/y as many clerks do.
 */
export function toArabicScript(text: string, defective = false): string {
  return remembered(`${defective ? 'ar-d' : 'ar'}\u0000${text}`, () =>
    toArabicScriptUncached(text, defective),
  );
}

function toArabicScriptUncached(text: string, defective: boolean): string {
  const lower = text.toLowerCase();
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i] as string;
    const prev = lower[i - 1];
    const next = lower[i + 1];
    const wordStart = !isLetter(prev);
    const wordEnd = !isLetter(next);
    if (ch === 'д' && next === 'ж') {
      out += 'ج';
      i++;
    } else if (ARABIC_CONSONANTS[ch] !== undefined) {
      out += ARABIC_CONSONANTS[ch];
    } else if (ARABIC_VOWELS[ch] !== undefined) {
      const letter = ARABIC_VOWELS[ch] as string;
      if (wordStart) {
        // Ю, Я, Ё open with their consonant; other vowels lean on an alif.
        out += letter === 'ا' || letter.length > 1 ? letter : `ا${letter}`;
      } else if (defective && !wordEnd && (ch === 'а' || ch === 'е' || ch === 'ы' || ch === 'э')) {
        // Short vowel left unwritten.
      } else {
        out += letter;
      }
    } else {
      out += ch;
    }
  }
  // The Tajik -zoda ending is the Persian word زاده.
  return out.replace(/زودا(?=$|\s)/gu, 'زاده');
}
