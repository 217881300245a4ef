import type { TFunction } from 'i18next';
import { type BirthDraft, type Draft, type NameDraft, todayIso } from './api.ts';

/**
 * The checks the API makes (persons/schemas.ts, cases/schemas.ts), made before anything is sent.
 * Each fault is keyed by the path the API would name (without `body.`), so a server error and a
 * local one land on the same field. Family members use `members.<i>.…` (the wizard's own paths).
 */
export type Faults = Record<string, string>;

type T = TFunction<'registration'>;

function checkNames(t: T, names: NameDraft[], prefix: string, faults: Faults) {
  names.forEach((name, i) => {
    const fullName = name.fullName.trim();
    if (!fullName) faults[`${prefix}.names.${i}.fullName`] = t('errors.required');
    else if (fullName.length > 300)
      faults[`${prefix}.names.${i}.fullName`] = t('errors.tooLong', { max: 300 });
    const language = name.language.trim();
    if (language && (language.length < 2 || language.length > 16)) {
      faults[`${prefix}.names.${i}.language`] = t('errors.language');
    }
  });
}

function checkBirth(t: T, birth: BirthDraft, prefix: string, faults: Faults) {
  const today = todayIso();
  const at = `${prefix}.birthDate`;
  const date = (value: string, field: string) => {
    if (!value) faults[`${at}.${field}`] = t('errors.required');
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
      faults[`${at}.${field}`] = t('errors.date');
    } else if (value > today) faults[`${at}.${field}`] = t('errors.future');
  };
  if (birth.kind === 'exact') date(birth.date, 'date');
  if (birth.kind === 'year') {
    const year = Number(birth.year);
    if (!birth.year) faults[`${at}.year`] = t('errors.required');
    else if (!/^\d{4}$/.test(birth.year) || year < 1900) faults[`${at}.year`] = t('errors.year');
    else if (year > Number(today.slice(0, 4))) faults[`${at}.year`] = t('errors.future');
  }
  if (birth.kind === 'range') {
    date(birth.from, 'from');
    date(birth.to, 'to');
    if (!faults[`${at}.from`] && !faults[`${at}.to`] && birth.from > birth.to) {
      faults[`${at}.to`] = t('errors.reversed');
    }
  }
}

export function validatePerson(t: T, draft: Draft): Faults {
  const faults: Faults = {};
  const p = draft.person;
  checkNames(t, p.names, 'person', faults);
  if (!p.sex) faults['person.sex'] = t('errors.required');
  checkBirth(t, p.birth, 'person', faults);
  if (p.placeOfBirth.trim().length > 200) faults['person.placeOfBirth'] = t('errors.tooLong', { max: 200 });
  if (p.whereaboutsDetail.trim().length > 300) {
    faults['person.whereaboutsDetail'] = t('errors.tooLong', { max: 300 });
  }
  p.nationalities.forEach((n, i) => {
    if (!/^[A-Za-z]{2}$/.test(n.country.trim()))
      faults[`person.nationalities.${i}.country`] = t('errors.country');
  });
  return faults;
}

export function validateMembers(t: T, draft: Draft): Faults {
  const faults: Faults = {};
  draft.members.forEach((m, i) => {
    const prefix = `members.${i}`;
    if (!m.relation) faults[`${prefix}.relation`] = t('errors.required');
    if (m.existing) return;
    checkNames(t, m.names, prefix, faults);
    if (!m.sex) faults[`${prefix}.sex`] = t('errors.required');
    checkBirth(t, m.birth, prefix, faults);
  });
  return faults;
}

export function validateAll(t: T, draft: Draft): Faults {
  return { ...validatePerson(t, draft), ...validateMembers(t, draft) };
}

/** The wizard step that shows a path: 0 person, 1 family, 2 case. */
export function stepOf(path: string): number {
  if (path.startsWith('person')) return 0;
  if (path.startsWith('members')) return 1;
  return 2;
}

export const fieldId = (path: string) => `reg-${path.replaceAll('.', '-')}`;

/**
 * The wizard's path for a path the intake API names, or null when no field shows it (the summary
 * then carries the message): `body.person.…` stays `person.…`; a family member's
 * `body.family.<i>.person.…` and `body.family.<i>.relation|provenance` become `members.<i>.…`.
 */
export function wizardPath(apiPath: string): string | null {
  const path = apiPath.replace(/^body\.?/, '');
  const member = /^family\.(\d+)\.(.+)$/.exec(path);
  if (member) {
    const [, i, rest = ''] = member;
    if (rest.startsWith('person.')) return `members.${i}.${rest.slice('person.'.length)}`;
    if (rest === 'relation' || rest === 'provenance') return `members.${i}.${rest}`;
    return null;
  }
  if (path === '' || path.startsWith('family') || path === 'familyUnitId') return null;
  return path;
}
