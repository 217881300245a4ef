import { api, call } from '../../api/client.ts';
import type { paths } from '../../api/schema.d.ts';

/**
 * The registration wizard's draft and how it becomes the API's bodies. The draft lives in memory
 * only (never in web storage): it holds personal data.
 */
type BodyOf<T> = T extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type IntakeBody = BodyOf<paths['/api/cases/intake']['post']>;
export type CreatePersonBody = BodyOf<paths['/api/persons']['post']>;
export type RelationshipBody = BodyOf<paths['/api/persons/{id}/relationships']['post']>;
export type FamilyMemberBody = NonNullable<IntakeBody['family']>[number];
export type DuplicateRequest = BodyOf<paths['/api/identity/duplicates']['post']>;
export type PersonRecord = DuplicateRequest['person'];
export type DuplicateResponse = JsonOf<paths['/api/identity/duplicates']['post']['responses'][200]>;
export type Candidate = DuplicateResponse['results'][number];
export type CaseDetail = JsonOf<paths['/api/cases/intake']['post']['responses'][201]>;

type NameInput = CreatePersonBody['names'][number];
export type Sex = CreatePersonBody['sex'];
export type Script = NameInput['script'];
export type NameType = NameInput['nameType'];
export type NameSource = NameInput['source'];
export type Whereabouts = NonNullable<CreatePersonBody['whereabouts']>;
export type Flag = NonNullable<CreatePersonBody['flags']>[number];
export type NationalityStatus = NonNullable<CreatePersonBody['nationalities']>[number]['status'];
export type Relation = RelationshipBody['relation'];
export type Provenance = RelationshipBody['provenance'];

export const SEXES: Sex[] = ['female', 'male', 'unknown'];
export const SCRIPTS: Script[] = ['cyrillic', 'latin', 'arabic', 'other'];
export const NAME_TYPES: NameType[] = ['primary', 'variant', 'alias', 'kunya', 'nisba', 'maiden', 'document'];
export const NAME_SOURCES: NameSource[] = [
  'passport',
  'id_card',
  'birth_certificate',
  'civil_registry',
  'camp_list',
  'ngo_list',
  'un_agency_list',
  'testimony',
  'self_declared',
  'other',
];
export const WHEREABOUTS: Whereabouts[] = [
  'in_country',
  'camp',
  'detention',
  'abroad_other',
  'deceased',
  'unknown',
];
export const FLAGS: Flag[] = [
  'unaccompanied',
  'separated',
  'orphan',
  'disability',
  'pregnant',
  'trafficking_indicators',
  'witness',
];
export const NATIONALITY_STATUSES: NationalityStatus[] = ['claimed', 'verified', 'rejected'];
export const RELATIONS: Relation[] = [
  'mother',
  'father',
  'child',
  'spouse',
  'sibling',
  'guardian',
  'caregiver',
];
export const PROVENANCES: Provenance[] = ['claimed', 'documented', 'dna_confirmed'];
export const ROMANISATIONS = [
  'icao_9303',
  'bgn_pcgn',
  'kazakh_latin_2021',
  'uzbek_latin_1995',
  'iso_9',
  'din_31635',
];
export const STAGES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/** Member whereabouts may also say "with the person": the main person's whereabouts then. */
export type MemberWhereabouts = Whereabouts | 'with_person';

export interface NameDraft {
  key: string;
  fullName: string;
  givenName: string;
  familyName: string;
  patronymic: string;
  script: Script;
  /** The script follows the text until the user chooses one. */
  scriptAuto: boolean;
  language: string;
  nameType: NameType;
  source: NameSource;
  romanisation: string;
}

export type BirthKind = 'exact' | 'year' | 'range' | 'unknown';
export interface BirthDraft {
  kind: BirthKind;
  date: string;
  year: string;
  from: string;
  to: string;
}

export interface PersonDraft {
  names: NameDraft[];
  displayKey: string;
  sex: Sex | '';
  birth: BirthDraft;
  placeOfBirth: string;
  placeOfBirthIsCamp: boolean;
  whereabouts: Whereabouts;
  whereaboutsDetail: string;
  flags: Flag[];
  nationalities: { key: string; country: string; status: NationalityStatus }[];
  /** Candidates the user said are not this person. */
  dismissed: string[];
}

export interface MemberDraft {
  key: string;
  names: NameDraft[];
  displayKey: string;
  sex: Sex | '';
  birth: BirthDraft;
  relation: Relation | '';
  provenance: Provenance;
  whereabouts: MemberWhereabouts;
  dismissed: string[];
  /** "This is the same person": link this existing person instead of creating one. */
  existing: { personId: string; displayName: string } | null;
}

export interface Draft {
  person: PersonDraft;
  members: MemberDraft[];
  stage: number;
}

let counter = 0;
export const newKey = (prefix: string) => `${prefix}${++counter}`;

export function emptyName(nameType: NameType = 'primary'): NameDraft {
  return {
    key: newKey('n'),
    fullName: '',
    givenName: '',
    familyName: '',
    patronymic: '',
    script: 'latin',
    scriptAuto: true,
    language: '',
    nameType,
    source: 'self_declared',
    romanisation: '',
  };
}

const emptyBirth = (): BirthDraft => ({ kind: 'exact', date: '', year: '', from: '', to: '' });

export function emptyDraft(): Draft {
  const name = emptyName();
  return {
    person: {
      names: [name],
      displayKey: name.key,
      sex: '',
      birth: emptyBirth(),
      placeOfBirth: '',
      placeOfBirthIsCamp: false,
      whereabouts: 'camp',
      whereaboutsDetail: '',
      flags: [],
      nationalities: [],
      dismissed: [],
    },
    members: [],
    stage: 0,
  };
}

export function emptyMember(): MemberDraft {
  const name = emptyName();
  return {
    key: newKey('m'),
    names: [name],
    displayKey: name.key,
    sex: '',
    birth: emptyBirth(),
    relation: '',
    provenance: 'claimed',
    whereabouts: 'with_person',
    dismissed: [],
    existing: null,
  };
}

/** The script most of the letters are written in. */
export function detectScript(text: string): Script {
  const counts: Record<Script, number> = { cyrillic: 0, latin: 0, arabic: 0, other: 0 };
  for (const ch of text) {
    if (/\p{Script=Cyrillic}/u.test(ch)) counts.cyrillic++;
    else if (/\p{Script=Latin}/u.test(ch)) counts.latin++;
    else if (/\p{Script=Arabic}/u.test(ch)) counts.arabic++;
    else if (/\p{L}/u.test(ch)) counts.other++;
  }
  const best = (Object.entries(counts) as [Script, number][]).sort((a, b) => b[1] - a[1])[0];
  return best && best[1] > 0 ? best[0] : 'latin';
}

export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function ageOn(birth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birth.slice(0, 4));
  return day.slice(5) < birth.slice(5) ? years - 1 : years;
}

const isIsoDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

/** The earliest and latest possible dates of birth, when the draft gives them. */
export function birthBounds(birth: BirthDraft): { from: string; to: string } | null {
  if (birth.kind === 'exact' && isIsoDate(birth.date)) return { from: birth.date, to: birth.date };
  if (birth.kind === 'year' && /^\d{4}$/.test(birth.year))
    return { from: `${birth.year}-01-01`, to: `${birth.year}-12-31` };
  if (birth.kind === 'range' && isIsoDate(birth.from) && isIsoDate(birth.to) && birth.from <= birth.to) {
    return { from: birth.from, to: birth.to };
  }
  return null;
}

/** Youngest and oldest possible age today (as the server derives it). */
export function derivedAge(
  birth: BirthDraft,
  today = todayIso(),
): { youngest: number; oldest: number } | null {
  const bounds = birthBounds(birth);
  if (!bounds || bounds.from > today) return null;
  // ISO dates compare as strings (Math.min would not).
  // biome-ignore lint/complexity/useMathMinMax: strings, not numbers
  const latest = bounds.to > today ? today : bounds.to;
  return { youngest: Math.max(0, ageOn(latest, today)), oldest: Math.max(0, ageOn(bounds.from, today)) };
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

function birthBody(birth: BirthDraft): CreatePersonBody['birthDate'] {
  switch (birth.kind) {
    case 'exact':
      return { kind: 'exact', date: birth.date };
    case 'year':
      return { kind: 'year', year: Number(birth.year) };
    case 'range':
      return { kind: 'range', from: birth.from, to: birth.to };
    default:
      return { kind: 'unknown' };
  }
}

function namesBody(names: NameDraft[], displayKey: string): NameInput[] {
  return names.map((n) => ({
    fullName: n.fullName.trim(),
    givenName: orNull(n.givenName),
    familyName: orNull(n.familyName),
    patronymic: orNull(n.patronymic),
    script: n.script,
    language: orNull(n.language),
    nameType: n.nameType,
    source: n.source,
    romanisation: n.script === 'latin' ? orNull(n.romanisation) : null,
    isDisplay: n.key === displayKey,
  }));
}

/**
 * A member "with the person" (or in the country, or in the camp) gets a case of their own in the
 * family; a relative who is dead, detained, abroad or missing, and an existing person, do not.
 */
export function memberOpensCase(member: MemberDraft): boolean {
  if (member.existing) return false;
  return ['with_person', 'in_country', 'camp'].includes(member.whereabouts);
}

export function familyBody(draft: Draft): FamilyMemberBody[] {
  return draft.members.map((m) => {
    const link = { relation: m.relation as Relation, provenance: m.provenance, openCase: memberOpensCase(m) };
    return m.existing
      ? { existingPersonId: m.existing.personId, ...link }
      : { person: memberBody(m, draft.person), ...link };
  });
}

/** The one intake request: the person, their case, and the whole family, written in one transaction. */
export function intakeBody(draft: Draft): IntakeBody {
  const p = draft.person;
  return {
    person: {
      sex: p.sex as Sex,
      birthDate: birthBody(p.birth),
      placeOfBirth: orNull(p.placeOfBirth),
      placeOfBirthIsCamp: p.placeOfBirthIsCamp,
      whereabouts: p.whereabouts,
      whereaboutsDetail: orNull(p.whereaboutsDetail),
      flags: p.flags,
      names: namesBody(p.names, p.displayKey),
      nationalities: p.nationalities.map((n) => ({
        country: n.country.trim().toUpperCase(),
        status: n.status,
      })),
      documents: [],
    },
    familyUnitId: null,
    stage: draft.stage,
    family: familyBody(draft),
  };
}

export function memberBody(member: MemberDraft, person: PersonDraft): CreatePersonBody {
  return {
    sex: member.sex as Sex,
    birthDate: birthBody(member.birth),
    placeOfBirth: null,
    placeOfBirthIsCamp: false,
    whereabouts: member.whereabouts === 'with_person' ? person.whereabouts : member.whereabouts,
    whereaboutsDetail: null,
    flags: [],
    names: namesBody(member.names, member.displayKey),
    nationalities: [],
    documents: [],
  };
}

const SEX_CODE: Record<Sex, string> = { female: 'F', male: 'M', unknown: 'U' };

/**
 * What the duplicate check is asked about: the display name, the other names as aliases, sex and
 * date of birth (a range only when it falls within one year). Null until a name is typed.
 */
export function duplicateRecord(
  names: NameDraft[],
  displayKey: string,
  sex: Sex | '',
  birth: BirthDraft,
  extra: Partial<PersonRecord> = {},
): PersonRecord | null {
  const filled = names.filter((n) => n.fullName.trim().length >= 2);
  const main = filled.find((n) => n.key === displayKey) ?? filled[0];
  if (!main) return null;
  const record: PersonRecord = { full_name: main.fullName.trim(), ...extra };
  const aliases = filled.filter((n) => n !== main).map((n) => n.fullName.trim());
  if (aliases.length > 0) record.aliases = aliases;
  if (main.givenName.trim()) record.given_name = main.givenName.trim();
  if (main.familyName.trim()) record.family_name = main.familyName.trim();
  if (main.patronymic.trim()) record.patronymic = main.patronymic.trim();
  if (sex) record.sex = SEX_CODE[sex];
  const bounds = birthBounds(birth);
  if (bounds) {
    if (bounds.from === bounds.to) record.date_of_birth = bounds.from;
    else if (bounds.from.slice(0, 4) === bounds.to.slice(0, 4))
      record.date_of_birth = bounds.from.slice(0, 4);
  }
  return record;
}

export async function checkDuplicates(person: PersonRecord, signal: AbortSignal): Promise<DuplicateResponse> {
  return call(api.POST('/api/identity/duplicates', { body: { person }, signal }));
}

export async function submitIntake(body: IntakeBody): Promise<CaseDetail> {
  return call(api.POST('/api/cases/intake', { body }));
}
