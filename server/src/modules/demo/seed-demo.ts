import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addUserDirect, ensureDefaultRoles } from '../accounts/bootstrap.ts';
import type { ProviderProfileInput } from '../directory/schemas.ts';
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

/**
 * Directory profiles of the demo agencies, so a worker can pick a referral recipient by service, region
 * and language. Contacts are placeholders (`.example` domains, reserved numbers).
 */
export const demoProviderProfiles: Record<
  (typeof demoAgencies)[number]['code'],
  Omit<ProviderProfileInput, 'version' | 'contacts'> & {
    contacts: { kind: 'email' | 'phone'; value: string }[];
  }
> = {
  MSP: {
    description: 'Case management, psychosocial support, documents and housing for returned families.',
    services: ['psychosocial', 'documents', 'housing', 'family_tracing', 'shelter'],
    regions: ['Capital', 'Central Region'],
    languages: ['ru', 'kk', 'en'],
    contacts: [{ kind: 'email', value: 'intake@msp.example' }],
    acceptsReferrals: true,
  },
  'MSP-NORTH': {
    description: 'Social protection in the Northern Region: case management, livelihood, school enrolment.',
    services: ['psychosocial', 'livelihood', 'education', 'documents'],
    regions: ['Northern Region'],
    languages: ['ru', 'kk'],
    contacts: [{ kind: 'email', value: 'north@msp.example' }],
    acceptsReferrals: true,
  },
  NSS: {
    description: 'Security assessments. Not a service provider: does not take referrals.',
    services: [],
    regions: ['Capital', 'Central Region', 'Northern Region'],
    languages: ['ru', 'kk'],
    contacts: [{ kind: 'email', value: 'liaison@nss.example' }],
    acceptsReferrals: false,
  },
  GPO: {
    description: 'Justice decisions: prosecute, divert, no case, recognised victim; legal aid referrals.',
    services: ['legal_aid'],
    regions: ['Capital', 'Central Region', 'Northern Region'],
    languages: ['ru', 'kk', 'ar'],
    contacts: [{ kind: 'email', value: 'returnees@gpo.example' }],
    acceptsReferrals: false,
  },
  MOH: {
    description: 'Medical triage, follow-up care and mental-health services.',
    services: ['medical', 'psychosocial'],
    regions: ['Capital', 'Central Region', 'Northern Region'],
    languages: ['ru', 'kk', 'uz', 'en'],
    contacts: [{ kind: 'phone', value: '+000 555 0100' }],
    acceptsReferrals: true,
  },
  WRC: {
    description: 'Women-led organisation: psychosocial groups, vocational training, religious counselling.',
    services: ['psychosocial', 'vocational', 'religious_counselling', 'livelihood'],
    regions: ['Capital'],
    languages: ['ru', 'kk', 'uz', 'tg', 'ar'],
    contacts: [{ kind: 'email', value: 'referrals@wrc.example' }],
    acceptsReferrals: true,
  },
  'UN-HUB': {
    description: 'Coordination and aggregate reporting. Not a service provider: does not take referrals.',
    services: [],
    regions: ['Regional'],
    languages: ['en', 'ru', 'ar'],
    contacts: [{ kind: 'email', value: 'hub@un.example' }],
    acceptsReferrals: false,
  },
};

/** How many demo persons get a recorded referral consent, and how many cases are disclosed to GPO. */
export const DEMO_REFERRAL_CONSENTS = 12;
export const DEMO_JUSTICE_DISCLOSURES = 5;
const DEMO_JUSTICE_DISCLOSURE_DAYS = 180;
export const DEMO_JUSTICE_PURPOSE = 'Justice decision (demo)';

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
  const id = (code: string) => agencyIds.get(code)!.id;
  await dateRegistrations(db);
  await seedProviderProfiles(db, id);
  await seedReferralConsents(db, userIds.get('caseworker')!);
  await seedJusticeDisclosures(db, {
    ownerAgencyId: id('MSP'),
    prosecutionAgencyId: id('GPO'),
    disclosedBy: userIds.get('supervisor')!,
  });
  return { ...result, users: userIds.size };
}

/**
 * The demo registry has a history: a person was recorded when their first case opened, and a relative
 * without a case of their own when their family's first case did, not on the day the demo was seeded.
 * Retention schedules count from those dates, so the data-protection officer's list of persons due
 * for review (children recorded before 18 who are adults now, cases closed five years ago) is not
 * empty in the demo.
 */
async function dateRegistrations(db: Kysely<DB>): Promise<void> {
  await sql`
    UPDATE persons p SET created_at = f.first
    FROM (SELECT person_id, min(opened_at) AS first FROM cases GROUP BY person_id) f
    WHERE f.person_id = p.id AND f.first < p.created_at`.execute(db);
  await sql`
    UPDATE persons p SET created_at = f.first
    FROM (SELECT m.person_id, min(c.opened_at) AS first
          FROM family_unit_members m
          JOIN family_unit_members o ON o.family_unit_id = m.family_unit_id
          JOIN cases c ON c.person_id = o.person_id
          GROUP BY m.person_id) f
    WHERE f.person_id = p.id AND f.first < p.created_at
      AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id)`.execute(db);
}

async function seedProviderProfiles(db: Kysely<DB>, agencyId: (code: string) => string): Promise<void> {
  for (const [code, profile] of Object.entries(demoProviderProfiles)) {
    await db
      .insertInto('provider_profiles')
      .values({
        agency_id: agencyId(code),
        description: profile.description,
        services: profile.services,
        regions: profile.regions,
        languages: profile.languages,
        contacts: JSON.stringify(profile.contacts),
        accepts_referrals: profile.acceptsReferrals,
      })
      .onConflict((oc) => oc.column('agency_id').doNothing())
      .execute();
  }
}

/** Adults only: their own consent suffices (a child's needs assent and a guardian, DOMAIN.md §8). */
const adultSql = sql<boolean>`persons.birth_date_to <= (current_date - interval '18 years')`;

/**
 * Referral consent (any recipient, granted) for the first adults of the demo case worker's open cases, by
 * case number, so a referral to the women's organisation goes through; the others still need consent
 * or a supervisor's override — both paths can be walked.
 */
async function seedReferralConsents(db: Kysely<DB>, caseWorkerId: string): Promise<void> {
  const persons = await db
    .selectFrom('cases')
    .innerJoin('persons', 'persons.id', 'cases.person_id')
    .select('persons.id')
    .where('cases.assigned_user_id', '=', caseWorkerId)
    .where('cases.status', '=', 'open')
    .where(adultSql)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('consents').select('consents.id').whereRef('consents.person_id', '=', 'persons.id'),
        ),
      ),
    )
    .orderBy('cases.case_number')
    .limit(DEMO_REFERRAL_CONSENTS)
    .execute();
  if (persons.length === 0) return;
  await db
    .insertInto('consents')
    .values(
      persons.map((p) => ({
        person_id: p.id,
        purpose: 'referral' as const,
        version: 1,
        legal_basis: 'consent' as const,
        decision: 'granted' as const,
        subject_is_child: false,
        recorded_by: caseWorkerId,
      })),
    )
    .execute();
}

/**
 * The justice compartment (with identity) of a few adult cases of the case worker's agency at stage 5–6,
 * disclosed to the prosecutor's office so the demo prosecutor has work: it may record the justice
 * decision and move the justice track there (ADR 0020), for 180 days. Cases whose justice track has
 * already reached an outcome are left out. Chosen by case number, so the same seed gives the same cases.
 */
async function seedJusticeDisclosures(
  db: Kysely<DB>,
  options: { ownerAgencyId: string; prosecutionAgencyId: string; disclosedBy: string },
): Promise<void> {
  const cases = await db
    .selectFrom('cases')
    .innerJoin('persons', 'persons.id', 'cases.person_id')
    .select('cases.id')
    .where('cases.owner_agency_id', '=', options.ownerAgencyId)
    .where('cases.status', '=', 'open')
    .where('cases.stage', 'in', [5, 6])
    .where(adultSql)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('case_tracks')
            .select('case_tracks.case_id')
            .whereRef('case_tracks.case_id', '=', 'cases.id')
            .where('case_tracks.track', '=', 'justice')
            .where('case_tracks.status', 'not in', ['pending', 'investigation', 'non_punishment_review']),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('disclosures')
            .select('disclosures.id')
            .whereRef('disclosures.case_id', '=', 'cases.id'),
        ),
      ),
    )
    .orderBy('cases.case_number')
    .limit(DEMO_JUSTICE_DISCLOSURES)
    .execute();
  if (cases.length === 0) return;
  const expiresAt = new Date(Date.now() + DEMO_JUSTICE_DISCLOSURE_DAYS * 86_400_000);
  await db
    .insertInto('disclosures')
    .values(
      cases.map((c) => ({
        case_id: c.id,
        recipient_agency_id: options.prosecutionAgencyId,
        sections: ['identity', 'justice'],
        legal_basis: 'legal_obligation' as const,
        purpose: DEMO_JUSTICE_PURPOSE,
        disclosed_by: options.disclosedBy,
        expires_at: expiresAt,
      })),
    )
    .execute();
}
