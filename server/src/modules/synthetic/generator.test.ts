import { describe, expect, it } from 'vitest';
import {
  type GeneratedFamily,
  type GeneratedPerson,
  generatePopulation,
  REFERENCE_DATE,
} from './generator.ts';

const YEAR_MS = 365.25 * 86_400_000;
const reference = Date.parse(REFERENCE_DATE);

function population(seed: number, persons: number): GeneratedFamily[] {
  return [...generatePopulation({ seed, persons })];
}

/** Age at the reference date, at the youngest the recorded date of birth allows. */
function minimumAge(p: GeneratedPerson): number | null {
  return p.birth_date_to === null ? null : (reference - Date.parse(p.birth_date_to)) / YEAR_MS;
}
/** Age at the reference date, at the oldest the recorded date of birth allows. */
function maximumAge(p: GeneratedPerson): number | null {
  return p.birth_date_from === null ? null : (reference - Date.parse(p.birth_date_from)) / YEAR_MS;
}
function addYears(isoDate: string, years: number): string {
  return `${Number(isoDate.slice(0, 4)) + years}${isoDate.slice(4)}`;
}

describe('generatePopulation', () => {
  const families = population(20250630, 20_000);
  const persons = families.flatMap((f) => f.persons);
  const cases = families.flatMap((f) => f.cases);
  const casesByPerson = new Map<string, number>();
  for (const c of cases) casesByPerson.set(c.person_id, (casesByPerson.get(c.person_id) ?? 0) + 1);

  it('gives the same population for the same seed', () => {
    expect(JSON.stringify(population(7, 3000))).toBe(JSON.stringify(population(7, 3000)));
  });

  it('gives a different population for a different seed', () => {
    const a = population(7, 500).flatMap((f) => f.persons);
    const b = population(8, 500).flatMap((f) => f.persons);
    const idsOfA = new Set(a.map((p) => p.id));
    expect(b.some((p) => idsOfA.has(p.id))).toBe(false);
    expect(a.map((p) => p.names[0]?.full_name)).not.toEqual(b.map((p) => p.names[0]?.full_name));
  });

  it('streams the same first families whatever the target size', () => {
    const small = population(7, 1000);
    const large = population(7, 5000);
    const complete = small.slice(0, -1);
    expect(JSON.stringify(large.slice(0, complete.length))).toBe(JSON.stringify(complete));
  });

  it.each([1, 2, 7, 999, 4321])('produces exactly %i persons', (n) => {
    expect(population(11, n).reduce((sum, f) => sum + f.persons.length, 0)).toBe(n);
  });

  it('rejects a seed or size that is not an integer', () => {
    expect(() => [...generatePopulation({ seed: 1.5, persons: 10 })]).toThrow(/seed/);
    expect(() => [...generatePopulation({ seed: 1, persons: -1 })]).toThrow(/persons/);
  });

  it('draws unique, version-4-shaped ids', () => {
    const ids = [
      ...persons.map((p) => p.id),
      ...persons.flatMap((p) => p.names.map((n) => n.id)),
      ...persons.flatMap((p) => p.nationalities.map((n) => n.id)),
      ...families.flatMap((f) => f.relationships.map((r) => r.id)),
      ...cases.map((c) => c.id),
      ...families.map((f) => f.familyUnit.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 2000)) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(families.map((f) => f.familyUnit.reference)).size).toBe(families.length);
  });

  it('is mostly children, with adult men a minority', () => {
    const certainlyChildren = persons.filter((p) => (maximumAge(p) ?? 99) < 18).length;
    const adultMen = persons.filter((p) => p.sex === 'male' && (minimumAge(p) ?? 99) >= 18).length;
    expect(certainlyChildren / persons.length).toBeGreaterThanOrEqual(0.5);
    expect(adultMen / persons.length).toBeLessThan(0.3);
  });

  it('has mothers with one to six children, born mostly in Syria, Iraq and the camps (2014–2021)', () => {
    const mothers = families.filter((f) => f.kind === 'mother_with_children');
    const counts = mothers.map((f) => f.persons.filter((p) => p.role === 'child').length);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBe(6);
    const children = persons.filter((p) => p.role === 'child' && p.birth_date_from !== null);
    const bornAbroad = children.filter((p) => /Syria|Iraq/.test(p.place_of_birth ?? ''));
    expect(bornAbroad.length / children.length).toBeGreaterThan(0.5);
    expect(children.some((p) => p.place_of_birth_is_camp)).toBe(true);
  });

  it('records approximate dates of birth: year only, ranges and 1 January placeholders', () => {
    const kinds = new Set(persons.map((p) => p.birth_date_kind));
    expect([...kinds].sort()).toEqual(['exact', 'range', 'unknown', 'year']);
    const placeholders = persons.filter(
      (p) => p.birth_date_kind === 'exact' && p.birth_date_from?.endsWith('-01-01'),
    );
    expect(placeholders.length / persons.length).toBeGreaterThan(0.03);
    for (const p of persons) {
      if (p.birth_date_from !== null && p.birth_date_to !== null) {
        expect(p.birth_date_from <= p.birth_date_to).toBe(true);
      }
    }
  });

  it('dates every child at least 13 years after its mother, whatever the approximations', () => {
    let checked = 0;
    for (const family of families) {
      const byId = new Map(family.persons.map((p) => [p.id, p]));
      for (const r of family.relationships.filter((x) => x.relation === 'mother')) {
        const child = byId.get(r.person_id);
        const mother = byId.get(r.related_person_id);
        if (!child?.birth_date_from || !mother?.birth_date_to) continue;
        expect(child.birth_date_from >= addYears(mother.birth_date_to, 13)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it('opens exactly one case at stage 3–10 for every returned person, open until stage 10', () => {
    const returnees = persons.filter((x) => x.returnee);
    expect(returnees.filter((p) => p.whereabouts !== 'in_country' || casesByPerson.get(p.id) !== 1)).toEqual(
      [],
    );
    const byPerson = new Map(persons.map((p) => [p.id, p]));
    const wrong = cases.filter((c) => {
      const p = byPerson.get(c.person_id)!;
      if (c.tracks.length === 0) return true;
      if (p.returnee) {
        return (
          c.stage < 3 ||
          c.status !== (c.stage === 10 ? 'closed' : 'open') ||
          (c.close_reason === null) !== (c.stage !== 10)
        );
      }
      return !['camp', 'detention'].includes(p.whereabouts) || c.stage > 2 || c.status !== 'open';
    });
    expect(wrong).toEqual([]);
    const stages = new Set(cases.map((c) => c.stage));
    expect([...stages].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('keeps relatives abroad, detained, deceased or missing as persons, mostly without a case', () => {
    const away = persons.filter((p) => p.whereabouts !== 'in_country');
    for (const where of ['camp', 'detention', 'deceased', 'unknown', 'abroad_other'] as const) {
      expect(away.some((p) => p.whereabouts === where)).toBe(true);
    }
    for (const p of away.filter((x) => ['deceased', 'unknown', 'abroad_other'].includes(x.whereabouts))) {
      expect(casesByPerson.has(p.id)).toBe(false);
    }
    expect(away.filter((p) => casesByPerson.has(p.id)).length).toBeLessThan(away.length / 2);
  });

  it('never puts a child on a justice track, nor a child or an under-14 on a security track', () => {
    const byPerson = new Map(persons.map((p) => [p.id, p]));
    const justice = cases.filter((c) => c.tracks.some((t) => t.track === 'justice'));
    expect(justice.length).toBeGreaterThan(0);
    for (const c of justice) {
      const p = byPerson.get(c.person_id)!;
      expect(p.role).not.toBe('child');
      expect(minimumAge(p)).toBeGreaterThanOrEqual(18);
    }
    for (const c of cases.filter((x) => x.tracks.some((t) => t.track === 'security'))) {
      expect(byPerson.get(c.person_id)!.role).not.toBe('child');
    }
    const protection = cases.filter((c) => c.tracks.some((t) => t.track === 'protection')).length;
    expect(protection / cases.length).toBeGreaterThan(0.75);
  });

  it('writes every returned person in at least two scripts, with exactly one display name', () => {
    expect(persons.filter((p) => p.names.filter((n) => n.is_display).length !== 1)).toEqual([]);
    const returnees = persons.filter((p) => p.returnee);
    expect(returnees.length).toBeGreaterThan(persons.length / 2);
    expect(returnees.filter((p) => new Set(p.names.map((n) => n.script)).size < 2)).toEqual([]);
  });

  it('spells the same person several ways, as real lists do', () => {
    const latin = persons.flatMap((p) => p.names.filter((n) => n.script === 'latin'));
    const arabic = persons.flatMap((p) => p.names.filter((n) => n.script === 'arabic'));
    const schemes = new Set(latin.map((n) => n.romanisation));
    for (const scheme of [
      'icao_9303',
      'ru_passport_1997',
      'bgn_pcgn',
      'french',
      'kazakh_latin_2021',
      'uzbek_latin',
    ]) {
      expect(schemes).toContain(scheme);
    }
    expect(latin.some((n) => n.romanisation === 'kazakh_latin_2021' && /[äğqñöūüış]/.test(n.full_name))).toBe(
      true,
    );
    expect(latin.some((n) => n.romanisation === 'uzbek_latin' && /[og]ʻ/.test(n.full_name))).toBe(true);
    expect(latin.some((n) => /zoda\b/.test(n.full_name))).toBe(true);
    expect(latin.some((n) => n.source === 'passport' && n.full_name === n.full_name.toUpperCase())).toBe(
      true,
    );
    // Arabic script as camp lists write it: Arabic letters, no short-vowel marks.
    expect(arabic.every((n) => n.source === 'camp_list' || n.source === 'testimony')).toBe(true);
    expect(arabic.some((n) => /[\u064B-\u0652]/.test(n.full_name))).toBe(false);
    expect(arabic.every((n) => /^[\u0600-\u06FF ]+$/.test(n.full_name))).toBe(true);
    const kunyas = persons.flatMap((p) =>
      p.names.filter((n) => n.name_type === 'kunya' && n.script === 'latin'),
    );
    expect(kunyas.every((n) => /^(Umm|Um|Oum|Umm-e|Abu|Abou|Abo) /.test(n.full_name))).toBe(true);
    expect(kunyas.some((n) => / al-Kazakhi$/.test(n.full_name))).toBe(true);
    const variety = persons.filter((p) => p.returnee && new Set(p.names.map((n) => n.full_name)).size >= 5);
    expect(variety.length).toBeGreaterThan(persons.length / 10);
  });

  it('makes surnames and patronymics agree with sex', () => {
    const primaries = persons.flatMap((p) =>
      p.names
        .filter((n) => n.name_type === 'primary' && n.script === 'cyrillic' && n.family_name)
        .map((n) => ({ sex: p.sex, family: n.family_name ?? '', patronymic: n.patronymic })),
    );
    const women = primaries.filter((n) => n.sex === 'female');
    const men = primaries.filter((n) => n.sex === 'male');
    expect(
      women.filter((n) => /(ов|ев|ин)$/.test(n.family) || (n.patronymic && !/на$/.test(n.patronymic))),
    ).toEqual([]);
    expect(
      men.filter((n) => /(ова|ева)$/.test(n.family) || (n.patronymic && !/ич$/.test(n.patronymic))),
    ).toEqual([]);
    expect(women.filter((n) => /(ова|ева)$/.test(n.family)).length).toBeGreaterThan(women.length / 2);
    expect(men.filter((n) => n.patronymic).length).toBeGreaterThan(men.length / 2);
  });

  it('weights nationalities toward Kazakhstan, Uzbekistan and Tajikistan', () => {
    const count = (country: string) =>
      persons.filter((p) => p.nationalities[0]?.country === country).length / persons.length;
    for (const big of ['KZ', 'UZ', 'TJ']) {
      for (const small of ['KG', 'RU']) expect(count(big)).toBeGreaterThan(count(small));
    }
    expect(count('KG')).toBeGreaterThan(0);
    expect(count('RU')).toBeGreaterThan(0);
  });

  it('records each family relation once, child → parent, and inside the family', () => {
    const violations: string[] = [];
    for (const family of families) {
      const members = new Set(family.familyUnit.members);
      if (members.size !== family.persons.length) violations.push(`${family.index}: members`);
      const sexOf = new Map(family.persons.map((p) => [p.id, p.sex]));
      const edges = new Set(
        family.relationships.map((r) => `${r.person_id}>${r.related_person_id}>${r.relation}`),
      );
      for (const r of family.relationships) {
        const where = `${family.index}: ${r.relation}`;
        if (!members.has(r.person_id) || !members.has(r.related_person_id))
          violations.push(`${where} outside`);
        if (r.person_id === r.related_person_id) violations.push(`${where} to self`);
        if (r.relation === 'mother' && sexOf.get(r.related_person_id) !== 'female')
          violations.push(`${where} sex`);
        if (r.relation === 'father' && sexOf.get(r.related_person_id) !== 'male')
          violations.push(`${where} sex`);
        // The families API stores one row per link and derives the other side when reading.
        if (r.relation === 'child') violations.push(`${where} written parent → child`);
        if (edges.has(`${r.related_person_id}>${r.person_id}>${r.relation}`))
          violations.push(`${where} twice`);
      }
    }
    expect(violations).toEqual([]);
    expect(families.flatMap((f) => f.relationships.map((r) => r.relation))).toEqual(
      expect.arrayContaining(['mother', 'father', 'spouse', 'sibling', 'guardian', 'caregiver']),
    );
  });

  it('flags vulnerabilities at plausible rates, and only where they make sense', () => {
    const children = persons.filter((p) => p.role === 'child');
    const rate = (flag: string, group: GeneratedPerson[]) =>
      group.filter((p) => p.flags.includes(flag as never)).length / group.length;
    expect(rate('unaccompanied', children)).toBeGreaterThan(0.02);
    expect(rate('unaccompanied', children)).toBeLessThan(0.2);
    expect(rate('orphan', children)).toBeGreaterThan(0.02);
    expect(rate('separated', children)).toBeGreaterThan(0.005);
    expect(rate('disability', persons)).toBeGreaterThan(0.01);
    expect(rate('witness', persons)).toBeGreaterThan(0.005);
    const women = persons.filter((p) => p.sex === 'female' && p.role !== 'child');
    expect(rate('trafficking_indicators', women)).toBeGreaterThan(0.05);
    expect(persons.filter((p) => p.flags.includes('pregnant')).every((p) => p.sex === 'female')).toBe(true);
    expect(persons.some((p) => p.flags.includes('pregnant'))).toBe(true);
    // An unaccompanied child came home without its mother.
    for (const family of families) {
      const motherHome = family.persons.some((p) => p.role === 'mother' && p.whereabouts === 'in_country');
      if (motherHome) expect(family.persons.some((p) => p.flags.includes('unaccompanied'))).toBe(false);
    }
    // Some unaccompanied children have a guardian at home, others no adult at all.
    const guarded = families.filter((f) => f.relationships.some((r) => r.relation === 'guardian'));
    const alone = families.filter(
      (f) => f.kind === 'orphans' && !f.relationships.some((r) => r.relation === 'guardian'),
    );
    expect(guarded.length).toBeGreaterThan(0);
    expect(alone.length).toBeGreaterThan(0);
  });
});
