import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GeneratedFamily, generatePopulation, REFERENCE_DATE } from './generator.ts';

// The generator's promises hold for any seed and size, not only for the ones the other tests use:
// fast-check draws both (and prints the seed and size of any counterexample).

const YEAR_MS = 365.25 * 86_400_000;
const reference = Date.parse(REFERENCE_DATE);

function addYears(isoDate: string, years: number): string {
  return `${Number(isoDate.slice(0, 4)) + years}${isoDate.slice(4)}`;
}

/** Every broken promise of one population, in words; empty when the population is sound. */
function violations(families: GeneratedFamily[], asked: number): string[] {
  const found: string[] = [];
  const persons = families.flatMap((f) => f.persons);
  if (persons.length !== asked) found.push(`${persons.length} persons for ${asked} asked`);
  const ids = new Set(persons.map((p) => p.id));
  if (ids.size !== persons.length) found.push('duplicate person ids');
  const casesByPerson = new Map<string, number>();
  for (const c of families.flatMap((f) => f.cases))
    casesByPerson.set(c.person_id, (casesByPerson.get(c.person_id) ?? 0) + 1);

  for (const family of families) {
    const byId = new Map(family.persons.map((p) => [p.id, p]));
    const edges = new Set<string>();
    for (const p of family.persons) {
      const where = `family ${family.index}, person ${p.id}`;
      if (p.names.filter((n) => n.is_display).length !== 1) found.push(`${where}: not one display name`);
      if (p.birth_date_from !== null && p.birth_date_to !== null && p.birth_date_from > p.birth_date_to)
        found.push(`${where}: date of birth range reversed`);
      if (p.returnee && p.whereabouts === 'in_country' && casesByPerson.get(p.id) !== 1)
        found.push(`${where}: returned person without exactly one case`);
      if (['deceased', 'unknown', 'abroad_other'].includes(p.whereabouts) && casesByPerson.has(p.id))
        found.push(`${where}: case for someone not reachable`);
      if (p.flags.includes('pregnant') && p.sex !== 'female') found.push(`${where}: pregnant and not female`);
    }
    for (const r of family.relationships) {
      const where = `family ${family.index}, ${r.relation} ${r.person_id} → ${r.related_person_id}`;
      const person = byId.get(r.person_id);
      const related = byId.get(r.related_person_id);
      if (!person || !related) {
        found.push(`${where}: outside the family`);
        continue;
      }
      if (r.relation === 'child') found.push(`${where}: written parent → child`);
      const edge = `${r.person_id}>${r.related_person_id}>${r.relation}`;
      if (edges.has(edge) || edges.has(`${r.related_person_id}>${r.person_id}>${r.relation}`))
        found.push(`${where}: recorded twice`);
      edges.add(edge);
      if (r.relation === 'mother' || r.relation === 'father') {
        if (related.sex !== (r.relation === 'mother' ? 'female' : 'male'))
          found.push(`${where}: parent's sex`);
        // A parent is at least 13 years older than the child, whatever the approximations.
        if (
          person.birth_date_from &&
          related.birth_date_to &&
          person.birth_date_from < addYears(related.birth_date_to, 13)
        )
          found.push(`${where}: parent less than 13 years older`);
      }
    }
    for (const c of family.cases) {
      const p = byId.get(c.person_id);
      const where = `family ${family.index}, case of ${c.person_id}`;
      if (!p) {
        found.push(`${where}: person outside the family`);
        continue;
      }
      if (c.tracks.length === 0) found.push(`${where}: no track`);
      if (c.status !== (c.stage === 10 ? 'closed' : 'open'))
        found.push(`${where}: status ${c.status} at ${c.stage}`);
      const youngest = p.birth_date_to === null ? null : (reference - Date.parse(p.birth_date_to)) / YEAR_MS;
      if (
        c.tracks.some((t) => t.track === 'justice') &&
        (p.role === 'child' || youngest === null || youngest < 18)
      )
        found.push(`${where}: justice track for someone who may be a child`);
      if (c.tracks.some((t) => t.track === 'security') && p.role === 'child')
        found.push(`${where}: security track for a child`);
    }
  }
  return found;
}

describe('generatePopulation, for any seed and size', () => {
  it('keeps every promise: sizes, ids, names, dates, relations once, parents older, cases and tracks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 800 }),
        (seed, persons) => {
          const families = [...generatePopulation({ seed, persons })];
          expect(violations(families, persons)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is deterministic for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const a = JSON.stringify([...generatePopulation({ seed, persons: 120 })]);
        expect(JSON.stringify([...generatePopulation({ seed, persons: 120 })])).toBe(a);
      }),
      { numRuns: 20 },
    );
  });

  it('finds a broken promise when there is one (the checker itself can fail)', () => {
    const families = [...generatePopulation({ seed: 5, persons: 200 })];
    const withMother = families.find((f) => f.relationships.some((r) => r.relation === 'mother'));
    expect(withMother).toBeDefined();
    const link = withMother!.relationships.find((r) => r.relation === 'mother')!;
    const child = withMother!.persons.find((p) => p.id === link.person_id)!;
    const mother = withMother!.persons.find((p) => p.id === link.related_person_id)!;
    const broken = families.map((f) =>
      f !== withMother
        ? f
        : {
            ...f,
            persons: f.persons.map((p) =>
              p === mother
                ? { ...p, birth_date_from: child.birth_date_from, birth_date_to: child.birth_date_to }
                : p,
            ),
            relationships: [...f.relationships, { ...link }],
          },
    );
    const found = violations(broken, 200);
    expect(found.some((v) => v.includes('parent less than 13 years older'))).toBe(true);
    expect(found.some((v) => v.includes('recorded twice'))).toBe(true);
  });
});
