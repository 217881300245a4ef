import { describe, expect, it } from 'vitest';
import { generatePopulation } from '../synthetic/generator.ts';
import type { PersonEvidence } from './names/index.ts';
import { type ScreenableEntry, WatchlistMatcher } from './screening.ts';

/** A small synthetic list (another seed of the generator, so it shares the population's name pools). */
function syntheticList(size: number): ScreenableEntry[] {
  const entries: ScreenableEntry[] = [];
  for (const family of generatePopulation({ seed: 999, persons: size * 4 })) {
    for (const p of family.persons) {
      if (entries.length >= size || p.role === 'child') continue;
      entries.push({
        id: p.id,
        referenceNumber: `SYNi.${entries.length + 1}`,
        listedName: p.names[0]?.full_name ?? '',
        names: p.names.map((n, i) => ({
          name: n.full_name,
          type: i === 0 ? 'primary' : 'alias',
          quality: i % 3 === 2 ? 'low' : 'good',
        })),
        gender: p.sex === 'female' ? 'Female' : 'Male',
        births:
          p.birth_date_from === null || p.birth_date_to === null
            ? []
            : [{ from: p.birth_date_from, to: p.birth_date_to, type: 'EXACT' }],
        nationalities: p.nationalities.map((n) => n.country),
        placesOfBirth: p.place_of_birth === null ? [] : [p.place_of_birth],
        contentHash: p.id,
      });
    }
  }
  return entries;
}

function population(persons: number): PersonEvidence[] {
  const people: PersonEvidence[] = [];
  for (const family of generatePopulation({ seed: 11, persons })) {
    for (const p of family.persons) {
      people.push({
        names: p.names.map((n) => n.full_name),
        sex: p.sex,
        ...(p.birth_date_from !== null && p.birth_date_to !== null
          ? { birth: { from: p.birth_date_from, to: p.birth_date_to } }
          : {}),
      });
    }
  }
  return people;
}

describe('screening a batch', () => {
  it('gives the same results in the same order with one worker and with two', async () => {
    const entries = syntheticList(120);
    const people = population(600);
    const matcher = new WatchlistMatcher(entries);
    try {
      const one = await matcher.screenMany(people, 0.5, 1);
      const two = await matcher.screenMany(people, 0.5, 2);
      expect(one.flat().length).toBeGreaterThan(0);
      expect(two).toHaveLength(people.length);
      expect(two).toEqual(one);
      // The entries and matched names are the caller's own objects, not copies from a worker.
      const hit = two.flat()[0];
      expect(entries).toContain(hit?.entry);
      expect(hit?.entry.names).toContain(hit?.matchedName);
    } finally {
      await matcher.close();
    }
  }, 120_000);
});
