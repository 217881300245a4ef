import { sql, type Transaction } from 'kysely';
import PDFDocument from 'pdfkit';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { RetentionSchedulesTable } from '../../platform/db/tables/access.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { anonymiseAssessments } from '../assessments/anonymisation.ts';
import { anonymiseCaseWorkflow } from '../cases/anonymisation.ts';
import { anonymiseCasework, attachmentIdsOf, removeAttachmentFiles } from '../casework/anonymisation.ts';
import { anonymiseFamilyRecords } from '../families/anonymisation.ts';
import { anonymiseIdentityRecords } from '../identity/anonymisation.ts';
import { anonymisePersonRecords } from '../persons/anonymisation.ts';
import { photoImagesForExport } from '../persons/photos.ts';
import { authorize } from './access.ts';
import { ANONYMISED_TEXT, changed } from './anonymised.ts';
import { AGE_OF_MAJORITY } from './consent.ts';

type Executor = Database | Transaction<DB>;

interface Reference {
  table: string;
  column: string;
  referenced: 'persons' | 'cases';
  /** What the database does on delete by itself: 'a' no action, 'r' restrict, 'c' cascade, 'n' set null. */
  on_delete: string;
}

/**
 * Every single-column foreign key to persons or cases, read from the catalogue: the export and the
 * deletion cover each module's tables, including tables added after this was written.
 */
async function personReferences(db: Executor): Promise<Reference[]> {
  const result = await sql<Reference>`
    SELECT cl.relname AS "table", a.attname AS "column", rcl.relname AS referenced,
      con.confdeltype::text AS on_delete
    FROM pg_constraint con
    JOIN pg_class cl ON cl.oid = con.conrelid
    JOIN pg_class rcl ON rcl.oid = con.confrelid
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
    WHERE con.contype = 'f' AND cardinality(con.conkey) = 1 AND rcl.relname IN ('persons', 'cases')
      AND con.connamespace = 'public'::regnamespace
    ORDER BY 1, 2`.execute(db);
  return result.rows;
}

/** Columns never exported: secrets and ciphertext are not personal data the subject can read. */
const WITHHELD = /(_encrypted|_hash|^ciphertext|^content_bytes|^iv|^auth_tag)$/;

function clean(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([key]) => !WITHHELD.test(key)));
}

export interface SubjectExport {
  personId: string;
  generatedAt: string;
  records: Record<string, Record<string, unknown>[]>;
  accesses: {
    seq: number;
    occurredAt: string;
    actorUserId: string | null;
    actorUsername: string | null;
    actorAgencyId: string | null;
    action: string;
    targetType: string | null;
    targetId: string | null;
    sections: string[];
    outcome: string;
    justification: string | null;
  }[];
}

async function collect(db: Executor, personId: string): Promise<SubjectExport> {
  const person = await sql<{ row: Record<string, unknown> }>`
    SELECT to_jsonb(p) AS row FROM persons p WHERE p.id = ${personId}`.execute(db);
  const personRow = person.rows[0];
  if (!personRow) throw new AppError('NOT_FOUND');
  const caseIds = (await db.selectFrom('cases').select('id').where('person_id', '=', personId).execute()).map(
    (c) => c.id,
  );
  const records: Record<string, Record<string, unknown>[]> = { persons: [clean(personRow.row)] };
  for (const ref of await personReferences(db)) {
    const ids = ref.referenced === 'persons' ? [personId] : caseIds;
    if (ids.length === 0) continue;
    const rows = await sql<{ row: Record<string, unknown> }>`
      SELECT to_jsonb(t) AS row FROM ${sql.table(ref.table)} t
      WHERE ${sql.ref(`t.${ref.column}`)} = ANY(${ids}::uuid[])`.execute(db);
    if (rows.rows.length === 0) continue;
    const key = ref.table;
    const existing = records[key] ?? [];
    records[key] = existing.concat(rows.rows.map((r) => clean(r.row)));
  }
  // Who accessed it: every audit entry about the person or one of their cases.
  const accesses = await db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_user_id')
    .select([
      'audit_events.seq',
      'audit_events.occurred_at',
      'audit_events.actor_user_id',
      'users.username',
      'audit_events.actor_agency_id',
      'audit_events.action',
      'audit_events.target_type',
      'audit_events.target_id',
      'audit_events.sections',
      'audit_events.outcome',
      'audit_events.justification',
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('audit_events.target_type', '=', 'person'), eb('audit_events.target_id', '=', personId)]),
        ...(caseIds.length > 0
          ? [
              eb.and([
                eb('audit_events.target_type', '=', 'case'),
                eb('audit_events.target_id', 'in', caseIds),
              ]),
            ]
          : []),
      ]),
    )
    .orderBy('audit_events.seq')
    .execute();
  return {
    personId,
    generatedAt: new Date().toISOString(),
    records,
    accesses: accesses.map((a) => ({
      seq: a.seq,
      occurredAt: new Date(a.occurred_at).toISOString(),
      actorUserId: a.actor_user_id,
      actorUsername: a.username,
      actorAgencyId: a.actor_agency_id,
      action: a.action,
      targetType: a.target_type,
      targetId: a.target_id,
      sections: a.sections,
      outcome: a.outcome,
      justification: a.justification,
    })),
  };
}

/**
 * A data-subject access export: everything held on a person in every table that refers to them or
 * their cases, and who accessed it. The data-protection officer's duty; the export itself is audited.
 */
export async function exportSubject(ctx: ServiceContext, personId: string, format: 'json' | 'pdf') {
  authorize(ctx.actor, 'subject_requests:handle');
  return ctx.db.transaction().execute(async (trx) => {
    const data = await collect(trx, personId);
    // The pictures themselves, not only their details: the export is a copy of what is held.
    const images = await photoImagesForExport(trx, ctx.config.secretKey, personId);
    const photos = data.records.person_photos;
    if (photos) {
      data.records.person_photos = photos.map((row) => {
        const image = images.get(String(row.id));
        return image ? { ...row, image_base64: image.base64 } : row;
      });
    }
    await recordAudit(trx, ctx.audit, {
      action: 'subject.export',
      targetType: 'person',
      targetId: personId,
      sections: ['all'],
      details: { format, tables: Object.keys(data.records), accesses: data.accesses.length },
    });
    return data;
  });
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** A photo in the PDF: the picture itself where PDF can hold it (JPEG, PNG), else where to find it. */
function photoInPdf(doc: PDFKit.PDFDocument, contentType: string, base64: string): void {
  if (contentType === 'image/jpeg' || contentType === 'image/png') {
    try {
      doc.image(Buffer.from(base64, 'base64'), { fit: [160, 160] });
      doc.moveDown(0.3);
      return;
    } catch {
      // An image PDFKit cannot read is still in the JSON export.
    }
  }
  doc.text('image: in the JSON export of this request');
}

/** The same export as a PDF, laid out as one section per table and the access log at the end. */
export function renderSubjectPdf(data: SubjectExport): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: 'Data-subject access export' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(16).text('Data-subject access export', { underline: true });
    doc.moveDown(0.5).fontSize(9).text(`Person ${data.personId}`).text(`Generated ${data.generatedAt}`);
    for (const [table, rows] of Object.entries(data.records)) {
      doc.moveDown().fontSize(12).text(`${table} (${rows.length})`);
      doc.fontSize(8);
      for (const row of rows) {
        doc.moveDown(0.3);
        for (const [key, value] of Object.entries(row)) {
          if (key === 'image_base64' && typeof value === 'string') {
            photoInPdf(doc, String(row.content_type), value);
            continue;
          }
          doc.text(`${key}: ${text(value)}`);
        }
      }
    }
    doc.moveDown().fontSize(12).text(`Who accessed the record (${data.accesses.length})`);
    doc.fontSize(8);
    for (const a of data.accesses) {
      doc.text(
        `${a.occurredAt}  ${a.actorUsername ?? a.actorUserId ?? 'system'}  ${a.action}  ${a.outcome}` +
          (a.sections.length > 0 ? `  [${a.sections.join(', ')}]` : ''),
      );
    }
    doc.end();
  });
}

// Retention ------------------------------------------------------------------------------------------

type Category = RetentionSchedulesTable['category'];

async function activeHold(db: Executor, personId: string) {
  return db
    .selectFrom('legal_holds')
    .select('id')
    .where('person_id', '=', personId)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Persons due for retention review, by category: closed cases past their period, children who
 * reached majority, persons whose justice outcome is one the acquittal schedule names (acquitted, no
 * case: `trigger_statuses`, data) past its period, persons never given an open case. A person with a
 * review recorded for a category leaves it.
 */
export async function listRetentionDue(ctx: ServiceContext, limit: number) {
  authorize(ctx.actor, 'retention:manage');
  const schedules = await ctx.db.selectFrom('retention_schedules').selectAll().execute();
  const days = (c: Category) => schedules.find((s) => s.category === c);
  const due: {
    personId: string;
    category: Category;
    dueSince: string;
    action: string;
    legalHold: boolean;
  }[] = [];
  const hold = sql<boolean>`EXISTS (SELECT 1 FROM legal_holds h WHERE h.person_id = p.id AND h.lifted_at IS NULL)`;
  const notReviewed = (category: Category) =>
    sql`NOT EXISTS (SELECT 1 FROM retention_reviews r WHERE r.person_id = p.id AND r.category = ${category})
      AND NOT EXISTS (SELECT 1 FROM person_anonymisations an WHERE an.person_id = p.id)`;
  const closed = days('case_closed');
  if (closed) {
    const rows = await sql<{ id: string; due: Date; hold: boolean }>`
      SELECT p.id, max(c.closed_at) + make_interval(days => ${closed.review_after_days}) AS due, ${hold} AS hold
      FROM persons p JOIN cases c ON c.person_id = p.id
      WHERE ${notReviewed('case_closed')}
      GROUP BY p.id
      HAVING bool_and(c.status = 'closed')
        AND max(c.closed_at) + make_interval(days => ${closed.review_after_days}) <= now()
      ORDER BY 2 LIMIT ${limit}`.execute(ctx.db);
    for (const r of rows.rows) {
      due.push({
        personId: r.id,
        category: 'case_closed',
        dueSince: new Date(r.due).toISOString(),
        action: closed.action,
        legalHold: r.hold,
      });
    }
  }
  const majority = days('child_majority');
  if (majority) {
    const rows = await sql<{ id: string; due: Date; hold: boolean }>`
      SELECT p.id, (p.birth_date_to + make_interval(years => ${AGE_OF_MAJORITY}, days => ${majority.review_after_days}))::timestamptz AS due,
        ${hold} AS hold
      FROM persons p
      WHERE p.birth_date_to IS NOT NULL
        AND p.birth_date_to + make_interval(years => ${AGE_OF_MAJORITY}) > p.created_at
        AND p.birth_date_to + make_interval(years => ${AGE_OF_MAJORITY}, days => ${majority.review_after_days}) <= now()
        AND ${notReviewed('child_majority')}
      ORDER BY 2 LIMIT ${limit}`.execute(ctx.db);
    for (const r of rows.rows) {
      due.push({
        personId: r.id,
        category: 'child_majority',
        dueSince: new Date(r.due).toISOString(),
        action: majority.action,
        legalHold: r.hold,
      });
    }
  }
  const acquittal = days('acquittal');
  if (acquittal && acquittal.trigger === 'justice_outcome' && acquittal.trigger_statuses.length > 0) {
    // A person's justice outcome is the latest justice-track status of their cases other than
    // "closed" (closing the track changes no outcome); the clock starts when it was reached.
    const rows = await sql<{ id: string; due: Date; hold: boolean }>`
      WITH outcomes AS (
        SELECT DISTINCT ON (c.person_id) c.person_id, t.to_value, t.performed_at
        FROM case_transitions t JOIN cases c ON c.id = t.case_id
        WHERE t.kind = 'track' AND t.track = 'justice' AND t.to_value <> 'closed'
        ORDER BY c.person_id, t.performed_at DESC, t.id DESC
      )
      SELECT p.id, o.performed_at + make_interval(days => ${acquittal.review_after_days}) AS due, ${hold} AS hold
      FROM outcomes o JOIN persons p ON p.id = o.person_id
      WHERE o.to_value IN (${sql.join(acquittal.trigger_statuses)})
        AND o.performed_at + make_interval(days => ${acquittal.review_after_days}) <= now()
        AND ${notReviewed('acquittal')}
      ORDER BY 2 LIMIT ${limit}`.execute(ctx.db);
    for (const r of rows.rows) {
      due.push({
        personId: r.id,
        category: 'acquittal',
        dueSince: new Date(r.due).toISOString(),
        action: acquittal.action,
        legalHold: r.hold,
      });
    }
  }
  const noCase = days('no_open_case');
  if (noCase) {
    const rows = await sql<{ id: string; due: Date; hold: boolean }>`
      SELECT p.id, p.created_at + make_interval(days => ${noCase.review_after_days}) AS due, ${hold} AS hold
      FROM persons p
      WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id)
        AND p.created_at + make_interval(days => ${noCase.review_after_days}) <= now()
        AND ${notReviewed('no_open_case')}
      ORDER BY 2 LIMIT ${limit}`.execute(ctx.db);
    for (const r of rows.rows) {
      due.push({
        personId: r.id,
        category: 'no_open_case',
        dueSince: new Date(r.due).toISOString(),
        action: noCase.action,
        legalHold: r.hold,
      });
    }
  }
  return due;
}

export async function recordRetentionReview(
  ctx: ServiceContext,
  input: { personId: string; category: Category; decision: 'keep' | 'anonymise' | 'delete' },
) {
  authorize(ctx.actor, 'retention:manage');
  await ctx.db.transaction().execute(async (trx) => {
    const person = await trx
      .selectFrom('persons')
      .select('id')
      .where('id', '=', input.personId)
      .executeTakeFirst();
    if (!person) throw new AppError('NOT_FOUND');
    await trx
      .insertInto('retention_reviews')
      .values({
        person_id: input.personId,
        category: input.category,
        decision: input.decision,
        reviewed_by: ctx.actor.userId,
      })
      .onConflict((oc) =>
        oc
          .columns(['person_id', 'category'])
          .doUpdateSet({ decision: input.decision, reviewed_by: ctx.actor.userId, reviewed_at: new Date() }),
      )
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'retention.review',
      targetType: 'person',
      targetId: input.personId,
      details: { category: input.category, decision: input.decision },
    });
  });
}

interface LegalHoldRow {
  id: string;
  person_id: string;
  reason: string;
  placed_by: string;
  placed_at: Date | string;
  lifted_at: Date | null;
  lifted_by: string | null;
  lift_reason: string | null;
}

function toLegalHold(row: LegalHoldRow) {
  return {
    id: row.id,
    personId: row.person_id,
    reason: row.reason,
    placedBy: row.placed_by,
    placedAt: new Date(row.placed_at).toISOString(),
    liftedAt: row.lifted_at?.toISOString() ?? null,
    liftedBy: row.lifted_by,
    liftReason: row.lift_reason,
  };
}

const legalHoldColumns = [
  'id',
  'person_id',
  'reason',
  'placed_by',
  'placed_at',
  'lifted_at',
  'lifted_by',
  'lift_reason',
] as const;

export async function placeLegalHold(ctx: ServiceContext, input: { personId: string; reason: string }) {
  authorize(ctx.actor, 'retention:manage');
  return ctx.db.transaction().execute(async (trx) => {
    const person = await trx
      .selectFrom('persons')
      .select('id')
      .where('id', '=', input.personId)
      .executeTakeFirst();
    if (!person) throw new AppError('NOT_FOUND');
    const row = await trx
      .insertInto('legal_holds')
      .values({ person_id: input.personId, reason: input.reason, placed_by: ctx.actor.userId })
      .returning(legalHoldColumns)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.audit, {
      action: 'retention.hold_place',
      targetType: 'person',
      targetId: input.personId,
      details: { holdId: row.id },
    });
    return toLegalHold(row);
  });
}

/**
 * Every legal hold of a person, in force and lifted, newest first: what a data-protection officer
 * checks before anonymising, and where a hold placed by a colleague is found to be lifted.
 */
export async function listLegalHolds(ctx: ServiceContext, personId: string) {
  authorize(ctx.actor, 'retention:manage');
  return ctx.db.transaction().execute(async (trx) => {
    const person = await trx.selectFrom('persons').select('id').where('id', '=', personId).executeTakeFirst();
    if (!person) throw new AppError('NOT_FOUND');
    const rows = await trx
      .selectFrom('legal_holds')
      .select(legalHoldColumns)
      .where('person_id', '=', personId)
      .orderBy('placed_at', 'desc')
      .orderBy('id')
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'retention.holds_read',
      targetType: 'person',
      targetId: personId,
      details: { holds: rows.length },
    });
    return rows.map(toLegalHold);
  });
}

export async function liftLegalHold(ctx: ServiceContext, holdId: string, reason: string) {
  authorize(ctx.actor, 'retention:manage');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('legal_holds')
      .set({ lifted_at: new Date(), lifted_by: ctx.actor.userId, lift_reason: reason })
      .where('id', '=', holdId)
      .where('lifted_at', 'is', null)
      .returning(legalHoldColumns)
      .executeTakeFirst();
    if (!row) throw new AppError('LEGAL_HOLD_NOT_FOUND');
    await recordAudit(trx, ctx.audit, {
      action: 'retention.hold_lift',
      targetType: 'person',
      targetId: row.person_id,
      details: { holdId },
    });
    return toLegalHold(row);
  });
}

export const ANONYMISED_NAME = '[anonymised]';

/**
 * The access module's own free text about a person and their cases: consent withdrawal reasons,
 * disclosure purposes and revocation reasons, break-glass reasons and review notes, and the reasons of
 * the person's (lifted) legal holds. Who, when, which sections and legal bases stay.
 */
async function anonymiseAccessRecords(trx: Transaction<DB>, personId: string, caseIds: readonly string[]) {
  const orMarker = (column: string) =>
    sql<string | null>`CASE WHEN ${sql.ref(column)} IS NULL THEN NULL ELSE ${ANONYMISED_TEXT} END`;
  const consents = changed(
    await trx
      .updateTable('consents')
      .set({ withdrawal_reason: ANONYMISED_TEXT })
      .where('person_id', '=', personId)
      .where('withdrawal_reason', 'is not', null)
      .executeTakeFirst(),
  );
  const legalHolds = changed(
    await trx
      .updateTable('legal_holds')
      .set({ reason: ANONYMISED_TEXT, lift_reason: orMarker('lift_reason') })
      .where('person_id', '=', personId)
      .executeTakeFirst(),
  );
  if (caseIds.length === 0) return { consents, legalHolds, disclosures: 0, breakGlassGrants: 0 };
  const ids = [...caseIds];
  const disclosures = changed(
    await trx
      .updateTable('disclosures')
      .set({ purpose: ANONYMISED_TEXT, revocation_reason: orMarker('revocation_reason') })
      .where('case_id', 'in', ids)
      .executeTakeFirst(),
  );
  const breakGlassGrants = changed(
    await trx
      .updateTable('break_glass_grants')
      .set({ reason: ANONYMISED_TEXT, review_note: orMarker('review_note') })
      .where('case_id', 'in', ids)
      .executeTakeFirst(),
  );
  return { consents, legalHolds, disclosures, breakGlassGrants };
}

/**
 * Anonymises a person in one transaction, in every module that holds something about them or their
 * cases: every name replaced by one placeholder and the name keys derived from them removed, birth
 * date reduced to its year, places and free-text whereabouts cleared, flags dropped; then each
 * module's free text (notes in every compartment, referral packets and reasons, plans, tasks,
 * assessment answers and narratives, panel rationales and dissents, tracing locations, care
 * reasons, documents, screening explanations, reasons written by reviewers) replaced by one fixed
 * marker or removed, attachments deleted (their encrypted files after commit). Ids, codes, statuses
 * and dates stay. Refused under legal hold. The audit entry counts what changed per category, never
 * the content.
 */
export async function anonymisePerson(ctx: ServiceContext, personId: string) {
  authorize(ctx.actor, 'retention:manage');
  const attachmentIds = await ctx.db.transaction().execute(async (trx) => {
    const person = await trx
      .selectFrom('persons')
      .select(['id', 'birth_date_from'])
      .where('id', '=', personId)
      .forUpdate()
      .executeTakeFirst();
    if (!person) throw new AppError('NOT_FOUND');
    if (await activeHold(trx, personId)) throw new AppError('LEGAL_HOLD_ACTIVE');
    const done = await trx
      .selectFrom('person_anonymisations')
      .select('person_id')
      .where('person_id', '=', personId)
      .executeTakeFirst();
    if (done) throw new AppError('ALREADY_ANONYMISED');
    const caseIds = (
      await trx.selectFrom('cases').select('id').where('person_id', '=', personId).execute()
    ).map((c) => c.id);
    const names = changed(
      await trx.deleteFrom('person_names').where('person_id', '=', personId).executeTakeFirst(),
    );
    await trx
      .insertInto('person_names')
      .values({
        person_id: personId,
        full_name: ANONYMISED_NAME,
        script: 'other',
        name_type: 'primary',
        source: 'other',
        is_display: true,
      })
      .execute();
    const year = person.birth_date_from?.slice(0, 4);
    await trx
      .updateTable('persons')
      .set({
        place_of_birth: null,
        whereabouts_detail: null,
        flags: [],
        ...(year
          ? {
              birth_date_kind: 'year' as const,
              birth_date_from: `${year}-01-01`,
              birth_date_to: `${year}-12-31`,
            }
          : {}),
        updated_at: new Date(),
        // A client holding the record as it was gets VERSION_CONFLICT instead of writing over it.
        version: sql<number>`version + 1`,
      })
      .where('id', '=', personId)
      .execute();
    const casework = await anonymiseCasework(trx, caseIds);
    const categories = {
      names,
      ...(await anonymisePersonRecords(trx, personId)),
      ...(await anonymiseIdentityRecords(trx, personId)),
      ...(await anonymiseFamilyRecords(trx, personId)),
      ...(await anonymiseCaseWorkflow(trx, caseIds)),
      ...casework.counts,
      ...(await anonymiseAssessments(trx, personId, caseIds)),
      ...(await anonymiseAccessRecords(trx, personId, caseIds)),
    };
    await trx
      .insertInto('person_anonymisations')
      .values({ person_id: personId, anonymised_by: ctx.actor.userId })
      .execute();
    await recordAudit(trx, ctx.audit, {
      action: 'retention.anonymise',
      targetType: 'person',
      targetId: personId,
      details: { cases: caseIds.length, categories },
    });
    return casework.attachmentIds;
  });
  await removeAttachmentFiles(ctx.config.lifecycle.attachmentsDir, attachmentIds);
}

/**
 * Deletes a person and everything that refers to them or their cases, in one transaction. Foreign
 * keys are deferred (every one is DEFERRABLE) so rows go in any order; at commit PostgreSQL checks
 * that nothing is left pointing at what went; attachments' encrypted files are removed after commit.
 * Refused under legal hold. The audit trail keeps its ids.
 */
export async function deletePerson(ctx: ServiceContext, personId: string) {
  authorize(ctx.actor, 'retention:manage');
  const attachmentIds = await ctx.db.transaction().execute(async (trx) => {
    const person = await trx
      .selectFrom('persons')
      .select('id')
      .where('id', '=', personId)
      .forUpdate()
      .executeTakeFirst();
    if (!person) throw new AppError('NOT_FOUND');
    if (await activeHold(trx, personId)) throw new AppError('LEGAL_HOLD_ACTIVE');
    await sql`SET CONSTRAINTS ALL DEFERRED`.execute(trx);
    const caseIds = (
      await trx.selectFrom('cases').select('id').where('person_id', '=', personId).execute()
    ).map((c) => c.id);
    const attachments = await attachmentIdsOf(trx, caseIds);
    for (const ref of await personReferences(trx)) {
      // Cascades and SET NULL happen by themselves; only rows the database would refuse to orphan go here.
      if (ref.table === 'cases' || ref.table === 'legal_holds' || !['a', 'r'].includes(ref.on_delete))
        continue;
      const ids = ref.referenced === 'persons' ? [personId] : caseIds;
      if (ids.length === 0) continue;
      await sql`DELETE FROM ${sql.table(ref.table)} WHERE ${sql.ref(ref.column)} = ANY(${ids}::uuid[])`.execute(
        trx,
      );
    }
    await trx.deleteFrom('legal_holds').where('person_id', '=', personId).execute();
    await trx.deleteFrom('cases').where('person_id', '=', personId).execute();
    await trx.deleteFrom('persons').where('id', '=', personId).execute();
    await recordAudit(trx, ctx.audit, {
      action: 'retention.delete',
      targetType: 'person',
      targetId: personId,
      details: { cases: caseIds.length, attachments: attachments.length },
    });
    return attachments;
  });
  // The encrypted files go once the rows are gone for good: a rolled-back deletion keeps both.
  await removeAttachmentFiles(ctx.config.lifecycle.attachmentsDir, attachmentIds);
}
