// The authentication cache across server processes (ADR 0004): a logout, a disabled user, a revoked
// token or a narrowed role holds at once in every process. Two apps on two handles in one process
// stand for two processes: each handle has its own cache, and they hear of each other's changes only
// through the database. Those scenarios need PostgreSQL (DATABASE_URL set); PGlite is one process.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createTestApp,
  type Session,
  sessionCookie,
  TEST_PASSWORD,
  type TestApp,
} from '../../../test/app.ts';
import { testBackend } from '../../../test/database.ts';
import { createApp } from '../../app.ts';
import { apiTokenKey, authCacheFor, sessionKey } from '../../platform/auth/cache.ts';
import { AUTH_CHANNEL, announceAuthChange } from '../../platform/auth/invalidation.ts';
import { hashToken } from '../../platform/crypto/secrets.ts';
import { type DatabaseHandle, openPostgres } from '../../platform/db/database.ts';
import { loadFieldRules } from '../access/masking.ts';

describe('one authentication cache per database', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp();
    await a.addUser('aliya', ['case_worker']);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('keeps what one app resolved out of another app in the same process', async () => {
    const session = await a.login('aliya');
    expect((await a.as(session, 'GET', '/api/me')).statusCode).toBe(200);
    const key = sessionKey(hashToken(session.cookie.replace('hw_session=', '')));
    expect(authCacheFor(a.handle.db).get(key)).toBeDefined();
    expect(authCacheFor(b.handle.db)).not.toBe(authCacheFor(a.handle.db));
    expect(authCacheFor(b.handle.db).get(key)).toBeUndefined();
  });

  it('answers from the cache once the app has started, and stops when it closes', async () => {
    const c = await createTestApp();
    const cache = authCacheFor(c.handle.db);
    expect(cache.coherent).toBe(true);
    await c.app.close();
    expect(cache.coherent).toBe(false);
    await c.handle.close();
  });
});

describe.runIf(testBackend === 'postgres')('two server processes on one PostgreSQL database', () => {
  let a: TestApp;
  let handleB: DatabaseHandle;
  let appB: FastifyInstance;

  const loginOnB = async (username: string): Promise<Session> => {
    const response = await appB.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { csrfToken: string; user: { id: string } };
    return { cookie: sessionCookie(response), csrfToken: body.csrfToken, userId: body.user.id };
  };
  const onB = (session: Session, method: string, url: string, payload?: unknown) =>
    appB.inject({
      method: method as 'GET',
      url,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
  const cacheOfA = () => authCacheFor(a.handle.db);
  const keyOf = (session: Session) => sessionKey(hashToken(session.cookie.replace('hw_session=', '')));
  /** Waits until A has heard of a change: its cache moved since `epoch` (only an eviction moves it). */
  const heardOnA = (epoch: number) =>
    vi.waitFor(() => expect(cacheOfA().epoch).toBeGreaterThan(epoch), { timeout: 10_000, interval: 5 });
  const statusOf = (response: LightMyRequestResponse) => response.statusCode;

  beforeAll(async () => {
    a = await createTestApp();
    handleB = openPostgres(a.handle.url ?? '', 5);
    appB = await createApp(handleB, a.config, { logger: false });
    await appB.ready();
    await a.addUser('admin-b', ['admin']);
    for (const name of ['worker', 'disabled-worker', 'role-worker', 'token-owner', 'dropped'])
      await a.addUser(name, name === 'token-owner' ? ['admin'] : ['case_worker']);
  });
  afterAll(async () => {
    await appB?.close();
    await handleB?.close();
    await a?.close();
  });

  it('refuses at once on A a session logged out on B, though A had it cached', async () => {
    const session = await loginOnB('worker');
    expect((await a.as(session, 'GET', '/api/me')).json().displayName).toBe('Test worker');
    // Behind Homeward's back: A answers from its cache, so the next answer is the cached one.
    await a.handle.db
      .updateTable('users')
      .set({ display_name: 'Renamed directly' })
      .where('id', '=', session.userId)
      .execute();
    expect((await a.as(session, 'GET', '/api/me')).json().displayName).toBe('Test worker');

    const epoch = cacheOfA().epoch;
    expect(statusOf(await onB(session, 'POST', '/api/auth/logout'))).toBe(204);
    await heardOnA(epoch);
    const after = await a.as(session, 'GET', '/api/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('SESSION_EXPIRED');
  });

  it('refuses on A a user disabled on B', async () => {
    const admin = await loginOnB('admin-b');
    const session = await a.login('disabled-worker');
    expect(statusOf(await a.as(session, 'GET', '/api/me'))).toBe(200);
    expect(cacheOfA().get(keyOf(session))).toBeDefined();
    const user = (await onB(admin, 'GET', `/api/admin/users/${session.userId}`)).json();
    const epoch = cacheOfA().epoch;
    const disabled = await onB(admin, 'PATCH', `/api/admin/users/${session.userId}`, {
      version: user.version,
      status: 'disabled',
    });
    expect(disabled.statusCode).toBe(200);
    await heardOnA(epoch);
    expect(statusOf(await a.as(session, 'GET', '/api/me'))).toBe(401);
  });

  it("applies on A at once a role's permissions changed on B", async () => {
    const admin = await loginOnB('admin-b');
    const session = await a.login('role-worker');
    const before = (await a.as(session, 'GET', '/api/me')).json().permissions as string[];
    expect(cacheOfA().get(keyOf(session))).toBeDefined();
    const roles = (await onB(admin, 'GET', '/api/admin/roles')).json() as {
      id: string;
      code: string;
      version: number;
      permissions: string[];
    }[];
    const role = roles.find((r) => r.code === 'case_worker');
    if (!role) throw new Error('no case_worker role');
    const dropped = role.permissions[0] ?? '';
    expect(before).toContain(dropped);
    const epoch = cacheOfA().epoch;
    const updated = await onB(admin, 'PATCH', `/api/admin/roles/${role.id}`, {
      version: role.version,
      permissions: role.permissions.slice(1),
    });
    expect(updated.statusCode).toBe(200);
    await heardOnA(epoch);
    const after = (await a.as(session, 'GET', '/api/me')).json().permissions as string[];
    expect(after).not.toContain(dropped);
  });

  it('refuses on A an API token revoked on B', async () => {
    const owner = await loginOnB('token-owner');
    const created = await onB(owner, 'POST', '/api/me/tokens', {
      name: 'export',
      scopes: ['admin:agencies'],
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json() as { token: string; id: string };
    const bearer = { authorization: `Bearer ${token}` };
    expect((await a.app.inject({ url: '/api/admin/agencies', headers: bearer })).statusCode).toBe(200);
    expect(cacheOfA().get(apiTokenKey(hashToken(token)))).toBeDefined();
    const epoch = cacheOfA().epoch;
    expect(statusOf(await onB(owner, 'DELETE', `/api/me/tokens/${id}`))).toBe(204);
    await heardOnA(epoch);
    const revoked = await a.app.inject({ url: '/api/admin/agencies', headers: bearer });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().code).toBe('TOKEN_INVALID');
  });

  it('forgets on A the field-sensitivity rules changed on B, rather than mask by the old ones', async () => {
    const admin = await loginOnB('admin-b');
    // A holds the rules (for up to ten seconds) …
    const before = await loadFieldRules(a.handle.db);
    expect(before.get('person')?.get('placeOfBirthProbe')).toBeUndefined();
    const epoch = cacheOfA().epoch;
    // … when an administrator on B marks a field sensitive.
    const put = await onB(admin, 'PUT', '/api/admin/field-sensitivity', {
      resource: 'person',
      field: 'placeOfBirthProbe',
      compartment: 'security',
      ask: 'the security service',
    });
    expect(put.statusCode).toBe(200);
    await heardOnA(epoch);
    const after = await loadFieldRules(a.handle.db);
    expect(after.get('person')?.get('placeOfBirthProbe')).toEqual({
      compartment: 'security',
      ask: 'the security service',
    });
  });

  it('tells other processes of a change only when it commits', async () => {
    const heard: string[] = [];
    const listener = new pg.Client({ connectionString: a.handle.url });
    await listener.connect();
    listener.on('notification', (message) => heard.push(message.payload ?? ''));
    await listener.query(`LISTEN ${AUTH_CHANNEL}`);
    try {
      await expect(
        a.handle.db.transaction().execute(async (trx) => {
          await announceAuthChange(a.handle.db, trx, 'user:rolled-back');
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      await a.handle.db
        .transaction()
        .execute((trx) => announceAuthChange(a.handle.db, trx, 'user:committed'));
      // Notices arrive in commit order: once the second is here, the first would have been too.
      await vi.waitFor(() => expect(heard).toContain('user:committed'), { timeout: 10_000 });
      expect(heard).toEqual(['user:committed']);
    } finally {
      await listener.end();
    }
  });

  it('caches nothing while its listener is disconnected, and again once it has reconnected', async () => {
    const session = await a.login('dropped');
    const rename = (name: string) =>
      a.handle.db.updateTable('users').set({ display_name: name }).where('id', '=', session.userId).execute();
    const nameOnA = async () => (await a.as(session, 'GET', '/api/me')).json().displayName as string;
    const databaseName = new URL(a.handle.url ?? '').pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      expect(cacheOfA().coherent).toBe(true);
      // No new connection to this database for a while (the pools keep theirs), then end the
      // listeners' connections, as a server restart or a network failure would.
      await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS false`);
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
        [databaseName, `homeward listen ${AUTH_CHANNEL}`],
      );
      await vi.waitFor(() => expect(cacheOfA().coherent).toBe(false), { timeout: 10_000, interval: 5 });
      // Every request reads the database: a change behind Homeward's back shows at once.
      await rename('Seen while deaf');
      expect(await nameOnA()).toBe('Seen while deaf');
      await rename('Seen again');
      expect(await nameOnA()).toBe('Seen again');
      expect(cacheOfA().size).toBe(0);

      await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS true`);
      await vi.waitFor(() => expect(cacheOfA().coherent).toBe(true), { timeout: 30_000, interval: 20 });
      // Listening again: answers are cached once more (the direct rename is not seen).
      expect(await nameOnA()).toBe('Seen again');
      await rename('Not seen yet');
      expect(await nameOnA()).toBe('Seen again');
    } finally {
      await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  });
});
