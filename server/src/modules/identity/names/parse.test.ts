import { describe, expect, it } from 'vitest';
import { parseName } from './index.ts';

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
});
