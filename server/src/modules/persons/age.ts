/**
 * Ages from uncertain dates of birth. A date of birth is a range [from, to] (exact: from = to;
 * year-only: 1 Jan – 31 Dec). The youngest possible age comes from the latest possible date; every
 * protective rule (age bands, the justice-track floor) uses it, so an uncertain record is treated
 * as the younger person it may be.
 */
export const AGE_BANDS = ['0-4', '5-9', '10-13', '14-17', '18-24', '25-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

const BAND_LIMITS: Record<AgeBand, [number, number | null]> = {
  '0-4': [0, 4],
  '5-9': [5, 9],
  '10-13': [10, 13],
  '14-17': [14, 17],
  '18-24': [18, 24],
  '25-59': [25, 59],
  '60+': [60, null],
};

/** Today's date in UTC as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Full years between a birth date and a day, both YYYY-MM-DD. */
export function ageOn(birth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birth.slice(0, 4));
  return day.slice(5) < birth.slice(5) ? years - 1 : years;
}

/** The same calendar day `years` earlier or later; 29 February falls back to the 28th. */
export function addYears(day: string, years: number): string {
  const year = Number(day.slice(0, 4)) + years;
  let rest = day.slice(4);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (rest === '-02-29' && !leap) rest = '-02-28';
  return `${String(year).padStart(4, '0')}${rest}`;
}

export function ageBandOf(age: number): AgeBand {
  for (const band of AGE_BANDS) {
    const [low, high] = BAND_LIMITS[band];
    if (age >= low && (high === null || age <= high)) return band;
  }
  return '0-4';
}

export interface DerivedAge {
  /** Youngest possible age (from the latest possible date of birth). */
  youngest: number;
  /** Oldest possible age (from the earliest possible date of birth). */
  oldest: number;
  /** The band of the youngest possible age. */
  band: AgeBand;
  /** Whether the youngest and oldest possible ages fall in the same band. */
  bandCertain: boolean;
}

export function deriveAge(from: string | null, to: string | null, day = todayIso()): DerivedAge | null {
  if (from === null || to === null) return null;
  const youngest = Math.max(0, ageOn(to, day));
  const oldest = Math.max(0, ageOn(from, day));
  const band = ageBandOf(youngest);
  return { youngest, oldest, band, bandCertain: band === ageBandOf(oldest) };
}

/**
 * The latest-birth-date interval of an age band on a day: a person is in the band exactly when
 * `birth_date_to` lies in (after, onOrBefore]. Compiled into the case list's SQL.
 */
export function bandBirthInterval(
  band: AgeBand,
  day = todayIso(),
): { onOrBefore: string; after: string | null } {
  const [low, high] = BAND_LIMITS[band];
  return { onOrBefore: addYears(day, -low), after: high === null ? null : addYears(day, -(high + 1)) };
}
