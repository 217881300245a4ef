// The demo as a newcomer meets it: the directory, referral consent and the prosecutor's work are seeded,
// the same for the same seed, and the lifecycle can be walked with the demo users.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/database.ts';
import {
  DEMO_JUSTICE_DISCLOSURES,
  DEMO_JUSTICE_PURPOSE,
  DEMO_PASSWORD,
  DEMO_REFERRAL_CONSENTS,
  demoAgencies,
  seedDemo,
} from './seed-demo.ts';

const options = { seed: 7, persons: 400 };

/** What the demo seeds beside the population, by case number (ids are random, case numbers are not). */
async function demoFacts(db: TestApp['handle']['db']) {
  const disclosed = await db
    .selectFrom('disclosures')
    .innerJoin('cases', 'cases.id', 'disclosures.case_id')
    .innerJoin('agencies', 'agencies.id', 'disclosures.recipient_agency_id')
    .select(['cases.case_number', 'agencies.code', 'disclosures.sections'])
    // Referrals made during the walk-through disclose their packets too: only the seeded ones count.
    .where('disclosures.purpose', '=', DEMO_JUSTICE_PURPOSE)
    .orderBy('cases.case_number')
    .execute();
  const consented = await db
    .selectFrom('consents')
    .innerJoin('cases', 'cases.person_id', 'consents.person_id')
    .select(['cases.case_number', 'consents.purpose', 'consents.decision'])
    .where('cases.status', '=', 'open')
    .orderBy('cases.case_number')
    .execute();
  return { disclosed, consented };
}

describe('the demo seed', { timeout: 300_000 }, () => {
  let t: TestApp;
  let prosecutor: Session;
  let caseworker: Session;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t.handle.db, options);
    prosecutor = await t.login('prosecutor', DEMO_PASSWORD);
    caseworker = await t.login('caseworker', DEMO_PASSWORD);
  });
  afterAll(() => t?.close());

  it('lists every demo agency in the directory, and those that take referrals as such', async () => {
    const all = (await t.as(caseworker, 'GET', '/api/directory/providers')).json() as { code: string }[];
    expect(all.map((p) => p.code).sort()).toEqual(demoAgencies.map((a) => a.code).sort());
    const taking = (
      await t.as(caseworker, 'GET', '/api/directory/providers?acceptsReferrals=true&service=vocational')
    ).json() as { code: string }[];
    expect(taking.map((p) => p.code)).toEqual(['WRC']);
  });

  it('records referral consent for some of the case worker’s adults, so a referral goes through', async () => {
    const { consented } = await demoFacts(t.handle.db);
    expect(consented).toHaveLength(DEMO_REFERRAL_CONSENTS);
    expect(new Set(consented.map((c) => `${c.purpose}:${c.decision}`))).toEqual(
      new Set(['referral:granted']),
    );
    const caseRow = await t.handle.db
      .selectFrom('cases')
      .select('id')
      .where('case_number', '=', consented[0]!.case_number)
      .executeTakeFirstOrThrow();
    const wrc = await t.agencyId('WRC');
    const referral = await t.as(caseworker, 'POST', `/api/cases/${caseRow.id}/referrals`, {
      toAgencyId: wrc,
      serviceType: 'vocational',
      packetSummary: 'Synthetic packet: vocational training wanted.',
    });
    expect(referral.statusCode, referral.body).toBe(201);
  });

  it('gives the prosecutor the justice compartment of a few adult stage 5–6 cases, to decide and divert', async () => {
    const { disclosed } = await demoFacts(t.handle.db);
    expect(disclosed).toHaveLength(DEMO_JUSTICE_DISCLOSURES);
    expect(new Set(disclosed.map((d) => d.code))).toEqual(new Set(['GPO']));
    const cases = await t.handle.db
      .selectFrom('cases')
      .innerJoin('agencies', 'agencies.id', 'cases.owner_agency_id')
      .select(['cases.id', 'cases.stage', 'agencies.code'])
      .where(
        'cases.case_number',
        'in',
        disclosed.map((d) => d.case_number),
      )
      .execute();
    for (const c of cases) {
      expect(c.code).toBe('MSP');
      expect([5, 6]).toContain(c.stage);
    }

    const caseId = cases[0]!.id;
    const access = (await t.as(prosecutor, 'GET', `/api/access/cases/${caseId}`)).json();
    expect(access).toMatchObject({ read: ['identity', 'justice'], write: ['justice'] });
    const move = async (transition: string) => {
      const { version } = (await t.as(prosecutor, 'GET', `/api/cases/${caseId}`)).json() as {
        version: number;
      };
      return t.as(prosecutor, 'POST', `/api/cases/${caseId}/transitions`, { transition, version });
    };
    const available = (
      await t.as(prosecutor, 'GET', `/api/cases/${caseId}/available-transitions`)
    ).json() as {
      code: string;
    }[];
    if (available.some((a) => a.code === 'justice.open'))
      expect((await move('justice.open')).statusCode).toBe(200);
    const decided = await t.as(prosecutor, 'POST', `/api/cases/${caseId}/decisions`, {
      kind: 'justice_decision',
      outcome: 'divert',
      decidedOn: new Date().toISOString().slice(0, 10),
      participants: [{ role: 'Prosecutor (chair)' }, { role: 'Social worker' }],
      options: [{ option: 'Divert to a rehabilitation programme' }],
      rationale: 'Synthetic rationale for the demo walk-through.',
    });
    expect(decided.statusCode, decided.body).toBe(201);
    const diverted = await move('justice.divert');
    expect(diverted.statusCode, diverted.body).toBe(200);
  });

  it('dates each person from their first case, so the data-protection officer has reviews due', async () => {
    const undated = await sql<{ n: string }>`
      SELECT count(*) AS n FROM persons p
      WHERE EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id)
        AND p.created_at <> (SELECT min(c.opened_at) FROM cases c WHERE c.person_id = p.id)`.execute(
      t.handle.db,
    );
    expect(Number(undated.rows[0]?.n)).toBe(0);
    const dpo = await t.login('dpo', DEMO_PASSWORD);
    const due = await t.as(dpo, 'GET', '/api/retention/due?limit=500');
    expect(due.statusCode).toBe(200);
    const categories = new Set((due.json() as { category: string }[]).map((d) => d.category));
    expect(categories).toContain('child_majority');
    expect(categories).toContain('case_closed');
  });

  it('seeds the same directory, consents and disclosures for the same seed', async () => {
    const again = await createTestDatabase();
    try {
      await seedDemo(again.db, options);
      const first = await demoFacts(t.handle.db);
      const second = await demoFacts(again.db);
      // The walk-through above added nothing to these tables.
      expect(second).toEqual(first);
      const profiles = await again.db.selectFrom('provider_profiles').select('agency_id').execute();
      expect(profiles).toHaveLength(demoAgencies.length);
    } finally {
      await again.close();
    }
  });
});
