import { describe, expect, it } from 'vitest';
import { phoneticsOf } from './index.ts';
import { normaliseName } from './normalise.ts';

function skeletons(name: string): string[] {
  return phoneticsOf(normaliseName(name)).skeleton;
}

function shareSkeleton(a: string, b: string): boolean {
  const sa = skeletons(a);
  return skeletons(b).some((s) => sa.includes(s));
}

// Spelling families that must collide in the cross-script skeleton space.
const FAMILIES: string[][] = [
  ['Жанбулатова', 'ZHANBULATOVA', 'Janbulatova', 'Dschanbulatowa', 'جانبولاتوفا', 'Žanbulatova'],
  ['Гульнара', 'Gulnara', 'Gülnara', "Gul'nara", 'غولنارا'],
  ['Muhammad', 'Mohammed', 'Mohamed', 'Mukhammad', 'Magomed', 'Muhammed', 'محمد', 'Мухаммад', 'Магомед'],
  ['Yusuf', 'Yousef', 'Jusuf', 'Iosif', 'Youssef', 'يوسف', 'Юсуф', 'Иосиф'],
  ['Husayn', 'Hussein', 'Khuseyn', 'Guseyn', 'Husein', 'حسين', 'Хусейн', 'Гусейн'],
  ['Ibrahim', 'Ibragim', 'إبراهيم', 'Ибрагим'],
  ['Abdullah', 'Abdulla', 'Abdalla', 'عبدالله', 'Абдулла'],
  ['Abdurrahman', 'Abdurakhmon', 'Abdulrahman', 'Abdalrahman', 'عبدالرحمن', 'Абдурахман'],
  ['Oʻgʻiloy', "O'g'iloy", 'O`g`iloy', 'Ogiloy', 'Ўғилой'],
  ['Şolpan', 'Sholpan', 'Scholpan', 'Cholpan', 'Чолпан', 'Шолпан', "S'olpan"],
  ['Äliya', 'Áliya', "A'liya", 'Aliya', 'Aliia', 'Алия', 'Әлия'],
  ['Nurlıbek', 'Nurlybek', 'Нурлыбек', 'Nurlïbek'],
  ['Tsoy', 'Tcoi', 'Zoi', 'Цой', 'Soy'],
  ['Khurshida', 'Xurshida', 'Hurshida', 'Хуршида', 'Ҳуршида', 'خورشيدة'],
  ['Qasym', 'Kasym', 'Қасым', 'قاسم'],
  ['Ğalym', 'Ǵalym', "G'alym", 'Galym', 'Ғалым', 'غاليم'],
  ['Ahmad', 'Ahmed', 'Akhmed', 'Ahmet', 'أحمد', 'Ахмед'],
  ['Uthman', 'Usman', 'Osman', 'عثمان', 'Усман'],
];

describe('consonant skeletons', () => {
  for (const family of FAMILIES) {
    it(`put every spelling of ${family[0]} in one skeleton`, () => {
      const first = family[0] ?? '';
      for (const other of family.slice(1))
        expect(shareSkeleton(first, other), `${first} / ${other}`).toBe(true);
    });
  }

  it.each([
    ['Gulnara', 'Aigerim'],
    ['Yusuf', 'Ibrahim'],
    ['Zhanbulatova', 'Zhumabaeva'],
    ['Karim', 'Rustam'],
    ['Aigerim', 'Aigul'],
  ])('keep %s and %s apart', (a, b) => {
    expect(shareSkeleton(a, b)).toBe(false);
  });

  it('is coarse on purpose: Muhammad/Mahmud and Ali/Aliya collide, and only the fine reading separates them', () => {
    expect(shareSkeleton('Muhammad', 'Mahmud')).toBe(true);
    expect(shareSkeleton('Ali', 'Aliya')).toBe(true);
    expect(phoneticsOf('muhammad').fine).not.toEqual(phoneticsOf('mahmud').fine);
  });

  it('marks a word-initial vowel, because Arabic writes it', () => {
    expect(skeletons('Ali')[0]).toBe('@L');
    expect(skeletons('علي')[0]).toBe('@L');
    expect(skeletons('Umar')[0]).toBe('@MR');
    expect(skeletons('عمر')[0]).toBe('@MR');
  });

  it('reads و and ي as consonants where Arabic uses them so', () => {
    expect(skeletons('مروان')).toContain('MRVN'); // Marwan
    expect(skeletons('اوزبكي')[0]).toBe('@SBK'); // Uzbeki: initial او is a vowel
  });
});

describe('fine readings', () => {
  it('are identical for ICAO and Cyrillic spellings of the same sounds', () => {
    expect(phoneticsOf('евгений').fine).toContain(phoneticsOf('evgenii').fine[0]);
    expect(phoneticsOf('мария').fine).toContain(phoneticsOf('mariia').fine[0]);
    expect(phoneticsOf('щукина').fine).toContain(phoneticsOf('shchukina').fine[0]);
  });

  it('keep up to four readings of ambiguous letters, primary first', () => {
    const ph = phoneticsOf('jusuf');
    expect(ph.fine).toEqual(['jusuf', 'yusuf']);
  });
});
