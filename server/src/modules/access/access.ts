import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import type { Actor } from '../../platform/auth/actor.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Permission } from './permissions.ts';

/**
 * The one entry point every service function calls before touching data. Denied by default: an
 * actor holds exactly the permissions of their roles (narrowed by a token's scopes), nothing more.
 * Record-level rules (scope, agency, assignment, disclosures, break-glass) are the row filters below;
 * compartments and field sensitivity are `caseAccess` and `maskFields` (masking.ts).
 */
export function authorize(actor: Actor, permission: Permission): void {
  if (actor.permissions.has(permission)) return;
  if (actor.via === 'token' && actor.rolePermissions.has(permission)) {
    throw new AppError('TOKEN_SCOPE', { details: { required: permission } });
  }
  throw new AppError('FORBIDDEN', { details: { required: permission } });
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

type Executor = Kysely<DB> | Transaction<DB>;

/** The compartments of DOMAIN.md §4: each section of a case lives in one. */
export const compartments = [
  'protection',
  'justice',
  'security',
  'health',
  'education',
  'referral_packet',
] as const;
export type Compartment = (typeof compartments)[number];
/** What a disclosure may share: the compartments plus the identity section. */
export type Section = Compartment | 'identity';
export const sections: readonly Section[] = ['identity', ...compartments];

/** Which permissions read and write each compartment: any one of them suffices. */
export const compartmentPermissions: Record<Compartment, { read: Permission[]; write: Permission[] }> = {
  protection: { read: ['protection:read'], write: ['protection:write'] },
  justice: { read: ['justice:read'], write: ['justice:write'] },
  security: { read: ['security:read'], write: ['security:write'] },
  health: { read: ['health:read'], write: ['health:write'] },
  education: { read: ['education:read'], write: ['education:write'] },
  // The minimal packet a referral carries: readable by case readers and referral receivers.
  referral_packet: { read: ['cases:read', 'referrals:receive'], write: ['cases:write'] },
};

export function canReadCompartment(actor: Actor, compartment: Compartment): boolean {
  return compartmentPermissions[compartment].read.some((p) => actor.permissions.has(p));
}

export function canWriteCompartment(actor: Actor, compartment: Compartment): boolean {
  return compartmentPermissions[compartment].write.some((p) => actor.permissions.has(p));
}

/** Compartments the actor's roles read wherever the actor sees the case by scope. */
export function readableCompartments(actor: Actor): Compartment[] {
  return compartments.filter((c) => canReadCompartment(actor, c));
}

export function writableCompartments(actor: Actor): Compartment[] {
  return compartments.filter((c) => canWriteCompartment(actor, c));
}

/** Receivers of disclosures made to their agency: people who work on cases or receive referrals. */
function receivesAgencyDisclosures(actor: Actor): boolean {
  return can(actor, 'cases:read') || can(actor, 'referrals:receive');
}

const FALSE = sql<SqlBool>`false`;
const TRUE = sql<SqlBool>`true`;

function anyOf(parts: RawBuilder<SqlBool>[]): RawBuilder<SqlBool> {
  if (parts.length === 0) return FALSE;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/**
 * The part of visibility the actor's case scope gives (no disclosures, no break-glass), for a case row
 * whose owner and assignee columns are named. Cases need `cases:read`.
 */
function scopePredicate(actor: Actor, owner: RawBuilder<unknown>, assigned: RawBuilder<unknown>) {
  if (!can(actor, 'cases:read')) return FALSE;
  const me = actor.userId;
  switch (actor.caseScope) {
    case 'all':
      return TRUE;
    case 'jurisdiction':
      return anyOf([
        sql<SqlBool>`${owner} = ANY(ARRAY(SELECT a2.id FROM agencies a1
          JOIN agencies a2 ON a2.jurisdiction = a1.jurisdiction WHERE a1.id = ${actor.agencyId}))`,
        sql<SqlBool>`${owner} = ${actor.agencyId}`,
        sql<SqlBool>`${assigned} = ${me}`,
      ]);
    case 'agency':
      return anyOf([sql<SqlBool>`${owner} = ${actor.agencyId}`, sql<SqlBool>`${assigned} = ${me}`]);
    case 'team': {
      // My team: my supervisees, and the users who share my supervisor.
      const team = actor.supervisorId
        ? sql`ARRAY(SELECT u.id FROM users u WHERE u.supervisor_id = ${me} OR u.supervisor_id = ${actor.supervisorId})`
        : sql`ARRAY(SELECT u.id FROM users u WHERE u.supervisor_id = ${me})`;
      return anyOf([sql<SqlBool>`${assigned} = ${me}`, sql<SqlBool>`${assigned} = ANY(${team})`]);
    }
    case 'assigned':
      return sql<SqlBool>`${assigned} = ${me}`;
    case 'none':
      return FALSE;
    default: {
      const never: never = actor.caseScope;
      return never;
    }
  }
}

/** Disclosures running now to the actor: to their agency, or to a compartment their roles read. */
function activeDisclosureRecipients(actor: Actor, d: string): RawBuilder<SqlBool> | null {
  const parts: RawBuilder<SqlBool>[] = [];
  if (receivesAgencyDisclosures(actor))
    parts.push(sql<SqlBool>`${sql.ref(`${d}.recipient_agency_id`)} = ${actor.agencyId}`);
  const readable = readableCompartments(actor);
  if (readable.length > 0) {
    parts.push(sql<SqlBool>`${sql.ref(`${d}.recipient_compartment`)} = ANY(${readable}::text[])`);
  }
  if (parts.length === 0) return null;
  return sql<SqlBool>`${sql.ref(`${d}.revoked_at`)} IS NULL AND ${sql.ref(`${d}.expires_at`)} > now()
    AND ${anyOf(parts)}`;
}

/**
 * THE predicate builder: scope + assignment + agency + active disclosures + active break-glass grants,
 * compiled into one SQL boolean over a case row (alias `c`). Every row filter in Homeward is built here.
 * `forPerson` narrows disclosures to those sharing identity or the referral packet (what names a person).
 */
export function caseVisibleSql(actor: Actor, c: string, options: { forPerson?: boolean } = {}) {
  const id = sql.ref(`${c}.id`);
  const scope = scopePredicate(actor, sql.ref(`${c}.owner_agency_id`), sql.ref(`${c}.assigned_user_id`));
  if (scope === TRUE) return TRUE;
  const parts = scope === FALSE ? [] : [scope];
  const recipients = activeDisclosureRecipients(actor, 'd');
  if (recipients) {
    const identityOnly = options.forPerson
      ? sql` AND d.sections && ARRAY['identity', 'referral_packet']::text[]`
      : sql``;
    // `= ANY(ARRAY(subquery))`: computed once per query (an InitPlan) and an index condition on the primary
    // key, so PostgreSQL can OR it with the scope's own index (BitmapOr) instead of testing every case.
    parts.push(
      sql<SqlBool>`${id} = ANY(ARRAY(SELECT d.case_id FROM disclosures d WHERE ${recipients}${identityOnly}))`,
    );
  }
  if (can(actor, 'breakglass:use') && (!options.forPerson || can(actor, 'persons:read'))) {
    parts.push(
      sql<SqlBool>`${id} = ANY(ARRAY(SELECT g.case_id FROM break_glass_grants g
        WHERE g.user_id = ${actor.userId} AND g.ended_at IS NULL AND g.expires_at > now()))`,
    );
  }
  return anyOf(parts);
}

/**
 * Row filters compiled into SQL: every list, search, count and export of cases or persons puts
 * one of these in its WHERE clause, so paging and counts never reveal what the actor cannot see.
 */
export function caseVisibilityFilter(actor: Actor) {
  const predicate = caseVisibleSql(actor, 'cases');
  return (_eb: ExpressionBuilder<DB, 'cases'>): Expression<SqlBool> => predicate;
}

/**
 * A person is visible by the owner agency within the actor's scope (with `persons:read`), or through
 * a case the actor may see: their own, or (with `persons:read`) the case of a person they are recorded
 * as related to. One predicate; the case parts are the same builder as for cases.
 */
export function personVisibilityFilter(actor: Actor) {
  const parts: RawBuilder<SqlBool>[] = [];
  if (can(actor, 'persons:read')) {
    const owner = sql.ref('persons.owner_agency_id');
    if (actor.caseScope === 'all') parts.push(sql<SqlBool>`true`);
    else if (actor.caseScope === 'agency') parts.push(sql<SqlBool>`${owner} = ${actor.agencyId}`);
    else if (actor.caseScope === 'jurisdiction') {
      parts.push(sql<SqlBool>`(${owner} = ANY(ARRAY(SELECT a2.id FROM agencies a1 JOIN agencies a2
        ON a2.jurisdiction = a1.jurisdiction WHERE a1.id = ${actor.agencyId})) OR ${owner} = ${actor.agencyId})`);
    }
  }
  // Without persons:read only a disclosure of identity or a referral packet names the person.
  const throughCase = caseVisibleSql(actor, 'pc', { forPerson: !can(actor, 'persons:read') });
  if (throughCase !== FALSE) {
    parts.push(
      sql<SqlBool>`EXISTS (SELECT 1 FROM cases pc WHERE pc.person_id = persons.id AND ${throughCase})`,
    );
  }
  // A relative (a recorded relationship, either way round) of a person whose case the actor may see:
  // the dead, detained or abroad relatives registered with a family have no case of their own. Only
  // relatives with no case: one who has a case is visible through that case's own access, never
  // through the family. Identity readers only: a disclosure names the disclosed person, never their family.
  const throughRelative = can(actor, 'persons:read') ? caseVisibleSql(actor, 'rc') : FALSE;
  if (throughRelative !== FALSE) {
    parts.push(sql<SqlBool>`(NOT EXISTS (SELECT 1 FROM cases oc WHERE oc.person_id = persons.id) AND (EXISTS (SELECT 1 FROM relationships pr JOIN cases rc ON rc.person_id = pr.person_id
        WHERE pr.related_person_id = persons.id AND ${throughRelative})
      OR EXISTS (SELECT 1 FROM relationships pr JOIN cases rc ON rc.person_id = pr.related_person_id
        WHERE pr.person_id = persons.id AND ${throughRelative})))`);
  }
  const predicate = anyOf(parts);
  return (_eb: ExpressionBuilder<DB, 'persons'>): Expression<SqlBool> => predicate;
}

/**
 * The compartments a running disclosure to the actor's **agency** opens for writing, to users whose role
 * writes them (DOMAIN.md §4): the justice compartment, so the prosecution office a case is disclosed to
 * can record the justice decision, the non-punishment review and the justice-track transitions. Nothing
 * else is ever written through a disclosure; a disclosure to a compartment (every reader of it, in any
 * agency) stays read-only, so the discloser always names the one office that acts. Such a disclosure is
 * made by referring the case for a justice decision (`discloseForJusticeReferral`, disclosures.ts).
 */
export const disclosureWritableCompartments: readonly Compartment[] = ['justice'];

/** What the actor may do with one case, and why. */
export interface CaseAccess {
  caseId: string;
  ownerAgencyId: string;
  personId: string;
  read: ReadonlySet<Section>;
  write: ReadonlySet<Compartment>;
  via: { scope: boolean; disclosureIds: string[]; breakGlassGrantId: string | null };
}

/**
 * Resolves the actor's access to one case: null when the case is invisible (or missing: callers
 * answer both with 404). In scope: the role's compartments, read and write. A disclosure adds exactly
 * its sections, read-only, except that one to the actor's agency sharing a compartment of
 * `disclosureWritableCompartments` (justice) opens it for writing to a role that writes it, while the
 * disclosure runs; a break-glass grant adds its compartments, read-only, until it expires.
 */
export async function caseAccess(db: Executor, actor: Actor, caseId: string): Promise<CaseAccess | null> {
  const recipients = activeDisclosureRecipients(actor, 'd') ?? FALSE;
  const row = await db
    .selectFrom('cases')
    .select((eb) => [
      'cases.id',
      'cases.owner_agency_id',
      'cases.person_id',
      sql<boolean>`${scopePredicate(actor, sql.ref('cases.owner_agency_id'), sql.ref('cases.assigned_user_id'))}`.as(
        'in_scope',
      ),
      sql<
        { id: string; sections: string[]; toMyAgency: boolean }[]
      >`coalesce((SELECT json_agg(json_build_object(
        'id', d.id, 'sections', d.sections,
        'toMyAgency', coalesce(d.recipient_agency_id = ${actor.agencyId}, false)))
        FROM disclosures d WHERE d.case_id = cases.id AND ${recipients}), '[]')`.as('disclosures'),
      can(actor, 'breakglass:use')
        ? sql<{ id: string; compartments: string[] } | null>`(SELECT json_build_object('id', g.id,
          'compartments', g.compartments) FROM break_glass_grants g WHERE g.case_id = cases.id
          AND g.user_id = ${actor.userId} AND g.ended_at IS NULL AND g.expires_at > now()
          ORDER BY g.expires_at DESC LIMIT 1)`.as('glass')
        : eb.val(null).as('glass'),
    ])
    .where('cases.id', '=', caseId)
    .where(caseVisibilityFilter(actor))
    .executeTakeFirst();
  if (!row) return null;
  const read = new Set<Section>();
  const write = new Set<Compartment>();
  const inScope = row.in_scope === true;
  if (inScope) {
    for (const c of readableCompartments(actor)) read.add(c);
    for (const c of writableCompartments(actor)) write.add(c);
    if (can(actor, 'persons:read')) read.add('identity');
  }
  for (const d of row.disclosures) {
    for (const s of d.sections) read.add(s as Section);
    if (!d.toMyAgency) continue;
    for (const c of disclosureWritableCompartments) {
      if (d.sections.includes(c) && canWriteCompartment(actor, c)) write.add(c);
    }
  }
  const glass = row.glass as { id: string; compartments: string[] } | null;
  if (glass) {
    for (const c of glass.compartments) read.add(c as Compartment);
    if (can(actor, 'persons:read')) read.add('identity');
  }
  return {
    caseId: row.id,
    ownerAgencyId: row.owner_agency_id,
    personId: row.person_id,
    read,
    write,
    via: {
      scope: inScope,
      disclosureIds: row.disclosures.map((d) => d.id),
      breakGlassGrantId: glass?.id ?? null,
    },
  };
}

/**
 * For service functions: the case if the actor may see it (404 `NOT_FOUND` otherwise, the same answer
 * as for an id that does not exist), and 403 when the section asked for is not open to them.
 */
export async function requireCaseAccess(
  db: Executor,
  actor: Actor,
  caseId: string,
  need?: { section: Section; mode: 'read' | 'write' },
): Promise<CaseAccess> {
  const access = await caseAccess(db, actor, caseId);
  if (!access) throw new AppError('NOT_FOUND');
  if (need) {
    const allowed =
      need.mode === 'read'
        ? access.read.has(need.section)
        : need.section !== 'identity' && access.write.has(need.section);
    if (!allowed) {
      throw new AppError('COMPARTMENT_FORBIDDEN', { details: { section: need.section, mode: need.mode } });
    }
  }
  return access;
}

/**
 * For service functions that write to a case: the case (404 `NOT_FOUND` when invisible) if the actor may
 * do this work on it. In scope, the role's permissions decide, as the caller's `authorize` already did.
 * Outside scope (a case seen only through a disclosure or break-glass) only work inside a compartment the
 * access opens for writing is allowed (`COMPARTMENT_FORBIDDEN` otherwise): whole-case work (`compartment`
 * null: stage transitions, plans, tasks) never, and a justice disclosure to the agency only in justice.
 */
export async function requireCaseWork(
  db: Executor,
  actor: Actor,
  caseId: string,
  compartment: Compartment | null,
): Promise<CaseAccess> {
  const access = await caseAccess(db, actor, caseId);
  if (!access) throw new AppError('NOT_FOUND');
  if (access.via.scope || (compartment !== null && access.write.has(compartment))) return access;
  throw new AppError('COMPARTMENT_FORBIDDEN', { details: { section: compartment ?? 'case', mode: 'write' } });
}
