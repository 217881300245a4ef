import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareNames, parseName } from './index.ts';
import { findSuffix, phoneticsOf } from './phonetic.ts';

describe('parseName', () => {
  it('reads "Umm Yusuf al-Kazakhi" as a kunya and a nisba, and the kunya implies a woman', () => {
    const p = parseName('Umm Yusuf al-Kazakhi');
    expect(p.kunya).toEqual({ kind: 'umm', name: 'Yusuf' });
    expect(p.nisba).toEqual(['Kazakhi']);
    expect(p.given).toEqual([]);
    expect(p.surname).toEqual([]);
    expect(p.impliedSex).toBe('female');
  });

  it.each([
    ['Oum Youssef el-Kazakhi', 'umm', 'Youssef', 'Kazakhi'],
    ['Umm-e Yusuf Kazakhi', 'umm', 'Yusuf', 'Kazakhi'],
    ['Abou Hamza ash-Shishani', 'abu', 'Hamza', 'Shishani'],
    ['ام يوسف الكازاخي', 'umm', 'يوسف', 'كازاخي'],
    ['أبو عبدالله التركستاني', 'abu', 'عبدالله', 'تركستاني'],
  ])('reads %s as kunya + nisba', (name, kind, kunyaName, nisba) => {
    const p = parseName(name);
    expect(p.kunya).toEqual({ kind, name: kunyaName });
    expect(p.nisba).toEqual([nisba]);
  });

  it('takes the surname from before a comma', () => {
    const p = parseName('ZHANBULATOVA, Gulnara');
    expect(p.surname).toEqual(['ZHANBULATOVA']);
    expect(p.given).toEqual(['Gulnara']);
    expect(p.order).toBe('surname-first');
  });

  it('reads the Russian official order Surname Given Patronymic', () => {
    const p = parseName('Жанбулатова Гульнара Ерлановна');
    expect(p.surname).toEqual(['Жанбулатова']);
    expect(p.given).toEqual(['Гульнара']);
    expect(p.patronymic).toBe('Ерлановна');
    expect(p.impliedSex).toBe('female');
  });

  it.each([
    ['Gulnara Erlan qyzy Zhanbulatova', 'Erlan qyzy', 'female'],
    ['Nurlan Erlan uly', 'Erlan uly', 'male'],
    ['Azamat Bakyt uulu', 'Bakyt uulu', 'male'],
    ['Dilnoza Rustam qizi', 'Rustam qizi', 'female'],
    ['Sardor Rustam oʻgʻli', "Rustam o'g'li", 'male'],
    ['Timur Rustamovich Karimov', 'Rustamovich', 'male'],
  ])('finds the patronymic in %s', (name, patronymic, sex) => {
    const p = parseName(name);
    expect(p.patronymic).toBe(patronymic);
    expect(p.impliedSex).toBe(sex);
  });

  it('finds the surname by its ending whichever end it is at', () => {
    expect(parseName('Zhanbulatova Gulnara').surname).toEqual(['Zhanbulatova']);
    expect(parseName('Gulnara Zhanbulatova').surname).toEqual(['Zhanbulatova']);
    expect(parseName('Rahimzoda Dilnoza').surname).toEqual(['Rahimzoda']);
  });

  it('takes a word in capitals among mixed-case words as the surname', () => {
    const p = parseName('KARIM Ahmad');
    expect(p.surname).toEqual(['KARIM']);
    expect(p.order).toBe('surname-first');
  });

  it('says when the order was only assumed', () => {
    expect(parseName('Ahmad Karim').order).toBe('unknown');
  });

  it('removes honorifics but keeps them', () => {
    const p = parseName('Haji Sheikh Abdullah Karimov');
    expect(p.honorifics).toEqual(['Haji', 'Sheikh']);
    expect(p.given).toEqual(['Abdullah']);
    expect(p.surname).toEqual(['Karimov']);
  });

  it('reads nasab (ibn, bint)', () => {
    const p = parseName('Fatima bint Abdullah');
    expect(p.nasab).toEqual([{ kind: 'bint', name: 'Abdullah' }]);
    expect(p.given).toEqual(['Fatima']);
    expect(p.impliedSex).toBe('female');
  });

  it('keeps Abd compounds together as one given name', () => {
    expect(parseName('Abd al-Rahman Karimov').given).toEqual(['Abd al-Rahman']);
  });

  it.each([
    ['Parvina Yorzoda Sukhrobovna', ['Parvina'], ['Yorzoda'], 'Sukhrobovna', 'given-first'],
    ['Fotima Yorzoda Abdulloevna', ['Fotima'], ['Yorzoda'], 'Abdulloevna', 'given-first'],
    ['Usama Yorzoda Amirovich', ['Usama'], ['Yorzoda'], 'Amirovich', 'given-first'],
    ['Ёрова Парвина Сухробовна', ['Парвина'], ['Ёрова'], 'Сухробовна', 'surname-first'],
    ['Раҳимзода Дилноза Рустамовна', ['Дилноза'], ['Раҳимзода'], 'Рустамовна', 'surname-first'],
    ['Sherzod Ismoilov Khurshidovich', ['Sherzod'], ['Ismoilov'], 'Khurshidovich', 'given-first'],
    ['Исмоилов Шерзод Хуршидович', ['Шерзод'], ['Исмоилов'], 'Хуршидович', 'surname-first'],
    ['Yusuf Karimov Rustamovich', ['Yusuf'], ['Karimov'], 'Rustamovich', 'given-first'],
    ['Timur Rustamovich Karimov', ['Timur'], ['Karimov'], 'Rustamovich', 'given-first'],
  ])(
    'reads the order of %s from the surname ending, whichever side of the given name it is on',
    (name, given, surname, patronymic, order) => {
      const p = parseName(name);
      expect(p.given).toEqual(given);
      expect(p.surname).toEqual(surname);
      expect(p.patronymic).toBe(patronymic);
      expect(p.order).toBe(order);
    },
  );

  it('keeps the Russian official order when neither end has a surname ending', () => {
    const p = parseName('Hasan Karim Rustamovich');
    expect(p.surname).toEqual(['Hasan']);
    expect(p.order).toBe('surname-first');
  });

  it.each(['Sherzod', 'Behzod', 'Bekzod', 'Farzod', 'Shahzod', 'Шерзод', 'Yusuf', 'Hanifa', 'Latifa'])(
    'does not take the given name %s for a surname',
    (given) => {
      expect(findSuffix(phoneticsOf(given.toLowerCase()).fine[0] ?? '', ['surname'], false)).toBeUndefined();
    },
  );

  it.each([
    ['yorzoda', '-zoda', 'yor'],
    ['erzoda', '-zoda', 'er'],
    ['erova', '-ova', 'er'],
    ['qurbonzod', '-zoda', 'kurbon'],
    ['rahimzoda', '-zoda', 'rahim'],
  ])('finds the surname ending of %s, short Tajik stems included', (word, label, stem) => {
    const found = findSuffix(phoneticsOf(word).fine[0] ?? '', ['surname'], false);
    expect(found?.suffix.label).toBe(label);
    expect(found?.stem).toBe(stem);
  });

  it('matches a -zoda surname with the -ova form of the same stem once the order is read', () => {
    const c = compareNames('Parvina Yorzoda Sukhrobovna', 'Ёрова Парвина Сухробовна');
    expect(c.score).toBeGreaterThan(0.9);
    expect(c.matches.find((m) => m.leftPart === 'surname')?.method).toBe('morphology');
  });
});

// Generated Tajik/Uzbek/Russian-style names: a given name from a list, a surname made of a stem and
// a surname ending, a patronymic made of a father's name and -ovna/-ovich.
const GIVEN = [
  'Parvina',
  'Fotima',
  'Tahmina',
  'Usama',
  'Sherzod',
  'Behzod',
  'Yusuf',
  'Hanifa',
  'Rustam',
  'Dilnoza',
  'Zarina',
  'Odil',
];
const consonant = fc.constantFrom('b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't');
const vowelLetter = fc.constantFrom('a', 'i', 'o', 'u');
const stem = fc
  .array(fc.tuple(consonant, vowelLetter), { minLength: 1, maxLength: 3 })
  .chain((syllables) => consonant.map((last) => syllables.map(([c, v]) => c + v).join('') + last))
  .map((s) => s.charAt(0).toUpperCase() + s.slice(1));
const surnameEnding = fc.constantFrom('zoda', 'zada', 'ova', 'ov', 'eva', 'ev');
const patronymicEnding = fc.constantFrom('ovna', 'ovich', 'evna');

describe('parseName on generated names', () => {
  it('finds given name, surname and patronymic in both Given Surname Patronymic and Surname Given Patronymic', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...GIVEN),
        stem,
        surnameEnding,
        stem,
        patronymicEnding,
        (given, s, ending, father, pEnding) => {
          const surname = s + ending;
          const patronymic = father + pEnding;
          for (const name of [`${given} ${surname} ${patronymic}`, `${surname} ${given} ${patronymic}`]) {
            const p = parseName(name);
            expect(p.given).toEqual([given]);
            expect(p.surname).toEqual([surname]);
            expect(p.patronymic).toBe(patronymic);
          }
        },
      ),
    );
  });

  it('scores the two orders of one name as the same name', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GIVEN), stem, surnameEnding, stem, (given, s, ending, father) => {
        const a = `${given} ${s}${ending} ${father}ovna`;
        const b = `${s}${ending} ${given} ${father}ovna`;
        expect(compareNames(a, b).score).toBeGreaterThan(0.97);
      }),
    );
  });
});
