import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareNames, nameKeys } from './index.ts';

// ICAO 9303 transliteration, written here from the standard's table (romanisation.md), independent
// of the engine's own reader, so the property checks the engine against the standard.
const ICAO: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: 'ie',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
};

function icao(s: string): string {
  let out = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    const t = ICAO[lower];
    out += t === undefined ? ch : ch === lower ? t : t.toUpperCase();
  }
  return out;
}

// Name-like Cyrillic words from syllables, so the property speaks about names rather than noise.
const onset = fc.constantFrom(
  'б',
  'в',
  'г',
  'д',
  'ж',
  'з',
  'к',
  'л',
  'м',
  'н',
  'п',
  'р',
  'с',
  'т',
  'ф',
  'х',
  'ц',
  'ч',
  'ш',
  'щ',
  '',
);
const vowel = fc.constantFrom('а', 'е', 'и', 'о', 'у', 'ы', 'э', 'ю', 'я', 'ё');
const coda = fc.constantFrom('', '', 'н', 'р', 'л', 'й', 'ь', 'м', 'с', 'т');
const syllable = fc.tuple(onset, vowel, coda).map(([a, b, c]) => a + b + c);
const cyrWord = fc
  .array(syllable, { minLength: 2, maxLength: 4 })
  .map((s) => s.join(''))
  .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
const cyrName = fc.array(cyrWord, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));

const latinWord = fc
  .array(
    fc.constantFrom(
      'ka',
      'ri',
      'mo',
      'zhan',
      'bu',
      'la',
      'tov',
      'gul',
      'na',
      'sh',
      'ek',
      'ai',
      'yu',
      'sef',
      'dil',
    ),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((s) => s.join(''));
const latinName = fc.array(latinWord, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
const anyName = fc.oneof(
  cyrName,
  latinName,
  fc.constantFrom('غولنارا جانبولاتوفا', 'Umm Yusuf al-Kazakhi', 'محمد علي'),
);

describe('name engine properties', () => {
  it('scores are in [0,1] and symmetric', () => {
    fc.assert(
      fc.property(anyName, anyName, (a, b) => {
        const ab = compareNames(a, b).score;
        const ba = compareNames(b, a).score;
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
        expect(ab).toBe(ba);
      }),
      { numRuns: 300 },
    );
  });

  it('a name compared with itself scores 1', () => {
    fc.assert(
      fc.property(anyName, (a) => {
        expect(compareNames(a, a).score).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('is insensitive to case and whitespace', () => {
    fc.assert(
      fc.property(anyName, fc.constantFrom(' ', '  ', '\t', ' \u00a0'), (a, space) => {
        const shouted = `${space}${a.toUpperCase().split(' ').join(space)}${space}`;
        expect(compareNames(a, shouted).score).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it('matches the ICAO transliteration of a Cyrillic name with the original', () => {
    fc.assert(
      fc.property(cyrName, (name) => {
        expect(compareNames(name, icao(name)).score).toBeGreaterThanOrEqual(0.85);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the ICAO transliteration of a Cyrillic name at least one key of the original', () => {
    fc.assert(
      fc.property(cyrName, (name) => {
        const original = new Set(nameKeys(name));
        expect(nameKeys(icao(name)).some((k) => original.has(k))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
