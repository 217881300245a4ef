import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addUserDirect, ensureDefaultRoles } from '../accounts/bootstrap.ts';
import { seedPopulation } from '../synthetic/seed.ts';

/** The demo password of every demo user. Demo mode only: real deployments create users with `homeward user add`. */
export const DEMO_PASSWORD = 'homeward-demo';

export const demoAgencies = [
  {
    code: 'MSP',
    name: 'Ministry of Social Protection (demo)',
    kind: 'social_services',
    jurisdiction: 'National',
  },
  {
    code: 'MSP-NORTH',
    name: 'Ministry of Social Protection — Northern Region (demo)',
    kind: 'social_services',
    jurisdiction: 'Northern Region',
  },
  { code: 'NSS', name: 'National Security Service (demo)', kind: 'security', jurisdiction: 'National' },
  { code: 'GPO', name: 'General Prosecutor’s Office (demo)', kind: 'prosecution', jurisdiction: 'National' },
  { code: 'MOH', name: 'Ministry of Health (demo)', kind: 'health', jurisdiction: 'National' },
  {
    code: 'WRC',
    name: 'Women’s Resource Centre (demo NGO)',
    kind: 'womens_organisation',
    jurisdiction: 'Capital',
  },
  { code: 'UN-HUB', name: 'UN Coordination Hub (demo)', kind: 'coordination', jurisdiction: 'Regional' },
] as const;

/** One demo user per default role of DOMAIN.md §4, listed in the README. */
export const demoUsers = [
  { username: 'supervisor', displayName: 'Dana Supervisor (demo)', agency: 'MSP', roles: ['supervisor'] },
  {
    username: 'caseworker',
    displayName: 'Aliya Caseworker (demo)',
    agency: 'MSP',
    roles: ['case_worker'],
    supervisor: 'supervisor',
  },
  {
    username: 'caseworker2',
    displayName: 'Timur Caseworker (demo)',
    agency: 'MSP',
    roles: ['case_worker'],
    supervisor: 'supervisor',
  },
  {
    username: 'caseworker-north',
    displayName: 'Zarina Caseworker (demo)',
    agency: 'MSP-NORTH',
    roles: ['case_worker'],
  },
  { username: 'security', displayName: 'Serik Assessor (demo)', agency: 'NSS', roles: ['security_assessor'] },
  { username: 'prosecutor', displayName: 'Madina Prosecutor (demo)', agency: 'GPO', roles: ['prosecutor'] },
  { username: 'health', displayName: 'Nodira Health (demo)', agency: 'MOH', roles: ['health_worker'] },
  { username: 'ngo', displayName: 'Gulshan NGO (demo)', agency: 'WRC', roles: ['ngo_worker'] },
  {
    username: 'coordinator',
    displayName: 'Farrukh Coordinator (demo)',
    agency: 'UN-HUB',
    roles: ['coordinator'],
  },
  {
    username: 'dpo',
    displayName: 'Laila Data-Protection (demo)',
    agency: 'MSP',
    roles: ['data_protection_officer'],
  },
  { username: 'admin', displayName: 'Arman Administrator (demo)', agency: 'MSP', roles: ['admin'] },
] as const;

export async function isEmptyDeployment(db: Kysely<DB>): Promise<boolean> {
  const user = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return user === undefined;
}

/**
 * Fills an empty database with the demo agencies, one user per role and a synthetic population.
 * Synthetic only: every name is generated, none belongs to a real person.
 */
export async function seedDemo(
  db: Kysely<DB>,
  options: { seed: number; persons: number; onProgress?: (done: number, total: number) => void },
): Promise<{ persons: number; cases: number; users: number }> {
  await ensureDefaultRoles(db);
  const agencyIds = new Map<string, { id: string; kind: string }>();
  for (const agency of demoAgencies) {
    const row = await db
      .insertInto('agencies')
      .values({ ...agency })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: agency.name }))
      .returning(['id', 'kind'])
      .executeTakeFirstOrThrow();
    agencyIds.set(agency.code, row);
  }
  const userIds = new Map<string, string>();
  for (const user of demoUsers) {
    const existing = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', user.username)
      .executeTakeFirst();
    const supervisorId = 'supervisor' in user ? (userIds.get(user.supervisor) ?? null) : null;
    const id =
      existing?.id ??
      (await addUserDirect(db, {
        username: user.username,
        displayName: user.displayName,
        password: DEMO_PASSWORD,
        agencyId: agencyIds.get(user.agency)!.id,
        roles: [...user.roles],
        supervisorId,
      }));
    userIds.set(user.username, id);
  }
  const caseWorkers = demoUsers
    .filter((u) => (u.roles as readonly string[]).includes('case_worker'))
    .map((u) => ({ id: userIds.get(u.username)!, agencyId: agencyIds.get(u.agency)!.id }));
  const owners = ['MSP', 'MSP-NORTH'].map((code) => agencyIds.get(code)!);
  const result = await seedPopulation(db, {
    seed: options.seed,
    persons: options.persons,
    agencies: owners,
    caseWorkers,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { ...result, users: userIds.size };
}
