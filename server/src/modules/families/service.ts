import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize } from '../access/access.ts';
import { addYears, todayIso } from '../persons/age.ts';
import { displayNames, findVisiblePersonRows, type PersonRow } from '../persons/repository.ts';
import { requireVisiblePerson } from '../persons/service.ts';
import type {
  CareArrangementInput,
  CreateRelationship,
  EndCareArrangement,
  relativeSchema,
  TracingRequestInput,
  UpdateTracingRequest,
} from './schemas.ts';

/** A parent is at least this many years older than their child (comparing the widest possible dates). */
export const MIN_PARENT_AGE_GAP_YEARS = 12;

type Relation = CreateRelationship['relation'];

/** A parent–child link as (parent, child), whichever way round it was recorded. */
function parentChild(personId: string, relatedId: string, relation: Relation) {
  if (relation === 'mother' || relation === 'father') return { parent: relatedId, child: personId };
  if (relation === 'child') return { parent: personId, child: relatedId };
  return null;
}

/** Is `candidate` a descendant of `ancestor` along recorded parent–child links? */
async function isDescendant(trx: Transaction<DB>, ancestor: string, candidate: string): Promise<boolean> {
  const result = await sql<{ found: number }>`
    WITH RECURSIVE descendants(id) AS (
      SELECT ${ancestor}::uuid
      UNION
      SELECT CASE WHEN r.relation = 'child' THEN r.related_person_id ELSE r.person_id END
      FROM relationships r
      JOIN descendants d
        ON (r.relation IN ('mother', 'father') AND r.related_person_id = d.id)
        OR (r.relation = 'child' AND r.person_id = d.id)
    )
    SELECT 1 AS found FROM descendants WHERE id = ${candidate}::uuid LIMIT 1`.execute(trx);
  return result.rows.length > 0;
}

/**
 * Refuses a parent–child link the dates make impossible: a child certainly older than the parent,
 * or a parent less than about twelve years older even comparing the parent's earliest possible date
 * of birth with the child's latest. Unknown dates are not evidence either way.
 */
function checkParentAge(parent: PersonRow, child: PersonRow): void {
  if (!parent.birth_date_from || !child.birth_date_to) return;
  if (child.birth_date_to < parent.birth_date_from) {
    throw new AppError('PARENT_AGE_IMPOSSIBLE', { details: { reason: 'child_older_than_parent' } });
  }
  if (addYears(parent.birth_date_from, MIN_PARENT_AGE_GAP_YEARS) > child.birth_date_to) {
    throw new AppError('PARENT_AGE_IMPOSSIBLE', {
      details: { reason: 'parent_too_young', minimumYears: MIN_PARENT_AGE_GAP_YEARS },
    });
  }
}

/**
 * Writes a relationship between two persons already checked visible, in the caller's transaction,
 * after the family checks: impossible parent–child ages, cycles (nobody is their own ancestor), a link
 * already recorded. `path` is where a refusal points (`details.path`). Audited.
 */
export async function insertRelationship(
  trx: Transaction<DB>,
  ctx: ServiceContext,
  person: PersonRow,
  related: PersonRow,
  input: { relation: Relation; provenance: CreateRelationship['provenance'] },
  path: string,
): Promise<string> {
  if (person.id === related.id) throw new AppError('RELATIONSHIP_SELF', { details: { path } });
  const link = parentChild(person.id, related.id, input.relation);
  if (link) {
    const rows = new Map([
      [person.id, person],
      [related.id, related],
    ]);
    try {
      checkParentAge(rows.get(link.parent)!, rows.get(link.child)!);
    } catch (error) {
      if (error instanceof AppError) {
        throw new AppError(error.code, { details: { ...error.details, path } });
      }
      throw error;
    }
    // The new parent must not already descend from the child: nobody is their own ancestor.
    if (await isDescendant(trx, link.child, link.parent)) {
      throw new AppError('RELATIONSHIP_CYCLE', { details: { path } });
    }
  }
  const existing = await trx
    .selectFrom('relationships')
    .select('id')
    .where('person_id', '=', person.id)
    .where('related_person_id', '=', related.id)
    .where('relation', '=', input.relation)
    .executeTakeFirst();
  if (existing) throw new AppError('RELATIONSHIP_EXISTS', { details: { relationshipId: existing.id, path } });
  const row = await trx
    .insertInto('relationships')
    .values({
      person_id: person.id,
      related_person_id: related.id,
      relation: input.relation,
      provenance: input.provenance,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, ctx.audit, {
    action: 'relationship.create',
    targetType: 'person',
    targetId: person.id,
    sections: ['family'],
    details: {
      relationshipId: row.id,
      relatedPersonId: related.id,
      relation: input.relation,
      provenance: input.provenance,
    },
  });
  return row.id;
}

/**
 * Records a relationship between two persons the actor can see. Links are made only by a worker,
 * never inferred from a shared surname: one family often holds several surnames.
 */
export async function addRelationship(ctx: ServiceContext, personId: string, input: CreateRelationship) {
  authorize(ctx.actor, 'persons:write');
  if (personId === input.relatedPersonId) {
    throw new AppError('RELATIONSHIP_SELF', { details: { path: 'body.relatedPersonId' } });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const person = await requireVisiblePerson(trx, ctx, personId, { lock: true });
    const [related] = await findVisiblePersonRows(trx, ctx.actor, [input.relatedPersonId]);
    if (!related) throw new AppError('PERSON_NOT_FOUND', { details: { path: 'body.relatedPersonId' } });
    await insertRelationship(trx, ctx, person, related, input, 'body.relatedPersonId');
    return loadFamily(trx, ctx, personId);
  });
}

/** Raises (or corrects) the provenance of a link: claimed → documented → DNA-confirmed. */
export async function setRelationshipProvenance(
  ctx: ServiceContext,
  relationshipId: string,
  provenance: 'claimed' | 'documented' | 'dna_confirmed',
) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('relationships')
      .selectAll()
      .where('id', '=', relationshipId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new AppError('RELATIONSHIP_NOT_FOUND');
    const visible = await findVisiblePersonRows(trx, ctx.actor, [row.person_id]);
    if (visible.length === 0) throw new AppError('RELATIONSHIP_NOT_FOUND');
    await trx.updateTable('relationships').set({ provenance }).where('id', '=', relationshipId).execute();
    await trx
      .insertInto('person_history')
      .values({
        person_id: row.person_id,
        field: 'relationships.provenance',
        before: JSON.stringify({ id: relationshipId, provenance: row.provenance }),
        after: JSON.stringify({ id: relationshipId, provenance }),
        changed_by: ctx.actor.userId,
      })
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'relationship.provenance',
      targetType: 'person',
      targetId: row.person_id,
      sections: ['family'],
      details: { relationshipId, from: row.provenance, to: provenance },
    });
    return loadFamily(trx, ctx, row.person_id);
  });
}

type Role = z.infer<typeof relativeSchema>['role'];

function inverseRole(relation: Relation, otherSex: string): Role {
  switch (relation) {
    case 'mother':
    case 'father':
      return 'child';
    case 'child':
      return otherSex === 'female' ? 'mother' : otherSex === 'male' ? 'father' : 'parent';
    case 'spouse':
      return 'spouse';
    case 'sibling':
      return 'sibling';
    case 'guardian':
      return 'ward';
    case 'caregiver':
      return 'cared_for';
  }
}

async function loadFamily(db: Transaction<DB>, ctx: ServiceContext, personId: string) {
  const rows = await db
    .selectFrom('relationships')
    .selectAll()
    .where((eb) => eb.or([eb('person_id', '=', personId), eb('related_person_id', '=', personId)]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const otherIds = [
    ...new Set(rows.map((r) => (r.person_id === personId ? r.related_person_id : r.person_id))),
  ];
  const visible = new Map((await findVisiblePersonRows(db, ctx.actor, otherIds)).map((p) => [p.id, p]));
  const names = await displayNames(db, [...visible.keys()]);
  const relatives = rows.map((r) => {
    const outgoing = r.person_id === personId;
    const other = outgoing ? r.related_person_id : r.person_id;
    const otherRow = visible.get(other);
    return {
      relationshipId: r.id,
      personId: other,
      displayName: names.get(other) ?? null,
      role: outgoing ? (r.relation as Role) : inverseRole(r.relation, otherRow?.sex ?? 'unknown'),
      provenance: r.provenance,
      whereabouts: otherRow?.whereabouts ?? null,
    };
  });
  const unitIds = (
    await db
      .selectFrom('family_unit_members')
      .select('family_unit_id')
      .where('person_id', '=', personId)
      .execute()
  ).map((r) => r.family_unit_id);
  const familyUnits = [];
  for (const unitId of unitIds) familyUnits.push(await loadFamilyUnit(db, ctx, unitId));
  const today = todayIso();
  const care = await db
    .selectFrom('care_arrangements')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('starts_on')
    .orderBy('created_at')
    .execute();
  const tracing = await db
    .selectFrom('tracing_requests')
    .selectAll()
    .where((eb) => eb.or([eb('sought_person_id', '=', personId), eb('requesting_person_id', '=', personId)]))
    .where('owner_agency_id', '=', ctx.actor.agencyId)
    .orderBy('opened_at')
    .execute();
  return {
    personId,
    relatives,
    familyUnits,
    careArrangements: care.map((c) => ({
      id: c.id,
      kind: c.kind,
      caregiverPersonId: c.caregiver_person_id,
      providerAgencyId: c.provider_agency_id,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      reason: c.reason,
      current: c.starts_on <= today && (c.ends_on === null || c.ends_on >= today),
    })),
    tracingRequests: tracing.map(toTracingRequest),
  };
}

/** The family graph around a person: relatives (also abroad, detained, dead), units, care, tracing. */
export async function getFamily(ctx: ServiceContext, personId: string) {
  authorize(ctx.actor, 'persons:read');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, personId);
    const family = await loadFamily(trx, ctx, personId);
    await recordAudit(trx, ctx.audit, {
      action: 'person.family.read',
      targetType: 'person',
      targetId: personId,
      sections: ['family', 'care', 'tracing'],
    });
    return family;
  });
}

async function loadFamilyUnit(db: Transaction<DB>, ctx: ServiceContext, unitId: string) {
  const unit = await db
    .selectFrom('family_units')
    .select(['id', 'reference'])
    .where('id', '=', unitId)
    .executeTakeFirstOrThrow();
  const members = await db
    .selectFrom('family_unit_members')
    .select('person_id')
    .where('family_unit_id', '=', unitId)
    .execute();
  const ids = members.map((m) => m.person_id);
  const visible = new Set((await findVisiblePersonRows(db, ctx.actor, ids)).map((p) => p.id));
  const names = await displayNames(db, [...visible]);
  return {
    id: unit.id,
    reference: unit.reference,
    members: ids.map((personId) => ({ personId, displayName: names.get(personId) ?? null })),
  };
}

async function requireVisibleFamilyUnit(trx: Transaction<DB>, ctx: ServiceContext, id: string) {
  const unit = await trx
    .selectFrom('family_units')
    .select(['id', 'owner_agency_id'])
    .where('id', '=', id)
    .where('owner_agency_id', '=', ctx.actor.agencyId)
    .executeTakeFirst();
  if (!unit) throw new AppError('FAMILY_UNIT_NOT_FOUND');
  return unit;
}

export async function createFamilyUnit(
  ctx: ServiceContext,
  input: { reference?: string | undefined; memberIds: string[] },
) {
  authorize(ctx.actor, 'persons:write');
  const memberIds = [...new Set(input.memberIds)];
  return ctx.db.transaction().execute(async (trx) => {
    const visible = await findVisiblePersonRows(trx, ctx.actor, memberIds);
    const seen = new Set(visible.map((p) => p.id));
    const missing = memberIds.findIndex((id) => !seen.has(id));
    if (missing >= 0)
      throw new AppError('PERSON_NOT_FOUND', { details: { path: `body.memberIds.${missing}` } });
    const unitId = await insertFamilyUnit(trx, ctx, memberIds, input.reference);
    return loadFamilyUnit(trx, ctx, unitId);
  });
}

/**
 * Writes a family unit of the actor's agency with these members (already checked visible) in the
 * caller's transaction, audited. The reference is generated when not given.
 */
export async function insertFamilyUnit(
  trx: Transaction<DB>,
  ctx: ServiceContext,
  memberIds: string[],
  reference?: string,
): Promise<string> {
  const unit = await trx
    .insertInto('family_units')
    .values({
      reference: reference ?? `FAM-${randomBytes(5).toString('hex').toUpperCase()}`,
      owner_agency_id: ctx.actor.agencyId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('family_unit_members')
    .values(memberIds.map((person_id) => ({ family_unit_id: unit.id, person_id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  await recordAudit(trx, ctx.audit, {
    action: 'family_unit.create',
    targetType: 'family_unit',
    targetId: unit.id,
    details: { members: memberIds },
  });
  return unit.id;
}

export async function addFamilyUnitMember(ctx: ServiceContext, unitId: string, personId: string) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleFamilyUnit(trx, ctx, unitId);
    await requireVisiblePerson(trx, ctx, personId);
    await trx
      .insertInto('family_unit_members')
      .values({ family_unit_id: unitId, person_id: personId })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'family_unit.member.add',
      targetType: 'family_unit',
      targetId: unitId,
      details: { personId },
    });
    return loadFamilyUnit(trx, ctx, unitId);
  });
}

export async function getFamilyUnit(ctx: ServiceContext, unitId: string) {
  authorize(ctx.actor, 'persons:read');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisibleFamilyUnit(trx, ctx, unitId);
    const unit = await loadFamilyUnit(trx, ctx, unitId);
    await recordAudit(trx, ctx.audit, {
      action: 'family_unit.read',
      targetType: 'family_unit',
      targetId: unitId,
      sections: ['family'],
    });
    return unit;
  });
}

/**
 * Records where and with whom a child lives. Family-based care comes first: an institution is
 * accepted only with the reason family-based care is not possible (the schema insists), and a new
 * arrangement ends the current one the day it starts.
 */
export async function addCareArrangement(ctx: ServiceContext, personId: string, input: CareArrangementInput) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    await requireVisiblePerson(trx, ctx, personId, { lock: true });
    if (input.caregiverPersonId) {
      if (input.caregiverPersonId === personId) {
        throw new AppError('RELATIONSHIP_SELF', { details: { path: 'body.caregiverPersonId' } });
      }
      const [caregiver] = await findVisiblePersonRows(trx, ctx.actor, [input.caregiverPersonId]);
      if (!caregiver) throw new AppError('PERSON_NOT_FOUND', { details: { path: 'body.caregiverPersonId' } });
    }
    if (input.providerAgencyId) {
      const agency = await trx
        .selectFrom('agencies')
        .select('id')
        .where('id', '=', input.providerAgencyId)
        .executeTakeFirst();
      if (!agency) throw new AppError('AGENCY_NOT_FOUND', { details: { path: 'body.providerAgencyId' } });
    }
    await trx
      .updateTable('care_arrangements')
      .set({ ends_on: input.startsOn })
      .where('person_id', '=', personId)
      .where('ends_on', 'is', null)
      .where('starts_on', '<=', input.startsOn)
      .execute();
    const row = await trx
      .insertInto('care_arrangements')
      .values({
        person_id: personId,
        kind: input.kind,
        caregiver_person_id: input.caregiverPersonId,
        provider_agency_id: input.providerAgencyId,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        reason: input.reason,
        recorded_by: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'care_arrangement.create',
      targetType: 'person',
      targetId: personId,
      sections: ['care'],
      details: { careArrangementId: row.id, kind: input.kind },
    });
    return loadFamily(trx, ctx, personId);
  });
}

/**
 * Ends a care arrangement (a placement that broke down, a child reunified): the day it ends is
 * recorded, never the row deleted, so the history of where the child lived stays whole. An
 * arrangement that has already ended cannot be ended again; one with a planned end may be ended
 * earlier or later.
 */
export async function endCareArrangement(
  ctx: ServiceContext,
  arrangementId: string,
  input: EndCareArrangement,
) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('care_arrangements')
      .selectAll()
      .where('id', '=', arrangementId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new AppError('CARE_ARRANGEMENT_NOT_FOUND');
    const visible = await findVisiblePersonRows(trx, ctx.actor, [row.person_id]);
    if (visible.length === 0) throw new AppError('CARE_ARRANGEMENT_NOT_FOUND');
    if (row.ends_on !== null && row.ends_on < todayIso()) {
      throw new AppError('CARE_ARRANGEMENT_ENDED', { details: { path: 'body.endsOn', endsOn: row.ends_on } });
    }
    if (input.endsOn < row.starts_on) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'endsOn must not be before the arrangement started',
        details: { path: 'body.endsOn', startsOn: row.starts_on },
      });
    }
    await trx
      .updateTable('care_arrangements')
      .set({ ends_on: input.endsOn })
      .where('id', '=', arrangementId)
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'care_arrangement.end',
      targetType: 'person',
      targetId: row.person_id,
      sections: ['care'],
      details: { careArrangementId: arrangementId, from: row.ends_on, to: input.endsOn },
    });
    return loadFamily(trx, ctx, row.person_id);
  });
}

function toTracingRequest(r: {
  id: string;
  sought_person_id: string;
  requesting_person_id: string | null;
  family_unit_id: string | null;
  status: 'open' | 'located' | 'not_found' | 'withdrawn';
  last_known_location: string | null;
  opened_at: Date;
  closed_at: Date | null;
  version: number;
}) {
  return {
    id: r.id,
    soughtPersonId: r.sought_person_id,
    requestingPersonId: r.requesting_person_id,
    familyUnitId: r.family_unit_id,
    status: r.status,
    lastKnownLocation: r.last_known_location,
    openedAt: r.opened_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    version: r.version,
  };
}

/** Opens a tracing request for a relative, who is a person too (whereabouts unknown, abroad…). */
export async function openTracingRequest(ctx: ServiceContext, input: TracingRequestInput) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    const ids = [input.soughtPersonId, ...(input.requestingPersonId ? [input.requestingPersonId] : [])];
    const visible = await findVisiblePersonRows(trx, ctx.actor, ids);
    if (!visible.some((p) => p.id === input.soughtPersonId)) {
      throw new AppError('PERSON_NOT_FOUND', { details: { path: 'body.soughtPersonId' } });
    }
    if (input.requestingPersonId && !visible.some((p) => p.id === input.requestingPersonId)) {
      throw new AppError('PERSON_NOT_FOUND', { details: { path: 'body.requestingPersonId' } });
    }
    if (input.familyUnitId) await requireVisibleFamilyUnit(trx, ctx, input.familyUnitId);
    const row = await trx
      .insertInto('tracing_requests')
      .values({
        sought_person_id: input.soughtPersonId,
        requesting_person_id: input.requestingPersonId,
        family_unit_id: input.familyUnitId,
        owner_agency_id: ctx.actor.agencyId,
        last_known_location: input.lastKnownLocation,
        created_by: ctx.actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'tracing_request.create',
      targetType: 'tracing_request',
      targetId: row.id,
      details: { soughtPersonId: input.soughtPersonId },
    });
    return toTracingRequest(row);
  });
}

export async function updateTracingRequest(ctx: ServiceContext, id: string, input: UpdateTracingRequest) {
  authorize(ctx.actor, 'persons:write');
  return ctx.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('tracing_requests')
      .selectAll()
      .where('id', '=', id)
      .where('owner_agency_id', '=', ctx.actor.agencyId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('TRACING_REQUEST_NOT_FOUND');
    if (current.version !== input.version) {
      throw new AppError('VERSION_CONFLICT', {
        details: { path: 'body.version', currentVersion: current.version },
      });
    }
    const closing = input.status !== undefined && input.status !== 'open';
    const row = await trx
      .updateTable('tracing_requests')
      .set((eb) => ({
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.lastKnownLocation !== undefined ? { last_known_location: input.lastKnownLocation } : {}),
        closed_at: closing ? new Date() : input.status === 'open' ? null : current.closed_at,
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'tracing_request.update',
      targetType: 'tracing_request',
      targetId: id,
      details: { fields: Object.keys(input).filter((k) => k !== 'version'), status: row.status },
    });
    return toTracingRequest(row);
  });
}
