import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ANONYMISED_TEXT, changed } from '../access/anonymised.ts';

/**
 * The case workflow's free text about an anonymised person's cases: close reasons, transition
 * comments, approval comments and the close reason an approval carries. Ids, stages, statuses and
 * dates stay (they are the case's shape, not its content). Called by retention inside its
 * transaction, after its own access check; counts rows changed.
 */
export async function anonymiseCaseWorkflow(trx: Transaction<DB>, caseIds: readonly string[]) {
  if (caseIds.length === 0) return { caseCloseReasons: 0, transitionComments: 0, approvals: 0 };
  const ids = [...caseIds];
  const caseCloseReasons = changed(
    await trx
      .updateTable('cases')
      .set({ close_reason: ANONYMISED_TEXT, version: sql<number>`version + 1`, updated_at: new Date() })
      .where('id', 'in', ids)
      .where('close_reason', 'is not', null)
      .executeTakeFirst(),
  );
  const transitionComments = changed(
    await trx
      .updateTable('case_transitions')
      .set({ comment: ANONYMISED_TEXT })
      .where('case_id', 'in', ids)
      .where('comment', 'is not', null)
      .executeTakeFirst(),
  );
  const approvals = changed(
    await trx
      .updateTable('case_approvals')
      .set({
        request_comment: sql`CASE WHEN request_comment IS NULL THEN NULL ELSE ${ANONYMISED_TEXT} END`,
        decision_comment: sql`CASE WHEN decision_comment IS NULL THEN NULL ELSE ${ANONYMISED_TEXT} END`,
        payload: sql`CASE WHEN jsonb_typeof(payload -> 'closeReason') = 'string'
          THEN jsonb_set(payload, '{closeReason}', to_jsonb(${ANONYMISED_TEXT}::text)) ELSE payload END`,
      })
      .where('case_id', 'in', ids)
      .where((eb) =>
        eb.or([
          eb('request_comment', 'is not', null),
          eb('decision_comment', 'is not', null),
          eb(sql`jsonb_typeof(payload -> 'closeReason')`, '=', 'string'),
        ]),
      )
      .executeTakeFirst(),
  );
  return { caseCloseReasons, transitionComments, approvals };
}
