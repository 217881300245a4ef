import { type Selectable, sql, type Transaction } from 'kysely';
import type { AuditContext } from '../../platform/audit/audit.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { ConsentPurpose, ConsentsTable } from '../../platform/db/tables/access.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize, can, personVisibilityFilter } from './access.ts';
import type { RecordConsent } from './schemas.ts';

/** Age below which a person is a child: a guardian consents, the child assents. */
export const AGE_OF_MAJORITY = 18;
export const OVERRIDE_REASON_MIN = 20;

type Executor = Database | Transaction<DB>;
type ConsentRow = Selectable<ConsentsTable>;

const consentColumns = [
  'id',
  'person_id',
  'purpose',
  'version',
  'legal_basis',
  'decision',
  'subject_is_child',
  'child_assent',
  'guardian_consent',
  'guardian_person_id',
  'recipient_agency_id',
  'recorded_by',
  'recorded_at',
  'valid_until',
  'withdrawn_at',
  'withdrawn_by',
  'withdrawal_reason',
] as const;

export function auditContextOfActor(actor: Actor): AuditContext {
  return { actorUserId: actor.userId, actorAgencyId: actor.agencyId, clientIp: null, requestId: null };
}

/**
 * Whether a consent record permits what it names now: granted, not withdrawn, not expired and, for a
 * child, with a guardian's consent and without the child's refusal.
 */
export function consentIsEffective(
  row: Pick<
    ConsentRow,
    'decision' | 'withdrawn_at' | 'valid_until' | 'subject_is_child' | 'child_assent' | 'guardian_consent'
  >,
  now = new Date(),
): boolean {
  if (row.decision !== 'granted' || row.withdrawn_at !== null) return false;
  if (row.valid_until !== null && new Date(row.valid_until) <= now) return false;
  if (row.subject_is_child) return row.guardian_consent === 'given' && row.child_assent !== 'refused';
  return true;
}

/** The newest version of a person's consent for a purpose, whatever it says. */
export function currentConsent(db: Executor, personId: string, purpose: ConsentPurpose) {
  return db
    .selectFrom('consents')
    .select(consentColumns)
    .where('person_id', '=', personId)
    .where('purpose', '=', purpose)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The consent gate on referral (DOMAIN.md §4). Inside the owner agency no consent is needed
 * (`basis: 'consent'`, `consentId: null`). Outside it, the current referral consent must be effective
 * and cover the recipient, or an actor holding `referrals:override_consent` gives a written reason,
 * which is audited in the caller's transaction. Otherwise 409 CONSENT_REQUIRED. Services never call this.
 */
export async function requireReferralConsent(
  trx: Transaction<DB>,
  actor: Actor,
  input: { personId: string; recipientAgencyId: string; override?: { reason: string } },
  audit: AuditContext = auditContextOfActor(actor),
): Promise<{ basis: 'consent' | 'override'; consentId: string | null }> {
  const person = await trx
    .selectFrom('persons')
    .select('owner_agency_id')
    .where('id', '=', input.personId)
    .executeTakeFirst();
  if (!person) throw new AppError('NOT_FOUND');
  if (person.owner_agency_id === input.recipientAgencyId) return { basis: 'consent', consentId: null };
  const consent = await currentConsent(trx, input.personId, 'referral');
  if (
    consent &&
    consentIsEffective(consent) &&
    (consent.recipient_agency_id === null || consent.recipient_agency_id === input.recipientAgencyId)
  ) {
    return { basis: 'consent', consentId: consent.id };
  }
  if (input.override) {
    authorize(actor, 'referrals:override_consent');
    const reason = input.override.reason.trim();
    if (reason.length < OVERRIDE_REASON_MIN) {
      throw new AppError('OVERRIDE_REASON_REQUIRED', { details: { path: 'body.override.reason' } });
    }
    await recordAudit(trx, audit, {
      action: 'consent.override',
      targetType: 'person',
      targetId: input.personId,
      justification: reason,
      details: { purpose: 'referral', recipientAgencyId: input.recipientAgencyId },
    });
    return { basis: 'override', consentId: null };
  }
  throw new AppError('CONSENT_REQUIRED', {
    details: {
      personId: input.personId,
      purpose: 'referral',
      overridable: can(actor, 'referrals:override_consent'),
    },
  });
}

function toConsent(row: ConsentRow) {
  return {
    id: row.id,
    personId: row.person_id,
    purpose: row.purpose,
    version: row.version,
    legalBasis: row.legal_basis,
    decision: row.decision,
    subjectIsChild: row.subject_is_child,
    childAssent: row.child_assent,
    guardianConsent: row.guardian_consent,
    guardianPersonId: row.guardian_person_id,
    recipientAgencyId: row.recipient_agency_id,
    recordedBy: row.recorded_by,
    recordedAt: new Date(row.recorded_at).toISOString(),
    validUntil: row.valid_until ? new Date(row.valid_until).toISOString() : null,
    withdrawnAt: row.withdrawn_at ? new Date(row.withdrawn_at).toISOString() : null,
    withdrawnBy: row.withdrawn_by,
    withdrawalReason: row.withdrawal_reason,
    effective: consentIsEffective(row),
  };
}

/** A person the actor may see, or 404: an invisible person and a missing one answer alike. */
async function visiblePerson(db: Executor, actor: Actor, personId: string) {
  const person = await db
    .selectFrom('persons')
    .select(['persons.id', 'persons.birth_date_to'])
    .where('persons.id', '=', personId)
    .where(personVisibilityFilter(actor))
    .executeTakeFirst();
  if (!person) throw new AppError('NOT_FOUND');
  return person;
}

function isChildOn(birthDateTo: string | null, now = new Date()): boolean | null {
  if (!birthDateTo) return null;
  const majority = new Date(`${birthDateTo}T00:00:00Z`);
  majority.setUTCFullYear(majority.getUTCFullYear() + AGE_OF_MAJORITY);
  return majority > now;
}

export async function listConsents(ctx: ServiceContext, personId: string) {
  authorize(ctx.actor, 'consents:read');
  return ctx.db.transaction().execute(async (trx) => {
    await visiblePerson(trx, ctx.actor, personId);
    const rows = await trx
      .selectFrom('consents')
      .select(consentColumns)
      .where('person_id', '=', personId)
      .orderBy('purpose')
      .orderBy('version', 'desc')
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'consent.list',
      targetType: 'person',
      targetId: personId,
      sections: ['consent'],
    });
    return rows.map(toConsent);
  });
}

/** Records a new version of a person's consent for one purpose; the previous version stays as history. */
export async function recordConsent(ctx: ServiceContext, input: RecordConsent) {
  authorize(ctx.actor, 'consents:write');
  return ctx.db.transaction().execute(async (trx) => {
    const person = await visiblePerson(trx, ctx.actor, input.personId);
    const subjectIsChild = isChildOn(person.birth_date_to) ?? input.subjectIsChild ?? false;
    if (
      subjectIsChild &&
      input.decision === 'granted' &&
      (input.childAssent === undefined || input.guardianConsent !== 'given')
    ) {
      throw new AppError('CONSENT_INCOMPLETE', {
        details: { path: input.childAssent === undefined ? 'body.childAssent' : 'body.guardianConsent' },
      });
    }
    // Serialise versions per person and purpose: two recorders never write the same version.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`consent:${input.personId}:${input.purpose}`}))`.execute(
      trx,
    );
    const last = await currentConsent(trx, input.personId, input.purpose);
    const row = await trx
      .insertInto('consents')
      .values({
        person_id: input.personId,
        purpose: input.purpose,
        version: (last?.version ?? 0) + 1,
        legal_basis: input.legalBasis,
        decision: input.decision,
        subject_is_child: subjectIsChild,
        child_assent: input.childAssent ?? null,
        guardian_consent: input.guardianConsent ?? null,
        guardian_person_id: input.guardianPersonId ?? null,
        recipient_agency_id: input.recipientAgencyId ?? null,
        recorded_by: ctx.actor.userId,
        valid_until: input.validUntil ? new Date(input.validUntil) : null,
      })
      .returning(consentColumns)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'consent.record',
      targetType: 'person',
      targetId: input.personId,
      sections: ['consent'],
      details: { consentId: row.id, purpose: row.purpose, version: row.version, decision: row.decision },
    });
    return toConsent(row);
  });
}

export async function withdrawConsent(ctx: ServiceContext, consentId: string, reason: string | undefined) {
  authorize(ctx.actor, 'consents:write');
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('consents')
      .select(['consents.id', 'consents.person_id', 'consents.withdrawn_at'])
      .innerJoin('persons', 'persons.id', 'consents.person_id')
      .where('consents.id', '=', consentId)
      .where(personVisibilityFilter(ctx.actor))
      .executeTakeFirst();
    if (!existing) throw new AppError('CONSENT_NOT_FOUND');
    if (existing.withdrawn_at) throw new AppError('CONSENT_ALREADY_WITHDRAWN');
    const row = await trx
      .updateTable('consents')
      .set({ withdrawn_at: new Date(), withdrawn_by: ctx.actor.userId, withdrawal_reason: reason ?? null })
      .where('id', '=', consentId)
      .where('withdrawn_at', 'is', null)
      .returning(consentColumns)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'consent.withdraw',
      targetType: 'person',
      targetId: existing.person_id,
      sections: ['consent'],
      details: { consentId },
    });
    return toConsent(row);
  });
}
