import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { authenticateSession } from '../../platform/auth/authenticate.ts';
import { auditContextOfActor, requireReferralConsent } from './consent.ts';

describe('consent and legal basis', () => {
  let t: TestApp;
  let worker: Session;
  let supervisor: Session;
  let adultId: string;
  let childId: string;
  let ngoId: string;
  let mspId: string;

  let workerId: string;
  let cases = 0;
  /** A person of MSP with an open case assigned to the worker (a case worker's scope is their assignments). */
  const person = async (birth: string) => {
    const { id } = await t.handle.db
      .insertInto('persons')
      .values({
        sex: 'female',
        birth_date_kind: 'exact',
        birth_date_from: birth,
        birth_date_to: birth,
        owner_agency_id: mspId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    cases += 1;
    await t.handle.db
      .insertInto('cases')
      .values({
        case_number: `CONSENT-${cases}`,
        person_id: id,
        owner_agency_id: mspId,
        assigned_user_id: workerId,
        stage: 4,
      })
      .execute();
    return id;
  };

  const actorOf = async (session: Session): Promise<Actor> =>
    authenticateSession(t.handle.db, t.config, session.cookie.replace('hw_session=', ''));

  const gate = async (session: Session, personId: string, recipient: string, reason?: string) => {
    const actor = await actorOf(session);
    return t.handle.db
      .transaction()
      .execute((trx) =>
        requireReferralConsent(
          trx,
          actor,
          { personId, recipientAgencyId: recipient, ...(reason ? { override: { reason } } : {}) },
          auditContextOfActor(actor),
        ),
      );
  };

  beforeAll(async () => {
    t = await createTestApp();
    mspId = await t.agencyId('MSP');
    ngoId = await t.agencyId('NGO-WRC');
    const supervisorId = await t.addUser('consent-super', ['supervisor']);
    workerId = await t.addUser('consent-worker', ['case_worker']);
    await t.handle.db
      .updateTable('users')
      .set({ supervisor_id: supervisorId })
      .where('username', '=', 'consent-worker')
      .execute();
    worker = await t.login('consent-worker');
    supervisor = await t.login('consent-super');
    adultId = await person('1990-04-02');
    childId = await person(`${new Date().getUTCFullYear() - 10}-01-01`);
  });
  afterAll(() => t.close());

  it('lets a referral inside the owner agency through without consent', async () => {
    expect(await gate(worker, adultId, mspId)).toEqual({ basis: 'consent', consentId: null });
  });

  it('refuses a referral outside the owner agency with 409 CONSENT_REQUIRED when nothing is recorded', async () => {
    await expect(gate(worker, adultId, ngoId)).rejects.toMatchObject({
      code: 'CONSENT_REQUIRED',
      status: 409,
    });
  });

  it('records consent as versions and accepts the current one; a withdrawal closes the gate again', async () => {
    const first = await t.as(worker, 'POST', '/api/consents', {
      personId: adultId,
      purpose: 'referral',
      legalBasis: 'consent',
      decision: 'granted',
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ version: 1, effective: true, subjectIsChild: false });
    expect(await gate(worker, adultId, ngoId)).toEqual({ basis: 'consent', consentId: first.json().id });

    const withdrawn = await t.as(worker, 'POST', `/api/consents/${first.json().id}/withdraw`, {
      reason: 'changed mind',
    });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({ effective: false });
    expect((await t.as(worker, 'POST', `/api/consents/${first.json().id}/withdraw`, {})).json().code).toBe(
      'CONSENT_ALREADY_WITHDRAWN',
    );
    await expect(gate(worker, adultId, ngoId)).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });

    const second = await t.as(worker, 'POST', '/api/consents', {
      personId: adultId,
      purpose: 'referral',
      legalBasis: 'consent',
      decision: 'granted',
      recipientAgencyId: mspId,
    });
    expect(second.json()).toMatchObject({ version: 2 });
    // Consent limited to another recipient does not cover this one.
    await expect(gate(worker, adultId, ngoId)).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    const list = await t.as(worker, 'GET', `/api/consents?personId=${adultId}`);
    expect(list.json().map((c: { version: number }) => c.version)).toEqual([2, 1]);
  });

  it('ignores an expired consent', async () => {
    const expired = await t.as(worker, 'POST', '/api/consents', {
      personId: adultId,
      purpose: 'referral',
      legalBasis: 'consent',
      decision: 'granted',
      validUntil: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(expired.json()).toMatchObject({ effective: false });
    await expect(gate(worker, adultId, ngoId)).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
  });

  it('needs a child’s assent and a guardian’s consent, and a child’s refusal closes the gate', async () => {
    const alone = await t.as(worker, 'POST', '/api/consents', {
      personId: childId,
      purpose: 'referral',
      legalBasis: 'consent',
      decision: 'granted',
      childAssent: 'given',
    });
    expect(alone.statusCode).toBe(400);
    expect(alone.json()).toMatchObject({
      code: 'CONSENT_INCOMPLETE',
      details: { path: 'body.guardianConsent' },
    });
    const refused = await t.as(worker, 'POST', '/api/consents', {
      personId: childId,
      purpose: 'referral',
      legalBasis: 'consent',
      decision: 'granted',
      childAssent: 'refused',
      guardianConsent: 'given',
    });
    expect(refused.json()).toMatchObject({ subjectIsChild: true, effective: false });
    await expect(gate(worker, childId, ngoId)).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    const both = await t.as(worker, 'POST', '/api/consents', {
      personId: childId,
      purpose: 'referral',
      legalBasis: 'consent',
      decision: 'granted',
      childAssent: 'given',
      guardianConsent: 'given',
    });
    expect(both.json()).toMatchObject({ version: 2, effective: true });
    expect((await gate(worker, childId, ngoId)).basis).toBe('consent');
  });

  it('lets a permitted supervisor override with a written reason, audited; others get 403', async () => {
    const other = await person('1985-06-06');
    await expect(
      gate(worker, other, ngoId, 'urgent medical need, consent not obtainable'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(gate(supervisor, other, ngoId, 'too short')).rejects.toMatchObject({
      code: 'OVERRIDE_REASON_REQUIRED',
    });
    expect(await gate(supervisor, other, ngoId, 'urgent medical need, consent not obtainable')).toEqual({
      basis: 'override',
      consentId: null,
    });
    const audit = await t.handle.db
      .selectFrom('audit_events')
      .select(['action', 'justification'])
      .where('target_id', '=', other)
      .execute();
    expect(audit).toEqual([
      { action: 'consent.override', justification: 'urgent medical need, consent not obtainable' },
    ]);
  });

  it('never makes services depend on consent: the gate is for referral outside the owner agency only', async () => {
    const refusal = await t.as(worker, 'POST', '/api/consents', {
      personId: adultId,
      purpose: 'services',
      legalBasis: 'consent',
      decision: 'refused',
    });
    expect(refusal.statusCode).toBe(201);
    expect(await gate(worker, adultId, mspId)).toEqual({ basis: 'consent', consentId: null });
  });

  it('answers 404 for a person outside the actor’s scope, and 403 without the permission', async () => {
    const elsewhere = await t.agencyId('MSP-EAST');
    const hidden = (
      await t.handle.db
        .insertInto('persons')
        .values({ sex: 'male', birth_date_kind: 'unknown', owner_agency_id: elsewhere })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const response = await t.as(worker, 'GET', `/api/consents?personId=${hidden}`);
    expect(response.statusCode).toBe(404);
    await t.addUser('consent-ngo', ['ngo_worker'], 'NGO-WRC');
    const ngo = await t.login('consent-ngo');
    expect((await t.as(ngo, 'GET', `/api/consents?personId=${adultId}`)).statusCode).toBe(403);
  });
});
