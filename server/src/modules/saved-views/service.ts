import type { Selectable } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { SavedViewsTable } from '../../platform/db/tables/saved-views.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize } from '../access/access.ts';
import type { CreateSavedView, SavedViewParams, UpdateSavedView } from './schemas.ts';

/*
 * Saved views belong to one user: every query is keyed by the actor's user id, so another user's
 * view is simply not found (404), never "forbidden" (which would say that it exists). They need
 * cases:read, the permission of the list they filter. Every write is audited without the view's
 * name or parameters (a label a user typed is theirs, not the trail's).
 */

const NAME_CONSTRAINT = 'saved_views_user_name_key';

type SavedViewRow = Selectable<SavedViewsTable>;

function toSavedView(row: SavedViewRow) {
  return {
    id: row.id,
    name: row.name,
    params: row.params as SavedViewParams,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** Drops parameters left empty, so a view stores only the filters it sets. */
function compact(params: SavedViewParams): SavedViewParams {
  return Object.fromEntries(
    Object.entries(params).filter(([, value]) => value !== undefined && value !== ''),
  ) as SavedViewParams;
}

function isNameTaken(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return (
    e.code === '23505' && (e.constraint === NAME_CONSTRAINT || (e.message ?? '').includes(NAME_CONSTRAINT))
  );
}

function nameTaken(): AppError {
  return new AppError('SAVED_VIEW_NAME_TAKEN', { details: { path: 'body.name' } });
}

/** The actor's saved views, by name. */
export async function listSavedViews(ctx: ServiceContext) {
  authorize(ctx.actor, 'cases:read');
  const rows = await ctx.db
    .selectFrom('saved_views')
    .selectAll()
    .where('user_id', '=', ctx.actor.userId)
    .orderBy((eb) => eb.fn('lower', ['name']))
    .orderBy('id')
    .execute();
  return rows.map(toSavedView);
}

export async function getSavedView(ctx: ServiceContext, id: string) {
  authorize(ctx.actor, 'cases:read');
  const row = await ctx.db
    .selectFrom('saved_views')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', ctx.actor.userId)
    .executeTakeFirst();
  if (!row) throw new AppError('SAVED_VIEW_NOT_FOUND');
  return toSavedView(row);
}

export async function createSavedView(ctx: ServiceContext, input: CreateSavedView) {
  authorize(ctx.actor, 'cases:read');
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('saved_views')
        .values({
          user_id: ctx.actor.userId,
          name: input.name,
          params: JSON.stringify(compact(input.params)),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx.audit, {
        action: 'saved_view.create',
        targetType: 'saved_view',
        targetId: row.id,
        details: { params: Object.keys(compact(input.params)).sort() },
      });
      return toSavedView(row);
    });
  } catch (error) {
    if (isNameTaken(error)) throw nameTaken();
    throw error;
  }
}

export async function updateSavedView(ctx: ServiceContext, id: string, input: UpdateSavedView) {
  authorize(ctx.actor, 'cases:read');
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('saved_views')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', ctx.actor.userId)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw new AppError('SAVED_VIEW_NOT_FOUND');
      if (current.version !== input.version) {
        throw new AppError('VERSION_CONFLICT', {
          details: { path: 'body.version', currentVersion: current.version },
        });
      }
      const row = await trx
        .updateTable('saved_views')
        .set((eb) => ({
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.params === undefined ? {} : { params: JSON.stringify(compact(input.params)) }),
          updated_at: new Date(),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx.audit, {
        action: 'saved_view.update',
        targetType: 'saved_view',
        targetId: id,
        details: {
          changed: [
            ...(input.name === undefined ? [] : ['name']),
            ...(input.params === undefined ? [] : ['params']),
          ],
        },
      });
      return toSavedView(row);
    });
  } catch (error) {
    if (isNameTaken(error)) throw nameTaken();
    throw error;
  }
}

export async function deleteSavedView(ctx: ServiceContext, id: string, version: number) {
  authorize(ctx.actor, 'cases:read');
  await ctx.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('saved_views')
      .select(['id', 'version'])
      .where('id', '=', id)
      .where('user_id', '=', ctx.actor.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('SAVED_VIEW_NOT_FOUND');
    if (current.version !== version) {
      throw new AppError('VERSION_CONFLICT', {
        details: { path: 'query.version', currentVersion: current.version },
      });
    }
    await trx.deleteFrom('saved_views').where('id', '=', id).execute();
    await recordAudit(trx, ctx.audit, {
      action: 'saved_view.delete',
      targetType: 'saved_view',
      targetId: id,
    });
  });
}
