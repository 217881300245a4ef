import { compareNames, explainNames, type ScoredNames, scoreNames } from './compare.ts';
import type { BirthRange, EvidenceItem, PersonComparison, PersonDecision, PersonEvidence } from './types.ts';

/*
 * Person comparison: the best pair of name variants, then the other evidence as additive log-odds.
 * Evidence for a match only counts once the names already agree ("supporting evidence corroborates
 * a name match; it cannot create one"): twins share parents and a birthday but not a given name.
 * Evidence against always counts.
 */

const DAY = 86_400_000;
const YEAR_DAYS = 365.25;

interface DayRange {
  from: number;
  to: number;
  /** A single day that is not a likely placeholder. */
  precise: boolean;
  /** 1 January or 1 July: often written for an unknown day; widened to the whole year. */
  placeholder: boolean;
  month: number;
  day: number;
}

function parseDay(s: string): { year: number; month: number; day: number; t: number } | undefined {
  if (s.length !== 10 || s.charAt(4) !== '-' || s.charAt(7) !== '-') return undefined;
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return { year, month, day, t: Date.UTC(year, month - 1, day) / DAY };
}

function toRange(b: BirthRange): DayRange | undefined {
  const from = parseDay(b.from);
  const to = parseDay(b.to);
  if (from === undefined || to === undefined || to.t < from.t) return undefined;
  if (from.t === to.t) {
    const placeholder = (from.month === 1 || from.month === 7) && from.day === 1;
    if (placeholder) {
      return {
        from: Date.UTC(from.year, 0, 1) / DAY,
        to: Date.UTC(from.year, 11, 31) / DAY,
        precise: false,
        placeholder: true,
        month: from.month,
        day: from.day,
      };
    }
    return { from: from.t, to: to.t, precise: true, placeholder: false, month: from.month, day: from.day };
  }
  return { from: from.t, to: to.t, precise: false, placeholder: false, month: 0, day: 0 };
}

function compareBirth(a: BirthRange, b: BirthRange, out: EvidenceItem[]): { gapYears: number } {
  const ra = toRange(a);
  const rb = toRange(b);
  if (ra === undefined || rb === undefined) {
    out.push({ kind: 'birth', effect: 'neutral', detail: 'a date of birth could not be read', weight: 0 });
    return { gapYears: 0 };
  }
  const gap = Math.max(0, Math.max(ra.from, rb.from) - Math.min(ra.to, rb.to));
  const gapYears = gap / YEAR_DAYS;
  if (ra.precise && rb.precise) {
    if (ra.from === rb.from) {
      out.push({ kind: 'birth', effect: 'strongly-supports', detail: 'same date of birth', weight: 1.5 });
      return { gapYears: 0 };
    }
    const sameYear = new Date(ra.from * DAY).getUTCFullYear() === new Date(rb.from * DAY).getUTCFullYear();
    if (sameYear && ra.month === rb.day && ra.day === rb.month) {
      out.push({
        kind: 'birth',
        effect: 'supports',
        detail: 'same date of birth with day and month swapped',
        weight: 0.8,
      });
      return { gapYears: 0 };
    }
  }
  if (gap === 0) {
    const width = Math.max(ra.to - ra.from, rb.to - rb.from);
    const weak = ra.placeholder || rb.placeholder;
    out.push({
      kind: 'birth',
      effect: 'supports',
      detail: `dates of birth overlap${weak ? ' (1 January/1 July treated as a possible placeholder)' : ''}`,
      weight: width <= 366 ? 0.6 : 0.3,
    });
    return { gapYears: 0 };
  }
  if (gapYears >= 15) {
    out.push({
      kind: 'birth',
      effect: 'strongly-against',
      detail: `dates of birth ${Math.floor(gapYears)} years apart: a parent and child can share a name`,
      weight: -7,
    });
  } else if (gapYears >= 2) {
    out.push({
      kind: 'birth',
      effect: 'strongly-against',
      detail: `dates of birth ${Math.floor(gapYears)} years apart`,
      weight: -3.5,
    });
  } else if (gap > 366) {
    out.push({ kind: 'birth', effect: 'against', detail: 'dates of birth 1–2 years apart', weight: -1.5 });
  } else {
    out.push({
      kind: 'birth',
      effect: 'against',
      detail: `dates of birth ${Math.round(gap)} days apart (approximate dates are often off)`,
      weight: ra.precise && rb.precise ? -1.2 : -0.6,
    });
  }
  return { gapYears };
}

function compareRelative(
  kind: 'motherName' | 'fatherName',
  a: string,
  b: string,
  out: EvidenceItem[],
): number {
  const c = compareNames(a, b);
  const who = kind === 'motherName' ? "mother's" : "father's";
  if (c.score >= 0.85) {
    out.push({
      kind,
      effect: 'supports',
      detail: `${who} names agree (${Math.round(c.score * 100)}%)`,
      weight: 0.8,
    });
  } else if (c.score < 0.5) {
    out.push({
      kind,
      effect: 'against',
      detail: `${who} names differ (${Math.round(c.score * 100)}%)`,
      weight: -1.2,
    });
  } else {
    out.push({
      kind,
      effect: 'neutral',
      detail: `${who} names partly agree (${Math.round(c.score * 100)}%)`,
      weight: 0,
    });
  }
  return c.score;
}

function logit(p: number): number {
  const q = Math.min(0.99, Math.max(0.01, p));
  return Math.log(q / (1 - q));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Names alone (no corroboration) can make a person a possible match, not a match. */
const NAME_ONLY_CAP = 0.75;

/** The best-scoring pair of the two persons' name variants, not yet explained. */
export function bestNamePair(left: PersonEvidence, right: PersonEvidence): ScoredNames | undefined {
  let best: ScoredNames | undefined;
  for (const a of left.names) {
    if (a.trim() === '') continue;
    for (const b of right.names) {
      if (b.trim() === '') continue;
      const c = scoreNames(a, b);
      if (best === undefined || c.score > best.score) best = c;
    }
  }
  return best;
}

/**
 * Whether comparePersons would score below `threshold` on the names alone: evidence for a match only
 * counts once the names score above 0.6 (the gate below), so a pair whose best names score under both
 * the threshold and 0.6 cannot reach the threshold whatever else agrees. Batch callers use it to skip
 * the rest of a comparison they would discard.
 */
export function cannotReach(best: ScoredNames | undefined, threshold: number): boolean {
  if (best === undefined) return threshold > 0;
  return best.score < threshold && best.score <= 0.6 && threshold > 0.01;
}

/**
 * Compare two people: all their name variants, sex, birth range, nationality, birthplace and
 * parents' names. The decision is 'match' only when the names agree, something else corroborates
 * them, and nothing speaks strongly against.
 */
export function comparePersons(
  left: PersonEvidence,
  right: PersonEvidence,
  names: ScoredNames | undefined = bestNamePair(left, right),
): PersonComparison {
  const evidence: EvidenceItem[] = [];
  const name = names === undefined ? undefined : explainNames(names);
  const nameScore = name?.score ?? 0;
  evidence.push({
    kind: 'name',
    effect: nameScore >= 0.85 ? 'strongly-supports' : nameScore >= 0.7 ? 'supports' : 'against',
    detail:
      name === undefined
        ? 'no names to compare'
        : `best name pair "${name.left.original ?? ''}" ~ "${name.right.original ?? ''}": ${Math.round(nameScore * 100)}%`,
    weight: 0,
  });

  const sexL = left.sex ?? 'unknown';
  const sexR = right.sex ?? 'unknown';
  if (sexL !== 'unknown' && sexR !== 'unknown') {
    if (sexL !== sexR) {
      evidence.push({
        kind: 'sex',
        effect: 'strongly-against',
        detail: `sex differs (${sexL} vs ${sexR})`,
        weight: -5,
      });
    } else {
      evidence.push({ kind: 'sex', effect: 'supports', detail: `same sex (${sexL})`, weight: 0.2 });
    }
  }

  let gapYears = 0;
  if (left.birth !== undefined && right.birth !== undefined)
    gapYears = compareBirth(left.birth, right.birth, evidence).gapYears;

  if (
    left.nationality !== undefined &&
    right.nationality !== undefined &&
    left.nationality.length > 0 &&
    right.nationality.length > 0
  ) {
    const l = new Set(left.nationality.map((n) => n.toUpperCase()));
    const shared = right.nationality.map((n) => n.toUpperCase()).filter((n) => l.has(n));
    evidence.push(
      shared.length > 0
        ? {
            kind: 'nationality',
            effect: 'supports',
            detail: `shared nationality ${shared.join(', ')}`,
            weight: 0.3,
          }
        : { kind: 'nationality', effect: 'against', detail: 'no nationality in common', weight: -0.3 },
    );
  }

  if (
    left.placeOfBirth !== undefined &&
    right.placeOfBirth !== undefined &&
    left.placeOfBirth.trim() !== '' &&
    right.placeOfBirth.trim() !== ''
  ) {
    const c = compareNames(left.placeOfBirth, right.placeOfBirth);
    if (c.score >= 0.85) {
      evidence.push({ kind: 'placeOfBirth', effect: 'supports', detail: 'same place of birth', weight: 0.5 });
    } else if (c.score < 0.5) {
      evidence.push({
        kind: 'placeOfBirth',
        effect: 'against',
        detail: 'different places of birth',
        weight: -0.3,
      });
    }
  }

  let parentsAgree = 0;
  let parentsCompared = 0;
  for (const kind of ['motherName', 'fatherName'] as const) {
    const a = left[kind];
    const b = right[kind];
    if (a === undefined || b === undefined || a.trim() === '' || b.trim() === '') continue;
    parentsCompared++;
    if (compareRelative(kind, a, b, evidence) >= 0.85) parentsAgree++;
  }

  // Relationships that look like a match on paper.
  const givenContradiction =
    name?.matches.some((m) => m.leftPart === 'given' && m.rightPart === 'given' && m.score < 0.6) ?? false;
  const sameBirth = evidence.some(
    (e) => e.kind === 'birth' && (e.effect === 'strongly-supports' || e.effect === 'supports'),
  );
  if (givenContradiction && parentsCompared > 0 && parentsAgree === parentsCompared && sameBirth) {
    evidence.push({
      kind: 'relationship',
      effect: 'strongly-against',
      detail: 'same parents and date of birth but different given names: possibly siblings (twins)',
      weight: -2,
    });
  }
  if (gapYears >= 15 && nameScore >= 0.8) {
    evidence.push({
      kind: 'relationship',
      effect: 'strongly-against',
      detail: 'same name, births 15+ years apart: possibly parent and child',
      weight: 0,
    });
  }

  // Combine.
  const gate = Math.min(1, Math.max(0, (nameScore - 0.6) / 0.3));
  let x = logit(nameScore);
  let corroborated = false;
  for (const e of evidence) {
    if (e.weight > 0) {
      const w = e.weight * gate;
      e.weight = w;
      x += w;
      if (w > 0 && e.kind !== 'sex' && e.kind !== 'nationality') corroborated = true;
    } else {
      x += e.weight;
    }
  }
  let score = name === undefined ? 0 : sigmoid(x);
  const stronglyAgainst = evidence.some((e) => e.effect === 'strongly-against');
  if (!corroborated && score > NAME_ONLY_CAP) score = NAME_ONLY_CAP;
  let decision: PersonDecision;
  if (score >= 0.85 && nameScore >= 0.8 && corroborated && !stronglyAgainst && !givenContradiction)
    decision = 'match';
  else if (score >= 0.5 && !stronglyAgainst) decision = 'possible';
  else decision = 'no_match';

  const explanation = [
    `${decision.replace('_', ' ')} (${Math.round(score * 100)}%)`,
    ...evidence.map((e) => `${e.kind}: ${e.detail} [${e.effect}]`),
    ...(name === undefined ? [] : name.explanation.slice(1).map((l) => `  name: ${l}`)),
  ];
  if (!corroborated && decision !== 'no_match') {
    explanation.push('names agree but nothing else corroborates them: at most a possible match');
  }
  return { score, decision, name, evidence, explanation };
}
