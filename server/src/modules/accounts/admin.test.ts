import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';

describe('administration of agencies, users and roles', () => {
  let t: TestApp;
  let admin: Session;
  let worker: Session;
  beforeAll(async () => {
    t = await createTestApp();
    await t.addUser('root-admin', ['admin']);
    await t.addUser('plain-worker', ['case_worker']);
    admin = await t.login('root-admin');
    worker = await t.login('plain-worker');
  });
  afterAll(() => t.close());

  it('creates an agency and a user in it, who can then sign in', async () => {
    const agency = await t.as(admin, 'POST', '/api/admin/agencies', {
      code: 'wrc',
      name: 'Women’s Resource Centre',
      kind: 'womens_organisation',
    });
    expect(agency.statusCode).toBe(201);
    expect(agency.json()).toMatchObject({ code: 'WRC', version: 1, active: true });
    const user = await t.as(admin, 'POST', '/api/admin/users', {
      username: 'NGO.Worker',
      displayName: 'NGO worker',
      agencyId: agency.json().id,
      roles: ['ngo_worker'],
      password: 'a sufficiently long password',
    });
    expect(user.statusCode).toBe(201);
    expect(user.json()).toMatchObject({ username: 'ngo.worker', roles: ['ngo_worker'], status: 'active' });
    const session = await t.login('ngo.worker', 'a sufficiently long password');
    const me = (await t.as(session, 'GET', '/api/me')).json();
    expect(me.agency.code).toBe('WRC');
    expect(me.permissions).toEqual([
      'directory:read',
      'referrals:receive',
      'services:record',
      'tokens:manage_own',
    ]);
  });

  it('refuses a duplicate username with 409 and the field path', async () => {
    const agencyId = await t.agencyId('MSP');
    const response = await t.as(admin, 'POST', '/api/admin/users', {
      username: 'plain-worker',
      displayName: 'Again',
      agencyId,
      roles: ['case_worker'],
      password: 'a sufficiently long password',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'USERNAME_TAKEN', details: { path: 'body.username' } });
  });

  it('refuses an unknown role and a weak password, writing nothing', async () => {
    const agencyId = await t.agencyId('MSP');
    const unknownRole = await t.as(admin, 'POST', '/api/admin/users', {
      username: 'half-made',
      displayName: 'Half',
      agencyId,
      roles: ['wizard'],
      password: 'a sufficiently long password',
    });
    expect(unknownRole.statusCode).toBe(400);
    expect(unknownRole.json().details.path).toBe('body.roles');
    const weak = await t.as(admin, 'POST', '/api/admin/users', {
      username: 'half-made',
      displayName: 'Half',
      agencyId,
      roles: ['case_worker'],
      password: 'short',
    });
    expect(weak.json().code).toBe('WEAK_PASSWORD');
    const row = await t.handle.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'half-made')
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('answers a stale version with 409 and the current version', async () => {
    const agencyId = await t.agencyId('MSP');
    const first = await t.as(admin, 'PATCH', `/api/admin/agencies/${agencyId}`, {
      version: 1,
      name: 'Ministry, renamed',
    });
    expect(first.statusCode).toBe(200);
    const stale = await t.as(admin, 'PATCH', `/api/admin/agencies/${agencyId}`, {
      version: 1,
      name: 'Lost update',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
  });

  it('ends the sessions of a user whose roles change', async () => {
    const target = await t.addUser('to-promote', ['case_worker']);
    const session = await t.login('to-promote');
    const updated = await t.as(admin, 'PATCH', `/api/admin/users/${target}`, {
      version: 1,
      roles: ['supervisor'],
    });
    expect(updated.json().roles).toEqual(['supervisor']);
    expect((await t.as(session, 'GET', '/api/me')).statusCode).toBe(401);
  });

  it('edits a role’s permissions and requires a second factor for it', async () => {
    const roles = (await t.as(admin, 'GET', '/api/admin/roles')).json() as {
      code: string;
      id: string;
      version: number;
    }[];
    expect(roles.map((r) => r.code)).toEqual(
      expect.arrayContaining([
        'case_worker',
        'supervisor',
        'security_assessor',
        'prosecutor',
        'health_worker',
        'ngo_worker',
        'coordinator',
        'data_protection_officer',
        'admin',
      ]),
    );
    const role = await t.as(admin, 'POST', '/api/admin/roles', {
      code: 'education_officer',
      name: 'Education officer',
      permissions: ['persons:read'],
    });
    expect(role.statusCode).toBe(201);
    const changed = await t.as(admin, 'PATCH', `/api/admin/roles/${role.json().id}`, {
      version: 1,
      requireTotp: true,
      permissions: ['persons:read', 'cases:read'],
    });
    expect(changed.json()).toMatchObject({ requireTotp: true, permissions: ['cases:read', 'persons:read'] });
    const bad = await t.as(admin, 'POST', '/api/admin/roles', {
      code: 'bad_role',
      name: 'Bad',
      permissions: ['everything:all'],
    });
    expect(bad.statusCode).toBe(400);
  });

  it('lifts a lockout', async () => {
    const target = await t.addUser('locked-out', ['case_worker']);
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'locked-out', password: 'wrong password' },
      });
    }
    expect((await t.as(admin, 'GET', `/api/admin/users/${target}`)).json().lockedUntil).not.toBeNull();
    expect((await t.as(admin, 'POST', `/api/admin/users/${target}/unlock`)).statusCode).toBe(204);
    await t.login('locked-out');
  });

  it('denies a case worker the admin API, and audits the denial', async () => {
    const response = await t.as(worker, 'GET', '/api/admin/users');
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('FORBIDDEN');
    const denial = await t.handle.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'access.denied')
      .where('actor_user_id', '=', worker.userId)
      .executeTakeFirst();
    expect(denial).toMatchObject({
      outcome: 'denied',
      details: { code: 'FORBIDDEN', route: '/api/admin/users' },
    });
  });

  it('records each change in the audit trail in the same transaction', async () => {
    const actions = (
      await t.handle.db
        .selectFrom('audit_events')
        .select('action')
        .where('actor_user_id', '=', admin.userId)
        .execute()
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'agency.create',
        'user.create',
        'agency.update',
        'user.update',
        'role.create',
        'role.update',
        'user.unlock',
      ]),
    );
  });
});

describe('the audit trail API', () => {
  it('lets the data-protection officer search and verify, and nobody else', async () => {
    const t = await createTestApp();
    try {
      await t.addUser('dpo1', ['data_protection_officer']);
      await t.addUser('cw1', ['case_worker']);
      const dpo = await t.login('dpo1');
      const cw = await t.login('cw1');
      const page = await t.as(dpo, 'GET', '/api/audit?action=auth.login&limit=1');
      expect(page.statusCode).toBe(200);
      expect(page.json().items).toHaveLength(1);
      expect(page.json().nextBefore).toEqual(expect.any(Number));
      const verify = await t.as(dpo, 'GET', '/api/audit/verify');
      expect(verify.json()).toMatchObject({ ok: true });
      expect((await t.as(cw, 'GET', '/api/audit')).statusCode).toBe(403);
    } finally {
      await t.close();
    }
  });
});
