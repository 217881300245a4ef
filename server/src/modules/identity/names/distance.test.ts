import { describe, expect, it } from 'vitest';
import { fineSimilarity, jaroWinkler, levenshtein } from './index.ts';

describe('string metrics', () => {
  it('computes Levenshtein distances', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('gulnara', 'gulnara')).toBe(0);
  });

  it('computes Jaro–Winkler as published (MARTHA/MARHTA 0.961, DIXON/DICKSONX 0.813)', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });

  it('prices vowel changes below consonant changes in fine readings', () => {
    expect(fineSimilarity('muhamad', 'mohamed')).toBeGreaterThan(fineSimilarity('muhamad', 'muhasad'));
  });
});
