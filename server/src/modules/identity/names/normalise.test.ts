import { describe, expect, it } from 'vitest';
import { detectScript, normaliseName } from './index.ts';

describe('detectScript', () => {
  it.each([
    ['Gulnara Zhanbulatova', 'latin'],
    ['Gülnara Janbulatova', 'latin'],
    ['Гульнара Жанбулатова', 'cyrillic'],
    ['Ғалымжан Қасымұлы', 'cyrillic'],
    ['غولنارا جانبولاتوفا', 'arabic'],
    ['مُحَمَّد', 'arabic'],
    ['Gulnara Жанбулатова', 'mixed'],
    ['123 -', 'unknown'],
  ])('%s is %s', (name, script) => {
    expect(detectScript(name)).toBe(script);
  });

  it('does not call a Cyrillic name mixed because of one Latin homoglyph', () => {
    expect(detectScript('Гульнaра Жанбулатова')).toBe('cyrillic'); // Latin a inside
  });
});

describe('normaliseName', () => {
  it('folds case, spaces and apostrophe variants', () => {
    expect(normaliseName('  GULNARA   Zhanbulatova ')).toBe('gulnara zhanbulatova');
    expect(normaliseName('Oʻgʻiloy Toʼxtayeva')).toBe("o'g'iloy to'xtayeva");
    expect(normaliseName('Mukhammad – Ali')).toBe('mukhammad-ali');
    expect(normaliseName('ZHANBULATOVA, Gulnara')).toBe('zhanbulatova gulnara');
  });

  it('folds Arabic orthographic variants (hamza seats, ى, ة, tatweel, harakat, Persian letters)', () => {
    expect(normaliseName('أحمد')).toBe('احمد');
    expect(normaliseName('إبراهيم')).toBe('ابراهيم');
    expect(normaliseName('مُحَمَّد')).toBe('محمد');
    expect(normaliseName('مـحـمـد')).toBe('محمد');
    expect(normaliseName('مصطفى')).toBe('مصطفي');
    expect(normaliseName('فاطمة')).toBe('فاطمه');
    expect(normaliseName('یوسف')).toBe('يوسف');
    expect(normaliseName('کریم')).toBe('كريم');
  });

  it('folds Latin homoglyphs typed inside a Cyrillic word', () => {
    expect(normaliseName('Гульнaра')).toBe('гульнара');
  });
});
