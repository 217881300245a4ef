import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ANONYMISED_TEXT, changed } from '../access/anonymised.ts';

const orMarker = (column: string) =>
  sql<string | null>`CASE WHEN ${sql.ref(column)} IS NULL THEN NULL ELSE ${ANONYMISED_TEXT} END`;

/**
 * Case work's free text on an anonymised person's cases: every note body in every compartment,
 * referral packets and the reasons given on referrals, plan titles, goals and actions, task titles.
 * Attachment rows go (their file name and plaintext hash identify the document); the encrypted files
 * are removed by `removeAttachmentFiles` once the transaction has committed, so a rollback never
 * leaves a row without its file. Service deliveries hold no free text and stay. Called by retention
 * inside its transaction, after its own access check.
 */
export async function anonymiseCasework(trx: Transaction<DB>, caseIds: readonly string[]) {
  const none = { notes: 0, referrals: 0, plans: 0, planGoals: 0, planActions: 0, tasks: 0 };
  if (caseIds.length === 0) return { counts: { ...none, attachments: 0 }, attachmentIds: [] as string[] };
  const ids = [...caseIds];
  const notes = changed(
    await trx
      .updateTable('case_notes')
      .set({ body: ANONYMISED_TEXT })
      .where('case_id', 'in', ids)
      .executeTakeFirst(),
  );
  const referrals = changed(
    await trx
      .updateTable('referrals')
      .set({
        packet_summary: ANONYMISED_TEXT,
        consent_override_reason: orMarker('consent_override_reason'),
        decline_reason: orMarker('decline_reason'),
        version: sql<number>`version + 1`,
        updated_at: new Date(),
      })
      .where('case_id', 'in', ids)
      .executeTakeFirst(),
  );
  const planIds = trx.selectFrom('case_plans').select('id').where('case_id', 'in', ids);
  const plans = changed(
    await trx
      .updateTable('case_plans')
      .set({ title: ANONYMISED_TEXT, version: sql<number>`version + 1`, updated_at: new Date() })
      .where('case_id', 'in', ids)
      .executeTakeFirst(),
  );
  const planGoals = changed(
    await trx
      .updateTable('plan_goals')
      .set({ description: ANONYMISED_TEXT })
      .where('plan_id', 'in', planIds)
      .executeTakeFirst(),
  );
  const planActions = changed(
    await trx
      .updateTable('plan_actions')
      .set({ description: ANONYMISED_TEXT })
      .where('plan_id', 'in', planIds)
      .executeTakeFirst(),
  );
  const tasks = changed(
    await trx
      .updateTable('case_tasks')
      .set({ title: ANONYMISED_TEXT, version: sql<number>`version + 1`, updated_at: new Date() })
      .where('case_id', 'in', ids)
      .executeTakeFirst(),
  );
  const attachmentIds = (
    await trx.deleteFrom('case_attachments').where('case_id', 'in', ids).returning('id').execute()
  ).map((a) => a.id);
  return {
    counts: { notes, referrals, plans, planGoals, planActions, tasks, attachments: attachmentIds.length },
    attachmentIds,
  };
}

/** The ids of every attachment of these cases: what a deletion must remove from disk after commit. */
export async function attachmentIdsOf(trx: Transaction<DB>, caseIds: readonly string[]) {
  if (caseIds.length === 0) return [];
  const rows = await trx
    .selectFrom('case_attachments')
    .select('id')
    .where('case_id', 'in', [...caseIds])
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Removes attachments' encrypted files. The key is the deployment's (derived per use, not per file),
 * so the ciphertext itself has to go. A file already missing is not an error.
 */
export async function removeAttachmentFiles(attachmentsDir: string, attachmentIds: readonly string[]) {
  for (const id of attachmentIds) await rm(join(attachmentsDir, id), { force: true });
}
