import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ANONYMISED_TEXT, changed } from '../access/anonymised.ts';

/**
 * Identity's records about an anonymised person: the blocking keys of their names go (they are the
 * names, transformed, and would let a search find the person again), screening hits keep score,
 * decision and status but lose the explanation (it quotes the person's names beside the listed
 * ones), and the reasons reviewers and merges wrote are replaced. Called by retention inside its
 * transaction, after its own access check.
 */
export async function anonymiseIdentityRecords(trx: Transaction<DB>, personId: string) {
  const nameKeys = changed(
    await trx.deleteFrom('person_name_keys').where('person_id', '=', personId).executeTakeFirst(),
  );
  const hitIds = trx.selectFrom('screening_hits').select('id').where('person_id', '=', personId);
  const screeningHits = changed(
    await trx
      .updateTable('screening_hits')
      .set({ explanation: sql`jsonb_build_array(${ANONYMISED_TEXT}::text)` })
      .where('person_id', '=', personId)
      .executeTakeFirst(),
  );
  const screeningReviews = changed(
    await trx
      .updateTable('screening_reviews')
      .set({ reason: ANONYMISED_TEXT })
      .where('hit_id', 'in', hitIds)
      .where('reason', 'is not', null)
      .executeTakeFirst(),
  );
  const falsePositives = changed(
    await trx
      .updateTable('screening_false_positives')
      .set({ reason: ANONYMISED_TEXT })
      .where('person_id', '=', personId)
      .executeTakeFirst(),
  );
  const merges = changed(
    await trx
      .updateTable('person_merges')
      .set({ reason: ANONYMISED_TEXT })
      .where((eb) => eb.or([eb('survivor_id', '=', personId), eb('merged_id', '=', personId)]))
      .executeTakeFirst(),
  );
  return { nameKeys, screeningHits, screeningReviews, falsePositives, merges };
}
