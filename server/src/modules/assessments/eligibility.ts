import { ageOn, todayIso } from '../persons/age.ts';
import { ADULT_AGE, type InstrumentDefinition } from './instrument.ts';

export type IneligibleReason =
  | 'possibly_a_child'
  | 'age_unknown'
  | 'below_minimum_age'
  | 'above_maximum_age'
  | 'stage'
  | 'retired';

export interface Subject {
  birthDateFrom: string | null;
  birthDateTo: string | null;
  stage: number;
}

/**
 * The youngest age the person may be on a day: from the latest possible date of birth, so an
 * uncertain record is treated as the younger person it may be. Null when the date of birth is unknown.
 */
export function youngestPossibleAge(birthDateTo: string | null, day = todayIso()): number | null {
  return birthDateTo === null ? null : Math.max(0, ageOn(birthDateTo, day));
}

/**
 * May this instrument be used for this person at this stage? A violent-extremism risk instrument
 * never for anyone who may be under 18 — an unknown date of birth may be a child's. A child-only
 * instrument (maxAge) is open to anyone who may still be a child.
 */
export function checkEligibility(
  def: InstrumentDefinition,
  subject: Subject,
  day = todayIso(),
): IneligibleReason | null {
  const youngest = youngestPossibleAge(subject.birthDateTo, day);
  const { minAge, maxAge, stages } = def.eligibility;
  if (def.kind === 'violent_extremism_risk' && (youngest === null || youngest < ADULT_AGE))
    return 'possibly_a_child';
  if (minAge !== undefined && minAge > 0) {
    if (youngest === null) return 'age_unknown';
    if (youngest < minAge) return 'below_minimum_age';
  }
  if (maxAge !== undefined && youngest !== null && youngest > maxAge) return 'above_maximum_age';
  if (stages && !stages.includes(subject.stage)) return 'stage';
  return null;
}
