import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ANONYMISED_TEXT, changed } from '../access/anonymised.ts';
import { erasePersonPhotos } from './photos.ts';

/**
 * The registry's records about an anonymised person beyond the names and the person row (which
 * retention rewrites itself): identity documents go (a number and issuer identify on their own),
 * nationality evidence keeps its kind and outcome but not its reference (document and laboratory
 * report numbers), and the per-field history keeps which field changed, when and by whom, but not
 * the values before and after; photos are erased. Called by retention inside its transaction, after its own access check.
 */
export async function anonymisePersonRecords(trx: Transaction<DB>, personId: string) {
  const documents = changed(
    await trx.deleteFrom('person_documents').where('person_id', '=', personId).executeTakeFirst(),
  );
  const nationalityEvidence = changed(
    await trx
      .updateTable('nationality_evidence')
      .set({ reference: ANONYMISED_TEXT })
      .where('nationality_id', 'in', (eb) =>
        eb.selectFrom('person_nationalities').select('id').where('person_id', '=', personId),
      )
      .executeTakeFirst(),
  );
  const historyEntries = changed(
    await trx
      .updateTable('person_history')
      .set({ before: sql<string>`NULL`, after: sql<string>`NULL` })
      .where('person_id', '=', personId)
      .where((eb) => eb.or([eb('before', 'is not', null), eb('after', 'is not', null)]))
      .executeTakeFirst(),
  );
  // A face identifies on its own: every photo goes, rows and images.
  const photos = await erasePersonPhotos(trx, personId);
  return { documents, nationalityEvidence, historyEntries, photos };
}
