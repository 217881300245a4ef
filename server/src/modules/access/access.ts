import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Actor } from '../../platform/auth/actor.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Permission } from './permissions.ts';

/**
 * The one entry point every service function calls before touching data. Denied by default: an
 * actor holds exactly the permissions of their roles (narrowed by a token's scopes), nothing more.
 * Record-level rules (agency, assignment, compartments, disclosures, break-glass) extend this module.
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

/**
 * Row filters compiled into SQL: every list, search, count and export of cases or persons puts
 * one of these in its WHERE clause, so paging and counts never reveal what the actor cannot see.
 * Today's rule: the actor's own agency owns the record. The access issue extends these (scopes,
 * assignment, disclosures, break-glass) without changing their signatures.
 */
export function caseVisibilityFilter(actor: Actor) {
  return (eb: ExpressionBuilder<DB, 'cases'>): Expression<SqlBool> => {
    if (!actor.permissions.has('cases:read')) return eb.val(false);
    return eb('cases.owner_agency_id', '=', actor.agencyId);
  };
}

export function personVisibilityFilter(actor: Actor) {
  return (eb: ExpressionBuilder<DB, 'persons'>): Expression<SqlBool> => {
    if (!actor.permissions.has('persons:read')) return eb.val(false);
    return eb('persons.owner_agency_id', '=', actor.agencyId);
  };
}
