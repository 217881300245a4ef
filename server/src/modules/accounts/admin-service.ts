import { sql, type Transaction } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import { announceAuthChange } from '../../platform/auth/invalidation.ts';
import { hashPassword, passwordWeakness } from '../../platform/auth/passwords.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, type ErrorCode } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize } from '../access/access.ts';
import type {
  CreateAgency,
  CreateRole,
  CreateUser,
  UpdateAgency,
  UpdateRole,
  UpdateUser,
} from './schemas.ts';

/** Postgres unique_violation, turned into the domain's own conflict code. */
function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e.code === '23505' && (e.constraint === constraint || (e.message ?? '').includes(constraint));
}

async function uniquely<T>(
  work: () => Promise<T>,
  constraint: string,
  code: ErrorCode,
  path: string,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, constraint)) throw new AppError(code, { details: { path } });
    throw error;
  }
}

type AgencyRow = {
  id: string;
  code: string;
  name: string;
  kind: string;
  jurisdiction: string | null;
  active: boolean;
  version: number;
};
const agencyColumns = ['id', 'code', 'name', 'kind', 'jurisdiction', 'active', 'version'] as const;
function toAgency(row: AgencyRow) {
  return { ...row, kind: row.kind as CreateAgency['kind'] };
}

export async function listAgencies(ctx: ServiceContext) {
  authorize(ctx.actor, 'admin:agencies');
  const rows = await ctx.db.selectFrom('agencies').select(agencyColumns).orderBy('code').execute();
  return rows.map(toAgency);
}

export async function createAgency(ctx: ServiceContext, input: CreateAgency) {
  authorize(ctx.actor, 'admin:agencies');
  return uniquely(
    () =>
      ctx.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('agencies')
          .values(input)
          .returning(agencyColumns)
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx.audit, {
          action: 'agency.create',
          targetType: 'agency',
          targetId: row.id,
        });
        return toAgency(row);
      }),
    'agencies_code_key',
    'AGENCY_CODE_TAKEN',
    'body.code',
  );
}

/** Optimistic concurrency: the update applies only to the version the caller read. */
async function conflictOrMissing(
  trx: Transaction<DB>,
  table: 'agencies' | 'roles' | 'users',
  id: string,
  notFound: ErrorCode,
) {
  const current = await trx.selectFrom(table).select('version').where('id', '=', id).executeTakeFirst();
  if (!current) throw new AppError(notFound);
  throw new AppError('VERSION_CONFLICT', {
    details: { path: 'body.version', currentVersion: current.version },
  });
}

export async function updateAgency(ctx: ServiceContext, id: string, input: UpdateAgency) {
  authorize(ctx.actor, 'admin:agencies');
  const { version, ...changes } = input;
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('agencies')
      .set((eb) => ({ ...changes, updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(agencyColumns)
      .executeTakeFirst();
    if (!row) return conflictOrMissing(trx, 'agencies', id, 'AGENCY_NOT_FOUND');
    // An agency's name, kind or active flag rides on every member's resolved actor.
    await announceAuthChange(ctx.db, trx, 'all');
    await recordAudit(trx, ctx.audit, {
      action: 'agency.update',
      targetType: 'agency',
      targetId: id,
      details: { fields: Object.keys(changes) },
    });
    return toAgency(row);
  });
  return updated;
}

type RoleRow = {
  id: string;
  code: string;
  name: string;
  description: string;
  permissions: string[];
  require_totp: boolean;
  builtin: boolean;
  version: number;
};
const roleColumns = [
  'id',
  'code',
  'name',
  'description',
  'permissions',
  'require_totp',
  'builtin',
  'version',
] as const;
function toRole(row: RoleRow) {
  const { require_totp, ...rest } = row;
  return { ...rest, requireTotp: require_totp };
}

export async function listRoles(ctx: ServiceContext) {
  authorize(ctx.actor, 'admin:roles');
  const rows = await ctx.db.selectFrom('roles').select(roleColumns).orderBy('code').execute();
  return rows.map(toRole);
}

export async function createRole(ctx: ServiceContext, input: CreateRole) {
  authorize(ctx.actor, 'admin:roles');
  return uniquely(
    () =>
      ctx.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('roles')
          .values({
            code: input.code,
            name: input.name,
            description: input.description,
            permissions: [...new Set(input.permissions)].sort(),
            require_totp: input.requireTotp,
          })
          .returning(roleColumns)
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx.audit, {
          action: 'role.create',
          targetType: 'role',
          targetId: row.id,
          details: { permissions: row.permissions, requireTotp: row.require_totp },
        });
        return toRole(row);
      }),
    'roles_code_key',
    'ROLE_CODE_TAKEN',
    'body.code',
  );
}

export async function updateRole(ctx: ServiceContext, id: string, input: UpdateRole) {
  authorize(ctx.actor, 'admin:roles');
  const { version, requireTotp, permissions, ...rest } = input;
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('roles')
      .set((eb) => ({
        ...rest,
        ...(permissions ? { permissions: [...new Set(permissions)].sort() } : {}),
        ...(requireTotp !== undefined ? { require_totp: requireTotp } : {}),
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(roleColumns)
      .executeTakeFirst();
    if (!row) return conflictOrMissing(trx, 'roles', id, 'ROLE_NOT_FOUND');
    // A role's permissions and second-factor rule ride on every holder's resolved actor.
    await announceAuthChange(ctx.db, trx, 'all');
    await recordAudit(trx, ctx.audit, {
      action: 'role.update',
      targetType: 'role',
      targetId: id,
      details: { fields: Object.keys(input).filter((k) => k !== 'version'), permissions: row.permissions },
    });
    return toRole(row);
  });
  return updated;
}

export async function deleteRole(ctx: ServiceContext, id: string): Promise<void> {
  authorize(ctx.actor, 'admin:roles');
  await ctx.db.transaction().execute(async (trx) => {
    const holders = await trx
      .selectFrom('user_roles')
      .select('user_id')
      .where('role_id', '=', id)
      .limit(1)
      .execute();
    if (holders.length > 0) throw new AppError('ROLE_IN_USE');
    const deleted = await trx.deleteFrom('roles').where('id', '=', id).returning('id').executeTakeFirst();
    if (!deleted) throw new AppError('ROLE_NOT_FOUND');
    await announceAuthChange(ctx.db, trx, 'all');
    await recordAudit(trx, ctx.audit, { action: 'role.delete', targetType: 'role', targetId: id });
  });
}

async function roleIdsFor(trx: Transaction<DB>, codes: string[]): Promise<string[]> {
  const unique = [...new Set(codes)];
  const rows = await trx.selectFrom('roles').select(['id', 'code']).where('code', 'in', unique).execute();
  const unknown = unique.filter((code) => !rows.some((r) => r.code === code));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `Unknown role: ${unknown.join(', ')}`,
      details: { path: 'body.roles', unknown },
    });
  }
  return rows.map((r) => r.id);
}

async function assertAgencyExists(trx: Transaction<DB>, agencyId: string) {
  const agency = await trx.selectFrom('agencies').select('id').where('id', '=', agencyId).executeTakeFirst();
  if (!agency) throw new AppError('AGENCY_NOT_FOUND', { details: { path: 'body.agencyId' } });
}

async function assertSupervisorExists(trx: Transaction<DB>, supervisorId: string | null | undefined) {
  if (!supervisorId) return;
  const supervisor = await trx
    .selectFrom('users')
    .select('id')
    .where('id', '=', supervisorId)
    .executeTakeFirst();
  if (!supervisor) throw new AppError('USER_NOT_FOUND', { details: { path: 'body.supervisorId' } });
}

/** Users with their role codes and lockout, in one query whether one user or a whole list is asked for. */
async function loadUsers(
  db: Transaction<DB> | ServiceContext['db'],
  filter: { id?: string; agencyId?: string | undefined },
) {
  let query = db
    .selectFrom('users')
    .leftJoin('login_throttle', 'login_throttle.username_key', 'users.username')
    .select((eb) => [
      'users.id',
      'users.username',
      'users.display_name',
      'users.agency_id',
      'users.supervisor_id',
      'users.status',
      'users.totp_enabled',
      'users.preferred_language',
      'users.version',
      'login_throttle.locked_until',
      eb
        .selectFrom('user_roles')
        .innerJoin('roles', 'roles.id', 'user_roles.role_id')
        .select(sql<string[]>`coalesce(array_agg(roles.code ORDER BY roles.code), '{}')`.as('codes'))
        .whereRef('user_roles.user_id', '=', 'users.id')
        .as('role_codes'),
    ])
    .orderBy('users.username');
  if (filter.id) query = query.where('users.id', '=', filter.id);
  if (filter.agencyId) query = query.where('users.agency_id', '=', filter.agencyId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    agencyId: row.agency_id,
    supervisorId: row.supervisor_id,
    roles: row.role_codes ?? [],
    status: row.status,
    totpEnabled: row.totp_enabled,
    preferredLanguage: row.preferred_language as CreateUser['preferredLanguage'],
    lockedUntil: row.locked_until && row.locked_until > new Date() ? row.locked_until.toISOString() : null,
    version: row.version,
  }));
}

async function loadUser(db: Transaction<DB> | ServiceContext['db'], id: string) {
  return (await loadUsers(db, { id }))[0];
}

export async function listUsers(ctx: ServiceContext, filter: { agencyId?: string | undefined }) {
  authorize(ctx.actor, 'admin:users');
  return loadUsers(ctx.db, { agencyId: filter.agencyId });
}

export async function getUser(ctx: ServiceContext, id: string) {
  authorize(ctx.actor, 'admin:users');
  const user = await loadUser(ctx.db, id);
  if (!user) throw new AppError('USER_NOT_FOUND');
  return user;
}

export async function createUser(ctx: ServiceContext, input: CreateUser) {
  authorize(ctx.actor, 'admin:users');
  const weakness = passwordWeakness(input.password, input.username);
  if (weakness) {
    throw new AppError('WEAK_PASSWORD', {
      message: `The password is too weak: ${weakness}`,
      details: { path: 'body.password' },
    });
  }
  const passwordHash = await hashPassword(input.password);
  return uniquely(
    () =>
      ctx.db.transaction().execute(async (trx) => {
        await assertAgencyExists(trx, input.agencyId);
        await assertSupervisorExists(trx, input.supervisorId);
        const roleIds = await roleIdsFor(trx, input.roles);
        const row = await trx
          .insertInto('users')
          .values({
            username: input.username,
            display_name: input.displayName,
            agency_id: input.agencyId,
            supervisor_id: input.supervisorId,
            password_hash: passwordHash,
            preferred_language: input.preferredLanguage,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('user_roles')
          .values(roleIds.map((role_id) => ({ user_id: row.id, role_id })))
          .execute();
        await recordAudit(trx, ctx.audit, {
          action: 'user.create',
          targetType: 'user',
          targetId: row.id,
          details: { agencyId: input.agencyId, roles: [...new Set(input.roles)].sort() },
        });
        return (await loadUser(trx, row.id))!;
      }),
    'users_username_key',
    'USERNAME_TAKEN',
    'body.username',
  );
}

export async function updateUser(ctx: ServiceContext, id: string, input: UpdateUser) {
  authorize(ctx.actor, 'admin:users');
  const { version, roles, displayName, agencyId, supervisorId, status, preferredLanguage } = input;
  if (supervisorId === id) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'A user cannot supervise themselves',
      details: { path: 'body.supervisorId' },
    });
  }
  const updated = await ctx.db.transaction().execute(async (trx) => {
    if (agencyId) await assertAgencyExists(trx, agencyId);
    await assertSupervisorExists(trx, supervisorId);
    const row = await trx
      .updateTable('users')
      .set((eb) => ({
        ...(displayName !== undefined ? { display_name: displayName } : {}),
        ...(agencyId !== undefined ? { agency_id: agencyId } : {}),
        ...(supervisorId !== undefined ? { supervisor_id: supervisorId } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(preferredLanguage !== undefined ? { preferred_language: preferredLanguage } : {}),
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .where('version', '=', version)
      .returning('id')
      .executeTakeFirst();
    if (!row) return conflictOrMissing(trx, 'users', id, 'USER_NOT_FOUND');
    await announceAuthChange(ctx.db, trx, `user:${id}`);
    if (roles) {
      const roleIds = await roleIdsFor(trx, roles);
      await trx.deleteFrom('user_roles').where('user_id', '=', id).execute();
      await trx
        .insertInto('user_roles')
        .values(roleIds.map((role_id) => ({ user_id: id, role_id })))
        .execute();
    }
    // A disabled account or one whose roles changed must sign in again under its new rights.
    if (status === 'disabled' || roles || agencyId) {
      await trx
        .updateTable('sessions')
        .set({ ended_at: new Date(), end_reason: 'revoked' })
        .where('user_id', '=', id)
        .where('ended_at', 'is', null)
        .execute();
    }
    await recordAudit(trx, ctx.audit, {
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      details: {
        fields: Object.keys(input).filter((k) => k !== 'version'),
        ...(roles ? { roles: [...new Set(roles)].sort() } : {}),
      },
    });
    return (await loadUser(trx, id))!;
  });
  return updated;
}

export async function resetUserPassword(ctx: ServiceContext, id: string, newPassword: string): Promise<void> {
  authorize(ctx.actor, 'admin:users');
  const target = await ctx.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!target) throw new AppError('USER_NOT_FOUND');
  const weakness = passwordWeakness(newPassword, target.username);
  if (weakness) {
    throw new AppError('WEAK_PASSWORD', {
      message: `The password is too weak: ${weakness}`,
      details: { path: 'body.newPassword' },
    });
  }
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set((eb) => ({
        password_hash: passwordHash,
        password_changed_at: new Date(),
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
    await trx
      .updateTable('sessions')
      .set({ ended_at: new Date(), end_reason: 'password_changed' })
      .where('user_id', '=', id)
      .where('ended_at', 'is', null)
      .execute();
    await trx.deleteFrom('login_throttle').where('username_key', '=', target.username).execute();
    await announceAuthChange(ctx.db, trx, `user:${id}`);
    await recordAudit(trx, ctx.audit, { action: 'user.reset_password', targetType: 'user', targetId: id });
  });
}

export async function unlockUser(ctx: ServiceContext, id: string): Promise<void> {
  authorize(ctx.actor, 'admin:users');
  await ctx.db.transaction().execute(async (trx) => {
    const target = await trx.selectFrom('users').select('username').where('id', '=', id).executeTakeFirst();
    if (!target) throw new AppError('USER_NOT_FOUND');
    await trx.deleteFrom('login_throttle').where('username_key', '=', target.username).execute();
    await recordAudit(trx, ctx.audit, { action: 'user.unlock', targetType: 'user', targetId: id });
  });
}
