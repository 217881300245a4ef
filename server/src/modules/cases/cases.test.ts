import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';
import {
  addJusticeRole,
  completeBiaAnswers,
  completeBiaOutput,
  panelDecision,
} from '../../../test/lifecycle.ts';
import { createApp } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';
import { ensureShippedInstruments } from '../assessments/index.ts';
import { addYears, todayIso } from '../persons/age.ts';
import { formatCaseNumber } from './service.ts';
import { compileWorkflow, DEFAULT_WORKFLOW_FILE, loadWorkflow, workflowFileSchema } from './workflow.ts';

const defaultFile = () => JSON.parse(readFileSync(DEFAULT_WORKFLOW_FILE, 'utf8'));

describe('the case workflow', () => {
  let t: TestApp;
  let supervisor: Session;
  let supervisor2: Session;
  let worker: Session;
  let justice: Session;
  let north: Session;
  beforeAll(async () => {
    t = await createTestApp();
    await ensureShippedInstruments(t.handle.db);
    await addJusticeRole(t);
    await t.addUser('wf-supervisor', ['supervisor'], 'MSP');
    await t.addUser('wf-supervisor2', ['supervisor'], 'MSP');
    await t.addUser('wf-worker', ['case_worker'], 'MSP');
    await t.addUser('wf-justice', ['justice_liaison'], 'MSP');
    await t.addUser('wf-north', ['supervisor'], 'MSP-NORTH');
    supervisor = await t.login('wf-supervisor');
    supervisor2 = await t.login('wf-supervisor2');
    worker = await t.login('wf-worker');
    justice = await t.login('wf-justice');
    north = await t.login('wf-north');
  });
  afterAll(() => t.close());

  async function registerPerson(birthDate: unknown, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await t.as(supervisor, 'POST', '/api/persons', {
      sex: 'female',
      birthDate,
      names: [{ fullName: 'Synthetic Person', script: 'latin', nameType: 'primary', source: 'camp_list' }],
      ...extra,
    });
    expect(response.statusCode).toBe(201);
    return response.json().id;
  }
  async function openCase(personId: string, extra: Record<string, unknown> = {}) {
    const response = await t.as(supervisor, 'POST', '/api/cases', { personId, ...extra });
    expect(response.statusCode).toBe(201);
    return response.json();
  }
  const transition = (as: Session, caseId: string, body: Record<string, unknown>) =>
    t.as(as, 'POST', `/api/cases/${caseId}/transitions`, body);
  async function step(caseId: string, code: string, as: Session = supervisor) {
    const current = (await t.as(as, 'GET', `/api/cases/${caseId}`)).json();
    const response = await transition(as, caseId, { transition: code, version: current.version });
    expect(response.statusCode, `${code}: ${response.body}`).toBe(200);
    return response.json().case;
  }
  const adult = { kind: 'year', year: 1990 };
  const decide = async (as: Session, caseId: string, kind: string, outcome: string) =>
    t.as(as, 'POST', `/api/cases/${caseId}/decisions`, panelDecision(kind, outcome, todayIso()));

  it('opens one case per person, numbered in the deployment format', async () => {
    const personId = await registerPerson(adult);
    const opened = await openCase(personId);
    expect(opened.caseNumber).toMatch(new RegExp(`^HW-${new Date().getUTCFullYear()}-\\d{6}$`));
    expect(opened).toMatchObject({ stage: 0, stageCode: 'identified_abroad', status: 'open', version: 1 });
    const again = await t.as(supervisor, 'POST', '/api/cases', { personId });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CASE_ALREADY_OPEN', details: { caseId: opened.id } });
  });

  it('takes in a person and their case in one step, assigned to the worker who does it', async () => {
    const person = {
      sex: 'male',
      birthDate: { kind: 'year', year: 2016 },
      whereabouts: 'camp',
      names: [{ fullName: 'Intake Synthetic', script: 'latin', nameType: 'primary', source: 'camp_list' }],
    };
    const response = await t.as(worker, 'POST', '/api/cases/intake', { person });
    expect(response.statusCode, response.body).toBe(201);
    const opened = response.json();
    expect(opened).toMatchObject({
      assignedUserId: worker.userId,
      stage: 0,
      person: { displayName: 'Intake Synthetic' },
    });
    expect((await t.as(worker, 'GET', `/api/persons/${opened.person.id}`)).statusCode).toBe(200);
    const cases = await t.handle.db.selectFrom('cases').select('id').execute();
    const future = await t.as(worker, 'POST', '/api/cases/intake', {
      person: { ...person, birthDate: { kind: 'exact', date: addYears(todayIso(), 2) } },
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().details.path).toBe('body.person.birthDate.date');
    expect(await t.handle.db.selectFrom('cases').select('id').execute()).toHaveLength(cases.length);
    // A refusal after the person row was written rolls the whole intake back.
    const persons = await t.handle.db.selectFrom('persons').select('id').execute();
    const unknownFamily = await t.as(worker, 'POST', '/api/cases/intake', {
      person,
      familyUnitId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownFamily.json().code).toBe('FAMILY_UNIT_NOT_FOUND');
    expect(await t.handle.db.selectFrom('persons').select('id').execute()).toHaveLength(persons.length);
    expect(await t.handle.db.selectFrom('cases').select('id').execute()).toHaveLength(cases.length);
  });

  describe('intake with the family', () => {
    const member = (fullName: string, extra: Record<string, unknown> = {}) => ({
      sex: 'female',
      birthDate: { kind: 'unknown' },
      whereabouts: 'camp',
      names: [{ fullName, script: 'latin', nameType: 'primary', source: 'camp_list' }],
      ...extra,
    });
    const tables = ['persons', 'cases', 'relationships', 'family_units', 'family_unit_members'] as const;
    const counts = async () => {
      const out: Record<string, number> = {};
      for (const table of tables) {
        const row = await t.handle.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow();
        out[table] = Number(row.n);
      }
      return out;
    };
    const intake = (body: Record<string, unknown>, as: Session = worker) =>
      t.as(as, 'POST', '/api/cases/intake', body);

    it('registers the person, each member, the family unit, the relationships and the cases in one go', async () => {
      const grandmother = (await intake({ person: member('Synthetic Grandmother') })).json();
      const response = await intake({
        person: member('Synthetic Mother', { birthDate: { kind: 'year', year: 1990 } }),
        family: [
          {
            person: member('Synthetic Son', { sex: 'male', birthDate: { kind: 'year', year: 2015 } }),
            relation: 'child',
          },
          {
            person: member('Synthetic Husband', { sex: 'male', whereabouts: 'deceased' }),
            relation: 'spouse',
          },
          { existingPersonId: grandmother.person.id, relation: 'mother', provenance: 'documented' },
          {
            person: member('Synthetic Brother', { whereabouts: 'detention' }),
            relation: 'sibling',
            openCase: true,
          },
        ],
      });
      expect(response.statusCode, response.body).toBe(201);
      const opened = response.json();
      expect(opened.familyUnitId).not.toBeNull();
      expect(opened.assignedUserId).toBe(worker.userId);
      const cases = await t.handle.db
        .selectFrom('cases')
        .select(['person_id', 'family_unit_id', 'assigned_user_id'])
        .where('family_unit_id', '=', opened.familyUnitId)
        .execute();
      // The mother, the son (with her by default) and the brother (asked for); not the dead husband,
      // nor the grandmother, who keeps her own case outside the unit.
      expect(cases).toHaveLength(3);
      expect(cases.every((c) => c.assigned_user_id === worker.userId)).toBe(true);
      expect(opened.familyCases.map((c: { displayName: string }) => c.displayName).sort()).toEqual([
        'Synthetic Brother',
        'Synthetic Son',
      ]);
      const relationships = await t.handle.db
        .selectFrom('relationships')
        .select(['related_person_id', 'relation', 'provenance'])
        .where('person_id', '=', opened.person.id)
        .orderBy('relation')
        .execute();
      expect(relationships.map((r) => [r.relation, r.provenance])).toEqual([
        ['child', 'claimed'],
        ['mother', 'documented'],
        ['sibling', 'claimed'],
        ['spouse', 'claimed'],
      ]);
      const units = await t.handle.db
        .selectFrom('family_unit_members')
        .select('person_id')
        .where('family_unit_id', '=', opened.familyUnitId)
        .execute();
      expect(units).toHaveLength(5);
      const husband = relationships.find((r) => r.relation === 'spouse')!.related_person_id;
      const keys = await t.handle.db
        .selectFrom('person_name_keys')
        .select('person_id')
        .where('person_id', '=', husband)
        .execute();
      expect(keys.length).toBeGreaterThan(0);
      // The husband has no case; the worker sees him through the mother's case, assigned to them.
      const seen = await t.as(worker, 'GET', `/api/persons/${husband}`);
      expect(seen.statusCode, seen.body).toBe(200);
      expect((await t.as(north, 'GET', `/api/persons/${husband}`)).statusCode).toBe(404);
      const family = (await t.as(worker, 'GET', `/api/persons/${opened.person.id}/family`)).json();
      expect(family.relatives.every((r: { displayName: string | null }) => r.displayName !== null)).toBe(
        true,
      );
      const audit = await t.handle.db
        .selectFrom('audit_events')
        .select('action')
        .where('action', 'in', ['relationship.create', 'family_unit.create'])
        .where('actor_user_id', '=', worker.userId)
        .execute();
      expect(audit.filter((a) => a.action === 'relationship.create').length).toBeGreaterThanOrEqual(4);
      expect(audit.filter((a) => a.action === 'family_unit.create').length).toBeGreaterThanOrEqual(1);
    });

    it('writes nothing when any member is refused, and names the member’s field', async () => {
      const before = await counts();
      const impossible = await intake({
        person: member('Synthetic Young Mother', { birthDate: { kind: 'year', year: 2000 } }),
        family: [
          {
            person: member('Synthetic Daughter', { birthDate: { kind: 'year', year: 2020 } }),
            relation: 'child',
          },
          {
            person: member('Synthetic Elder', { birthDate: { kind: 'year', year: 1980 } }),
            relation: 'child',
          },
        ],
      });
      expect(impossible.statusCode).toBe(409);
      expect(impossible.json()).toMatchObject({
        code: 'PARENT_AGE_IMPOSSIBLE',
        details: { path: 'body.family.1.relation', reason: 'child_older_than_parent' },
      });
      expect(await counts()).toEqual(before);

      const invalid = await intake({
        person: member('Synthetic Mother Two'),
        family: [
          { person: member('Synthetic Girl'), relation: 'child' },
          { person: member(''), relation: 'child' },
        ],
      });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().details.path).toBe('body.family.1.person.names.0.fullName');

      const twoDisplays = await intake({
        person: member('Synthetic Mother Three'),
        family: [
          { person: member('Synthetic Boy'), relation: 'child' },
          {
            person: member('Synthetic Other', {
              names: [
                {
                  fullName: 'Synthetic One',
                  script: 'latin',
                  nameType: 'primary',
                  source: 'camp_list',
                  isDisplay: true,
                },
                {
                  fullName: 'Synthetic Two',
                  script: 'latin',
                  nameType: 'alias',
                  source: 'camp_list',
                  isDisplay: true,
                },
              ],
            }),
            relation: 'sibling',
          },
        ],
      });
      expect(twoDisplays.statusCode).toBe(400);
      expect(twoDisplays.json().details.path).toBe('body.family.1.person.names.1.isDisplay');

      const neither = await intake({
        person: member('Synthetic Mother Four'),
        family: [{ relation: 'child' }],
      });
      expect(neither.statusCode).toBe(400);
      expect(neither.json().details.path).toBe('body.family.0.person');
      expect(await counts()).toEqual(before);
    });

    it('links only a person the worker can see, refuses a cycle and a second open case, writing nothing', async () => {
      const hidden = (await intake({ person: member('Synthetic Hidden') }, north)).json();
      const before = await counts();
      const unseen = await intake({
        person: member('Synthetic Seeker'),
        family: [{ existingPersonId: hidden.person.id, relation: 'sibling' }],
      });
      expect(unseen.statusCode).toBe(404);
      expect(unseen.json()).toMatchObject({
        code: 'PERSON_NOT_FOUND',
        details: { path: 'body.family.0.existingPersonId' },
      });
      expect(await counts()).toEqual(before);

      // P's child Q; a new person X cannot be both P's parent and Q's child.
      const p = (
        await intake({
          person: member('Synthetic Parent P'),
          family: [{ person: member('Synthetic Child Q'), relation: 'child' }],
        })
      ).json();
      const q = p.familyCases[0].personId;
      const middle = await counts();
      const cycle = await intake({
        person: member('Synthetic X'),
        family: [
          { existingPersonId: p.person.id, relation: 'child' },
          { existingPersonId: q, relation: 'mother' },
        ],
      });
      expect(cycle.statusCode).toBe(409);
      expect(cycle.json()).toMatchObject({
        code: 'RELATIONSHIP_CYCLE',
        details: { path: 'body.family.1.relation' },
      });
      const again = await intake({
        person: member('Synthetic Y'),
        family: [{ existingPersonId: q, relation: 'sibling', openCase: true }],
      });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({
        code: 'CASE_ALREADY_OPEN',
        details: { path: 'body.family.0.openCase' },
      });
      const twice = await intake({
        person: member('Synthetic Z'),
        family: [
          { existingPersonId: q, relation: 'sibling' },
          { existingPersonId: q, relation: 'child' },
        ],
      });
      expect(twice.statusCode).toBe(400);
      expect(twice.json().details.path).toBe('body.family.1.existingPersonId');
      expect(await counts()).toEqual(middle);
    });
  });

  it('formats case numbers from the configured pattern', () => {
    expect(formatCaseNumber('HW-{YYYY}-{NNNNNN}', 2026, 42)).toBe('HW-2026-000042');
    expect(formatCaseNumber('KZ/{YYYY}/{NNNN}', 2026, 12345)).toBe('KZ/2026/12345');
  });

  it('answers 404 CASE_NOT_FOUND outside one’s scope: another agency, or a worker’s unassigned case', async () => {
    const opened = await openCase(await registerPerson(adult));
    const missing = await t.as(north, 'GET', '/api/cases/00000000-0000-4000-8000-000000000000');
    const hidden = await t.as(north, 'GET', `/api/cases/${opened.id}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual(missing.json());
    expect((await t.as(worker, 'GET', `/api/cases/${opened.id}`)).statusCode).toBe(404);
    const assigned = await t.as(supervisor, 'PUT', `/api/cases/${opened.id}/assignment`, {
      version: 1,
      assignedUserId: worker.userId,
    });
    expect(assigned.json()).toMatchObject({ assignedUserId: worker.userId, version: 2 });
    expect((await t.as(worker, 'GET', `/api/cases/${opened.id}`)).statusCode).toBe(200);
  });

  it('moves a stage along the workflow and names the unmet precondition when refused', async () => {
    const personId = await registerPerson(adult, { nationalities: [{ country: 'UZ', status: 'claimed' }] });
    const opened = await openCase(personId);
    await step(opened.id, 'begin_verification');
    const refused = await transition(supervisor, opened.id, {
      transition: 'assess_before_return',
      version: 2,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { transition: 'assess_before_return', precondition: 'nationality_verified' },
    });
    const person = (await t.as(supervisor, 'GET', `/api/persons/${personId}`)).json();
    await t.as(
      supervisor,
      'PUT',
      `/api/persons/${personId}/nationalities/${person.nationalities[0].id}/status`,
      {
        status: 'verified',
      },
    );
    const moved = await step(opened.id, 'assess_before_return');
    expect(moved).toMatchObject({ stage: 2, stageCode: 'pre_return_assessment' });
  });

  it('refuses a transition from the wrong stage, an unknown one and a stale version', async () => {
    const opened = await openCase(await registerPerson(adult));
    const wrong = await transition(supervisor, opened.id, { transition: 'receive', version: 1 });
    expect(wrong.json()).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { precondition: 'from_stage', currentStage: 0 },
    });
    const unknown = await transition(supervisor, opened.id, { transition: 'teleport', version: 1 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('TRANSITION_UNKNOWN');
    await step(opened.id, 'begin_verification');
    const stale = await transition(supervisor, opened.id, { transition: 'begin_verification', version: 1 });
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
  });

  it('needs a supervisor other than the requester to approve a transition that requires approval', async () => {
    const personId = await registerPerson(adult, { nationalities: [{ country: 'TJ', status: 'verified' }] });
    const opened = await openCase(personId, { stage: 2 });
    const requested = await transition(supervisor, opened.id, {
      transition: 'repatriate',
      version: 1,
      comment: 'Flight manifest reconciled',
    });
    expect(requested.statusCode).toBe(202);
    const body = requested.json();
    expect(body).toMatchObject({ outcome: 'approval_requested', case: { stage: 2 } });
    expect(body.case.pendingApproval).toMatchObject({ transition: 'repatriate', status: 'pending' });
    const approvalId = body.approval.id;
    const second = await transition(supervisor, opened.id, {
      transition: 'repatriate',
      version: body.case.version,
    });
    expect(second.json().code).toBe('APPROVAL_PENDING');

    const own = await t.as(supervisor, 'POST', `/api/cases/${opened.id}/approvals/${approvalId}/approve`, {});
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('APPROVAL_BY_REQUESTER');
    const inbox = (await t.as(supervisor2, 'GET', '/api/approvals')).json();
    expect(inbox.map((a: { id: string }) => a.id)).toContain(approvalId);
    const approved = await t.as(
      supervisor2,
      'POST',
      `/api/cases/${opened.id}/approvals/${approvalId}/approve`,
      {
        comment: 'Approved',
      },
    );
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ outcome: 'applied', case: { stage: 3, pendingApproval: null } });

    const history = (await t.as(supervisor, 'GET', `/api/cases/${opened.id}/transitions`)).json();
    expect(history.transitions).toMatchObject([
      { transition: 'repatriate', from: '2', to: '3', performedBy: supervisor.userId, approvalId },
    ]);
    expect(history.approvals).toMatchObject([
      { status: 'approved', requestedBy: supervisor.userId, decidedBy: supervisor2.userId },
    ]);
    const audited = await t.handle.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', opened.id)
      .where('action', 'like', 'case.%')
      .orderBy('seq')
      .execute();
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining(['case.approval.request', 'case.approval.approve', 'case.transition']),
    );
  });

  it('keeps a rejection with its comment and leaves the stage', async () => {
    const personId = await registerPerson(adult, { nationalities: [{ country: 'KG', status: 'verified' }] });
    const opened = await openCase(personId, { stage: 2 });
    const requested = (
      await transition(supervisor, opened.id, { transition: 'repatriate', version: 1 })
    ).json();
    const missingComment = await t.as(
      supervisor2,
      'POST',
      `/api/cases/${opened.id}/approvals/${requested.approval.id}/reject`,
      {},
    );
    expect(missingComment.statusCode).toBe(400);
    const rejected = await t.as(
      supervisor2,
      'POST',
      `/api/cases/${opened.id}/approvals/${requested.approval.id}/reject`,
      { comment: 'Identity not yet reconciled with the manifest' },
    );
    expect(rejected.json()).toMatchObject({ case: { stage: 2 }, approval: { status: 'rejected' } });
    const workerTry = await t.as(
      worker,
      'POST',
      `/api/cases/${opened.id}/approvals/${requested.approval.id}/approve`,
      {},
    );
    expect(workerTry.statusCode).toBe(403);
  });

  it('repatriates a child only after a completed, signed-off best-interests assessment', async () => {
    const personId = await registerPerson(
      { kind: 'exact', date: addYears(todayIso(), -9) },
      { nationalities: [{ country: 'KZ', status: 'verified' }] },
    );
    const opened = await openCase(personId, { stage: 2 });
    const refused = await transition(supervisor, opened.id, { transition: 'repatriate', version: 1 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: {
        transition: 'repatriate',
        precondition: 'assessment.best_interests_assessment',
        requires: { kind: 'assessment', assessment: 'best_interests_assessment', subject: 'family_children' },
      },
    });
    const created = await t.as(supervisor, 'POST', `/api/cases/${opened.id}/assessments`, {
      instrumentCode: 'child_bia',
    });
    expect(created.statusCode, created.body).toBe(201);
    const bia = created.json().id as string;
    const rated = await t.as(supervisor, 'PUT', `/api/assessments/${bia}/rating`, {
      answers: completeBiaAnswers,
      output: completeBiaOutput,
    });
    expect(rated.statusCode, rated.body).toBe(200);
    const submitted = await t.as(supervisor, 'POST', `/api/assessments/${bia}/rating/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    // Submitted but not yet signed off: not complete, still refused.
    const unsigned = await transition(supervisor, opened.id, { transition: 'repatriate', version: 1 });
    expect(unsigned.json().details.precondition).toBe('assessment.best_interests_assessment');
    const signed = await t.as(supervisor2, 'POST', `/api/assessments/${bia}/sign-off`, {
      decision: 'approve',
    });
    expect(signed.statusCode, signed.body).toBe(200);
    const requested = await transition(supervisor, opened.id, { transition: 'repatriate', version: 1 });
    expect(requested.statusCode, requested.body).toBe(202);
  });

  describe('safeguards no workflow can turn off', () => {
    it('opens no justice track for a child below the minimum age, judged by the youngest possible age', async () => {
      const today = todayIso();
      const child = await openCase(await registerPerson({ kind: 'exact', date: addYears(today, -13) }));
      const refused = await transition(justice, child.id, { transition: 'justice.open', version: 1 });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({
        code: 'TRANSITION_NOT_ALLOWED',
        details: { precondition: 'safeguard.minimum_age_of_criminal_responsibility', minimumAge: 14 },
      });
      // Perhaps 15, perhaps 13: the youngest possible age decides.
      const uncertain = await openCase(
        await registerPerson({ kind: 'range', from: addYears(today, -15), to: addYears(today, -13) }),
      );
      expect(
        (await transition(justice, uncertain.id, { transition: 'justice.open', version: 1 })).statusCode,
      ).toBe(409);
      const unknown = await openCase(await registerPerson({ kind: 'unknown' }));
      expect(
        (await transition(justice, unknown.id, { transition: 'justice.open', version: 1 })).statusCode,
      ).toBe(409);
      const fifteen = await openCase(await registerPerson({ kind: 'exact', date: addYears(today, -15) }));
      const opened = await transition(justice, fifteen.id, { transition: 'justice.open', version: 1 });
      expect(opened.statusCode).toBe(200);
      expect(opened.json().case.tracks).toMatchObject([{ track: 'justice', status: 'pending' }]);
    });

    it('refuses "prosecute" while trafficking indicators have no completed non-punishment review', async () => {
      const personId = await registerPerson(adult, { flags: ['trafficking_indicators'] });
      const opened = await openCase(personId);
      let current = await step(opened.id, 'justice.open', justice);
      const refused = await transition(justice, opened.id, {
        transition: 'justice.prosecute',
        version: current.version,
      });
      expect(refused.json()).toMatchObject({
        code: 'TRANSITION_NOT_ALLOWED',
        details: { precondition: 'safeguard.non_punishment_review' },
      });
      // Nor can the panel decide to prosecute before the review.
      const early = await decide(justice, opened.id, 'justice_decision', 'prosecute');
      expect(early.statusCode).toBe(409);
      expect(early.json()).toMatchObject({
        code: 'DECISION_NOT_ALLOWED',
        details: { reason: 'non_punishment_review_required' },
      });
      const review = await t.as(justice, 'POST', `/api/cases/${opened.id}/non-punishment-reviews`);
      expect(review.statusCode).toBe(201);
      const stillOpen = await transition(justice, opened.id, {
        transition: 'justice.prosecute',
        version: current.version,
      });
      expect(stillOpen.json().details.precondition).toBe('safeguard.non_punishment_review');
      const done = await t.as(
        justice,
        'POST',
        `/api/cases/${opened.id}/non-punishment-reviews/${review.json().id}/complete`,
        { outcome: 'not_established' },
      );
      expect(done.json()).toMatchObject({ status: 'completed', outcome: 'not_established' });
      current = (await t.as(justice, 'GET', `/api/cases/${opened.id}`)).json();
      // The safeguard is met; the workflow still asks for the panel's decision to prosecute.
      const undecided = await transition(justice, opened.id, {
        transition: 'justice.prosecute',
        version: current.version,
      });
      expect(undecided.json()).toMatchObject({
        code: 'TRANSITION_NOT_ALLOWED',
        details: {
          precondition: 'decision.justice_decision.prosecute',
          requires: { kind: 'decision', decision: 'justice_decision', outcomes: ['prosecute'] },
        },
      });
      expect((await decide(justice, opened.id, 'justice_decision', 'prosecute')).statusCode).toBe(201);
      const allowed = await transition(justice, opened.id, {
        transition: 'justice.prosecute',
        version: current.version,
      });
      expect(allowed.statusCode).toBe(200);
      expect(allowed.json().case.tracks).toMatchObject([{ track: 'justice', status: 'charged' }]);
    });

    it('needs approval to close a case even when a workflow file says it does not', () => {
      const file = workflowFileSchema.parse(defaultFile());
      const lax = compileWorkflow({
        ...file,
        transitions: file.transitions.map((tr) =>
          tr.code === 'close' ? { ...tr, requiresApproval: false } : tr,
        ),
      });
      expect(lax.needsApproval(lax.byCode.get('close')!)).toBe(true);
    });

    it('closes a case only with a reason and a supervisor’s approval', async () => {
      const opened = await openCase(await registerPerson(adult), { stage: 9 });
      const noReason = await transition(supervisor, opened.id, { transition: 'close', version: 1 });
      expect(noReason.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { path: 'body.closeReason' },
      });
      const undecided = await transition(supervisor, opened.id, {
        transition: 'close',
        version: 1,
        closeReason: 'goals_met',
      });
      expect(undecided.json()).toMatchObject({
        code: 'TRANSITION_NOT_ALLOWED',
        details: { transition: 'close', precondition: 'decision.step_down.step_down' },
      });
      // The latest step-down decision counts: "maintain" does not close, a later "step_down" does.
      expect((await decide(supervisor, opened.id, 'step_down', 'maintain')).statusCode).toBe(201);
      const maintained = await transition(supervisor, opened.id, {
        transition: 'close',
        version: 1,
        closeReason: 'goals_met',
      });
      expect(maintained.json().details.precondition).toBe('decision.step_down.step_down');
      expect((await decide(supervisor, opened.id, 'step_down', 'step_down')).statusCode).toBe(201);
      const requested = await transition(supervisor, opened.id, {
        transition: 'close',
        version: 1,
        closeReason: 'goals_met',
      });
      expect(requested.statusCode).toBe(202);
      const approved = await t.as(
        supervisor2,
        'POST',
        `/api/cases/${opened.id}/approvals/${requested.json().approval.id}/approve`,
        {},
      );
      expect(approved.json().case).toMatchObject({ status: 'closed', stage: 10, closeReason: 'goals_met' });
      const after = await transition(supervisor, opened.id, {
        transition: 'escalate',
        version: approved.json().case.version,
      });
      expect(after.json().code).toBe('CASE_CLOSED');
    });
  });

  describe('the workflow file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-workflow-'));
    const write = (name: string, value: unknown) => {
      const path = join(dir, name);
      writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
      return path;
    };

    it('ships a default that validates', () => {
      const workflow = loadWorkflow(DEFAULT_WORKFLOW_FILE);
      expect(workflow.stages).toHaveLength(11);
      expect(workflow.byCode.get('close')).toMatchObject({ kind: 'stage', to: 10 });
    });

    it('stops start-up naming the path and the faulty field', async () => {
      const base = defaultFile();
      const invented = {
        ...base,
        transitions: [
          ...base.transitions,
          {
            code: 'justice.indict',
            kind: 'track',
            track: 'justice',
            label: 'Indict',
            from: ['pending'],
            to: 'indicted',
            permission: 'justice:write',
          },
        ],
      };
      const path = write('invented.json', invented);
      expect(() => loadWorkflow(path)).toThrow(/invented\.json.*indicted/);
      const broken = write('broken.json', '{ not json');
      const config = loadConfig({
        HOMEWARD_DATA_DIR: 'memory://',
        HOMEWARD_DEMO: '1',
        LOG_LEVEL: 'silent',
        HOMEWARD_WORKFLOW_FILE: broken,
      });
      await expect(createApp(t.handle, config, { logger: false })).rejects.toThrow(/broken\.json/);
      const unknownPermission = write('permission.json', {
        ...base,
        transitions: base.transitions.map((tr: { code: string }) =>
          tr.code === 'receive' ? { ...tr, permission: 'cases:teleport' } : tr,
        ),
      });
      expect(() => loadWorkflow(unknownPermission)).toThrow(/permission\.json.*transitions\.\d+\.permission/);
    });

    it('stops start-up on a precondition of an unknown kind, or a decision outcome of another kind', async () => {
      const base = defaultFile();
      const withPrecondition = (precondition: unknown) => ({
        ...base,
        transitions: base.transitions.map((tr: { code: string }) =>
          tr.code === 'receive' ? { ...tr, preconditions: [precondition] } : tr,
        ),
      });
      const receive = base.transitions.findIndex((tr: { code: string }) => tr.code === 'receive');
      const oracle = write('oracle.json', withPrecondition({ kind: 'oracle', says: 'yes' }));
      expect(() => loadWorkflow(oracle)).toThrow(
        new RegExp(`oracle\\.json: transitions\\.${receive}\\.preconditions\\.0: not a known precondition`),
      );
      const config = loadConfig({
        HOMEWARD_DATA_DIR: 'memory://',
        HOMEWARD_DEMO: '1',
        LOG_LEVEL: 'silent',
        HOMEWARD_WORKFLOW_FILE: oracle,
      });
      await expect(createApp(t.handle, config, { logger: false })).rejects.toThrow(/oracle\.json/);
      const word = write('word.json', withPrecondition('moon_is_full'));
      expect(() => loadWorkflow(word)).toThrow(/word\.json.*preconditions\.0: not a known precondition/);
      const crossed = write(
        'crossed.json',
        withPrecondition({ kind: 'decision', decision: 'step_down', outcomes: ['prosecute'] }),
      );
      expect(() => loadWorkflow(crossed)).toThrow(/crossed\.json.*outcomes\.0: prosecute is not a step_down/);
      const instrument = write(
        'instrument.json',
        withPrecondition({ kind: 'assessment', assessment: 'horoscope' }),
      );
      expect(() => loadWorkflow(instrument)).toThrow(/instrument\.json.*preconditions\.0/);
      const fine = write(
        'fine.json',
        withPrecondition({ kind: 'decision', decision: 'care_arrangement', outcomes: ['family_based'] }),
      );
      expect(loadWorkflow(fine).byCode.get('receive')?.preconditions).toEqual([
        { kind: 'decision', decision: 'care_arrangement', outcomes: ['family_based'] },
      ]);
    });
  });

  it('lists what the actor could do next', async () => {
    const opened = await openCase(await registerPerson(adult));
    const available = (await t.as(supervisor, 'GET', `/api/cases/${opened.id}/available-transitions`)).json();
    const codes = available.map((a: { code: string }) => a.code);
    expect(codes).toEqual(expect.arrayContaining(['begin_verification', 'close_early', 'protection.open']));
    expect(codes).not.toContain('justice.open');
    expect(codes).not.toContain('close');
    expect(available.find((a: { code: string }) => a.code === 'close_early').requiresApproval).toBe(true);
  });
});
