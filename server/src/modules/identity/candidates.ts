import { type Kysely, sql, type Transaction } from 'kysely';
import type { Actor } from '../../platform/auth/actor.ts';
import type { DB } from '../../platform/db/schema.ts';
import { personVisibilityFilter } from '../access/access.ts';
import { lookupKeys } from './lookup-keys.ts';
import {
  bestNamePair,
  cannotReach,
  type PersonComparison,
  type PersonDecision,
  type PersonEvidence,
} from './names/index.ts';
import { compareWithRegistry } from './registry-comparison.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export { keyWeight, type LookupKeys, lookupKeys } from './lookup-keys.ts';
export { compareWithRegistry };

/*
 * Retrieval: the searched names' blocking keys are looked up in person_name_keys (an index lookup per
 * key, never a scan of names), restricted in the same SQL to persons the actor may see; the persons
 * sharing the most (and most selective) keys are then compared in full with comparePersons.
 */

/** Version of the whole matching pipeline (keys + engine + decision rules), recorded with every screening. */
export const MATCHING_ALGORITHM_VERSION = 'homeward-names-3';

export interface FindCandidatesOptions {
  /** Whose row filter applies: only persons this actor may see are ever read. */
  actor: Actor;
  /** Lowest person score returned (default 0.5: 'possible' and better). */
  threshold?: number;
  /** Results returned, best first (default 20). */
  limit?: number;
  /** Persons compared in full after the key lookup (default 30). */
  maxCandidates?: number;
  /** Never return these persons (the record being edited, already merged ones). */
  excludePersonIds?: readonly string[];
}

export interface Candidate {
  personId: string;
  /** The person's display name (or first name) as recorded. */
  displayName: string;
  score: number;
  decision: PersonDecision;
  explanation: string[];
  comparison: PersonComparison;
}

/** A single-part key held by more persons than this is too common to block on (t:MHMT, Muhammad). */
export const BROAD_KEY_LIMIT = 2000;

/** The keys held by at most `limit` persons; counting stops at limit + 1, so common keys cost little. */
export async function uncommonKeys(db: Executor, keys: readonly string[], limit: number): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await sql<{ key: string; n: number }>`
    SELECT q.key, (SELECT count(*) FROM (SELECT 1 FROM person_name_keys k WHERE k.key = q.key
                                         LIMIT ${limit + 1}) AS x)::int AS n
    FROM unnest(${[...keys]}::text[]) AS q(key)`.execute(db);
  return rows.rows.filter((r) => Number(r.n) <= limit).map((r) => r.key);
}

interface KeyHit {
  person_id: string;
  weight: number;
  /** The person's names that produced the shared keys: only these are compared in full. */
  name_ids: string[];
}

/** Persons ranked by shared keys alone before the row filter and the evidence ranking apply. */
export const PRE_LIMIT = 400;

/**
 * Persons sharing the keys, best first: first by the weight of the shared keys (index-only, on
 * person_name_keys alone, at most PRE_LIMIT), then — joined to persons with the actor's row filter —
 * by that weight plus what sex and birth range say, so that among many namesakes the ones born
 * around the same time come first.
 */
async function personsSharingKeys(
  db: Executor,
  actor: Actor,
  keys: readonly string[],
  limit: number,
  exclude: readonly string[],
  evidence?: PersonEvidence,
): Promise<KeyHit[]> {
  if (keys.length === 0) return [];
  // Same weights as keyWeight(), computed in SQL so the ranking and the LIMIT happen in the database.
  const weight = sql<number>`sum(CASE WHEN k.key LIKE 's:%' THEN 4 WHEN k.key LIKE 'p:%' THEN 2
    WHEN k.key LIKE 'kn:%' THEN 2 WHEN k.key LIKE 'k:%' THEN 1 ELSE 0.25 END)`;
  const sex = evidence?.sex === 'female' || evidence?.sex === 'male' ? evidence.sex : null;
  const from = evidence?.birth?.from ?? null;
  const to = evidence?.birth?.to ?? null;
  const rank = sql<number>`hits.weight
    + CASE WHEN ${sex}::text IS NULL OR persons.sex = 'unknown' THEN 0
           WHEN persons.sex = ${sex}::text THEN 0.5 ELSE -3 END
    + CASE WHEN ${from}::date IS NULL OR persons.birth_date_from IS NULL THEN 0
           WHEN persons.birth_date_from <= ${to}::date + 366 AND persons.birth_date_to >= ${from}::date - 366
             THEN 1.5
           ELSE -2 END`;
  const rows = await db
    .with('hits', (qb) => {
      let q = qb
        .selectFrom('person_name_keys as k')
        .where('k.key', 'in', [...keys])
        .select([
          'k.person_id as person_id',
          weight.as('weight'),
          sql<string[]>`array_agg(DISTINCT k.name_id)`.as('name_ids'),
        ])
        .groupBy('k.person_id')
        .orderBy(weight, 'desc')
        .orderBy('k.person_id')
        .limit(PRE_LIMIT);
      if (exclude.length > 0) q = q.where('k.person_id', 'not in', [...exclude]);
      return q;
    })
    .selectFrom('hits')
    .innerJoin('persons', 'persons.id', 'hits.person_id')
    .where((eb) => personVisibilityFilter(actor)(eb as never))
    .select(['hits.person_id', 'hits.weight', 'hits.name_ids', rank.as('rank')])
    .orderBy(rank, 'desc')
    .orderBy('hits.person_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ person_id: r.person_id, weight: Number(r.weight), name_ids: r.name_ids }));
}

export interface RegistryPerson {
  evidence: PersonEvidence;
  displayName: string;
  /** person_names ids, in the order of evidence.names. */
  nameIds: string[];
}

/** The evidence restricted to the names that shared a key with the query (all names when none did). */
export function restrictNames(
  person: RegistryPerson,
  nameIds: ReadonlySet<string> | undefined,
): PersonEvidence {
  if (nameIds === undefined || nameIds.size === 0) return person.evidence;
  const names = person.evidence.names.filter((_, i) => nameIds.has(person.nameIds[i] ?? ''));
  return names.length === 0 ? person.evidence : { ...person.evidence, names };
}

/** What loadPersonEvidence reads besides each person's sex, birth range and place of birth. */
export interface EvidenceParts {
  /**
   * Only these person_names rows (ids), e.g. the names that shared a key with a linkage record;
   * default every name of each person.
   */
  nameIds?: readonly string[];
  /** Nationalities (default true): a comparison uses them only when the record has some. */
  nationalities?: boolean;
  /** Parents' names (default true): a comparison uses them only when the record has some. */
  parents?: boolean;
}

/**
 * What the registry knows about these persons, as the name engine's evidence: those the actor may
 * see, or all of them for 'system' (re-screening everyone on a new list version, whose hits are then
 * read only through the row filters). Ids travel as one array parameter each (`= ANY($1)`), so a
 * batch of many thousand persons is one short statement per table.
 */
export async function loadPersonEvidence(
  db: Executor,
  actor: Actor | 'system',
  personIds: readonly string[],
  parts: EvidenceParts = {},
): Promise<Map<string, RegistryPerson>> {
  const out = new Map<string, RegistryPerson>();
  if (personIds.length === 0) return out;
  const anyOf = (ids: readonly string[]) => sql<boolean>`= ANY(${[...ids]}::uuid[])`;
  let personsQuery = db
    .selectFrom('persons')
    .select(['id', 'sex', 'birth_date_kind', 'birth_date_from', 'birth_date_to', 'place_of_birth'])
    .where(sql<boolean>`persons.id ${anyOf(personIds)}`);
  if (actor !== 'system') personsQuery = personsQuery.where(personVisibilityFilter(actor));
  const persons = await personsQuery.execute();
  if (persons.length === 0) return out;
  const visible = persons.map((p) => p.id);
  const onlyNames = parts.nameIds;
  const [names, nationalities, parents] = await Promise.all([
    db
      .selectFrom('person_names')
      .select(['id', 'person_id', 'full_name', 'is_display'])
      .where(
        onlyNames === undefined
          ? sql<boolean>`person_names.person_id ${anyOf(visible)}`
          : sql<boolean>`person_names.id ${anyOf(onlyNames)}`,
      )
      .orderBy('person_id')
      .orderBy('is_display', 'desc')
      .orderBy('recorded_on')
      .orderBy('id')
      .execute(),
    parts.nationalities === false
      ? []
      : db
          .selectFrom('person_nationalities')
          .select(['person_id', 'country'])
          .where(sql<boolean>`person_nationalities.person_id ${anyOf(visible)}`)
          .where('status', '<>', 'rejected')
          .orderBy('person_id')
          .orderBy('country')
          .execute(),
    parts.parents === false
      ? []
      : db
          .selectFrom('relationships as r')
          .innerJoin('person_names as n', 'n.person_id', 'r.related_person_id')
          .select(['r.person_id', 'r.relation', 'n.full_name'])
          .where(sql<boolean>`r.person_id ${anyOf(visible)}`)
          .where('r.relation', 'in', ['mother', 'father'])
          .orderBy('r.person_id')
          .orderBy('r.relation')
          .orderBy('n.is_display', 'desc')
          .orderBy('n.recorded_on')
          .orderBy('n.id')
          .execute(),
  ]);
  for (const p of persons) {
    const evidence: PersonEvidence = { names: [], sex: p.sex };
    if (p.birth_date_kind !== 'unknown' && p.birth_date_from !== null && p.birth_date_to !== null) {
      evidence.birth = { from: p.birth_date_from, to: p.birth_date_to };
    }
    if (p.place_of_birth !== null) evidence.placeOfBirth = p.place_of_birth;
    out.set(p.id, { evidence, displayName: '', nameIds: [] });
  }
  for (const n of names) {
    const entry = out.get(n.person_id);
    if (entry === undefined) continue;
    if (entry.displayName === '') entry.displayName = n.full_name;
    entry.evidence.names.push(n.full_name);
    entry.nameIds.push(n.id);
  }
  for (const n of nationalities) {
    const e = out.get(n.person_id)?.evidence;
    if (e === undefined) continue;
    e.nationality ??= [];
    if (!e.nationality.includes(n.country)) e.nationality.push(n.country);
  }
  // Parents' names: every variant is kept here; the comparison picks the closest (pickParentName).
  const parentNames = new Map<string, { mother: string[]; father: string[] }>();
  for (const r of parents) {
    const entry = parentNames.get(r.person_id) ?? { mother: [], father: [] };
    (r.relation === 'mother' ? entry.mother : entry.father).push(r.full_name);
    parentNames.set(r.person_id, entry);
  }
  for (const [id, entry] of parentNames) {
    const e = out.get(id)?.evidence as (PersonEvidence & { parentVariants?: typeof entry }) | undefined;
    if (e !== undefined) e.parentVariants = entry;
  }
  return out;
}

/**
 * The persons of the registry (as far as the actor may see) who may be the person described: key
 * lookup first, full comparison of the best-sharing persons next, best first.
 */
export async function findCandidates(
  db: Executor,
  evidence: PersonEvidence,
  options: FindCandidatesOptions,
): Promise<Candidate[]> {
  const threshold = options.threshold ?? 0.5;
  const limit = options.limit ?? 20;
  const maxCandidates = options.maxCandidates ?? 30;
  const exclude = options.excludePersonIds ?? [];
  const { selective, broad } = lookupKeys(evidence.names);
  const hits = await personsSharingKeys(db, options.actor, selective, maxCandidates, exclude, evidence);
  // Single-part keys widen the net only when no pair key found anyone (a one-word name, a typo in one
  // of two parts), and only keys shared by few enough persons to say something.
  if (hits.length === 0 && broad.length > 0) {
    const usable = await uncommonKeys(db, broad, BROAD_KEY_LIMIT);
    hits.push(...(await personsSharingKeys(db, options.actor, usable, maxCandidates, exclude, evidence)));
  }
  const registry = await loadPersonEvidence(
    db,
    options.actor,
    hits.map((h) => h.person_id),
  );
  const out: Candidate[] = [];
  const sharing = new Map(hits.map((h) => [h.person_id, new Set(h.name_ids)]));
  for (const [personId, entry] of registry) {
    const restricted = restrictNames(entry, sharing.get(personId));
    const names = bestNamePair(evidence, restricted);
    if (cannotReach(names, threshold)) continue;
    const comparison = compareWithRegistry(evidence, restricted, names);
    if (comparison.score < threshold || comparison.decision === 'no_match') continue;
    out.push({
      personId,
      displayName: entry.displayName,
      score: comparison.score,
      decision: comparison.decision,
      explanation: comparison.explanation,
      comparison,
    });
  }
  out.sort((a, b) => b.score - a.score || (a.personId < b.personId ? -1 : 1));
  return out.slice(0, limit);
}
