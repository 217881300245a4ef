import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importWatchlist } from '../src/modules/identity/watchlist.ts';
import { todayIso } from '../src/modules/persons/age.ts';
import { createTestApp, type Session, type TestApp } from './app.ts';

/**
 * What the home page and the inboxes read: approvals in words, people by display name, agencies by
 * code and name, and the tasks due by a date — all within the reader's sight, and audited.
 */
const CLI = { actorUserId: null, actorAgencyId: null, clientIp: null, requestId: 'test' };
const fixture = (name: string) =>
  readFileSync(new URL(`../src/modules/identity/fixtures/${name}`, import.meta.url));

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

describe('inbox and home reads', { timeout: 120_000 }, () => {
  let t: TestApp;
  let supervisor: Session;
  let worker: Session;
  let north: Session;
  let ngo: Session;
  let assessor: Session;
  let assessor2: Session;
  let workerId: string;
  let taskCase: string;
  let approvalCase: string;
  let northCase: string;

  const person = (fullName: string) => ({
    sex: 'female',
    birthDate: { kind: 'year', year: 1994 },
    names: [{ fullName, script: 'latin', nameType: 'primary', source: 'camp_list' }],
  });
  const audits = (action: string) =>
    t.handle.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'sections', 'details'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    t = await createTestApp();
    const supervisorId = await t.addUser('inbox-supervisor', ['supervisor'], 'MSP');
    workerId = await t.addUser('inbox-worker', ['case_worker'], 'MSP');
    await t.handle.db
      .updateTable('users')
      .set({ supervisor_id: supervisorId })
      .where('id', '=', workerId)
      .execute();
    await t.addUser('inbox-north', ['supervisor'], 'MSP-NORTH');
    await t.addUser('inbox-ngo', ['ngo_worker'], 'NGO-WRC');
    await t.addUser('inbox-assessor', ['security_assessor'], 'MSP');
    await t.addUser('inbox-assessor2', ['security_assessor'], 'MSP');
    supervisor = await t.login('inbox-supervisor');
    worker = await t.login('inbox-worker');
    north = await t.login('inbox-north');
    ngo = await t.login('inbox-ngo');
    assessor = await t.login('inbox-assessor');
    assessor2 = await t.login('inbox-assessor2');

    const open = async (as: Session, name: string, assignedUserId: string | null) => {
      const personId = (await t.as(as, 'POST', '/api/persons', person(name))).json().id;
      const opened = await t.as(as, 'POST', '/api/cases', { personId, stage: 5, assignedUserId });
      expect(opened.statusCode).toBe(201);
      return opened.json().id as string;
    };
    taskCase = await open(supervisor, 'Aigerim Synthetic', workerId);
    approvalCase = await open(supervisor, 'Dilnoza Synthetic', workerId);
    northCase = await open(north, 'Shahnoza Synthetic', north.userId);
  });
  afterAll(() => t.close());

  describe('tasks due by a date', () => {
    beforeAll(async () => {
      const task = (caseId: string, title: string, dueOn: string, as = worker) =>
        t.as(as, 'POST', `/api/cases/${caseId}/tasks`, { title, dueOn });
      for (const [title, dueOn] of [
        ['Overdue home visit', day(-2)],
        ['Call the school', day(3)],
        ['Quarterly review', day(20)],
      ] as const) {
        expect((await task(taskCase, title, dueOn)).statusCode).toBe(201);
      }
      // Unassigned, in the same case: the case's worker's supervisor sees it, nobody's "mine".
      const unassigned = await task(taskCase, 'Team task', day(1), supervisor);
      await t.as(supervisor, 'PATCH', `/api/cases/${taskCase}/tasks/${unassigned.json().id}`, {
        version: 1,
        assignedUserId: null,
      });
      // Another agency's case: out of the MSP users' sight.
      expect((await task(northCase, 'North visit', day(1), north)).statusCode).toBe(201);
    });

    it('lists open tasks due on or before the date, overdue ones too, with counts and the case named', async () => {
      const response = await t.as(worker, 'GET', `/api/tasks/due?mine=true&before=${day(7)}`);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.items.map((x: { title: string }) => x.title)).toEqual([
        'Overdue home visit',
        'Call the school',
      ]);
      expect(body).toMatchObject({ total: 2, overdue: 1 });
      expect(body.items[0]).toMatchObject({
        overdue: true,
        assignedUserId: workerId,
        case: { id: taskCase, displayName: 'Aigerim Synthetic', caseNumber: expect.any(String) },
      });
      const [audit] = (await audits('case.task.list')).slice(-1);
      expect(audit).toMatchObject({ actor_user_id: worker.userId, sections: ['tasks'] });
      expect(JSON.stringify(audit)).not.toContain('Aigerim');
    });

    it('counts beyond the limit, honours a lower bound, and defaults to today', async () => {
      const limited = (await t.as(supervisor, 'GET', `/api/tasks/due?before=${day(7)}&limit=1`)).json();
      expect(limited.items).toHaveLength(1);
      expect(limited).toMatchObject({ total: 3, overdue: 1 });
      const upcoming = (
        await t.as(supervisor, 'GET', `/api/tasks/due?from=${todayIso()}&before=${day(30)}`)
      ).json();
      expect(upcoming.items.map((x: { title: string }) => x.title)).toEqual([
        'Team task',
        'Call the school',
        'Quarterly review',
      ]);
      expect(upcoming.overdue).toBe(0);
      const today = (await t.as(worker, 'GET', '/api/tasks/due')).json();
      expect(today.items.map((x: { title: string }) => x.title)).toEqual(['Overdue home visit']);
    });

    it('never shows or counts a task of a case out of sight', async () => {
      for (const session of [worker, supervisor]) {
        const body = (await t.as(session, 'GET', `/api/tasks/due?before=${day(30)}`)).json();
        expect(body.items.map((x: { title: string }) => x.title)).not.toContain('North visit');
        expect(JSON.stringify(body)).not.toContain('Shahnoza');
      }
      const northBody = (await t.as(north, 'GET', `/api/tasks/due?before=${day(30)}`)).json();
      expect(northBody).toMatchObject({ total: 1, items: [{ title: 'North visit' }] });
      expect((await t.as(ngo, 'GET', '/api/tasks/due')).statusCode).toBe(403);
      expect((await t.as(worker, 'GET', '/api/tasks/due?before=soon')).statusCode).toBe(400);
    });
  });

  it('names an approval’s transition, stages, requester and case in words', async () => {
    const current = (await t.as(worker, 'GET', `/api/cases/${approvalCase}`)).json();
    const requested = await t.as(worker, 'POST', `/api/cases/${approvalCase}/transitions`, {
      transition: 'close_early',
      version: current.version,
      closeReason: 'emigrated',
    });
    expect(requested.statusCode).toBe(202);
    const inbox = (await t.as(supervisor, 'GET', '/api/approvals')).json();
    expect(inbox).toEqual([
      expect.objectContaining({
        caseId: approvalCase,
        transition: 'close_early',
        transitionLabel: 'Close the case before monitoring (emigrated, deceased, transferred)',
        kind: 'stage',
        track: null,
        to: '10',
        toStage: { stage: 10, code: 'closed', label: 'Closed' },
        requestedBy: workerId,
        requester: { id: workerId, displayName: 'Test inbox-worker' },
        case: {
          id: approvalCase,
          caseNumber: current.caseNumber,
          displayName: 'Dilnoza Synthetic',
          stage: { stage: 5, code: 'individual_assessment', label: 'Individual assessment' },
        },
      }),
    ]);
    expect(JSON.stringify(inbox)).not.toMatch(/username|email/i);
    expect((await audits('case.approval.list')).at(-1)).toMatchObject({
      actor_user_id: supervisor.userId,
      details: { returned: 1 },
    });
    // Another agency's supervisor does not see it.
    expect((await t.as(north, 'GET', '/api/approvals')).json()).toEqual([]);
  });

  it('names the sending and receiving agencies of a referral', async () => {
    const ngoAgency = await t.agencyId('NGO-WRC');
    const mspAgency = await t.agencyId('MSP');
    const created = await t.as(supervisor, 'POST', `/api/cases/${taskCase}/referrals`, {
      toAgencyId: ngoAgency,
      serviceType: 'psychosocial',
      packetSummary: 'Adult woman, needs weekly counselling',
      override: { reason: 'Urgent protection need, consent cannot be obtained' },
    });
    expect(created.statusCode).toBe(201);
    const incoming = (await t.as(ngo, 'GET', '/api/referrals?direction=incoming')).json();
    expect(incoming).toEqual([
      expect.objectContaining({
        fromAgency: { id: mspAgency, code: 'MSP', name: 'Agency MSP' },
        toAgency: { id: ngoAgency, code: 'NGO-WRC', name: 'Agency NGO-WRC' },
        caseId: null,
        person: expect.objectContaining({ displayName: null }),
      }),
    ]);
    expect((await audits('referral.list')).at(-1)).toMatchObject({
      actor_user_id: ngo.userId,
      details: { direction: 'incoming', returned: 1 },
    });
  });

  it('names who opened a break-glass and who reviewed it', async () => {
    const opened = await t.as(worker, 'POST', `/api/access/cases/${northCase}/break-glass`, {
      reason: 'child reported missing, need last known placement',
    });
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toMatchObject({
      user: { id: workerId, displayName: 'Test inbox-worker' },
      reviewer: null,
    });
    const list = (await t.as(supervisor, 'GET', '/api/break-glass?unreviewed=true')).json();
    expect(list).toEqual([
      expect.objectContaining({
        id: opened.json().id,
        user: { id: workerId, displayName: 'Test inbox-worker' },
      }),
    ]);
    expect((await audits('breakglass.list')).at(-1)).toMatchObject({ actor_user_id: supervisor.userId });
    const reviewed = await t.as(supervisor, 'POST', `/api/break-glass/${opened.json().id}/review`, {
      outcome: 'justified',
    });
    expect(reviewed.json()).toMatchObject({
      reviewedBy: supervisor.userId,
      reviewer: { id: supervisor.userId, displayName: 'Test inbox-supervisor' },
    });
    await t.as(worker, 'POST', `/api/break-glass/${opened.json().id}/end`);
  });

  it('names the reviewers of a screening hit', async () => {
    await importWatchlist(t.handle.db, fixture('synthetic-consolidated-v1.xml'), CLI);
    const created = await t.as(supervisor, 'POST', '/api/persons', {
      sex: 'female',
      birthDate: { kind: 'exact', date: '1991-04-17' },
      names: [
        { fullName: 'Курманбекова Жансая', script: 'cyrillic', nameType: 'primary', source: 'camp_list' },
        { fullName: 'Zhansaya Kurmanbekova', script: 'latin', nameType: 'variant', source: 'camp_list' },
      ],
      nationalities: [{ country: 'KZ', status: 'verified' }],
    });
    expect(created.statusCode).toBe(201);
    const screened = await t.as(assessor, 'POST', `/api/watchlist/screen/persons/${created.json().id}`);
    const hitId = screened.json().hits[0].id as string;
    const review = await t.as(assessor, 'POST', `/api/watchlist/hits/${hitId}/reviews`, {
      disposition: 'confirmed',
    });
    expect(review.json()).toMatchObject({ status: 'in_review' });
    const hits = (await t.as(assessor2, 'GET', '/api/watchlist/hits?status=in_review')).json();
    expect(hits).toEqual([
      expect.objectContaining({
        id: hitId,
        reviews: [
          expect.objectContaining({
            reviewerId: assessor.userId,
            reviewer: { id: assessor.userId, displayName: 'Test inbox-assessor' },
            disposition: 'confirmed',
          }),
        ],
      }),
    ]);
  });
});
