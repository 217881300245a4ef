import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from './app.ts';

interface View {
  id: string;
  name: string;
  params: Record<string, string>;
  version: number;
}

describe('saved views of the case list', () => {
  let t: TestApp;
  let amina: Session;
  let bakhyt: Session;
  let ngo: Session;

  beforeAll(async () => {
    t = await createTestApp();
    await t.addUser('views-amina', ['case_worker'], 'MSP');
    await t.addUser('views-bakhyt', ['case_worker'], 'MSP');
    await t.addUser('views-ngo', ['ngo_worker'], 'NGO-VIEWS');
    amina = await t.login('views-amina');
    bakhyt = await t.login('views-bakhyt');
    ngo = await t.login('views-ngo');
  });
  afterAll(() => t.close());

  async function create(as: Session, name: string, params: Record<string, string>) {
    const response = await t.as(as, 'POST', '/api/saved-views', { name, params });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as View;
  }

  it('saves filters and sort under a name, and lists only the owner’s views by name', async () => {
    const overdue = await create(amina, 'Overdue girls', {
      overdueTasks: 'true',
      sex: 'female',
      stage: '4,5',
      assignedUserId: 'me',
      sort: 'stage',
    });
    expect(overdue).toMatchObject({ name: 'Overdue girls', version: 1 });
    expect(overdue.params).toEqual({
      overdueTasks: 'true',
      sex: 'female',
      stage: '4,5',
      assignedUserId: 'me',
      sort: 'stage',
    });
    await create(amina, 'children under 5', { ageBand: '0-4', flag: 'unaccompanied,orphan' });
    await create(bakhyt, 'Mine', { assignedUserId: 'me' });

    const mine = (await t.as(amina, 'GET', '/api/saved-views')).json() as View[];
    expect(mine.map((v) => v.name)).toEqual(['children under 5', 'Overdue girls']);
    const theirs = (await t.as(bakhyt, 'GET', '/api/saved-views')).json() as View[];
    expect(theirs.map((v) => v.name)).toEqual(['Mine']);
  });

  it('audits every write without the view’s name or parameters', async () => {
    const view = await create(amina, 'Audited', { status: 'open' });
    const rows = await t.handle.db
      .selectFrom('audit_events')
      .select(['action', 'target_id', 'details'])
      .where('target_id', '=', view.id)
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['saved_view.create']);
    expect(JSON.stringify(rows[0]?.details)).not.toContain('Audited');
  });

  it.each([
    ['an empty name', { name: '  ', params: {} }, 'body.name'],
    ['a search text (personal data is not kept)', { name: 'Q', params: { q: 'Gulnara' } }, 'body.params'],
    ['an unknown stage', { name: 'S', params: { stage: '4,12' } }, 'body.params.stage'],
    ['an unknown flag', { name: 'F', params: { flag: 'orphan,rich' } }, 'body.params.flag'],
    [
      'a worker that is not an id',
      { name: 'W', params: { assignedUserId: 'bob' } },
      'body.params.assignedUserId',
    ],
    ['an unknown sort', { name: 'O', params: { sort: 'name' } }, 'body.params.sort'],
  ])('refuses %s with the field path', async (_label, body, path) => {
    const response = await t.as(amina, 'POST', '/api/saved-views', body);
    expect(response.statusCode, response.body).toBe(400);
    const error = response.json() as { code: string; details: { path: string; issues: { path: string }[] } };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.issues.map((i) => i.path)).toContain(path);
  });

  it('keeps names unique per user, whatever the case, with a stable code', async () => {
    await create(amina, 'Reception', { stage: '4' });
    const again = await t.as(amina, 'POST', '/api/saved-views', { name: 'RECEPTION', params: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'SAVED_VIEW_NAME_TAKEN', details: { path: 'body.name' } });
    // Another user may use the same name.
    await create(bakhyt, 'Reception', { stage: '4' });
  });

  it('renames with the version read, and answers a stale version with 409', async () => {
    const view = await create(amina, 'Draft name', { stage: '7' });
    const renamed = await t.as(amina, 'PATCH', `/api/saved-views/${view.id}`, {
      version: view.version,
      name: 'Rehabilitation',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Rehabilitation', version: 2, params: { stage: '7' } });

    const stale = await t.as(amina, 'PATCH', `/api/saved-views/${view.id}`, { version: 1, name: 'Lost' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });

    const taken = await t.as(amina, 'PATCH', `/api/saved-views/${view.id}`, {
      version: 2,
      name: 'reception',
    });
    expect(taken.json().code).toBe('SAVED_VIEW_NAME_TAKEN');

    const refiltered = await t.as(amina, 'PATCH', `/api/saved-views/${view.id}`, {
      version: 2,
      params: { stage: '7,8', sort: 'case_number' },
    });
    expect(refiltered.json()).toMatchObject({ name: 'Rehabilitation', version: 3, params: { stage: '7,8' } });
  });

  it('hides another user’s view: 404 to read, rename or delete it', async () => {
    const view = await create(amina, 'Private', { sex: 'male' });
    for (const [method, url, body] of [
      ['GET', `/api/saved-views/${view.id}`, undefined],
      ['PATCH', `/api/saved-views/${view.id}`, { version: 1, name: 'Taken over' }],
      ['DELETE', `/api/saved-views/${view.id}?version=1`, undefined],
    ] as const) {
      const response = await t.as(bakhyt, method, url, body);
      expect(response.statusCode, `${method} ${response.body}`).toBe(404);
      expect(response.json().code).toBe('SAVED_VIEW_NOT_FOUND');
    }
    expect((await t.as(amina, 'GET', `/api/saved-views/${view.id}`)).json().name).toBe('Private');
  });

  it('deletes with the version read', async () => {
    const view = await create(amina, 'Short-lived', { status: 'closed' });
    expect((await t.as(amina, 'DELETE', `/api/saved-views/${view.id}?version=5`)).statusCode).toBe(409);
    expect((await t.as(amina, 'DELETE', `/api/saved-views/${view.id}?version=1`)).statusCode).toBe(204);
    expect((await t.as(amina, 'GET', `/api/saved-views/${view.id}`)).statusCode).toBe(404);
    const actions = await t.handle.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', view.id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['saved_view.create', 'saved_view.delete']);
  });

  it('is open only to those who may read the case list, and needs the CSRF token', async () => {
    expect((await t.as(ngo, 'GET', '/api/saved-views')).statusCode).toBe(403);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/saved-views',
      headers: { cookie: amina.cookie },
      payload: { name: 'No token', params: {} },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('CSRF_TOKEN_INVALID');
  });
});
