import { describe, expect, it } from 'vitest';
import { comparePersons, type PersonEvidence } from './index.ts';

const gulnara: PersonEvidence = {
  names: ['Гульнара Жанбулатова', 'Umm Yusuf al-Kazakhi'],
  sex: 'female',
  birth: { from: '1990-03-14', to: '1990-03-14' },
  nationality: ['KZ'],
};

describe('comparePersons', () => {
  it('matches a camp-list record in Arabic with a 1 January placeholder date', () => {
    const camp: PersonEvidence = {
      names: ['غولنارا جانبولاتوفا'],
      sex: 'female',
      birth: { from: '1990-01-01', to: '1990-01-01' },
      nationality: ['KZ'],
    };
    const c = comparePersons(gulnara, camp);
    expect(c.decision).toBe('match');
    expect(c.explanation.join('\n')).toContain('placeholder');
  });

  it('finds the best pair across aliases (a kunya against a kunya)', () => {
    const neighbour: PersonEvidence = {
      names: ['Oum Youssef el-Kazakhi'],
      sex: 'female',
      birth: { from: '1989-01-01', to: '1991-12-31' },
    };
    const c = comparePersons(gulnara, neighbour);
    expect(c.name?.matches.some((m) => m.leftPart === 'kunya')).toBe(true);
    expect(c.decision).toBe('match');
  });

  it('treats a sex mismatch as strong evidence against', () => {
    const c = comparePersons(gulnara, { ...gulnara, names: ['Gulnara Zhanbulatova'], sex: 'male' });
    expect(c.decision).toBe('no_match');
    expect(c.evidence.find((e) => e.kind === 'sex')?.effect).toBe('strongly-against');
  });

  it('treats dates of birth years apart as strong evidence against', () => {
    const c = comparePersons(gulnara, {
      ...gulnara,
      names: ['Gulnara Zhanbulatova'],
      birth: { from: '1984-01-01', to: '1984-12-31' },
    });
    expect(c.decision).toBe('no_match');
  });

  it('does not call twins a match (same parents and birthday, different given names)', () => {
    const twin = (name: string): PersonEvidence => ({
      names: [name],
      sex: 'female',
      birth: { from: '2012-05-02', to: '2012-05-02' },
      motherName: 'Gulnara Zhanbulatova',
      fatherName: 'Erlan Zhanbulatov',
      nationality: ['KZ'],
    });
    const c = comparePersons(twin('Aigerim Zhanbulatova'), twin('Aisulu Zhanbulatova'));
    expect(c.decision).toBe('no_match');
    expect(c.explanation.join('\n')).toContain('twins');
  });

  it('does not call a parent and child with the same name a match', () => {
    const c = comparePersons(
      { names: ['Erlan Zhanbulatov'], sex: 'male', birth: { from: '1965-01-01', to: '1965-12-31' } },
      { names: ['ERLAN ZHANBULATOV'], sex: 'male', birth: { from: '1992-06-01', to: '1992-06-01' } },
    );
    expect(c.decision).toBe('no_match');
    expect(c.explanation.join('\n')).toContain('parent and child');
  });

  it('calls names alone, however equal, at most a possible match', () => {
    const c = comparePersons({ names: ['Muhammad Karimov'] }, { names: ['Mukhammad Karimov'] });
    expect(c.decision).toBe('possible');
  });

  it('lets parents and birthplace corroborate a name match', () => {
    const a: PersonEvidence = {
      names: ['Yusuf Ibragimov'],
      placeOfBirth: 'Шымкент',
      motherName: 'Gulnara Zhanbulatova',
    };
    const b: PersonEvidence = {
      names: ['يوسف ابراهيموف'],
      placeOfBirth: 'Shymkent',
      motherName: 'Гульнара Жанбулатова',
    };
    expect(comparePersons(a, b).decision).toBe('match');
  });

  it('reads swapped day and month as support', () => {
    const c = comparePersons(
      { ...gulnara, names: ['Gulnara Zhanbulatova'], birth: { from: '1990-03-04', to: '1990-03-04' } },
      { ...gulnara, names: ['Gulnara Zhanbulatova'], birth: { from: '1990-04-03', to: '1990-04-03' } },
    );
    expect(c.evidence.find((e) => e.kind === 'birth')?.detail).toContain('swapped');
    expect(c.decision).toBe('match');
  });

  it('is symmetric', () => {
    const other: PersonEvidence = {
      names: ['Gulnara Janbulatova'],
      sex: 'female',
      birth: { from: '1990-01-01', to: '1990-12-31' },
    };
    expect(comparePersons(gulnara, other).score).toBeCloseTo(comparePersons(other, gulnara).score, 12);
  });
});
