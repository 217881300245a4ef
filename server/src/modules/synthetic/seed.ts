import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { insertNameKeys } from '../identity/keys-repository.ts';
import { type GeneratedFamily, generatePopulation } from './generator.ts';
import { Random } from './random.ts';

export interface SeedPopulationOptions {
  seed: number;
  persons: number;
  /** Agencies that may own persons and cases; social services and ministries get most of them. */
  agencies: { id: string; kind: string }[];
  /** Users cases can be assigned to, each within its agency; an agency without any leaves them unassigned. */
  caseWorkers: { id: string; agencyId: string }[];
  onProgress?: (done: number, total: number) => void;
  /** Persons per transaction (default 2000): a family is never split across transactions. */
  batchPersons?: number;
  /**
   * Transactions in flight at once (default 2). PostgreSQL runs them on separate connections; on
   * PGlite, which has one connection, they simply queue.
   */
  concurrency?: number;
}

/** Relative likelihood that an agency of this kind owns a family's persons and cases. */
const OWNER_WEIGHT: Readonly<Record<string, number>> = {
  social_services: 6,
  ministry: 4,
  local_authority: 1,
  ngo: 0.5,
  womens_organisation: 0.5,
  health: 0.5,
};

/**
 * Writes a synthetic population (generator.ts) into the registry tables: one transaction per batch
 * of whole families, each table in one multi-row statement per batch (`INSERT … SELECT FROM unnest`
 * with one array parameter per column, so statement size never meets the 65,535-parameter limit).
 * A failure rolls back the batch it happened in; earlier batches stay.
 */
export async function seedPopulation(
  db: Kysely<DB>,
  options: SeedPopulationOptions,
): Promise<{ persons: number; cases: number }> {
  if (options.agencies.length === 0) throw new Error('seedPopulation needs at least one agency');
  const batchPersons = options.batchPersons ?? 2000;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const chooseOwner = ownerChooser(options);
  let persons = 0;
  let cases = 0;
  let batch: GeneratedFamily[] = [];
  let batchSize = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const families = batch;
    const size = batchSize;
    batch = [];
    batchSize = 0;
    // Owners and assignees are drawn here, in stream order, so the result never depends on timing.
    const owners = families.map(chooseOwner);
    const assignments = families.map((f, i) => f.cases.map(() => owners[i]!.worker()));
    const write = db
      .transaction()
      .execute((trx) => writeFamilies(trx, families, owners, assignments))
      .then(
        (written) => {
          cases += written;
          persons += size;
          options.onProgress?.(persons, options.persons);
        },
        (error: unknown) => {
          failure ??= error;
        },
      )
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  for (const family of generatePopulation({ seed: options.seed, persons: options.persons })) {
    if (failure) break;
    batch.push(family);
    batchSize += family.persons.length;
    if (batchSize >= batchPersons) await flush();
  }
  if (!failure) await flush();
  await Promise.all(inFlight);
  if (failure) throw failure;
  return { persons, cases };
}

interface Owner {
  agencyId: string;
  /** Picks the assigned worker for one case. */
  worker: () => string | null;
}

function ownerChooser(options: SeedPopulationOptions): (family: GeneratedFamily) => Owner {
  const rng = new Random(options.seed, 0x6f776e);
  const workers = new Map<string, string[]>();
  for (const w of options.caseWorkers) workers.set(w.agencyId, [...(workers.get(w.agencyId) ?? []), w.id]);
  const table = (abroad: boolean): [string, number][] => {
    const weighted = options.agencies.map((a): [string, number] => {
      // A family still abroad is in the foreign ministry's hands more often than in social services'.
      const weight = abroad && a.kind === 'ministry' ? 8 : (OWNER_WEIGHT[a.kind] ?? 0);
      return [a.id, weight];
    });
    return weighted.some(([, w]) => w > 0) ? weighted : options.agencies.map((a) => [a.id, 1]);
  };
  const returnedTable = table(false);
  const abroadTable = table(true);
  return (family) => {
    const abroad = !family.persons.some((p) => p.returnee);
    const agencyId = rng.weighted(abroad ? abroadTable : returnedTable);
    const pool = workers.get(agencyId) ?? [];
    return { agencyId, worker: () => (pool.length > 0 ? rng.pick(pool) : null) };
  };
}

type SqlType = 'uuid' | 'text' | 'date' | 'timestamptz' | 'boolean' | 'smallint' | 'text[]';
type Column<R> = readonly [name: string, type: SqlType, value: (row: R) => unknown];

/**
 * INSERT INTO table (cols) SELECT … FROM unnest($1::type[], $2::type[], …): one parameter per
 * column whatever the row count. A text[] column travels as comma-joined text (unnest would
 * flatten an array of arrays); its values never contain commas.
 */
async function insertRows<R>(
  db: Kysely<DB>,
  table: keyof DB,
  columns: readonly Column<R>[],
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  const aliases = columns.map((_, i) => sql.raw(`c${i}`));
  const arrays: RawBuilder<unknown>[] = columns.map(([, type, value]) => {
    const values = rows.map((row) => {
      const v = value(row);
      return type === 'text[]' ? (v as string[]).join(',') : (v ?? null);
    });
    return sql`${values}::${sql.raw(type === 'text[]' ? 'text' : type)}[]`;
  });
  const selects = columns.map(([, type], i) =>
    type === 'text[]' ? sql`string_to_array(${aliases[i]}, ',')` : sql`${aliases[i]}`,
  );
  await sql`
    INSERT INTO ${sql.table(table)} (${sql.join(columns.map(([name]) => sql.ref(name)))})
    SELECT ${sql.join(selects)} FROM unnest(${sql.join(arrays)}) AS t(${sql.join(aliases)})`.execute(db);
}

async function writeFamilies(
  db: Kysely<DB>,
  families: GeneratedFamily[],
  owners: Owner[],
  assignments: (string | null)[][],
): Promise<number> {
  const persons = families.flatMap((f, i) => f.persons.map((p) => ({ ...p, owner: owners[i]!.agencyId })));
  const caseCount = families.reduce((n, f) => n + f.cases.length, 0);
  const numbers = await sql<{ n: number }>`
    SELECT nextval('case_number_seq') AS n FROM generate_series(1, ${caseCount}::int)`.execute(db);
  let next = 0;
  const cases = families.flatMap((f, i) =>
    f.cases.map((c, j) => {
      const n = Number(numbers.rows[next++]!.n);
      return {
        ...c,
        case_number: `HW-${c.opened_at.slice(0, 4)}-${String(n).padStart(6, '0')}`,
        owner: owners[i]!.agencyId,
        assignee: assignments[i]![j] ?? null,
      };
    }),
  );

  await insertRows(
    db,
    'persons',
    [
      ['id', 'uuid', (p) => p.id],
      ['sex', 'text', (p) => p.sex],
      ['birth_date_kind', 'text', (p) => p.birth_date_kind],
      ['birth_date_from', 'date', (p) => p.birth_date_from],
      ['birth_date_to', 'date', (p) => p.birth_date_to],
      ['place_of_birth', 'text', (p) => p.place_of_birth],
      ['place_of_birth_is_camp', 'boolean', (p) => p.place_of_birth_is_camp],
      ['whereabouts', 'text', (p) => p.whereabouts],
      ['whereabouts_detail', 'text', (p) => p.whereabouts_detail],
      ['flags', 'text[]', (p) => p.flags],
      ['owner_agency_id', 'uuid', (p) => p.owner],
    ],
    persons,
  );
  await insertRows(
    db,
    'person_names',
    [
      ['id', 'uuid', (n) => n.id],
      ['person_id', 'uuid', (n) => n.person_id],
      ['full_name', 'text', (n) => n.full_name],
      ['given_name', 'text', (n) => n.given_name],
      ['family_name', 'text', (n) => n.family_name],
      ['patronymic', 'text', (n) => n.patronymic],
      ['script', 'text', (n) => n.script],
      ['language', 'text', (n) => n.language],
      ['name_type', 'text', (n) => n.name_type],
      ['source', 'text', (n) => n.source],
      ['romanisation', 'text', (n) => n.romanisation],
      ['recorded_on', 'date', (n) => n.recorded_on],
      ['is_display', 'boolean', (n) => n.is_display],
    ],
    persons.flatMap((p) => p.names),
  );
  // Blocking keys of every name, so identity lookups find the seeded persons (ADR 0030).
  await insertNameKeys(
    db,
    persons.flatMap((p) => p.names),
  );
  await insertRows(
    db,
    'person_nationalities',
    [
      ['id', 'uuid', (n) => n.id],
      ['person_id', 'uuid', (n) => n.person_id],
      ['country', 'text', (n) => n.country],
      ['status', 'text', (n) => n.status],
    ],
    persons.flatMap((p) => p.nationalities),
  );
  await insertRows(
    db,
    'family_units',
    [
      ['id', 'uuid', (f) => f.familyUnit.id],
      ['reference', 'text', (f) => f.familyUnit.reference],
      ['owner_agency_id', 'uuid', (f) => f.owner],
    ],
    families.map((f, i) => ({ ...f, owner: owners[i]!.agencyId })),
  );
  await insertRows(
    db,
    'family_unit_members',
    [
      ['family_unit_id', 'uuid', (m) => m.family],
      ['person_id', 'uuid', (m) => m.person],
    ],
    families.flatMap((f) => f.familyUnit.members.map((person) => ({ family: f.familyUnit.id, person }))),
  );
  await insertRows(
    db,
    'relationships',
    [
      ['id', 'uuid', (r) => r.id],
      ['person_id', 'uuid', (r) => r.person_id],
      ['related_person_id', 'uuid', (r) => r.related_person_id],
      ['relation', 'text', (r) => r.relation],
      ['provenance', 'text', (r) => r.provenance],
    ],
    families.flatMap((f) => f.relationships),
  );
  await insertRows(
    db,
    'cases',
    [
      ['id', 'uuid', (c) => c.id],
      ['case_number', 'text', (c) => c.case_number],
      ['person_id', 'uuid', (c) => c.person_id],
      ['family_unit_id', 'uuid', (c) => c.family_unit_id],
      ['owner_agency_id', 'uuid', (c) => c.owner],
      ['assigned_user_id', 'uuid', (c) => c.assignee],
      ['stage', 'smallint', (c) => c.stage],
      ['status', 'text', (c) => c.status],
      ['opened_at', 'timestamptz', (c) => c.opened_at],
      ['closed_at', 'timestamptz', (c) => c.closed_at],
      ['close_reason', 'text', (c) => c.close_reason],
    ],
    cases,
  );
  await insertRows(
    db,
    'case_tracks',
    [
      ['case_id', 'uuid', (t) => t.case_id],
      ['track', 'text', (t) => t.track],
      ['status', 'text', (t) => t.status],
    ],
    cases.flatMap((c) => c.tracks.map((t) => ({ ...t, case_id: c.id }))),
  );
  return cases.length;
}
