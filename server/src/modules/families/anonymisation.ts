import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ANONYMISED_TEXT, changed } from '../access/anonymised.ts';

/**
 * The family graph's free text about an anonymised person: the last known location of every
 * tracing request that seeks them or that they made, and the reason recorded for their care
 * arrangements. Relationships and family-unit membership are ids and stay, so relatives' records
 * keep their shape. Called by retention inside its transaction, after its own access check.
 */
export async function anonymiseFamilyRecords(trx: Transaction<DB>, personId: string) {
  const tracingRequests = changed(
    await trx
      .updateTable('tracing_requests')
      .set({ last_known_location: null, version: sql<number>`version + 1`, updated_at: new Date() })
      .where((eb) =>
        eb.or([eb('sought_person_id', '=', personId), eb('requesting_person_id', '=', personId)]),
      )
      .where('last_known_location', 'is not', null)
      .executeTakeFirst(),
  );
  const careArrangements = changed(
    await trx
      .updateTable('care_arrangements')
      .set({ reason: ANONYMISED_TEXT })
      .where('person_id', '=', personId)
      .where('reason', 'is not', null)
      .executeTakeFirst(),
  );
  return { tracingRequests, careArrangements };
}
