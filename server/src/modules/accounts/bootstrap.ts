import type { Kysely } from 'kysely';
import { hashPassword, passwordWeakness } from '../../platform/auth/passwords.ts';
import type { DB } from '../../platform/db/schema.ts';
import { defaultRoles } from '../access/permissions.ts';

/** Seeds the default roles of DOMAIN.md §4 where they are missing; an administrator's edits are kept. */
export async function ensureDefaultRoles(db: Kysely<DB>): Promise<number> {
  const existing = new Set((await db.selectFrom('roles').select('code').execute()).map((r) => r.code));
  const missing = defaultRoles.filter((role) => !existing.has(role.code));
  if (missing.length === 0) return 0;
  await db
    .insertInto('roles')
    .values(
      missing.map((role) => ({
        code: role.code,
        name: role.name,
        description: role.description,
        permissions: [...role.permissions].sort(),
        require_totp: role.requireTotp,
        builtin: true,
      })),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  return missing.length;
}

export interface NewAccount {
  username: string;
  displayName: string;
  password: string;
  agencyId: string;
  roles: string[];
  supervisorId?: string | null;
  preferredLanguage?: string;
}

/** Creates a user from the command line or a seed (no actor yet): same rules as the admin API. */
export async function addUserDirect(db: Kysely<DB>, account: NewAccount): Promise<string> {
  const weakness = passwordWeakness(account.password, account.username);
  if (weakness) throw new Error(`The password is too weak: ${weakness}`);
  const passwordHash = await hashPassword(account.password);
  return db.transaction().execute(async (trx) => {
    const roles = await trx
      .selectFrom('roles')
      .select(['id', 'code'])
      .where('code', 'in', account.roles)
      .execute();
    const unknown = account.roles.filter((code) => !roles.some((r) => r.code === code));
    if (unknown.length > 0) throw new Error(`Unknown role: ${unknown.join(', ')}`);
    const user = await trx
      .insertInto('users')
      .values({
        username: account.username.toLowerCase(),
        display_name: account.displayName,
        agency_id: account.agencyId,
        supervisor_id: account.supervisorId ?? null,
        password_hash: passwordHash,
        preferred_language: account.preferredLanguage ?? 'en',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('user_roles')
      .values(roles.map((r) => ({ user_id: user.id, role_id: r.id })))
      .execute();
    return user.id;
  });
}
