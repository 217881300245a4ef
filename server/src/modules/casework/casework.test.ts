import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { addYears, todayIso } from '../persons/age.ts';

describe('case work: plans, notes, tasks, referrals and services', () => {
  let t: TestApp;
  let supervisor: Session;
  let worker: Session;
  let ngo: Session;
  let otherNgo: Session;
  let ngoAgency: string;
  let caseId: string;
  let personId: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.addUser('cw-supervisor', ['supervisor'], 'MSP');
    const workerId = await t.addUser('cw-worker', ['case_worker'], 'MSP');
    await t.addUser('cw-ngo', ['ngo_worker'], 'NGO-WRC');
    await t.addUser('cw-ngo2', ['ngo_worker'], 'NGO-OTHER');
    supervisor = await t.login('cw-supervisor');
    worker = await t.login('cw-worker');
    ngo = await t.login('cw-ngo');
    otherNgo = await t.login('cw-ngo2');
    ngoAgency = await t.agencyId('NGO-WRC');
    const person = await t.as(supervisor, 'POST', '/api/persons', {
      sex: 'female',
      birthDate: { kind: 'year', year: 1993 },
      names: [{ fullName: 'Madina Synthetic', script: 'latin', nameType: 'primary', source: 'camp_list' }],
    });
    personId = person.json().id;
    const opened = await t.as(supervisor, 'POST', '/api/cases', {
      personId,
      stage: 5,
      assignedUserId: workerId,
    });
    caseId = opened.json().id;
  });
  afterAll(() => t.close());

  it('makes a plan with goals, actions, responsible agencies and due dates', async () => {
    const response = await t.as(worker, 'POST', `/api/cases/${caseId}/plans`, {
      title: 'Rehabilitation plan',
      goals: [
        { domain: 'psychosocial', description: 'Weekly counselling' },
        { domain: 'documents', description: 'Restore identity documents' },
      ],
      actions: [
        {
          goal: 0,
          description: 'Refer to a women-led organisation',
          responsibleAgencyId: ngoAgency,
          dueOn: '2030-01-15',
        },
        { goal: 1, description: 'Apply for an ID card', dueOn: '2030-02-01' },
      ],
    });
    expect(response.statusCode).toBe(201);
    const plan = response.json();
    expect(plan).toMatchObject({ status: 'active', version: 1 });
    expect(plan.goals[0].actions).toMatchObject([{ responsibleAgencyId: ngoAgency, status: 'planned' }]);
    const action = plan.goals[1].actions[0].id;
    const done = await t.as(worker, 'PUT', `/api/cases/${caseId}/plans/${plan.id}/actions/${action}/status`, {
      status: 'done',
    });
    expect(done.json().goals[1].actions[0].status).toBe('done');
    const stale = await t.as(worker, 'PATCH', `/api/cases/${caseId}/plans/${plan.id}`, {
      version: 1,
      status: 'completed',
    });
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
    const badGoal = await t.as(worker, 'POST', `/api/cases/${caseId}/plans`, {
      title: 'Bad',
      goals: [{ domain: 'other', description: 'x' }],
      actions: [{ goal: 3, description: 'y' }],
    });
    expect(badGoal.json().details.path).toBe('body.actions.0.goal');
  });

  it('keeps notes in compartments and shows each reader only the compartments they read', async () => {
    const protection = await t.as(worker, 'POST', `/api/cases/${caseId}/notes`, {
      compartment: 'protection',
      body: 'Synthetic protection note',
    });
    expect(protection.statusCode).toBe(201);
    const security = await t.as(worker, 'POST', `/api/cases/${caseId}/notes`, {
      compartment: 'security',
      body: 'A case worker may not write here',
    });
    expect(security.statusCode).toBe(403);
    const notes = (await t.as(worker, 'GET', `/api/cases/${caseId}/notes`)).json();
    expect(notes.map((n: { compartment: string }) => n.compartment)).toEqual(['protection']);
    const forbidden = await t.as(worker, 'GET', `/api/cases/${caseId}/notes?compartment=security`);
    expect(forbidden.statusCode).toBe(403);
  });

  it('lists overdue tasks of the cases one sees', async () => {
    const past = addYears(todayIso(), -1);
    const overdue = await t.as(worker, 'POST', `/api/cases/${caseId}/tasks`, {
      title: 'Home visit',
      kind: 'follow_up',
      dueOn: past,
    });
    expect(overdue.statusCode).toBe(201);
    expect(overdue.json()).toMatchObject({ overdue: true, assignedUserId: worker.userId });
    await t.as(worker, 'POST', `/api/cases/${caseId}/tasks`, { title: 'Later', dueOn: '2099-01-01' });
    const list = (await t.as(worker, 'GET', '/api/tasks/overdue?mine=true')).json();
    expect(list.map((x: { id: string }) => x.id)).toEqual([overdue.json().id]);
    const page = (await t.as(worker, 'GET', `/api/cases/${caseId}`)).json();
    expect(page.openTasks.map((x: { overdue: boolean }) => x.overdue)).toEqual([true, false]);
    const closed = await t.as(worker, 'PATCH', `/api/cases/${caseId}/tasks/${overdue.json().id}`, {
      version: 1,
      status: 'done',
    });
    expect(closed.json()).toMatchObject({ status: 'done', overdue: false, version: 2 });
    expect((await t.as(worker, 'GET', '/api/tasks/overdue')).json()).toEqual([]);
    expect((await t.as(ngo, 'GET', '/api/tasks/overdue')).statusCode).toBe(403);
  });

  describe('referrals', () => {
    const refer = (body: Record<string, unknown>, as = worker) =>
      t.as(as, 'POST', `/api/cases/${caseId}/referrals`, {
        toAgencyId: ngoAgency,
        serviceType: 'psychosocial',
        packetSummary: 'Adult woman, Russian-speaking, needs weekly counselling',
        ...body,
      });

    const refusedReferrals = () =>
      t.handle.db
        .selectFrom('audit_events')
        .select(['actor_user_id', 'outcome', 'details'])
        .where('action', '=', 'referral.create')
        .where('target_id', '=', caseId)
        .where('outcome', '=', 'denied')
        .orderBy('seq')
        .execute();

    it('refuses a referral outside the owner agency without consent, writing nothing but the audit entry', async () => {
      const before = await refusedReferrals();
      const response = await refer({});
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe('CONSENT_REQUIRED');
      const rows = await t.handle.db
        .selectFrom('referrals')
        .select('id')
        .where('case_id', '=', caseId)
        .execute();
      expect(rows).toEqual([]);
      const after = await refusedReferrals();
      expect(after).toHaveLength(before.length + 1);
      expect(after.at(-1)).toMatchObject({
        actor_user_id: worker.userId,
        outcome: 'denied',
        details: { code: 'CONSENT_REQUIRED', toAgencyId: ngoAgency, override: false },
      });
      // The packet summary (personal data) stays out of the trail.
      expect(JSON.stringify(after.at(-1))).not.toContain('Russian-speaking');
    });

    it('audits an override refused for a reason too short, and writes no referral', async () => {
      const before = await refusedReferrals();
      const response = await refer({ override: { reason: 'urgent' } }, supervisor);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('OVERRIDE_REASON_REQUIRED');
      const after = await refusedReferrals();
      expect(after).toHaveLength(before.length + 1);
      expect(after.at(-1)).toMatchObject({
        actor_user_id: supervisor.userId,
        details: { code: 'OVERRIDE_REASON_REQUIRED', override: true },
      });
      const rows = await t.handle.db
        .selectFrom('referrals')
        .select('id')
        .where('case_id', '=', caseId)
        .execute();
      expect(rows).toEqual([]);
    });

    it('allows a logged override only to those permitted', async () => {
      const denied = await refer({
        override: { reason: 'Urgent protection need, consent cannot be obtained' },
      });
      expect(denied.statusCode).toBe(403);
      const allowed = await refer(
        { override: { reason: 'Urgent protection need, consent cannot be obtained' } },
        supervisor,
      );
      expect(allowed.statusCode).toBe(201);
      expect(allowed.json()).toMatchObject({ consentBasis: 'override', status: 'pending' });
      const audit = await t.handle.db
        .selectFrom('audit_events')
        .select(['action', 'justification'])
        .where('action', '=', 'consent.override')
        .where('target_id', '=', personId)
        .executeTakeFirst();
      expect(audit?.justification).toMatch(/Urgent protection need/);
      // Leave no pending referral behind for the next tests.
      await t.as(ngo, 'POST', `/api/referrals/${allowed.json().id}/decline`, {
        reason: 'No capacity this month',
      });
    });

    it('shows the recipient only the packet until it accepts, then records its own services', async () => {
      const consent = await t.as(supervisor, 'POST', '/api/consents', {
        personId,
        purpose: 'referral',
        legalBasis: 'consent',
        decision: 'granted',
      });
      expect(consent.statusCode, consent.body).toBe(201);
      const referral = await refer({});
      expect(referral.statusCode).toBe(201);
      const id = referral.json().id;
      await t.as(worker, 'POST', `/api/cases/${caseId}/notes`, {
        compartment: 'referral_packet',
        referralId: id,
        body: 'Prefers a female counsellor',
      });
      const before = (await t.as(ngo, 'GET', `/api/referrals/${id}`)).json();
      expect(before).toMatchObject({
        caseId: null,
        person: { displayName: null, sex: 'female', ageBand: '25-59' },
        packetNotes: [],
        status: 'pending',
      });
      expect((await t.as(ngo, 'GET', `/api/cases/${caseId}`)).statusCode).toBe(403);
      expect((await t.as(otherNgo, 'GET', `/api/referrals/${id}`)).statusCode).toBe(404);
      const inbox = (await t.as(ngo, 'GET', '/api/referrals?direction=incoming&status=pending')).json();
      expect(inbox.map((r: { id: string }) => r.id)).toEqual([id]);
      const tooEarly = await t.as(ngo, 'POST', `/api/cases/${caseId}/services`, {
        serviceType: 'psychosocial',
        referralId: id,
        deliveredOn: todayIso(),
        outcome: 'completed',
      });
      expect(tooEarly.statusCode).toBe(404);

      const accepted = await t.as(ngo, 'POST', `/api/referrals/${id}/accept`);
      expect(accepted.json()).toMatchObject({
        status: 'accepted',
        caseId,
        person: { displayName: 'Madina Synthetic' },
        packetNotes: [{ body: 'Prefers a female counsellor' }],
      });
      expect((await t.as(ngo, 'POST', `/api/referrals/${id}/accept`)).json().code).toBe(
        'REFERRAL_NOT_PENDING',
      );
      const service = await t.as(ngo, 'POST', `/api/cases/${caseId}/services`, {
        serviceType: 'psychosocial',
        referralId: id,
        deliveredOn: todayIso(),
        outcome: 'completed',
      });
      expect(service.statusCode).toBe(201);
      expect(service.json().providerAgencyId).toBe(ngoAgency);
      await t.as(worker, 'POST', `/api/cases/${caseId}/services`, {
        serviceType: 'medical',
        providerAgencyId: await t.agencyId('MOH'),
        deliveredOn: todayIso(),
        outcome: 'ongoing',
      });
      const ngoView = (await t.as(ngo, 'GET', `/api/cases/${caseId}/services`)).json();
      expect(ngoView.map((s: { serviceType: string }) => s.serviceType)).toEqual(['psychosocial']);
      const ownView = (await t.as(worker, 'GET', `/api/cases/${caseId}/services`)).json();
      expect(ownView).toHaveLength(2);
    });

    it('declines with a reason', async () => {
      const referral = (await refer({ serviceType: 'vocational' })).json();
      const noReason = await t.as(ngo, 'POST', `/api/referrals/${referral.id}/decline`, {});
      expect(noReason.statusCode).toBe(400);
      const declined = await t.as(ngo, 'POST', `/api/referrals/${referral.id}/decline`, {
        reason: 'Not offered',
      });
      expect(declined.json()).toMatchObject({
        status: 'declined',
        declineReason: 'Not offered',
        caseId: null,
      });
    });
  });
});
