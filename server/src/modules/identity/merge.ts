import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { PersonMergeMoved } from '../../platform/db/tables/identity.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize } from '../access/access.ts';
import { findVisiblePersonRows, recordHistory } from '../persons/repository.ts';
import { refreshNameKeys } from './keys-repository.ts';

/*
 * Merging confirmed duplicates. The duplicate's names, nationality claims, documents and photos move to
 * the surviving person (names are never overwritten: they become the survivor's variants; photos join
 * the survivor's history, the current one staying current only if the survivor had none); the rows that
 * moved are recorded so that undoing the merge moves exactly those back. The merged person's own
 * record, cases and relationships are left in place and reachable through person_merges. Both
 * persons' history records the merge and its undoing; both persons' name keys are refreshed, so the
 * merged person (now without names) no longer turns up in searches.
 */

export interface MergeResult {
  id: string;
  survivorId: string;
  mergedId: string;
  moved: { names: number; nationalities: number; documents: number; photos: number };
  mergedAt: string;
  undoneAt: string | null;
}

export async function mergePersons(
  ctx: ServiceContext,
  input: { survivorId: string; mergedId: string; reason: string },
): Promise<MergeResult> {
  authorize(ctx.actor, 'persons:merge');
  if (input.survivorId === input.mergedId) {
    throw new AppError('MERGE_NOT_ALLOWED', { details: { reason: 'same_person', path: 'body.mergedId' } });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const visible = await findVisiblePersonRows(trx, ctx.actor, [input.survivorId, input.mergedId]);
    if (visible.length !== 2) throw new AppError('PERSON_NOT_FOUND');
    // Lock both persons, in id order, so two concurrent merges cannot cross.
    await trx
      .selectFrom('persons')
      .select('id')
      .where('id', 'in', [input.survivorId, input.mergedId])
      .orderBy('id')
      .forUpdate()
      .execute();
    const active = await trx
      .selectFrom('person_merges')
      .select(['merged_id'])
      .where('undone_at', 'is', null)
      .where('merged_id', 'in', [input.survivorId, input.mergedId])
      .execute();
    if (active.length > 0) {
      throw new AppError('MERGE_NOT_ALLOWED', { details: { reason: 'already_merged' } });
    }
    const names = await trx
      .selectFrom('person_names')
      .select(['id', 'is_display'])
      .where('person_id', '=', input.mergedId)
      .execute();
    const nationalities = await trx
      .selectFrom('person_nationalities')
      .select('id')
      .where('person_id', '=', input.mergedId)
      .execute();
    const documents = await trx
      .selectFrom('person_documents')
      .select('id')
      .where('person_id', '=', input.mergedId)
      .execute();
    const photos = await trx
      .selectFrom('person_photos')
      .select(['id', 'is_current'])
      .where('person_id', '=', input.mergedId)
      .execute();
    const moved: PersonMergeMoved = {
      names: names.map((n) => n.id),
      displayNameId: names.find((n) => n.is_display)?.id ?? null,
      nationalities: nationalities.map((n) => n.id),
      documents: documents.map((d) => d.id),
      photos: photos.map((p) => p.id),
      currentPhotoId: photos.find((p) => p.is_current)?.id ?? null,
    };
    if (moved.names.length > 0) {
      await trx
        .updateTable('person_names')
        .set({ person_id: input.survivorId, is_display: false })
        .where('id', 'in', moved.names)
        .execute();
    }
    if (moved.nationalities.length > 0) {
      await trx
        .updateTable('person_nationalities')
        .set({ person_id: input.survivorId })
        .where('id', 'in', moved.nationalities)
        .execute();
    }
    if (moved.documents.length > 0) {
      await trx
        .updateTable('person_documents')
        .set({ person_id: input.survivorId })
        .where('id', 'in', moved.documents)
        .execute();
    }
    if (photos.length > 0) {
      const survivorHasCurrent = await trx
        .selectFrom('person_photos')
        .select('id')
        .where('person_id', '=', input.survivorId)
        .where('is_current', '=', true)
        .executeTakeFirst();
      // One current photo per person: the survivor's stays; the duplicate's becomes an earlier one.
      await trx
        .updateTable('person_photos')
        .set((eb) => ({
          person_id: input.survivorId,
          is_current: survivorHasCurrent ? false : eb.ref('is_current'),
        }))
        .where('id', 'in', moved.photos ?? [])
        .execute();
    }
    const merge = await trx
      .insertInto('person_merges')
      .values({
        survivor_id: input.survivorId,
        merged_id: input.mergedId,
        reason: input.reason,
        moved: JSON.stringify(moved),
        merged_by: ctx.actor.userId,
      })
      .returning(['id', 'merged_at'])
      .executeTakeFirstOrThrow();
    await recordHistory(trx, input.survivorId, ctx.actor.userId, [
      { field: 'merge.absorbed', before: null, after: { mergeId: merge.id, personId: input.mergedId } },
    ]);
    await recordHistory(trx, input.mergedId, ctx.actor.userId, [
      { field: 'merge.merged_into', before: null, after: { mergeId: merge.id, personId: input.survivorId } },
    ]);
    await refreshNameKeys(trx, [input.survivorId, input.mergedId]);
    const counts = {
      names: moved.names.length,
      nationalities: moved.nationalities.length,
      documents: moved.documents.length,
      photos: moved.photos?.length ?? 0,
    };
    await recordAudit(trx, ctx.audit, {
      action: 'person.merge',
      targetType: 'person',
      targetId: input.survivorId,
      details: { mergeId: merge.id, mergedId: input.mergedId, moved: counts },
    });
    return {
      id: merge.id,
      survivorId: input.survivorId,
      mergedId: input.mergedId,
      moved: counts,
      mergedAt: merge.merged_at.toISOString(),
      undoneAt: null,
    };
  });
}

/** Undoes a merge: exactly the rows that moved go back (those still on the survivor). */
export async function undoMerge(ctx: ServiceContext, mergeId: string): Promise<MergeResult> {
  authorize(ctx.actor, 'persons:merge');
  return ctx.db.transaction().execute(async (trx) => {
    const merge = await trx
      .selectFrom('person_merges')
      .selectAll()
      .where('id', '=', mergeId)
      .forUpdate()
      .executeTakeFirst();
    if (merge === undefined) throw new AppError('MERGE_NOT_FOUND');
    const visible = await findVisiblePersonRows(trx, ctx.actor, [merge.survivor_id, merge.merged_id]);
    if (visible.length !== 2) throw new AppError('MERGE_NOT_FOUND');
    if (merge.undone_at !== null) throw new AppError('MERGE_ALREADY_UNDONE');
    const moved = merge.moved;
    const back = async (
      table: 'person_names' | 'person_nationalities' | 'person_documents' | 'person_photos',
      ids: string[],
    ) => {
      if (ids.length === 0) return 0;
      const result = await trx
        .updateTable(table)
        .set(
          table === 'person_photos'
            ? { person_id: merge.merged_id, is_current: false }
            : { person_id: merge.merged_id },
        )
        .where('id', 'in', ids)
        .where('person_id', '=', merge.survivor_id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    };
    const names = await back('person_names', moved.names);
    const nationalities = await back('person_nationalities', moved.nationalities);
    const documents = await back('person_documents', moved.documents);
    const photos = await back('person_photos', moved.photos ?? []);
    if (moved.currentPhotoId) {
      // The duplicate's current photo is current again, unless a photo was made current for it since.
      await trx
        .updateTable('person_photos')
        .set({ is_current: true })
        .where('id', '=', moved.currentPhotoId)
        .where('person_id', '=', merge.merged_id)
        .where('removed_at', 'is', null)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('person_photos as other')
                .select('other.id')
                .where('other.person_id', '=', merge.merged_id)
                .where('other.is_current', '=', true),
            ),
          ),
        )
        .execute();
    }
    if (moved.displayNameId !== null) {
      await trx
        .updateTable('person_names')
        .set({ is_display: true })
        .where('id', '=', moved.displayNameId)
        .where('person_id', '=', merge.merged_id)
        .execute();
    }
    const undone = await trx
      .updateTable('person_merges')
      .set({ undone_by: ctx.actor.userId, undone_at: sql<Date>`now()` })
      .where('id', '=', mergeId)
      .returning(['undone_at'])
      .executeTakeFirstOrThrow();
    await recordHistory(trx, merge.survivor_id, ctx.actor.userId, [
      { field: 'merge.undone', before: { mergeId, personId: merge.merged_id }, after: null },
    ]);
    await recordHistory(trx, merge.merged_id, ctx.actor.userId, [
      { field: 'merge.undone', before: { mergeId, personId: merge.survivor_id }, after: null },
    ]);
    await refreshNameKeys(trx, [merge.survivor_id, merge.merged_id]);
    await recordAudit(trx, ctx.audit, {
      action: 'person.merge.undo',
      targetType: 'person',
      targetId: merge.survivor_id,
      details: { mergeId, mergedId: merge.merged_id, returned: { names, nationalities, documents, photos } },
    });
    return {
      id: mergeId,
      survivorId: merge.survivor_id,
      mergedId: merge.merged_id,
      moved: { names, nationalities, documents, photos },
      mergedAt: merge.merged_at.toISOString(),
      undoneAt: undone.undone_at?.toISOString() ?? null,
    };
  });
}
