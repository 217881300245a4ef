import { z } from 'zod';
import type { Executor } from '../persons/repository.ts';

/**
 * How a list names the people who act in the system (users, never the persons of the cases) and the
 * agencies they work for: a display name and an agency code and name. Never a username or an email.
 */
export const userRefSchema = z
  .object({ id: z.uuid(), displayName: z.string() })
  .meta({ id: 'UserRef', description: 'A user of the system, by display name' });
export type UserRef = z.infer<typeof userRefSchema>;

export const agencyRefSchema = z
  .object({ id: z.uuid(), code: z.string(), name: z.string() })
  .meta({ id: 'AgencyRef' });
export type AgencyRef = z.infer<typeof agencyRefSchema>;

/** Display names of users by id, in one query; ids of users that do not exist are absent. */
export async function userRefs(db: Executor, ids: Iterable<string | null>): Promise<Map<string, UserRef>> {
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, displayName: r.display_name }]));
}

/** A user's reference, falling back to the id alone (an empty name) when the user is gone. */
export function userRefOf(refs: Map<string, UserRef>, id: string): UserRef {
  return refs.get(id) ?? { id, displayName: '' };
}

export async function agencyRefs(db: Executor, ids: Iterable<string>): Promise<Map<string, AgencyRef>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('agencies')
    .select(['id', 'code', 'name'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name }]));
}

export function agencyRefOf(refs: Map<string, AgencyRef>, id: string): AgencyRef {
  return refs.get(id) ?? { id, code: '', name: '' };
}
