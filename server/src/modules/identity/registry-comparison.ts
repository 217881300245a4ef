import {
  bestNamePair,
  comparePersons,
  type PersonComparison,
  type PersonEvidence,
  type ScoredNames,
  scoreNames,
} from './names/index.ts';

/*
 * Comparing a record with a registry person (pure, no I/O: linkage workers load this module without
 * the database and access modules). The registry keeps every variant of a person's parents' names
 * (loadPersonEvidence in candidates.ts); the comparison uses the variant closest to the record's.
 */

/** The variant of a registry parent's name closest to the one given (names are kept in many scripts). */
function pickParentName(variants: readonly string[], wanted: string | undefined): string | undefined {
  if (variants.length === 0) return undefined;
  if (wanted === undefined) return variants[0];
  let best = variants[0];
  let bestScore = -1;
  for (const v of variants) {
    const s = scoreNames(v, wanted).score;
    if (s > bestScore) {
      best = v;
      bestScore = s;
    }
  }
  return best;
}

/** Compares a record with one registry person, filling in the parents' names closest to the record's. */
export function compareWithRegistry(
  query: PersonEvidence,
  registry: PersonEvidence,
  names: ScoredNames | undefined = bestNamePair(query, registry),
): PersonComparison {
  const variants = (registry as PersonEvidence & { parentVariants?: { mother: string[]; father: string[] } })
    .parentVariants;
  const right: PersonEvidence = { ...registry };
  if (variants !== undefined) {
    const mother = pickParentName(variants.mother, query.motherName);
    const father = pickParentName(variants.father, query.fatherName);
    if (mother !== undefined) right.motherName = mother;
    if (father !== undefined) right.fatherName = father;
  }
  return comparePersons(query, right, names);
}
