import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { AssessmentsTable, InstrumentVersionsTable } from '../../platform/db/tables/assessments.ts';
import { type InstrumentDefinition, parseInstrument } from './instrument.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type InstrumentVersionRow = Selectable<InstrumentVersionsTable>;
export type AssessmentRow = Selectable<AssessmentsTable>;

export interface LoadedInstrument {
  row: InstrumentVersionRow;
  definition: InstrumentDefinition;
}

/** Parsed definitions by row id and checksum: a published version never changes, nor does its parse. */
const parsedCache = new Map<string, InstrumentDefinition>();

export function definitionOf(row: InstrumentVersionRow): InstrumentDefinition {
  const cacheKey = `${row.id}:${row.sha256}`;
  const cached = parsedCache.get(cacheKey);
  if (cached) return cached;
  const parsed = parseInstrument(row.definition);
  // Stored definitions were validated on import; a failure here is a server fault, not the caller's.
  if (!parsed.ok) throw new Error(`stored instrument version ${row.id} no longer parses`);
  if (parsedCache.size > 500) parsedCache.clear();
  parsedCache.set(cacheKey, parsed.definition);
  return parsed.definition;
}

export async function findInstrumentVersion(
  db: Executor,
  code: string,
  version?: number,
  options: { publishedOnly?: boolean; anyStatus?: boolean } = {},
): Promise<LoadedInstrument | null> {
  let query = db.selectFrom('instrument_versions').selectAll().where('code', '=', code);
  if (version !== undefined) query = query.where('version', '=', version);
  // Without a version: the latest published one, unless any status will do.
  if (options.publishedOnly || (version === undefined && !options.anyStatus)) {
    query = query.where('status', '=', 'published');
  }
  const row = await query.orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? { row, definition: definitionOf(row) } : null;
}

export async function findInstrumentVersionById(db: Executor, id: string): Promise<LoadedInstrument> {
  const row = await db
    .selectFrom('instrument_versions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { row, definition: definitionOf(row) };
}

/** The latest published version of every instrument. */
export async function latestPublishedInstruments(db: Executor): Promise<LoadedInstrument[]> {
  const rows = await db
    .selectFrom('instrument_versions')
    .selectAll()
    .distinctOn('code')
    .where('status', '=', 'published')
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
  return rows.map((row) => ({ row, definition: definitionOf(row) }));
}

export async function findAssessmentRow(db: Executor, id: string, options: { lock?: boolean } = {}) {
  let query = db.selectFrom('assessments').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The case's stage and its person's sex and date-of-birth range: what eligibility is decided on. */
export async function findCaseSubject(db: Executor, caseId: string) {
  return db
    .selectFrom('cases')
    .innerJoin('persons', 'persons.id', 'cases.person_id')
    .select([
      'cases.id as caseId',
      'cases.stage',
      'cases.status',
      'cases.person_id as personId',
      'persons.sex',
      'persons.birth_date_from',
      'persons.birth_date_to',
    ])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
}

export async function hasCurrentQualification(
  db: Executor,
  userId: string,
  instrumentCode: string,
  today: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('assessor_qualifications')
    .select('id')
    .where('user_id', '=', userId)
    .where('instrument_code', '=', instrumentCode)
    .where('expires_on', '>=', today)
    .where('revoked_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function ratingsOf(db: Executor, assessmentId: string) {
  return db
    .selectFrom('assessment_ratings')
    .selectAll()
    .where('assessment_id', '=', assessmentId)
    .orderBy('updated_at')
    .execute();
}

export function disagreementsOf(db: Executor, assessmentId: string) {
  return db
    .selectFrom('assessment_disagreements')
    .selectAll()
    .where('assessment_id', '=', assessmentId)
    .orderBy('item_id')
    .execute();
}
