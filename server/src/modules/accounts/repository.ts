import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export function findUserByUsername(db: Executor, username: string) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'username',
      'agency_id',
      'password_hash',
      'status',
      'totp_enabled',
      'totp_secret_encrypted',
      'totp_last_step',
    ])
    .where('username', '=', username)
    .executeTakeFirst();
}

export function findUserSecrets(db: Executor, userId: string) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'username',
      'password_hash',
      'totp_enabled',
      'totp_secret_encrypted',
      'totp_last_step',
      'version',
    ])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** Whether any of the user's roles requires a second factor. */
export async function rolesRequireTotp(db: Executor, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('user_roles')
    .innerJoin('roles', 'roles.id', 'user_roles.role_id')
    .select('roles.id')
    .where('user_roles.user_id', '=', userId)
    .where('roles.require_totp', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}

export function loadThrottle(db: Executor, usernameKey: string) {
  return db
    .selectFrom('login_throttle')
    .selectAll()
    .where('username_key', '=', usernameKey)
    .executeTakeFirst();
}

export async function recordFailedLogin(
  db: Executor,
  usernameKey: string,
  maxFailures: number,
  lockMinutes: number,
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const now = new Date();
  const existing = await loadThrottle(db, usernameKey);
  // After a lock has run out the count starts again.
  const previous =
    existing && (!existing.locked_until || existing.locked_until > now) ? existing.failures : 0;
  const failures = previous + 1;
  const lockedUntil = failures >= maxFailures ? new Date(now.getTime() + lockMinutes * 60_000) : null;
  await db
    .insertInto('login_throttle')
    .values({ username_key: usernameKey, failures, locked_until: lockedUntil, last_failure_at: now })
    .onConflict((oc) =>
      oc.column('username_key').doUpdateSet({ failures, locked_until: lockedUntil, last_failure_at: now }),
    )
    .execute();
  return { failures, lockedUntil };
}

export async function clearFailedLogins(db: Executor, usernameKey: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('username_key', '=', usernameKey).execute();
}
