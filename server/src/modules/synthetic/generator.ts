import {
  arabicGiven,
  type Ethnicity,
  gendered,
  latinGiven,
  type NameForm,
  nationalLanguage,
  nationalPatronymic,
  nationalScheme,
  pickGiven,
  pickNisba,
  pickSurname,
  russianPatronymic,
  type Sex,
  surnameFromGiven,
  typo,
  zodaForm,
} from './names.ts';
import { Random } from './random.ts';
import { type Romanisation, romanise, toArabicScript } from './transliteration.ts';

/**
 * A deterministic synthetic population shaped like the caseloads of the Central Asian repatriation
 * operations: mothers with several children born in Syria, Iraq and the camps, orphans and
 * unaccompanied children, few adult men, relatives still abroad or deceased. Pure: no I/O, no clock.
 * Every generated person is invented; see names.ts.
 */

/** "Today" for the synthetic population, fixed so output never depends on the clock. */
export const REFERENCE_DATE = '2025-06-30';

export type Country = 'KZ' | 'UZ' | 'TJ' | 'KG' | 'RU';
export type Whereabouts = 'in_country' | 'camp' | 'detention' | 'abroad_other' | 'deceased' | 'unknown';
export type Flag =
  | 'unaccompanied'
  | 'separated'
  | 'orphan'
  | 'disability'
  | 'pregnant'
  | 'trafficking_indicators'
  | 'witness';
export type Track = 'protection' | 'justice' | 'security' | 'health';
export type Relation = 'mother' | 'father' | 'child' | 'spouse' | 'sibling' | 'guardian' | 'caregiver';
export type Provenance = 'claimed' | 'documented' | 'dna_confirmed';
export type NameSource =
  | 'passport'
  | 'id_card'
  | 'birth_certificate'
  | 'civil_registry'
  | 'camp_list'
  | 'ngo_list'
  | 'un_agency_list'
  | 'testimony'
  | 'self_declared';
export type FamilyKind =
  | 'mother_with_children'
  | 'returned_couple'
  | 'orphans'
  | 'unaccompanied'
  | 'with_relative'
  | 'lone_woman'
  | 'lone_man'
  | 'still_abroad';
/** The person's place in the generated family; not a column, useful to tests and benchmarks. */
export type PersonRole = 'mother' | 'father' | 'child' | 'grandmother' | 'aunt' | 'woman' | 'man';

/** A `person_names` row. */
export interface GeneratedName {
  id: string;
  person_id: string;
  full_name: string;
  given_name: string | null;
  family_name: string | null;
  patronymic: string | null;
  script: 'cyrillic' | 'latin' | 'arabic';
  language: string | null;
  name_type: 'primary' | 'variant' | 'alias' | 'kunya' | 'document';
  source: NameSource;
  romanisation: Romanisation | null;
  recorded_on: string;
  is_display: boolean;
}

/** A `person_nationalities` row. */
export interface GeneratedNationality {
  id: string;
  person_id: string;
  country: Country;
  status: 'claimed' | 'verified' | 'rejected';
}

/** A `persons` row (less the owner agency, chosen when seeding), with its names and nationalities. */
export interface GeneratedPerson {
  id: string;
  sex: 'female' | 'male';
  birth_date_kind: 'exact' | 'year' | 'range' | 'unknown';
  birth_date_from: string | null;
  birth_date_to: string | null;
  place_of_birth: string | null;
  place_of_birth_is_camp: boolean;
  whereabouts: Whereabouts;
  whereabouts_detail: string | null;
  flags: Flag[];
  role: PersonRole;
  /** Returned to the country of nationality: has exactly one case at stage 3–10. */
  returnee: boolean;
  names: GeneratedName[];
  nationalities: GeneratedNationality[];
}

/** A `relationships` row: related_person_id is the <relation> of person_id. */
export interface GeneratedRelationship {
  id: string;
  person_id: string;
  related_person_id: string;
  relation: Relation;
  provenance: Provenance;
}

/** A `cases` row (less case number, owner and assignee, chosen when seeding) with its tracks. */
export interface GeneratedCase {
  id: string;
  person_id: string;
  family_unit_id: string;
  stage: number;
  status: 'open' | 'closed';
  opened_at: string;
  closed_at: string | null;
  close_reason: string | null;
  tracks: { track: Track; status: string }[];
}

export interface GeneratedFamily {
  /** 0-based position in the stream. */
  index: number;
  kind: FamilyKind;
  country: Country;
  familyUnit: { id: string; reference: string; members: string[] };
  persons: GeneratedPerson[];
  relationships: GeneratedRelationship[];
  cases: GeneratedCase[];
}

export interface PopulationOptions {
  seed: number;
  /** Exactly this many persons are generated; the last family is trimmed to fit. */
  persons: number;
}

/**
 * Streams families until exactly `options.persons` persons have been produced. Family i depends only
 * on (seed, i), so a larger population starts with the same families as a smaller one.
 */
export function* generatePopulation(options: PopulationOptions): Generator<GeneratedFamily, void, undefined> {
  if (!Number.isSafeInteger(options.seed)) throw new Error('seed must be a safe integer');
  if (!Number.isSafeInteger(options.persons) || options.persons < 0) {
    throw new Error('persons must be a non-negative integer');
  }
  let remaining = options.persons;
  for (let index = 0; remaining > 0; index++) {
    let family = generateFamily(options.seed, index);
    if (family.persons.length > remaining) family = trimFamily(family, remaining);
    remaining -= family.persons.length;
    yield family;
  }
}

// ---------------------------------------------------------------------------------------------
// Dates, as day numbers since 1970-01-01 (UTC) so arithmetic never meets a time zone.

const DAY_MS = 86_400_000;
const REFERENCE_DAY = dayOf(REFERENCE_DATE);

function dayOf(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}
function ymd(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}
const isoDays = new Map<number, string>();
function isoDay(day: number): string {
  let iso = isoDays.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoDays.set(day, iso);
  }
  return iso;
}
function isoInstant(day: number, rng: Random): string {
  return new Date(day * DAY_MS + rng.int(7 * 60, 18 * 60) * 60_000).toISOString();
}
function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}
function randomDayIn(rng: Random, year: number): number {
  return ymd(year, 1, 1) + rng.int(0, 364);
}
function ageOn(birthDay: number, onDay: number): number {
  return (onDay - birthDay) / 365.25;
}

// ---------------------------------------------------------------------------------------------
// Population parameters. Proportions are plausible for the published operations, not statistics.

const COUNTRIES: readonly (readonly [Country, number])[] = [
  ['KZ', 32],
  ['UZ', 29],
  ['TJ', 23],
  ['KG', 8],
  ['RU', 8],
];

const ETHNICITIES: Readonly<Record<Country, readonly (readonly [Ethnicity, number])[]>> = {
  KZ: [
    ['kazakh', 85],
    ['russian', 8],
    ['uzbek', 5],
    ['chechen', 2],
  ],
  UZ: [
    ['uzbek', 92],
    ['tajik', 4],
    ['kazakh', 4],
  ],
  TJ: [
    ['tajik', 90],
    ['uzbek', 10],
  ],
  KG: [
    ['kyrgyz', 50],
    ['uzbek', 50],
  ],
  RU: [
    ['chechen', 40],
    ['dagestani', 40],
    ['russian', 20],
  ],
};

const HOME_COUNTRY: Readonly<Record<Ethnicity, Country>> = {
  kazakh: 'KZ',
  uzbek: 'UZ',
  tajik: 'TJ',
  kyrgyz: 'KG',
  chechen: 'RU',
  dagestani: 'RU',
  russian: 'RU',
};

const HOME_TOWNS: Readonly<Record<Country, readonly string[]>> = {
  KZ: ['Aktobe', 'Atyrau', 'Karaganda', 'Shymkent', 'Taraz', 'Almaty', 'Zhezkazgan', 'Oral', 'Kyzylorda'].map(
    (t) => `${t}, Kazakhstan`,
  ),
  UZ: ['Tashkent', 'Andijan', 'Namangan', 'Fergana', 'Samarkand', 'Bukhara', 'Karshi'].map(
    (t) => `${t}, Uzbekistan`,
  ),
  TJ: ['Dushanbe', 'Khujand', 'Kulob', 'Bokhtar', 'Isfara', 'Vahdat'].map((t) => `${t}, Tajikistan`),
  KG: ['Osh', 'Jalal-Abad', 'Bishkek', 'Kara-Suu', 'Uzgen'].map((t) => `${t}, Kyrgyzstan`),
  RU: ['Makhachkala', 'Grozny', 'Khasavyurt', 'Derbent', 'Nalchik', 'Kazan', 'Tyumen'].map(
    (t) => `${t}, Russia`,
  ),
};

const CONFLICT_TOWNS = [
  'Raqqa, Syria',
  'Mosul, Iraq',
  'Tal Afar, Iraq',
  'Deir ez-Zor, Syria',
  'al-Mayadin, Syria',
  'Tabqa, Syria',
  'Hajin, Syria',
  'al-Bukamal, Syria',
] as const;
const CAMPS = ['al-Hol camp, Syria', 'Roj camp, Syria'] as const;
const DETENTION_PLACES = [
  'detention facility, al-Hasakah, Syria',
  'prison, north-east Syria',
  'prison, Baghdad, Iraq',
  'prison, Erbil, Iraq',
] as const;

/** Invented return flights per State, roughly where the public operations fell. */
const RETURN_FLIGHTS: Readonly<Record<Country, readonly string[]>> = {
  KZ: [
    '2019-01-06',
    '2019-05-09',
    '2019-05-28',
    '2019-06-06',
    '2021-02-04',
    '2022-03-20',
    '2023-07-15',
    '2024-05-14',
    '2025-03-11',
  ],
  UZ: [
    '2019-05-30',
    '2019-10-10',
    '2020-12-23',
    '2021-04-30',
    '2022-11-12',
    '2023-03-07',
    '2024-06-05',
    '2025-04-22',
  ],
  TJ: ['2019-04-30', '2022-07-14', '2023-02-27', '2023-05-23', '2024-09-10', '2025-05-06'],
  KG: ['2021-03-16', '2023-03-22', '2024-02-01', '2025-02-18'],
  RU: ['2017-12-26', '2018-04-05', '2019-02-10', '2019-12-29', '2021-11-03', '2024-03-19', '2025-06-02'],
};

const FAMILY_KINDS: readonly (readonly [FamilyKind, number])[] = [
  ['mother_with_children', 58],
  ['returned_couple', 4],
  ['orphans', 8],
  ['unaccompanied', 5],
  ['with_relative', 4],
  ['lone_woman', 5],
  ['lone_man', 3],
  ['still_abroad', 13],
];

/** Stage of a returned family's cases: most are in rehabilitation, reintegration or monitoring. */
const RETURNED_STAGES: readonly (readonly [number, number])[] = [
  [3, 3],
  [4, 7],
  [5, 13],
  [6, 9],
  [7, 24],
  [8, 21],
  [9, 16],
  [10, 7],
];

const CHILD_COUNTS: readonly (readonly [number, number])[] = [
  [1, 11],
  [2, 19],
  [3, 24],
  [4, 21],
  [5, 15],
  [6, 10],
];

// ---------------------------------------------------------------------------------------------
// Drafts: a person before names and rows are written out.

interface Draft {
  id: string;
  sex: Sex;
  role: PersonRole;
  ethnicity: Ethnicity;
  country: Country;
  given: NameForm;
  /** Masculine form of the family name; null when the person is known only by a kunya. */
  surname: NameForm | null;
  fatherGiven: NameForm | null;
  birthDay: number;
  birthProfile: 'document' | 'camp' | 'hearsay';
  birthPlace: string | null;
  birthPlaceIsCamp: boolean;
  whereabouts: Whereabouts;
  detail: string | null;
  flags: Set<Flag>;
  returnee: boolean;
  /** A case for a person still abroad (identified, being verified or assessed before return). */
  abroadCaseStage: number | null;
  children: Draft[];
  extraNationality: Country | null;
}

class FamilyBuilder {
  readonly rng: Random;
  readonly familyId: string;
  readonly drafts: Draft[] = [];
  readonly relationships: GeneratedRelationship[] = [];
  readonly country: Country;
  readonly ethnicity: Ethnicity;
  readonly departureYear: number;
  returnDay = 0;
  baseStage = 0;

  constructor(rng: Random) {
    this.rng = rng;
    this.familyId = rng.uuid();
    this.country = rng.weighted(COUNTRIES);
    this.ethnicity = rng.weighted(ETHNICITIES[this.country]);
    this.departureYear = rng.weighted([
      [2013, 20],
      [2014, 40],
      [2015, 30],
      [2016, 10],
    ]);
  }

  /** Picks the return flight (and so the case stage) for a family that came home. */
  chooseReturn(): void {
    const stage = this.rng.weighted(RETURNED_STAGES);
    const flights = RETURN_FLIGHTS[this.country].map(dayOf);
    const recent = flights.filter((d) => d >= ymd(2025, 1, 1));
    const middle = flights.filter((d) => d >= ymd(2022, 6, 1) && d < ymd(2025, 1, 1));
    const old = flights.filter((d) => d < ymd(2023, 6, 1));
    const pool = stage <= 4 ? recent : stage <= 6 ? middle : old;
    this.returnDay = this.rng.pick(pool.length > 0 ? pool : flights);
    this.baseStage = stage;
  }

  person(fields: {
    sex: Sex;
    role: PersonRole;
    ethnicity?: Ethnicity;
    given?: NameForm;
    surname: NameForm | null;
    fatherGiven: NameForm | null;
    birthDay: number;
    birthProfile: Draft['birthProfile'];
    birthPlace: string | null;
    birthPlaceIsCamp?: boolean;
    whereabouts: Whereabouts;
    detail?: string | null;
    arabicShare?: number;
  }): Draft {
    const ethnicity = fields.ethnicity ?? this.ethnicity;
    const draft: Draft = {
      id: this.rng.uuid(),
      sex: fields.sex,
      role: fields.role,
      ethnicity,
      country: ethnicity === this.ethnicity ? this.country : HOME_COUNTRY[ethnicity],
      given: fields.given ?? pickGiven(this.rng, ethnicity, fields.sex, fields.arabicShare ?? 0.04),
      surname: fields.surname,
      fatherGiven: fields.fatherGiven,
      birthDay: fields.birthDay,
      birthProfile: fields.birthProfile,
      birthPlace: fields.birthPlace,
      birthPlaceIsCamp: fields.birthPlaceIsCamp ?? false,
      whereabouts: fields.whereabouts,
      detail: fields.detail ?? null,
      flags: new Set(),
      returnee: fields.whereabouts === 'in_country' && fields.role !== 'grandmother',
      abroadCaseStage: null,
      children: [],
      extraNationality: null,
    };
    this.drafts.push(draft);
    return draft;
  }

  relate(person: Draft, related: Draft, relation: Relation, provenance: Provenance): void {
    this.relationships.push({
      id: this.rng.uuid(),
      person_id: person.id,
      related_person_id: related.id,
      relation,
      provenance,
    });
  }

  /**
   * Records one row, child → parent ("related is the mother/father of person"), as the families
   * API does; readers derive the 'child' side from it, so writing both ways lists a parent twice.
   */
  parentOf(parent: Draft, child: Draft): void {
    const provenance: Provenance =
      parent.sex === 'female'
        ? this.rng.weighted([
            ['documented', 45],
            ['dna_confirmed', 30],
            ['claimed', 25],
          ])
        : this.rng.weighted([
            ['claimed', 60],
            ['documented', 30],
            ['dna_confirmed', 10],
          ]);
    this.relate(child, parent, parent.sex === 'female' ? 'mother' : 'father', provenance);
    parent.children.push(child);
  }

  /** One symmetric 'sibling' row per pair, the elder as person (children are born oldest first). */
  siblings(children: readonly Draft[]): void {
    for (let i = 0; i < children.length; i++) {
      const a = children[i] as Draft;
      for (let j = i + 1; j < children.length; j++)
        this.relate(a, children[j] as Draft, 'sibling', 'claimed');
    }
  }

  spouses(a: Draft, b: Draft): void {
    const provenance: Provenance = this.rng.chance(0.3) ? 'documented' : 'claimed';
    // Symmetric: one row per couple, read from both sides.
    this.relate(a, b, 'spouse', provenance);
  }

  // ---- Family members ---------------------------------------------------------------------

  /** Birth days of a sibling group, oldest first; most born in Syria, Iraq or the camps. */
  childBirthDays(count: number): number[] {
    let year = this.rng.weighted([
      [2006, 2],
      [2008, 4],
      [2010, 8],
      [2012, 14],
      [2013, 16],
      [2014, 18],
      [2015, 18],
      [2016, 12],
      [2017, 8],
    ]);
    const days: number[] = [];
    for (let i = 0; i < count && year <= 2021; i++) {
      days.push(randomDayIn(this.rng, year));
      year += this.rng.weighted([
        [1, 45],
        [2, 40],
        [3, 15],
      ]);
    }
    return days;
  }

  childBirthPlace(birthDay: number): { place: string; camp: boolean } {
    const year = yearOf(birthDay);
    if (year < this.departureYear || (year === this.departureYear && this.rng.chance(0.5))) {
      return { place: this.rng.pick(HOME_TOWNS[this.country]), camp: false };
    }
    if (year <= 2018) return { place: this.rng.pick(CONFLICT_TOWNS), camp: false };
    if (year === 2019 && this.rng.chance(0.4)) return { place: 'al-Baghuz, Syria', camp: false };
    return { place: this.rng.pick(CAMPS), camp: true };
  }

  /** A woman whose oldest child was born on `eldestBirthDay` (18–27 years after her own birth). */
  woman(role: PersonRole, eldestBirthDay: number | null, whereabouts: Whereabouts): Draft {
    const year =
      eldestBirthDay === null ? this.rng.int(1978, 1999) : yearOf(eldestBirthDay) - this.rng.int(18, 27);
    const abroad = whereabouts !== 'in_country';
    return this.person({
      sex: 'female',
      role,
      surname: pickSurname(this.rng, this.ethnicity),
      fatherGiven: pickGiven(this.rng, this.ethnicity, 'male', 0),
      birthDay: randomDayIn(this.rng, year),
      birthProfile: abroad ? (whereabouts === 'camp' ? 'camp' : 'hearsay') : 'document',
      birthPlace: this.rng.pick(HOME_TOWNS[this.country]),
      whereabouts,
      detail: this.whereaboutsDetail(whereabouts, 'female'),
      arabicShare: this.ethnicity === 'russian' ? 0 : 0.04,
    });
  }

  /** A husband and father: mostly detained, dead or missing abroad. */
  man(wife: Draft | null, whereabouts: Whereabouts): Draft {
    const ethnicity = this.rng.chance(0.7)
      ? this.ethnicity
      : this.rng.weighted(ETHNICITIES[this.rng.weighted(COUNTRIES)]);
    const kunyaOnly = whereabouts !== 'in_country' && this.rng.chance(whereabouts === 'unknown' ? 0.4 : 0.12);
    const wifeYear = wife ? yearOf(wife.birthDay) : this.rng.int(1978, 1996);
    return this.person({
      sex: 'male',
      role: 'father',
      ethnicity,
      surname: kunyaOnly ? null : pickSurname(this.rng, ethnicity),
      fatherGiven: kunyaOnly ? null : pickGiven(this.rng, ethnicity, 'male', 0),
      birthDay: randomDayIn(this.rng, wifeYear - this.rng.int(-2, 12)),
      birthProfile: whereabouts === 'in_country' ? 'document' : 'hearsay',
      birthPlace: this.rng.chance(0.8) ? this.rng.pick(HOME_TOWNS[HOME_COUNTRY[ethnicity]]) : null,
      whereabouts,
      detail: this.whereaboutsDetail(whereabouts, 'male'),
    });
  }

  fatherWhereabouts(): Whereabouts {
    return this.rng.weighted([
      ['deceased', 45],
      ['detention', 30],
      ['unknown', 20],
      ['abroad_other', 5],
    ]);
  }

  whereaboutsDetail(whereabouts: Whereabouts, sex: Sex): string | null {
    switch (whereabouts) {
      case 'in_country':
        return null;
      case 'camp':
        return this.rng.weighted([
          ['al-Hol camp, Syria', 70],
          ['Roj camp, Syria', 30],
        ]);
      case 'detention':
        return sex === 'male' || this.rng.chance(0.5) ? this.rng.pick(DETENTION_PLACES) : 'prison, Iraq';
      case 'abroad_other':
        return this.rng.pick(['Turkey', 'Idlib, Syria', 'Iraq']);
      case 'deceased': {
        const place = this.rng.pick([...CONFLICT_TOWNS, 'al-Baghuz, Syria', 'al-Hol camp, Syria']);
        return `died in ${place}, ${this.rng.int(2015, 2019)}`;
      }
      case 'unknown': {
        const place = this.rng.pick([...CONFLICT_TOWNS, 'al-Baghuz, Syria']);
        return `last seen in ${place}, ${this.rng.int(2016, 2019)}`;
      }
    }
  }

  /** Children of one mother (and up to two fathers, one after the other's death). */
  children(
    count: number,
    mother: Draft | null,
    fathers: readonly (Draft | null)[],
    whereabouts: Whereabouts,
    birthDays: number[] = this.childBirthDays(count),
  ): Draft[] {
    const result: Draft[] = [];
    const split = fathers.length > 1 ? this.rng.int(1, Math.max(1, birthDays.length - 1)) : birthDays.length;
    birthDays.forEach((birthDay, i) => {
      const father = fathers[i < split ? 0 : 1] ?? null;
      const sex: Sex = this.rng.chance(0.51) ? 'male' : 'female';
      const where = this.childBirthPlace(birthDay);
      const bornAbroad = !where.place.endsWith(this.countryName());
      const surnameSource = father?.surname ?? mother?.surname ?? pickSurname(this.rng, this.ethnicity);
      const useFatherGiven = father?.surname && father.ethnicity !== 'russian' && this.rng.chance(0.12);
      const child = this.person({
        sex,
        role: 'child',
        ethnicity: father?.surname ? father.ethnicity : (mother?.ethnicity ?? this.ethnicity),
        surname: useFatherGiven && father ? surnameFromGiven(father.given) : surnameSource,
        fatherGiven: father?.surname ? father.given : null,
        birthDay,
        birthProfile: whereabouts === 'in_country' ? (bornAbroad ? 'camp' : 'document') : 'camp',
        birthPlace: where.place,
        birthPlaceIsCamp: where.camp,
        whereabouts,
        detail: this.whereaboutsDetail(whereabouts, sex),
        arabicShare: bornAbroad ? 0.75 : 0.15,
      });
      // A child's nationality follows the mother's State in these operations.
      child.country = this.country;
      if (father?.surname && father.country !== this.country && this.rng.chance(0.3)) {
        child.extraNationality = father.country;
      }
      if (mother) this.parentOf(mother, child);
      if (father) this.parentOf(father, child);
      result.push(child);
    });
    return result;
  }

  countryName(): string {
    return HOME_TOWNS[this.country][0]?.split(', ')[1] ?? '';
  }

  grandmother(mother: Draft | null, eldestChild: Draft): Draft {
    const base = mother ? yearOf(mother.birthDay) : yearOf(eldestChild.birthDay) - 24;
    const grandmother = this.person({
      sex: 'female',
      role: 'grandmother',
      surname: mother?.surname ?? pickSurname(this.rng, this.ethnicity),
      fatherGiven: pickGiven(this.rng, this.ethnicity, 'male', 0),
      birthDay: randomDayIn(this.rng, base - this.rng.int(19, 28)),
      birthProfile: 'document',
      birthPlace: this.rng.pick(HOME_TOWNS[this.country]),
      whereabouts: 'in_country',
      detail: 'resident, never left; kinship carer',
      arabicShare: 0,
    });
    if (mother) {
      this.relate(mother, grandmother, 'mother', 'documented');
    }
    return grandmother;
  }

  addChildFlags(child: Draft): void {
    const age = ageOn(child.birthDay, this.returnDay || REFERENCE_DAY);
    if (this.rng.chance(0.05)) child.flags.add('disability');
    if (age >= 12 && this.rng.chance(0.04)) child.flags.add('trafficking_indicators');
    if (age >= 12 && this.rng.chance(0.02)) child.flags.add('witness');
  }

  addAdultFlags(adult: Draft): void {
    if (adult.sex === 'female') {
      const eldest = adult.children[0];
      const marriedYoung = eldest !== undefined && ageOn(adult.birthDay, eldest.birthDay) < 19;
      if (this.rng.chance(marriedYoung ? 0.45 : 0.15)) adult.flags.add('trafficking_indicators');
      const age = ageOn(adult.birthDay, REFERENCE_DAY);
      if (age < 42 && this.rng.chance(0.04)) adult.flags.add('pregnant');
      if (this.rng.chance(0.06)) adult.flags.add('witness');
      if (this.rng.chance(0.03)) adult.flags.add('disability');
    } else {
      if (this.rng.chance(0.03)) adult.flags.add('trafficking_indicators');
      if (this.rng.chance(0.1)) adult.flags.add('witness');
      if (this.rng.chance(0.08)) adult.flags.add('disability');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Family shapes.

function generateFamily(seed: number, index: number): GeneratedFamily {
  const rng = new Random(seed, index, 0x486f6d65);
  const f = new FamilyBuilder(rng);
  const kind = rng.weighted(FAMILY_KINDS);
  if (kind !== 'still_abroad') f.chooseReturn();
  switch (kind) {
    case 'mother_with_children':
      motherWithChildren(f);
      break;
    case 'returned_couple':
      returnedCouple(f);
      break;
    case 'orphans':
      orphans(f);
      break;
    case 'unaccompanied':
      unaccompanied(f);
      break;
    case 'with_relative':
      withRelative(f);
      break;
    case 'lone_woman':
      loneWoman(f);
      break;
    case 'lone_man':
      loneMan(f);
      break;
    case 'still_abroad':
      stillAbroad(f);
      break;
  }
  return writeFamily(f, seed, index, kind);
}

function fathersFor(f: FamilyBuilder, mother: Draft, childCount: number): (Draft | null)[] {
  // Some fathers are not recorded at all; some mothers had a second husband after the first died.
  if (!f.rng.chance(0.82)) return [null];
  const first = f.man(mother, childCount > 1 && f.rng.chance(0.15) ? 'deceased' : f.fatherWhereabouts());
  f.spouses(mother, first);
  if (childCount > 1 && first.whereabouts === 'deceased' && f.rng.chance(0.35)) {
    const second = f.man(mother, f.fatherWhereabouts());
    f.spouses(mother, second);
    return [first, second];
  }
  return [first];
}

function motherWithChildren(f: FamilyBuilder): void {
  const birthDays = f.childBirthDays(f.rng.weighted(CHILD_COUNTS));
  const mother = f.woman('mother', birthDays[0] ?? null, 'in_country');
  const fathers = fathersFor(f, mother, birthDays.length);
  const children = f.children(birthDays.length, mother, fathers, 'in_country', birthDays);
  // An older son may still be held in a detention centre for boys; a child may have died in the camp.
  const eldest = children[0];
  if (eldest && eldest.sex === 'male' && ageOn(eldest.birthDay, f.returnDay) >= 12 && f.rng.chance(0.25)) {
    eldest.whereabouts = 'detention';
    eldest.detail = 'rehabilitation centre for boys, north-east Syria';
    eldest.returnee = false;
    eldest.flags.add('separated');
    if (f.rng.chance(0.6)) eldest.abroadCaseStage = f.rng.int(0, 1);
  }
  const youngest = children[children.length - 1];
  if (children.length > 2 && youngest && f.rng.chance(0.06)) {
    youngest.whereabouts = 'deceased';
    youngest.detail = `died in al-Hol camp, ${Math.max(2019, yearOf(youngest.birthDay))}`;
    youngest.returnee = false;
  }
  f.siblings(children);
  if (f.rng.chance(0.08)) {
    const sister = f.woman('aunt', null, f.rng.chance(0.7) ? 'camp' : 'detention');
    sister.surname = mother.surname;
    sister.fatherGiven = mother.fatherGiven;
    f.relate(mother, sister, 'sibling', 'claimed');
    if (f.rng.chance(0.5)) sister.abroadCaseStage = f.rng.int(0, 2);
  }
  f.addAdultFlags(mother);
  for (const child of children) if (child.returnee) f.addChildFlags(child);
}

function returnedCouple(f: FamilyBuilder): void {
  const birthDays = f.childBirthDays(f.rng.weighted(CHILD_COUNTS));
  const mother = f.woman('mother', birthDays[0] ?? null, 'in_country');
  const father = f.man(mother, 'in_country');
  father.country = f.country;
  f.spouses(mother, father);
  const children = f.children(birthDays.length, mother, [father], 'in_country', birthDays);
  f.siblings(children);
  f.addAdultFlags(mother);
  f.addAdultFlags(father);
  for (const child of children) f.addChildFlags(child);
}

/** Children whose parents died: returned without an adult, some to a grandmother's care. */
function orphans(f: FamilyBuilder): void {
  const count = f.rng.weighted([
    [1, 35],
    [2, 30],
    [3, 20],
    [4, 15],
  ]);
  const birthDays = f.childBirthDays(count);
  const mother = f.woman('mother', birthDays[0] ?? null, 'deceased');
  const father = f.rng.chance(0.8) ? f.man(mother, f.rng.chance(0.7) ? 'deceased' : 'unknown') : null;
  if (father) f.spouses(mother, father);
  const children = f.children(birthDays.length, mother, [father], 'in_country', birthDays);
  f.siblings(children);
  const guardian = f.rng.chance(0.6) && children[0] ? f.grandmother(mother, children[0]) : null;
  for (const child of children) {
    child.flags.add('orphan');
    child.flags.add('unaccompanied');
    if (guardian) f.relate(child, guardian, 'guardian', 'documented');
    f.addChildFlags(child);
  }
}

/** Children who came home without their mother, who is still in a camp, detained or missing. */
function unaccompanied(f: FamilyBuilder): void {
  const count = f.rng.weighted([
    [1, 60],
    [2, 30],
    [3, 10],
  ]);
  const birthDays = f.childBirthDays(count);
  const motherWhere = f.rng.weighted<Whereabouts>([
    ['camp', 35],
    ['detention', 25],
    ['unknown', 25],
    ['deceased', 15],
  ]);
  const mother = f.woman('mother', birthDays[0] ?? null, motherWhere);
  if ((motherWhere === 'camp' || motherWhere === 'detention') && f.rng.chance(0.6)) {
    mother.abroadCaseStage = f.rng.int(0, 2);
  }
  const father = f.rng.chance(0.7) ? f.man(mother, f.fatherWhereabouts()) : null;
  if (father) f.spouses(mother, father);
  const children = f.children(birthDays.length, mother, [father], 'in_country', birthDays);
  f.siblings(children);
  const guardian = f.rng.chance(0.4) && children[0] ? f.grandmother(mother, children[0]) : null;
  const orphaned = motherWhere === 'deceased' && (father === null || father.whereabouts === 'deceased');
  for (const child of children) {
    child.flags.add('unaccompanied');
    if (orphaned) child.flags.add('orphan');
    if (guardian) f.relate(child, guardian, 'guardian', 'documented');
    f.addChildFlags(child);
  }
}

/** Children who came home with their mother's sister, the mother being dead or detained. */
function withRelative(f: FamilyBuilder): void {
  const birthDays = f.childBirthDays(
    f.rng.weighted([
      [1, 30],
      [2, 35],
      [3, 25],
      [4, 10],
    ]),
  );
  const motherWhere = f.rng.weighted<Whereabouts>([
    ['deceased', 55],
    ['detention', 30],
    ['unknown', 15],
  ]);
  const mother = f.woman('mother', birthDays[0] ?? null, motherWhere);
  const father = f.rng.chance(0.7) ? f.man(mother, f.fatherWhereabouts()) : null;
  if (father) f.spouses(mother, father);
  const aunt = f.woman('aunt', null, 'in_country');
  aunt.surname = mother.surname;
  aunt.fatherGiven = mother.fatherGiven;
  f.relate(mother, aunt, 'sibling', 'claimed');
  const children = f.children(birthDays.length, mother, [father], 'in_country', birthDays);
  f.siblings(children);
  const orphaned = motherWhere === 'deceased' && (father === null || father.whereabouts === 'deceased');
  for (const child of children) {
    child.flags.add('separated');
    if (orphaned) child.flags.add('orphan');
    f.relate(child, aunt, 'caregiver', 'claimed');
    if (f.rng.chance(0.5)) f.relate(child, aunt, 'guardian', 'documented');
    f.addChildFlags(child);
  }
  f.addAdultFlags(aunt);
}

/** A woman who came home alone: her husbands dead or detained, children not with her. */
function loneWoman(f: FamilyBuilder): void {
  const woman = f.woman('woman', null, 'in_country');
  const husbands = f.rng.weighted([
    [0, 25],
    [1, 55],
    [2, 20],
  ]);
  for (let i = 0; i < husbands; i++) f.spouses(woman, f.man(woman, f.fatherWhereabouts()));
  f.addAdultFlags(woman);
}

/** A man returned from prison abroad, usually into a justice track; his wife sometimes still abroad. */
function loneMan(f: FamilyBuilder): void {
  const man = f.man(null, 'in_country');
  man.role = 'man';
  man.country = f.country;
  if (f.rng.chance(0.4)) {
    const wife = f.woman(
      'mother',
      null,
      f.rng.weighted<Whereabouts>([
        ['camp', 60],
        ['deceased', 25],
        ['unknown', 15],
      ]),
    );
    f.spouses(man, wife);
  }
  f.addAdultFlags(man);
}

/** A mother and children still in al-Hol or Roj: identified, being verified or assessed. */
function stillAbroad(f: FamilyBuilder): void {
  const birthDays = f.childBirthDays(f.rng.weighted(CHILD_COUNTS));
  const mother = f.woman('mother', birthDays[0] ?? null, 'camp');
  const fathers = fathersFor(f, mother, birthDays.length);
  const children = f.children(birthDays.length, mother, fathers, 'camp', birthDays);
  for (const child of children) child.detail = mother.detail;
  f.siblings(children);
  if (f.rng.chance(0.7)) {
    const stage = f.rng.weighted([
      [0, 45],
      [1, 35],
      [2, 20],
    ]);
    mother.abroadCaseStage = stage;
    for (const child of children) child.abroadCaseStage = stage;
  }
  f.addAdultFlags(mother);
  for (const child of children) f.addChildFlags(child);
}

// ---------------------------------------------------------------------------------------------
// Writing drafts out as rows.

function writeFamily(f: FamilyBuilder, seed: number, index: number, kind: FamilyKind): GeneratedFamily {
  const persons = f.drafts.map((draft) => writePerson(f, draft));
  const cases: GeneratedCase[] = [];
  for (const draft of f.drafts) {
    const person = persons.find((p) => p.id === draft.id);
    if (!person) continue;
    const kase = draft.returnee
      ? returnedCase(f, draft, person)
      : draft.abroadCaseStage !== null
        ? abroadCase(f, draft, draft.abroadCaseStage)
        : null;
    if (kase) cases.push(kase);
  }
  return {
    index,
    kind,
    country: f.country,
    familyUnit: {
      id: f.familyId,
      reference: `SYN-${seed.toString(36).toUpperCase()}-${String(index + 1).padStart(7, '0')}`,
      members: persons.map((p) => p.id),
    },
    persons,
    relationships: f.relationships,
    cases,
  };
}

function writePerson(f: FamilyBuilder, draft: Draft): GeneratedPerson {
  const birth = recordBirth(f.rng, draft.birthDay, draft.birthProfile);
  const nationalities: GeneratedNationality[] = [];
  const verified = draft.returnee || draft.role === 'grandmother';
  nationalities.push({
    id: f.rng.uuid(),
    person_id: draft.id,
    country: draft.country,
    status: verified && (draft.role !== 'child' || f.rng.chance(0.9)) ? 'verified' : 'claimed',
  });
  if (draft.extraNationality && draft.extraNationality !== draft.country) {
    nationalities.push({
      id: f.rng.uuid(),
      person_id: draft.id,
      country: draft.extraNationality,
      status: 'claimed',
    });
  } else if (!draft.returnee && draft.role === 'father' && f.rng.chance(0.03)) {
    const other = f.rng.weighted(COUNTRIES.filter(([c]) => c !== draft.country));
    nationalities.push({ id: f.rng.uuid(), person_id: draft.id, country: other, status: 'rejected' });
  }
  return {
    id: draft.id,
    sex: draft.sex,
    ...birth,
    place_of_birth: draft.birthPlace,
    place_of_birth_is_camp: draft.birthPlaceIsCamp,
    whereabouts: draft.whereabouts,
    whereabouts_detail: draft.detail,
    flags: [...draft.flags].sort(),
    role: draft.role,
    returnee: draft.returnee,
    names: writeNames(f, draft),
    nationalities,
  };
}

/** Camp and hearsay dates are approximate: a year, a range, a 1 January placeholder, or nothing. */
function recordBirth(
  rng: Random,
  trueDay: number,
  profile: Draft['birthProfile'],
): Pick<GeneratedPerson, 'birth_date_kind' | 'birth_date_from' | 'birth_date_to'> {
  const weights: readonly (readonly [string, number])[] =
    profile === 'document'
      ? [
          ['exact', 76],
          ['year', 10],
          ['jan1', 10],
          ['range', 4],
        ]
      : profile === 'camp'
        ? [
            ['exact', 35],
            ['year', 25],
            ['jan1', 20],
            ['range', 20],
          ]
        : [
            ['year', 45],
            ['range', 25],
            ['unknown', 30],
          ];
  const choice = rng.weighted(weights);
  // An age given at registration puts some years off by one.
  const year = yearOf(trueDay) + (choice === 'year' && rng.chance(0.1) ? rng.pick([-1, 1]) : 0);
  switch (choice) {
    case 'exact':
      return { birth_date_kind: 'exact', birth_date_from: isoDay(trueDay), birth_date_to: isoDay(trueDay) };
    case 'jan1':
      return { birth_date_kind: 'exact', birth_date_from: `${year}-01-01`, birth_date_to: `${year}-01-01` };
    case 'year':
      return { birth_date_kind: 'year', birth_date_from: `${year}-01-01`, birth_date_to: `${year}-12-31` };
    case 'range':
      return {
        birth_date_kind: 'range',
        birth_date_from: isoDay(trueDay - rng.int(30, 365)),
        birth_date_to: isoDay(Math.min(trueDay + rng.int(30, 365), REFERENCE_DAY)),
      };
    default:
      return { birth_date_kind: 'unknown', birth_date_from: null, birth_date_to: null };
  }
}

function returnedCase(f: FamilyBuilder, draft: Draft, person: GeneratedPerson): GeneratedCase {
  const rng = f.rng;
  const isChild = ageOn(draft.birthDay, REFERENCE_DAY) < 18;
  let stage = f.baseStage;
  if (stage >= 5 && rng.chance(0.25)) stage = Math.min(10, Math.max(5, stage + rng.pick([-1, 1])));
  // The justice decision stage applies to adults; children go from assessment to rehabilitation.
  if (isChild && stage === 6) stage = rng.chance(0.5) ? 5 : 7;
  const identifiedDay = f.returnDay - rng.int(60, 400);
  const closed = stage === 10;
  const closedDay = closed ? Math.min(REFERENCE_DAY - 1, f.returnDay + rng.int(540, 1500)) : null;
  // Justice only for adults by their latest possible date of birth: never a child, whatever the floor.
  const latestBirth = person.birth_date_to ? dayOf(person.birth_date_to) : draft.birthDay;
  const adult = ageOn(latestBirth, REFERENCE_DAY) >= 18 && draft.role !== 'child';
  const tracks: GeneratedCase['tracks'] = [];
  const trackStatus = (track: Track): string => {
    if (closed) return 'closed';
    if (track === 'justice') {
      if (stage < 6) return 'pending';
      if (draft.flags.has('trafficking_indicators') && rng.chance(0.5)) {
        return rng.pick(['non_punishment_review', 'recognised_victim']);
      }
      return rng.weighted([
        ['investigation', 20],
        ['charged', 15],
        ['diverted', 20],
        ['no_case', 25],
        ['convicted', 12],
        ['acquitted', 3],
        ['recognised_victim', 5],
      ]);
    }
    return stage >= 9 ? 'monitoring' : 'active';
  };
  const wants = (track: Track, probability: number): void => {
    if (rng.chance(probability)) tracks.push({ track, status: trackStatus(track) });
  };
  if (!adult) {
    wants('protection', 0.97);
    wants('health', 0.45);
  } else if (draft.sex === 'female') {
    wants('protection', 0.85);
    wants('health', 0.35);
    wants('justice', 0.25);
    wants('security', 0.3);
  } else {
    wants('protection', 0.4);
    wants('health', 0.25);
    wants('justice', 0.85);
    wants('security', 0.8);
  }
  if (tracks.length === 0) tracks.push({ track: 'protection', status: trackStatus('protection') });
  return {
    id: rng.uuid(),
    person_id: draft.id,
    family_unit_id: f.familyId,
    stage,
    status: closed ? 'closed' : 'open',
    opened_at: isoInstant(identifiedDay, rng),
    closed_at: closedDay === null ? null : isoInstant(closedDay, rng),
    close_reason: closed
      ? rng.weighted([
          ['goals_met', 60],
          ['transferred_to_mainstream_services', 40],
        ])
      : null,
    tracks,
  };
}

function abroadCase(f: FamilyBuilder, draft: Draft, stage: number): GeneratedCase {
  const rng = f.rng;
  const adult = draft.role !== 'child' && ageOn(draft.birthDay, REFERENCE_DAY) >= 18;
  const tracks: GeneratedCase['tracks'] = [{ track: 'protection', status: 'active' }];
  if (adult && rng.chance(0.4)) tracks.push({ track: 'security', status: 'active' });
  return {
    id: rng.uuid(),
    person_id: draft.id,
    family_unit_id: f.familyId,
    stage,
    status: 'open',
    opened_at: isoInstant(REFERENCE_DAY - rng.int(30, 5 * 365), rng),
    closed_at: null,
    close_reason: null,
    tracks,
  };
}

// ---------------------------------------------------------------------------------------------
// Names: every way the same person is written.

interface NameParts {
  given: string;
  family: string | null;
  patronymic: string | null;
}

function writeNames(f: FamilyBuilder, draft: Draft): GeneratedName[] {
  const rng = f.rng;
  const names: GeneratedName[] = [];
  const returned = draft.returnee || draft.role === 'grandmother';
  const afterReturn = (): string =>
    isoDay(Math.min(REFERENCE_DAY, (f.returnDay || REFERENCE_DAY - 400) + rng.int(1, 120)));
  const campYears = (): string => isoDay(ymd(2019, 3, 1) + rng.int(0, 1000));
  const add = (
    parts: NameParts,
    fullName: string,
    script: GeneratedName['script'],
    nameType: GeneratedName['name_type'],
    source: NameSource,
    romanisation: Romanisation | null,
    language: string | null,
    recordedOn: string,
  ): void => {
    names.push({
      id: rng.uuid(),
      person_id: draft.id,
      full_name: fullName.slice(0, 300),
      given_name: parts.given || null,
      family_name: parts.family,
      patronymic: parts.patronymic,
      script,
      language,
      name_type: nameType,
      source,
      romanisation,
      recorded_on: recordedOn,
      is_display: false,
    });
  };

  const kunya = kunyaOf(rng, draft);
  if (draft.surname === null) {
    // Known only by a kunya: the name the others in the camp used.
    if (kunya) {
      add(
        { given: kunya.latin, family: null, patronymic: null },
        kunya.latin,
        'latin',
        'kunya',
        'testimony',
        null,
        'ar',
        afterReturn(),
      );
      add(
        { given: kunya.arabic, family: null, patronymic: null },
        kunya.arabic,
        'arabic',
        'kunya',
        'testimony',
        null,
        'ar',
        afterReturn(),
      );
    }
    if (names.length === 0) {
      const given = latinGiven(rng, draft.given);
      add(
        { given, family: null, patronymic: null },
        given,
        'latin',
        'primary',
        'testimony',
        null,
        null,
        afterReturn(),
      );
    }
    names[0]!.is_display = true;
    return names;
  }

  const surnameRu = gendered(draft.surname.ru, draft.sex);
  const surnameNat =
    draft.ethnicity === 'tajik' && rng.chance(0.35)
      ? zodaForm(draft.surname.nat)
      : gendered(draft.surname.nat, draft.sex);
  const patronymicRu = draft.fatherGiven ? russianPatronymic(draft.fatherGiven.ru, draft.sex) : null;
  const cyr: NameParts = { given: draft.given.ru, family: surnameRu, patronymic: patronymicRu };

  // 1. Cyrillic, as the civil registry (or, for those abroad, a relative's testimony) has it.
  const cyrFull = [cyr.family, cyr.given, cyr.patronymic].filter(Boolean).join(' ');
  add(
    cyr,
    cyrFull,
    'cyrillic',
    'primary',
    returned ? 'civil_registry' : 'testimony',
    null,
    'ru',
    returned ? afterReturn() : campYears(),
  );
  names[0]!.is_display = true;

  // 2. The national-language Cyrillic form, when it differs.
  const natPatronymic = draft.fatherGiven
    ? (nationalPatronymic(draft.ethnicity, draft.fatherGiven.nat, draft.sex) ?? patronymicRu)
    : null;
  const nat: NameParts = { given: draft.given.nat, family: surnameNat, patronymic: natPatronymic };
  const natFull = [nat.family, nat.given, nat.patronymic].filter(Boolean).join(' ');
  if (returned && natFull !== cyrFull && rng.chance(0.6)) {
    add(
      nat,
      natFull,
      'cyrillic',
      'variant',
      'civil_registry',
      null,
      nationalLanguage(draft.ethnicity),
      afterReturn(),
    );
  }

  const latinOf = (parts: NameParts, scheme: Romanisation): NameParts => ({
    given: romanise(parts.given, scheme),
    family: parts.family === null ? null : romanise(parts.family, scheme),
    patronymic: parts.patronymic === null ? null : romanise(parts.patronymic, scheme),
  });

  // 3. The passport, machine-readable zone style: SURNAME GIVEN.
  const hasPassport = returned && (draft.role !== 'child' || rng.chance(0.5));
  if (hasPassport) {
    const adultPassport = draft.role !== 'child' && ageOn(draft.birthDay, ymd(2010, 1, 1)) >= 16;
    const scheme: Romanisation =
      adultPassport && rng.chance(0.35)
        ? draft.country === 'RU'
          ? rng.pick(['ru_passport_1997', 'ru_passport_2010'] as const)
          : 'ru_passport_1997'
        : 'icao_9303';
    const source = rng.chance(0.8) ? 'passport' : 'id_card';
    const p = latinOf(rng.chance(0.5) ? nat : cyr, scheme);
    const issued =
      adultPassport && scheme !== 'icao_9303' ? isoDay(ymd(2006, 1, 1) + rng.int(0, 2500)) : afterReturn();
    add(
      { ...p, patronymic: null },
      `${p.family ?? ''} ${p.given}`.trim().toUpperCase(),
      'latin',
      'document',
      source,
      scheme,
      null,
      issued,
    );
  }

  // 4. National Latin spellings: Kazakh Latin 2021, Uzbek Latin with oʻ gʻ, Tajik -zoda, Kyrgyz.
  const national = nationalScheme(draft.ethnicity);
  if (national && (returned ? rng.chance(0.6) : rng.chance(0.15))) {
    const base = draft.ethnicity === 'tajik' ? { ...nat, family: zodaForm(draft.surname.nat) } : nat;
    const p = latinOf(base, national);
    let full = [p.given, p.family, p.patronymic].filter(Boolean).join(' ');
    if (national === 'uzbek_latin' && rng.chance(0.4)) full = full.replace(/ʻ/g, rng.pick(["'", '`']));
    add(
      p,
      full,
      'latin',
      'variant',
      rng.pick(['ngo_list', 'self_declared'] as const),
      national,
      nationalLanguage(draft.ethnicity),
      returned ? afterReturn() : campYears(),
    );
  }

  // 5. Lists kept by NGOs and UN agencies, each in its own habits; sometimes the wrong gender form
  //    of the surname, sometimes a slip of the pen.
  const listCount = returned
    ? rng.weighted([
        [1, 45],
        [2, 40],
        [3, 15],
      ])
    : rng.weighted([
        [0, 60],
        [1, 40],
      ]);
  for (let i = 0; i < listCount; i++) {
    const scheme = rng.weighted<Romanisation>([
      ['bgn_pcgn', 30],
      ['french', 25],
      ['german', 10],
      ['ru_passport_1997', 20],
      ['icao_9303', 15],
    ]);
    const masculine = draft.sex === 'female' && rng.chance(0.1);
    const parts = latinOf({ ...cyr, family: masculine ? draft.surname.ru : cyr.family }, scheme);
    let given = draft.given.latin && rng.chance(0.5) ? rng.pick(draft.given.latin) : parts.given;
    let family = parts.family;
    if (rng.chance(0.1)) {
      if (rng.chance(0.5) && family) family = typo(rng, family);
      else given = typo(rng, given);
    }
    const full = rng.chance(0.3)
      ? `${(family ?? '').toUpperCase()}, ${given}`
      : `${given} ${family ?? ''}`.trim();
    add(
      { given, family, patronymic: null },
      full,
      'latin',
      'variant',
      rng.pick(['ngo_list', 'un_agency_list'] as const),
      scheme,
      scheme === 'french' ? 'fr' : scheme === 'german' ? 'de' : 'en',
      returned ? afterReturn() : campYears(),
    );
  }

  // 6. The camp list in Arabic script: long vowels only, sometimes the father's name as nasab.
  if (returned ? rng.chance(draft.role === 'grandmother' ? 0 : 0.85) : rng.chance(0.5)) {
    const defective = rng.chance(0.4);
    const given = arabicGiven(draft.given, defective);
    let family = toArabicScript(rng.chance(0.15) ? draft.surname.ru : surnameRu, defective);
    if (rng.chance(0.05)) family = typo(rng, family);
    const nasab =
      draft.fatherGiven && rng.chance(0.2)
        ? `${draft.sex === 'male' ? 'بن' : 'بنت'} ${arabicGiven(draft.fatherGiven, defective)}`
        : null;
    add(
      { given, family, patronymic: nasab },
      [given, nasab, family].filter(Boolean).join(' '),
      'arabic',
      'variant',
      'camp_list',
      null,
      'ar',
      campYears(),
    );
  }

  // 7. Kunya and nisba, by which adults were known in the camps.
  if (kunya && draft.role !== 'child' && rng.chance(0.7)) {
    const source = rng.pick(['testimony', 'camp_list'] as const);
    add(
      { given: kunya.latin, family: null, patronymic: null },
      kunya.latin,
      'latin',
      'kunya',
      source,
      null,
      'ar',
      campYears(),
    );
    add(
      { given: kunya.arabic, family: null, patronymic: null },
      kunya.arabic,
      'arabic',
      'kunya',
      source,
      null,
      'ar',
      campYears(),
    );
  }

  // 8. A convert's adopted Arabic name.
  if (draft.ethnicity === 'russian' && draft.role !== 'child' && !draft.given.arabic && rng.chance(0.6)) {
    const adopted = pickGiven(rng, draft.ethnicity, draft.sex, 1);
    const latin = latinGiven(rng, adopted);
    add(
      { given: latin, family: null, patronymic: null },
      latin,
      'latin',
      'alias',
      'self_declared',
      null,
      null,
      campYears(),
    );
  }

  // Returned persons always carry at least two scripts.
  if (returned && !names.some((n) => n.script !== 'cyrillic')) {
    const p = latinOf(cyr, 'icao_9303');
    add(
      p,
      `${p.given} ${p.family ?? ''}`.trim(),
      'latin',
      'variant',
      'un_agency_list',
      'icao_9303',
      'en',
      afterReturn(),
    );
  }
  return names;
}

/** Umm/Abu + the eldest son's name (else the eldest child's, else a conventional one) + nisba. */
function kunyaOf(rng: Random, draft: Draft): { latin: string; arabic: string } | null {
  if (draft.role === 'child') return null;
  const eldestSon = draft.children.find((c) => c.sex === 'male');
  const namesake = eldestSon ?? draft.children[0];
  if (!namesake && draft.sex === 'female') return null;
  const given = namesake?.given ?? pickGiven(rng, draft.ethnicity, 'male', 1);
  const [nisbaLatin, nisbaArabic] = pickNisba(rng, draft.ethnicity);
  const female = draft.sex === 'female';
  const prefix = female
    ? rng.weighted([
        ['Umm', 60],
        ['Um', 20],
        ['Oum', 10],
        ['Umm-e', 10],
      ])
    : rng.weighted([
        ['Abu', 75],
        ['Abou', 15],
        ['Abo', 10],
      ]);
  const withNisba = rng.chance(0.6);
  const latin = `${prefix} ${latinGiven(rng, given)}${withNisba ? ` ${nisbaLatin}` : ''}`;
  const arabicPrefix = female ? 'أم' : 'أبو';
  const arabic = `${arabicPrefix} ${arabicGiven(given, false)}${withNisba ? ` ${nisbaArabic}` : ''}`;
  return { latin, arabic };
}

// ---------------------------------------------------------------------------------------------

/**
 * Cuts a family down to `max` persons for the end of the stream: relatives without a case go
 * first, then those abroad, then the youngest children; rows about removed persons go with them.
 */
function trimFamily(family: GeneratedFamily, max: number): GeneratedFamily {
  const withCase = new Set(family.cases.map((c) => c.person_id));
  const priority = (p: GeneratedPerson): number =>
    p.returnee ? (p.role === 'child' ? 1 : 0) : withCase.has(p.id) ? 2 : 3;
  const kept = new Set(
    family.persons
      .map((p, i) => ({ p, i }))
      .sort((a, b) => priority(a.p) - priority(b.p) || a.i - b.i)
      .slice(0, max)
      .map(({ p }) => p.id),
  );
  const persons = family.persons.filter((p) => kept.has(p.id));
  return {
    ...family,
    familyUnit: { ...family.familyUnit, members: persons.map((p) => p.id) },
    persons,
    relationships: family.relationships.filter((r) => kept.has(r.person_id) && kept.has(r.related_person_id)),
    cases: family.cases.filter((c) => kept.has(c.person_id)),
  };
}
