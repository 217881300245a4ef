import type { Transaction } from 'kysely';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { DB, PersonNamesTable } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize } from '../access/access.ts';
import { maskAll, maskFields } from '../access/masking.ts';
import { refreshNameKeys } from '../identity/keys-repository.ts';
import { todayIso } from './age.ts';
import {
  birthDateOf,
  findVisiblePersonRow,
  loadPerson,
  type PersonRow,
  recordHistory,
} from './repository.ts';
import type {
  BirthDateInput,
  CreatePerson,
  documentInputSchema,
  evidenceInputSchema,
  NameInput,
  nationalityInputSchema,
  UpdatePerson,
  updateDocumentSchema,
} from './schemas.ts';

/** Sections of a person record, as named in the audit trail's `sections`. */
export const PERSON_SECTIONS = ['identity', 'names', 'nationality', 'documents', 'vulnerability'] as const;

/** A date of birth as stored: a range, with exact and year-only as special ranges. */
export function birthRange(input: BirthDateInput): {
  birth_date_kind: PersonRow['birth_date_kind'];
  birth_date_from: string | null;
  birth_date_to: string | null;
} {
  switch (input.kind) {
    case 'exact':
      return { birth_date_kind: 'exact', birth_date_from: input.date, birth_date_to: input.date };
    case 'year': {
      const today = todayIso();
      const end = `${input.year}-12-31`;
      return {
        birth_date_kind: 'year',
        birth_date_from: `${input.year}-01-01`,
        birth_date_to: end > today ? today : end,
      };
    }
    case 'range':
      return { birth_date_kind: 'range', birth_date_from: input.from, birth_date_to: input.to };
    case 'unknown':
      return { birth_date_kind: 'unknown', birth_date_from: null, birth_date_to: null };
  }
}

/** The row of a visible person, or 404 PERSON_NOT_FOUND — the same answer as for one that does not exist. */
export async function requireVisiblePerson(
  db: ServiceContext['db'] | Transaction<DB>,
  ctx: ServiceContext,
  id: string,
  options: { lock?: boolean } = {},
): Promise<PersonRow> {
  const row = await findVisiblePersonRow(db, ctx.actor, id, options);
  if (!row) throw new AppError('PERSON_NOT_FOUND');
  return row;
}

function nameRow(personId: string, name: NameInput, isDisplay: boolean) {
  return {
    person_id: personId,
    full_name: name.fullName,
    given_name: name.givenName,
    family_name: name.familyName,
    patronymic: name.patronymic,
    script: name.script,
    language: name.language,
    // 'nisba' is added to the column's CHECK by migration 0010; schema.ts predates it.
    name_type: name.nameType as PersonNamesTable['name_type'],
    source: name.source,
    romanisation: name.romanisation,
    recorded_on: name.recordedOn ?? todayIso(),
    is_display: isDisplay,
  };
}

/** Bumps the person's version and timestamp after a change to one of its parts (names, photos…). */
export async function touchPerson(trx: Transaction<DB>, id: string): Promise<void> {
  await trx
    .updateTable('persons')
    .set((eb) => ({ updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

async function lockForVersion(trx: Transaction<DB>, ctx: ServiceContext, id: string, version: number) {
  const row = await requireVisiblePerson(trx, ctx, id, { lock: true });
  if (row.version !== version) {
    throw new AppError('VERSION_CONFLICT', {
      details: { path: 'body.version', currentVersion: row.version },
    });
  }
  return row;
}

export async function registerPerson(ctx: ServiceContext, input: CreatePerson) {
  authorize(ctx.actor, 'persons:write');
  checkDisplayNames(input);
  return ctx.db
    .transaction()
    .execute(async (trx) => loadMaskedPerson(trx, ctx, await insertPerson(trx, ctx, input)));
}

function checkDisplayNames(input: CreatePerson): number {
  const displayIndexes = input.names.flatMap((n, i) => (n.isDisplay ? [i] : []));
  if (displayIndexes.length > 1) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'Only one name can be the display name',
      details: { path: `body.names.${displayIndexes[1]}.isDisplay` },
    });
  }
  return displayIndexes[0] ?? 0;
}

/**
 * Writes a new person with names, nationality claims and documents in the caller's transaction,
 * with the name keys of the identity module and the audit entry. The caller has authorised
 * `persons:write`; the person belongs to the actor's agency.
 */
export async function insertPerson(trx: Transaction<DB>, ctx: ServiceContext, input: CreatePerson) {
  const displayIndex = checkDisplayNames(input);
  const row = await trx
    .insertInto('persons')
    .values({
      sex: input.sex,
      ...birthRange(input.birthDate),
      place_of_birth: input.placeOfBirth,
      place_of_birth_is_camp: input.placeOfBirthIsCamp,
      whereabouts: input.whereabouts,
      whereabouts_detail: input.whereaboutsDetail,
      flags: [...new Set(input.flags)].sort(),
      owner_agency_id: ctx.actor.agencyId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('person_names')
    .values(input.names.map((name, i) => nameRow(row.id, name, i === displayIndex)))
    .execute();
  if (input.nationalities.length > 0) {
    await trx
      .insertInto('person_nationalities')
      .values(input.nationalities.map((n) => ({ person_id: row.id, country: n.country, status: n.status })))
      .execute();
  }
  if (input.documents.length > 0) {
    await trx
      .insertInto('person_documents')
      .values(input.documents.map((d) => documentRow(row.id, d)))
      .execute();
  }
  await refreshNameKeys(trx, [row.id]);
  await recordAudit(trx, ctx.audit, {
    action: 'person.create',
    targetType: 'person',
    targetId: row.id,
    sections: [...PERSON_SECTIONS],
    details: { names: input.names.length, flags: [...new Set(input.flags)].sort() },
  });
  return row;
}

function documentRow(personId: string, d: z.infer<typeof documentInputSchema>) {
  return {
    person_id: personId,
    document_type: d.documentType,
    number: d.number,
    issuer: d.issuer,
    status: d.status,
    issued_on: d.issuedOn,
    expires_on: d.expiresOn,
  };
}

/** A person's whole record; the read is audited with the sections it returned. */
export async function getPerson(ctx: ServiceContext, id: string) {
  authorize(ctx.actor, 'persons:read');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await requireVisiblePerson(trx, ctx, id);
    const person = await loadMaskedPerson(trx, ctx, row);
    await recordAudit(trx, ctx.audit, {
      action: 'person.read',
      targetType: 'person',
      targetId: id,
      sections: [...PERSON_SECTIONS],
    });
    return person;
  });
}

export async function addName(ctx: ServiceContext, id: string, input: NameInput) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, id, { lock: true });
    const previousDisplay = input.isDisplay
      ? await trx
          .updateTable('person_names')
          .set({ is_display: false })
          .where('person_id', '=', id)
          .where('is_display', '=', true)
          .returning('id')
          .executeTakeFirst()
      : undefined;
    const name = await trx
      .insertInto('person_names')
      .values(nameRow(id, input, input.isDisplay))
      .returning('id')
      .executeTakeFirstOrThrow();
    const changes: { field: string; before: unknown; after: unknown }[] = [
      { field: 'names', before: null, after: { added: name.id } },
    ];
    if (input.isDisplay) {
      changes.push({ field: 'displayName', before: previousDisplay?.id ?? null, after: name.id });
    }
    await recordHistory(trx, id, ctx.actor.userId, changes);
    await touchPerson(trx, id);
    await refreshNameKeys(trx, [id]);
    await recordAudit(trx, ctx.audit, {
      action: 'person.name.add',
      targetType: 'person',
      targetId: id,
      sections: ['names'],
      details: { nameId: name.id, nameType: input.nameType, display: input.isDisplay },
    });
    return loadMaskedPerson(trx, ctx, (await findVisiblePersonRow(trx, ctx.actor, id))!);
  });
}

export async function setDisplayName(
  ctx: ServiceContext,
  id: string,
  input: { nameId: string; version: number },
) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    await lockForVersion(trx, ctx, id, input.version);
    const name = await trx
      .selectFrom('person_names')
      .select(['id', 'is_display'])
      .where('id', '=', input.nameId)
      .where('person_id', '=', id)
      .executeTakeFirst();
    if (!name) throw new AppError('NAME_NOT_FOUND', { details: { path: 'body.nameId' } });
    if (!name.is_display) {
      const previous = await trx
        .updateTable('person_names')
        .set({ is_display: false })
        .where('person_id', '=', id)
        .where('is_display', '=', true)
        .returning('id')
        .executeTakeFirst();
      await trx.updateTable('person_names').set({ is_display: true }).where('id', '=', name.id).execute();
      await recordHistory(trx, id, ctx.actor.userId, [
        { field: 'displayName', before: previous?.id ?? null, after: name.id },
      ]);
      await touchPerson(trx, id);
      await refreshNameKeys(trx, [id]);
      await recordAudit(trx, ctx.audit, {
        action: 'person.update',
        targetType: 'person',
        targetId: id,
        sections: ['names'],
        details: { fields: ['displayName'] },
      });
    }
    return loadMaskedPerson(trx, ctx, (await findVisiblePersonRow(trx, ctx.actor, id))!);
  });
}

type Change = { field: string; before: unknown; after: unknown };

export async function updatePerson(ctx: ServiceContext, id: string, input: UpdatePerson) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    const current = await lockForVersion(trx, ctx, id, input.version);
    const next: Partial<PersonRow> = {};
    const changes: Change[] = [];
    const consider = <K extends keyof PersonRow>(
      field: string,
      column: K,
      value: PersonRow[K] | undefined,
    ) => {
      if (value === undefined || JSON.stringify(current[column]) === JSON.stringify(value)) return;
      next[column] = value;
      changes.push({ field, before: current[column], after: value });
    };
    consider('sex', 'sex', input.sex);
    if (input.birthDate) {
      const range = birthRange(input.birthDate);
      const before = birthDateOf(current);
      const after = { kind: range.birth_date_kind, from: range.birth_date_from, to: range.birth_date_to };
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        Object.assign(next, range);
        changes.push({ field: 'birthDate', before, after });
      }
    }
    consider('placeOfBirth', 'place_of_birth', input.placeOfBirth);
    consider('placeOfBirthIsCamp', 'place_of_birth_is_camp', input.placeOfBirthIsCamp);
    consider('whereabouts', 'whereabouts', input.whereabouts);
    consider('whereaboutsDetail', 'whereabouts_detail', input.whereaboutsDetail);
    if (input.flags) {
      const flags = [...new Set(input.flags)].sort();
      const before = [...current.flags].sort();
      if (JSON.stringify(before) !== JSON.stringify(flags)) {
        next.flags = flags;
        changes.push({ field: 'flags', before, after: flags });
      }
    }
    if (changes.length === 0) return loadMaskedPerson(trx, ctx, current);
    const { id: _id, created_at: _c, version: _v, ...settable } = next;
    const row = await trx
      .updateTable('persons')
      .set((eb) => ({ ...settable, updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', input.version)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordHistory(trx, id, ctx.actor.userId, changes);
    await recordAudit(trx, ctx.audit, {
      action: 'person.update',
      targetType: 'person',
      targetId: id,
      sections: changes.map((c) => (c.field === 'flags' ? 'vulnerability' : 'identity')),
      details: { fields: changes.map((c) => c.field) },
    });
    return loadMaskedPerson(trx, ctx, row);
  });
}

export async function addNationality(
  ctx: ServiceContext,
  id: string,
  input: z.infer<typeof nationalityInputSchema>,
) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, id, { lock: true });
    const row = await trx
      .insertInto('person_nationalities')
      .values({ person_id: id, country: input.country, status: input.status })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordHistory(trx, id, ctx.actor.userId, [
      {
        field: 'nationalities',
        before: null,
        after: { id: row.id, country: input.country, status: input.status },
      },
    ]);
    await touchPerson(trx, id);
    await recordAudit(trx, ctx.audit, {
      action: 'person.nationality.add',
      targetType: 'person',
      targetId: id,
      sections: ['nationality'],
      details: { nationalityId: row.id, status: input.status },
    });
    return loadMaskedPerson(trx, ctx, (await findVisiblePersonRow(trx, ctx.actor, id))!);
  });
}

async function requireNationality(trx: Transaction<DB>, personId: string, nationalityId: string) {
  const row = await trx
    .selectFrom('person_nationalities')
    .selectAll()
    .where('id', '=', nationalityId)
    .where('person_id', '=', personId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError('NATIONALITY_NOT_FOUND');
  return row;
}

/** Accepts or rejects a nationality claim; the change is kept in the person's history. */
export async function setNationalityStatus(
  ctx: ServiceContext,
  id: string,
  nationalityId: string,
  status: 'claimed' | 'verified' | 'rejected',
) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, id, { lock: true });
    const current = await requireNationality(trx, id, nationalityId);
    if (current.status !== status) {
      await trx.updateTable('person_nationalities').set({ status }).where('id', '=', nationalityId).execute();
      await recordHistory(trx, id, ctx.actor.userId, [
        {
          field: 'nationalities.status',
          before: { id: nationalityId, status: current.status },
          after: { id: nationalityId, status },
        },
      ]);
      await touchPerson(trx, id);
      await recordAudit(trx, ctx.audit, {
        action: 'person.nationality.status',
        targetType: 'person',
        targetId: id,
        sections: ['nationality'],
        details: { nationalityId, from: current.status, to: status },
      });
    }
    return loadMaskedPerson(trx, ctx, (await findVisiblePersonRow(trx, ctx.actor, id))!);
  });
}

export async function addNationalityEvidence(
  ctx: ServiceContext,
  id: string,
  nationalityId: string,
  input: z.infer<typeof evidenceInputSchema>,
) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, id, { lock: true });
    await requireNationality(trx, id, nationalityId);
    const row = await trx
      .insertInto('nationality_evidence')
      .values({
        nationality_id: nationalityId,
        kind: input.kind,
        reference: input.reference,
        outcome: input.outcome,
        recorded_on: input.recordedOn ?? todayIso(),
        recorded_by: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordHistory(trx, id, ctx.actor.userId, [
      { field: 'nationalities.evidence', before: null, after: { nationalityId, evidenceId: row.id } },
    ]);
    await touchPerson(trx, id);
    await recordAudit(trx, ctx.audit, {
      action: 'person.nationality.evidence',
      targetType: 'person',
      targetId: id,
      sections: ['nationality'],
      details: { nationalityId, evidenceId: row.id, kind: input.kind, outcome: input.outcome },
    });
    return loadMaskedPerson(trx, ctx, (await findVisiblePersonRow(trx, ctx.actor, id))!);
  });
}

export async function addDocument(
  ctx: ServiceContext,
  id: string,
  input: z.infer<typeof documentInputSchema>,
) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, id, { lock: true });
    const row = await trx
      .insertInto('person_documents')
      .values(documentRow(id, input))
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordHistory(trx, id, ctx.actor.userId, [
      {
        field: 'documents',
        before: null,
        after: { id: row.id, type: input.documentType, status: input.status },
      },
    ]);
    await touchPerson(trx, id);
    await recordAudit(trx, ctx.audit, {
      action: 'person.document.add',
      targetType: 'person',
      targetId: id,
      sections: ['documents'],
      details: { documentId: row.id, documentType: input.documentType, status: input.status },
    });
    return loadMaskedPerson(trx, ctx, (await findVisiblePersonRow(trx, ctx.actor, id))!);
  });
}

export async function updateDocument(
  ctx: ServiceContext,
  id: string,
  documentId: string,
  input: z.infer<typeof updateDocumentSchema>,
) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, id, { lock: true });
    const current = await trx
      .selectFrom('person_documents')
      .selectAll()
      .where('id', '=', documentId)
      .where('person_id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('DOCUMENT_NOT_FOUND');
    if (current.version !== input.version) {
      throw new AppError('VERSION_CONFLICT', {
        details: { path: 'body.version', currentVersion: current.version },
      });
    }
    const columns = {
      number: input.number,
      issuer: input.issuer,
      status: input.status,
      issued_on: input.issuedOn,
      expires_on: input.expiresOn,
    } as const;
    const set: Record<string, unknown> = {};
    const changes: Change[] = [];
    for (const [column, value] of Object.entries(columns)) {
      const before = current[column as keyof typeof columns];
      if (value === undefined || before === value) continue;
      set[column] = value;
      changes.push({ field: `documents.${column}`, before: { id: documentId, value: before }, after: value });
    }
    if (changes.length > 0) {
      await trx
        .updateTable('person_documents')
        .set((eb) => ({ ...set, updated_at: new Date(), version: eb('version', '+', 1) }))
        .where('id', '=', documentId)
        .execute();
      await recordHistory(trx, id, ctx.actor.userId, changes);
      await touchPerson(trx, id);
      await recordAudit(trx, ctx.audit, {
        action: 'person.document.update',
        targetType: 'person',
        targetId: id,
        sections: ['documents'],
        details: { documentId, fields: changes.map((c) => c.field) },
      });
    }
    return loadMaskedPerson(trx, ctx, (await findVisiblePersonRow(trx, ctx.actor, id))!);
  });
}

/** Every recorded change of a person, oldest first; reading it is audited. */
export async function getPersonHistory(ctx: ServiceContext, id: string) {
  authorize(ctx.actor, 'persons:read');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, id);
    const rows = await trx
      .selectFrom('person_history')
      .selectAll()
      .where('person_id', '=', id)
      .orderBy('id')
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'person.history.read',
      targetType: 'person',
      targetId: id,
      sections: ['history'],
    });
    // A sensitive field's history is masked like the field itself: before and after alike.
    const befores = await maskAll(
      trx,
      ctx.actor,
      'person',
      rows.map((r) => ({ [r.field]: r.before })),
    );
    const afters = await maskAll(
      trx,
      ctx.actor,
      'person',
      rows.map((r) => ({ [r.field]: r.after })),
    );
    return rows.map((r, i) => ({
      id: r.id,
      field: r.field,
      before: befores[i]?.[r.field] ?? r.before,
      after: afters[i]?.[r.field] ?? r.after,
      changedBy: r.changed_by,
      changedAt: r.changed_at.toISOString(),
    }));
  });
}

/** Every person record leaves this module through field masking (access/masking.ts). */
async function loadMaskedPerson(
  trx: Transaction<DB>,
  ctx: ServiceContext,
  row: Parameters<typeof loadPerson>[1],
) {
  return maskFields(trx, ctx.actor, 'person', await loadPerson(trx, row));
}
