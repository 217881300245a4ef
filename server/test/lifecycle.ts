import { sql } from 'kysely';
import type { TestApp } from './app.ts';

/**
 * A role that works the justice track inside its own agency, for tests: the default prosecutor role
 * has case scope 'none' and sees only what is disclosed to it (the access module's disclosures).
 */
export async function addJusticeRole(t: TestApp): Promise<void> {
  await sql`INSERT INTO roles (code, name, permissions)
    VALUES ('justice_liaison', 'Justice liaison', ARRAY['cases:read', 'justice:read', 'justice:write'])
    ON CONFLICT (code) DO NOTHING`.execute(t.handle.db);
  await sql`INSERT INTO access_role_policies (role_code, case_scope) VALUES ('justice_liaison', 'agency')
    ON CONFLICT (role_code) DO NOTHING`.execute(t.handle.db);
}
