import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import type { BirthRange, PersonEvidence, Sex } from './names/index.ts';

/*
 * One person as an outside list describes them (a CSV row, an API body, a watchlist entry), read into
 * the name engine's PersonEvidence. Everything is optional except some name; every problem is a
 * Problem naming the field, so the CLI can report row and column and the API the field path.
 * Problems never quote the value: values are personal data.
 */

const require = createRequire(import.meta.url);
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

/** The recognised columns of a linkage or screening record (the CSV header, the API's field names). */
export interface RecordInput {
  id?: string | undefined;
  full_name?: string | undefined;
  given_name?: string | undefined;
  family_name?: string | undefined;
  patronymic?: string | undefined;
  sex?: string | undefined;
  date_of_birth?: string | undefined;
  place_of_birth?: string | undefined;
  nationality?: string | undefined;
  mother_name?: string | undefined;
  father_name?: string | undefined;
  /** Several names separated by ';'. */
  aliases?: string | undefined;
}

export const RECORD_COLUMNS = [
  'id',
  'full_name',
  'given_name',
  'family_name',
  'patronymic',
  'sex',
  'date_of_birth',
  'place_of_birth',
  'nationality',
  'mother_name',
  'father_name',
  'aliases',
] as const satisfies readonly (keyof RecordInput)[];

export type RecordColumn = (typeof RECORD_COLUMNS)[number];

export interface Problem {
  column: RecordColumn;
  /** 'error': the record cannot be used; 'warning': it was read with a stated loss. */
  severity: 'error' | 'warning';
  code: 'EMPTY_NAME' | 'BAD_SEX' | 'BAD_DATE' | 'DATE_READ_AS_YEAR' | 'UNKNOWN_NATIONALITY';
  message: string;
}

/** What to do with an impossible date such as 00.00.1990 or 1990-13-01. */
export type BadDatePolicy = 'year' | 'refuse';

export interface ReadRecord {
  id: string;
  evidence: PersonEvidence;
  problems: Problem[];
}

const clean = (s: string | undefined): string => (s ?? '').normalize('NFC').replace(/\s+/gu, ' ').trim();

export function readSex(text: string | undefined): Sex | undefined | null {
  const s = clean(text).toLowerCase();
  if (s === '') return undefined;
  if (['f', 'female', 'w', 'woman'].includes(s)) return 'female';
  if (['m', 'male', 'man'].includes(s)) return 'male';
  if (['u', 'unknown', 'x'].includes(s)) return 'unknown';
  return null;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const plausibleYear = (y: number): boolean => y >= 1880 && y <= 2100;

function yearRange(year: number): BirthRange {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/**
 * A date of birth as a range: YYYY (the year), YYYY-MM (the month), YYYY-MM-DD (the day); also
 * DD.MM.YYYY and DD/MM/YYYY as written on many lists. An impossible date whose year is readable
 * (00.00.1990, 1990-13-01) becomes the year with a warning, or is refused, per the policy.
 */
export function readDateOfBirth(
  text: string | undefined,
  policy: BadDatePolicy = 'year',
): { birth?: BirthRange; problem?: Omit<Problem, 'column'> } {
  const s = clean(text);
  if (s === '') return {};
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/u.exec(s);
  if (m) {
    year = Number(m[1]);
    month = m[2] === undefined ? undefined : Number(m[2]);
    day = m[3] === undefined ? undefined : Number(m[3]);
  } else {
    m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/u.exec(s);
    if (m) {
      day = Number(m[1]);
      month = Number(m[2]);
      year = Number(m[3]);
    }
  }
  if (year === undefined || !plausibleYear(year)) {
    return {
      problem: {
        severity: 'error',
        code: 'BAD_DATE',
        message: 'date of birth is not YYYY, YYYY-MM or YYYY-MM-DD',
      },
    };
  }
  if (month === undefined) return { birth: yearRange(year) };
  const badMonth = month < 1 || month > 12;
  const badDay = day !== undefined && (badMonth || day < 1 || day > daysIn(year, month));
  if (badMonth || badDay) {
    if (policy === 'refuse') {
      return {
        problem: { severity: 'error', code: 'BAD_DATE', message: 'date of birth is not a real date' },
      };
    }
    return {
      birth: yearRange(year),
      problem: {
        severity: 'warning',
        code: 'DATE_READ_AS_YEAR',
        message: 'date of birth is not a real date: only its year was used',
      },
    };
  }
  if (day === undefined) {
    return {
      birth: { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(daysIn(year, month))}` },
    };
  }
  const date = `${year}-${pad(month)}-${pad(day)}`;
  return { birth: { from: date, to: date } };
}

/** ISO 3166-1 alpha-2 from alpha-2, alpha-3 or an English name; null when unrecognised. */
export function readCountry(text: string): string | null {
  const s = clean(text);
  if (s === '') return null;
  const upper = s.toUpperCase();
  if (/^[A-Z]{2}$/u.test(upper) && countries.isValid(upper)) return upper;
  if (/^[A-Z]{3}$/u.test(upper)) {
    const a2 = countries.alpha3ToAlpha2(upper);
    if (a2 !== undefined) return a2;
  }
  return countries.getAlpha2Code(s, 'en') ?? countries.getSimpleAlpha2Code(s, 'en') ?? null;
}

/** Several values in one cell: ';' (the documented separator) or ','. */
export function splitList(text: string | undefined, separators = /[;]/u): string[] {
  return clean(text)
    .split(separators)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The names of a record: full name, the structured parts joined, and every alias. */
export function namesOf(input: RecordInput): string[] {
  const names: string[] = [];
  const full = clean(input.full_name);
  if (full !== '') names.push(full);
  const parts = [clean(input.given_name), clean(input.patronymic), clean(input.family_name)].filter(
    (p) => p !== '',
  );
  if (parts.length > 0) {
    const composed = [clean(input.given_name), clean(input.family_name), clean(input.patronymic)]
      .filter((p) => p !== '')
      .join(' ');
    if (!names.includes(composed)) names.push(composed);
  }
  for (const alias of splitList(input.aliases)) if (!names.includes(alias)) names.push(alias);
  return names;
}

/** Reads one record; `fallbackId` (a row number) is used when the record has no id. */
export function readRecord(
  input: RecordInput,
  fallbackId: string,
  policy: BadDatePolicy = 'year',
): ReadRecord {
  const problems: Problem[] = [];
  const names = namesOf(input);
  if (names.length === 0) {
    problems.push({
      column: 'full_name',
      severity: 'error',
      code: 'EMPTY_NAME',
      message: 'no name: full_name, given_name/family_name and aliases are all empty',
    });
  }
  const evidence: PersonEvidence = { names };
  const sex = readSex(input.sex);
  if (sex === null) {
    problems.push({
      column: 'sex',
      severity: 'error',
      code: 'BAD_SEX',
      message: 'sex is not F, M, U, female or male',
    });
  } else if (sex !== undefined) {
    evidence.sex = sex;
  }
  const date = readDateOfBirth(input.date_of_birth, policy);
  if (date.birth !== undefined) evidence.birth = date.birth;
  if (date.problem !== undefined) problems.push({ ...date.problem, column: 'date_of_birth' });
  const nationalities: string[] = [];
  for (const n of splitList(input.nationality, /[;,]/u)) {
    const code = readCountry(n);
    if (code === null) {
      problems.push({
        column: 'nationality',
        severity: 'warning',
        code: 'UNKNOWN_NATIONALITY',
        message: 'a nationality is not an ISO 3166 code or English country name: ignored',
      });
    } else if (!nationalities.includes(code)) {
      nationalities.push(code);
    }
  }
  if (nationalities.length > 0) evidence.nationality = nationalities;
  const place = clean(input.place_of_birth);
  if (place !== '') evidence.placeOfBirth = place;
  const mother = clean(input.mother_name);
  if (mother !== '') evidence.motherName = mother;
  const father = clean(input.father_name);
  if (father !== '') evidence.fatherName = father;
  const id = clean(input.id);
  return { id: id === '' ? fallbackId : id, evidence, problems };
}
