import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Actor } from '../../platform/auth/actor.ts';
import type { DB, PersonsTable } from '../../platform/db/schema.ts';
import type { PersonPhotosTable } from '../../platform/db/tables/person-photos.ts';
import { personVisibilityFilter } from '../access/access.ts';
import { deriveAge, todayIso } from './age.ts';
import type { Person, PersonPhoto } from './schemas.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type PersonRow = Selectable<PersonsTable>;

/** The person row, only if the actor may see it; `lock` takes a row lock for an update. */
export async function findVisiblePersonRow(
  db: Executor,
  actor: Actor,
  id: string,
  options: { lock?: boolean } = {},
): Promise<PersonRow | undefined> {
  let query = db.selectFrom('persons').selectAll().where('id', '=', id).where(personVisibilityFilter(actor));
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The visible persons among these ids (for links between persons). */
export async function findVisiblePersonRows(db: Executor, actor: Actor, ids: string[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('persons')
    .selectAll()
    .where('id', 'in', ids)
    .where(personVisibilityFilter(actor))
    .execute();
}

/** Display names of persons, by id (for lists and family graphs). */
export async function displayNames(db: Executor, personIds: string[]): Promise<Map<string, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('person_names')
    .select(['person_id', 'full_name'])
    .where('person_id', 'in', personIds)
    .where('is_display', '=', true)
    .execute();
  return new Map(rows.map((r) => [r.person_id, r.full_name]));
}

export function birthDateOf(row: Pick<PersonRow, 'birth_date_kind' | 'birth_date_from' | 'birth_date_to'>) {
  return { kind: row.birth_date_kind, from: row.birth_date_from, to: row.birth_date_to };
}

/** The whole person: names, nationality claims with their evidence, identity documents. */
export async function loadPerson(db: Executor, row: PersonRow): Promise<Person> {
  // Sequential on purpose: inside a transaction the connection runs one statement at a time anyway.
  const names = await db
    .selectFrom('person_names')
    .selectAll()
    .where('person_id', '=', row.id)
    .orderBy('is_display', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const nationalities = await db
    .selectFrom('person_nationalities')
    .selectAll()
    .where('person_id', '=', row.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const documents = await db
    .selectFrom('person_documents')
    .selectAll()
    .where('person_id', '=', row.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const evidence =
    nationalities.length === 0
      ? []
      : await db
          .selectFrom('nationality_evidence')
          .selectAll()
          .where(
            'nationality_id',
            'in',
            nationalities.map((n) => n.id),
          )
          .orderBy('created_at')
          .orderBy('id')
          .execute();
  const photo = await db
    .selectFrom('person_photos')
    .select(PHOTO_METADATA_COLUMNS)
    .where('person_id', '=', row.id)
    .where('is_current', '=', true)
    .executeTakeFirst();
  const display = names.find((n) => n.is_display);
  return {
    id: row.id,
    displayName: display?.full_name ?? null,
    sex: row.sex,
    birthDate: birthDateOf(row),
    age: deriveAge(row.birth_date_from, row.birth_date_to, todayIso()),
    placeOfBirth: row.place_of_birth,
    placeOfBirthIsCamp: row.place_of_birth_is_camp,
    whereabouts: row.whereabouts,
    whereaboutsDetail: row.whereabouts_detail,
    flags: [...row.flags].sort(),
    ownerAgencyId: row.owner_agency_id,
    names: names.map((n) => ({
      id: n.id,
      fullName: n.full_name,
      givenName: n.given_name,
      familyName: n.family_name,
      patronymic: n.patronymic,
      script: n.script,
      language: n.language,
      nameType: n.name_type,
      source: n.source as Person['names'][number]['source'],
      romanisation: n.romanisation,
      recordedOn: n.recorded_on,
      isDisplay: n.is_display,
    })),
    nationalities: nationalities.map((n) => ({
      id: n.id,
      country: n.country,
      status: n.status,
      evidence: evidence
        .filter((e) => e.nationality_id === n.id)
        .map((e) => ({
          id: e.id,
          kind: e.kind,
          reference: e.reference,
          outcome: e.outcome,
          recordedOn: e.recorded_on,
        })),
    })),
    documents: documents.map((d) => ({
      id: d.id,
      documentType: d.document_type as Person['documents'][number]['documentType'],
      number: d.number,
      issuer: d.issuer,
      status: d.status,
      issuedOn: d.issued_on,
      expiresOn: d.expires_on,
      version: d.version,
    })),
    photo: photo ? toPersonPhoto(photo) : null,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A photo's columns except its key material and image: what metadata reads select. */
export const PHOTO_METADATA_COLUMNS = [
  'id',
  'person_id',
  'content_type',
  'size_bytes',
  'sha256',
  'taken_on',
  'source',
  'is_current',
  'uploaded_by',
  'created_at',
  'removed_at',
  'removed_by',
  'removal_reason',
] as const satisfies readonly (keyof PersonPhotosTable)[];

export function toPersonPhoto(
  row: Pick<Selectable<PersonPhotosTable>, (typeof PHOTO_METADATA_COLUMNS)[number]>,
): PersonPhoto {
  return {
    id: row.id,
    personId: row.person_id,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    takenOn: row.taken_on,
    source: row.source,
    current: row.is_current,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at.toISOString(),
    removedAt: row.removed_at?.toISOString() ?? null,
    removedBy: row.removed_by,
    removalReason: row.removal_reason,
  };
}

/** Appends per-field history rows: who, when, before, after. */
export async function recordHistory(
  trx: Transaction<DB>,
  personId: string,
  changedBy: string,
  changes: { field: string; before: unknown; after: unknown }[],
): Promise<void> {
  if (changes.length === 0) return;
  await trx
    .insertInto('person_history')
    .values(
      changes.map((c) => ({
        person_id: personId,
        field: c.field,
        before: JSON.stringify(c.before ?? null),
        after: JSON.stringify(c.after ?? null),
        changed_by: changedBy,
      })),
    )
    .execute();
}
