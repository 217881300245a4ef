import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { todayIso } from '../persons/age.ts';
import { decisionsForCase } from './decisions.ts';
import { ensureShippedInstruments } from './shipped.ts';
import { addRole, insertSubject } from './test-fixtures.ts';

const biaAnswers = {
  current_safety: { value: 'no_concern', evidence: ['home visit'] },
  violence_exposure: { value: 'some_concern' },
  caregiver: { value: 'mother' },
  caregiver_capacity: { value: 'some_concern' },
  separation_risk: { value: 'serious_concern' },
  health: { value: 'no_concern' },
  psychosocial: { value: 'some_concern' },
  education: { value: 'serious_concern' },
  documentation: { value: 'serious_concern' },
  views_heard: { value: 'yes' },
  child_views: { value: 'Synthetic: wants to stay with the mother.' },
};

const bidAnswers = {
  members: { value: ['Child protection officer (chair)', 'Psychologist', 'Guardianship authority'] },
  meeting_date: { value: '2026-10-01' },
  question: { value: 'separation' },
  options_considered: { value: ['Stay with mother with support', 'Kinship care with the aunt'] },
  child_views: { value: 'Synthetic: heard with a psychologist present.' },
  views_weight: { value: 'Considerable weight, given age and maturity.' },
  decision: { value: 'Kinship care with regular contact.' },
  dissent_recorded: { value: 'yes' },
  dissent: { value: 'Synthetic dissent: support at home first.' },
};

const panel = (overrides: Record<string, unknown> = {}) => ({
  kind: 'care_arrangement',
  outcome: 'kinship',
  decidedOn: todayIso(),
  participants: [
    { role: 'Child protection officer (chair)' },
    { role: 'Psychologist', vote: 'dissent', dissent: 'Would first try support in the family home.' },
    { role: 'Guardianship authority' },
  ],
  options: [
    { option: 'Remain with mother with family support', assessment: 'Not enough support available yet' },
    { option: 'Kinship care with the aunt' },
  ],
  rationale: 'Synthetic rationale: family-based care with a relative, regular contact with the mother.',
  assessmentIds: [],
  ...overrides,
});

describe('panel decisions', () => {
  let t: TestApp;
  let worker: Session;
  let supervisor: Session;
  let security: Session;
  let justicePanel: Session;
  let workerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await ensureShippedInstruments(t.handle.db);
    await addRole(t, 'justice_panel', ['cases:read', 'justice:read', 'justice:write', 'decisions:record']);
    workerId = await t.addUser('dec-worker', ['case_worker']);
    await t.addUser('dec-supervisor', ['supervisor']);
    await t.addUser('dec-security', ['security_assessor'], 'NSS');
    await t.addUser('dec-justice', ['justice_panel'], 'GPO');
    worker = await t.login('dec-worker');
    supervisor = await t.login('dec-supervisor');
    security = await t.login('dec-security');
    justicePanel = await t.login('dec-justice');
  });
  afterAll(() => t.close());

  /** An assessment completed through the API: rated by the case worker, signed off by the supervisor. */
  async function completed(
    caseId: string,
    instrumentCode: string,
    answers: unknown,
    output: unknown,
    signOff = true,
  ) {
    const created = await t.as(worker, 'POST', `/api/cases/${caseId}/assessments`, { instrumentCode });
    const id = created.json().id as string;
    expect((await t.as(worker, 'PUT', `/api/assessments/${id}/rating`, { answers, output })).statusCode).toBe(
      200,
    );
    expect((await t.as(worker, 'POST', `/api/assessments/${id}/rating/submit`)).json().status).toBe(
      'submitted',
    );
    if (signOff) await t.as(supervisor, 'POST', `/api/assessments/${id}/sign-off`, { decision: 'approve' });
    return id;
  }

  it('records participants, options, rationale, dissent and the assessments relied on', async () => {
    const { caseId } = await insertSubject(t, { age: 7, assignedUserId: workerId });
    const bia = await completed(caseId, 'child_bia', biaAnswers, {
      judgement: 'bid_required',
      narrative: 'Synthetic.',
    });
    const response = await t.as(
      supervisor,
      'POST',
      `/api/cases/${caseId}/decisions`,
      panel({ assessmentIds: [bia] }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      kind: 'care_arrangement',
      compartment: 'protection',
      outcome: 'kinship',
      dissent: true,
      assessmentIds: [bia],
      participants: [
        { role: 'Child protection officer (chair)', vote: 'concur', dissent: null },
        { role: 'Psychologist', vote: 'dissent', dissent: 'Would first try support in the family home.' },
        { role: 'Guardianship authority', vote: 'concur', dissent: null },
      ],
    });
    const listed = (await t.as(worker, 'GET', `/api/cases/${caseId}/decisions`)).json();
    expect(listed).toHaveLength(1);
    const one = await t.as(worker, 'GET', `/api/decisions/${response.json().id}`);
    expect(one.json()).toEqual(listed[0]);
    expect((await t.as(security, 'GET', `/api/decisions/${response.json().id}`)).json().code).toBe(
      'DECISION_NOT_FOUND',
    );
    // The security service does not open the protection compartment: it sees no care decisions.
    expect((await t.as(security, 'GET', `/api/cases/${caseId}/decisions`)).json()).toEqual([]);
    const audit = await t.handle.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'panel_decision.record')
      .where('target_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ kind: 'care_arrangement', dissent: true, assessmentIds: [bia] });
  });

  it('unlocks a transition the workflow conditions on a decision (decisionsForCase)', async () => {
    const { caseId } = await insertSubject(t, { age: 30, stage: 9, assignedUserId: workerId });
    const canStepDown = async () =>
      (await decisionsForCase(t.handle.db, caseId)).some(
        (d) => d.kind === 'step_down' && d.outcome === 'step_down',
      );
    expect(await canStepDown()).toBe(false);
    const maintain = await t.as(
      supervisor,
      'POST',
      `/api/cases/${caseId}/decisions`,
      panel({ kind: 'step_down', outcome: 'maintain' }),
    );
    expect(maintain.statusCode).toBe(201);
    expect(await canStepDown()).toBe(false);
    await t.as(
      supervisor,
      'POST',
      `/api/cases/${caseId}/decisions`,
      panel({ kind: 'step_down', outcome: 'step_down' }),
    );
    expect(await canStepDown()).toBe(true);
    const decisions = await decisionsForCase(t.handle.db, caseId);
    expect(decisions.map((d) => d.outcome)).toEqual(['maintain', 'step_down']);
  });

  it('refuses to separate a child from a parent without a completed BID', async () => {
    const { caseId } = await insertSubject(t, { age: 6, assignedUserId: workerId });
    const bia = await completed(caseId, 'child_bia', biaAnswers, {
      judgement: 'bid_required',
      narrative: 'Synthetic.',
    });
    const separation = (assessmentIds: string[]) =>
      t.as(
        supervisor,
        'POST',
        `/api/cases/${caseId}/decisions`,
        panel({ kind: 'separation', outcome: 'separate', assessmentIds }),
      );
    const refused = await separation([bia]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'DECISION_NOT_ALLOWED',
      details: { reason: 'best_interests_determination_required' },
    });
    const bid = await completed(caseId, 'bid_panel_record', bidAnswers, {
      judgement: 'alternative_family_care',
      narrative: 'Synthetic reasons.',
    });
    expect((await separation([bia, bid])).statusCode).toBe(201);
  });

  it('refuses to rely on an assessment that is not complete, naming it', async () => {
    const { caseId } = await insertSubject(t, { age: 6, assignedUserId: workerId });
    const draft = (
      await t.as(worker, 'POST', `/api/cases/${caseId}/assessments`, { instrumentCode: 'child_bia' })
    ).json().id as string;
    const response = await t.as(
      supervisor,
      'POST',
      `/api/cases/${caseId}/decisions`,
      panel({ assessmentIds: [draft] }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'DECISION_ASSESSMENT_INVALID',
      details: { path: 'body.assessmentIds.0' },
    });
  });

  it('refuses a prosecution of anyone who may be under the age of criminal responsibility', async () => {
    const child = await insertSubject(t, { age: [13, 15] });
    const prosecute = await t.as(
      justicePanel,
      'POST',
      `/api/cases/${child.caseId}/decisions`,
      panel({ kind: 'justice_decision', outcome: 'prosecute' }),
    );
    expect(prosecute.statusCode).toBe(409);
    expect(prosecute.json().details).toMatchObject({
      reason: 'below_minimum_age_of_criminal_responsibility',
      minimumAge: 14,
    });
    const divert = await t.as(
      justicePanel,
      'POST',
      `/api/cases/${child.caseId}/decisions`,
      panel({ kind: 'justice_decision', outcome: 'divert' }),
    );
    expect(divert.json()).toMatchObject({ compartment: 'justice', outcome: 'divert' });
    // A care decision is not the justice panel's compartment.
    expect(
      (await t.as(justicePanel, 'POST', `/api/cases/${child.caseId}/decisions`, panel())).statusCode,
    ).toBe(403);
  });

  it('refuses a dissent without its words, an outcome of another kind, and a panel of one', async () => {
    const { caseId } = await insertSubject(t, { age: 30, assignedUserId: workerId });
    const silent = await t.as(
      supervisor,
      'POST',
      `/api/cases/${caseId}/decisions`,
      panel({ participants: [{ role: 'Chair' }, { role: 'Member', vote: 'dissent' }] }),
    );
    expect(silent.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { path: 'body.participants.1.dissent' },
    });
    const wrongOutcome = await t.as(
      supervisor,
      'POST',
      `/api/cases/${caseId}/decisions`,
      panel({ outcome: 'prosecute' }),
    );
    expect(wrongOutcome.json().details.path).toBe('body.outcome');
    const alone = await t.as(
      supervisor,
      'POST',
      `/api/cases/${caseId}/decisions`,
      panel({ participants: [{ role: 'Chair' }] }),
    );
    expect(alone.json().details.path).toBe('body.participants');
    expect((await t.as(worker, 'POST', `/api/cases/${caseId}/decisions`, panel())).statusCode).toBe(403);
  });
});
