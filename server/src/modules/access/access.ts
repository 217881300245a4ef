import type { Actor } from '../../platform/auth/actor.ts';
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
