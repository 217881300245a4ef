import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sessionCookie, TEST_PASSWORD, type TestApp } from '../../../test/app.ts';
import { authCacheFor } from '../../platform/auth/cache.ts';
import { currentTotp } from '../../platform/auth/totp.ts';

describe('signing in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ HOMEWARD_LOGIN_MAX_FAILURES: '3', HOMEWARD_SESSION_IDLE_MINUTES: '30' });
    await t.addUser('aliya', ['case_worker']);
    await t.addUser('locky', ['case_worker']);
  });
  afterAll(() => t.close());

  it('sets an HttpOnly, SameSite=Strict session cookie and returns the user with a CSRF token', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'Aliya', password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'hw_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    const body = response.json();
    expect(body.user).toMatchObject({
      username: 'aliya',
      agency: { code: 'MSP' },
      roles: [{ code: 'case_worker' }],
    });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('marks the cookie Secure behind TLS', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'aliya', password: TEST_PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    // Without a trusted proxy the forwarded header is ignored: plain HTTP, no Secure flag.
    expect(response.cookies.find((c) => c.name === 'hw_session')?.secure).toBeFalsy();
    const always = await createTestApp({ HOMEWARD_COOKIE_SECURE: 'always' });
    try {
      await always.addUser('tls-user', ['case_worker']);
      const secure = await always.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'tls-user', password: TEST_PASSWORD },
      });
      expect(secure.cookies.find((c) => c.name === 'hw_session')?.secure).toBe(true);
    } finally {
      await always.close();
    }
  });

  it('answers a wrong password and an unknown user alike, with 401 INVALID_CREDENTIALS', async () => {
    const wrongPassword = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'aliya', password: 'not the password' },
    });
    const unknownUser = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody-here', password: 'not the password' },
    });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownUser.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(unknownUser.json());
    await t.login('aliya'); // a success resets the failure count
  });

  it('locks an account after repeated failures with 429 and Retry-After, even for unknown usernames', async () => {
    for (const username of ['locky', 'ghost-user']) {
      for (let i = 0; i < 3; i++) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username, password: 'wrong password' },
        });
        expect(r.statusCode).toBe(401);
      }
      const locked = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: TEST_PASSWORD },
      });
      expect(locked.statusCode).toBe(429);
      expect(locked.json().code).toBe('ACCOUNT_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    }
  });

  it('audits failed and successful sign-ins without the password', async () => {
    const rows = await t.handle.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'auth.login')
      .execute();
    expect(rows.some((r) => r.outcome === 'failure')).toBe(true);
    expect(rows.some((r) => r.outcome === 'denied')).toBe(true);
    expect(rows.some((r) => r.outcome === 'success')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(TEST_PASSWORD);
  });

  it('ends the session for real on logout: the old cookie no longer works', async () => {
    const session = await t.login('aliya');
    expect((await t.as(session, 'GET', '/api/me')).statusCode).toBe(200);
    expect((await t.as(session, 'POST', '/api/auth/logout')).statusCode).toBe(204);
    const after = await t.as(session, 'GET', '/api/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('SESSION_EXPIRED');
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const session = await t.login('aliya');
    const response = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: { cookie: session.cookie },
      payload: { preferredLanguage: 'ru' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('CSRF_TOKEN_INVALID');
    const forged = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: { cookie: session.cookie, 'x-csrf-token': 'forged' },
      payload: { preferredLanguage: 'ru' },
    });
    expect(forged.statusCode).toBe(403);
    const ok = await t.as(session, 'PATCH', '/api/me', { preferredLanguage: 'ru' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().preferredLanguage).toBe('ru');
  });

  it('answers a signed-in request from the authentication cache, and drops it on logout', async () => {
    const session = await t.login('aliya');
    expect((await t.as(session, 'GET', '/api/me')).json().displayName).toBe('Test aliya');
    // Behind the application's back: the cached actor still answers for a few seconds…
    await t.handle.db
      .updateTable('users')
      .set({ display_name: 'Renamed directly' })
      .where('id', '=', session.userId)
      .execute();
    expect((await t.as(session, 'GET', '/api/me')).json().displayName).toBe('Test aliya');
    // …and every change made through Homeward itself invalidates it at once.
    expect((await t.as(session, 'PATCH', '/api/me', { preferredLanguage: 'ar' })).statusCode).toBe(200);
    expect((await t.as(session, 'GET', '/api/me')).json().displayName).toBe('Renamed directly');
    await t.handle.db
      .updateTable('users')
      .set({ display_name: 'Test aliya' })
      .where('id', '=', session.userId)
      .execute();
    authCacheFor(t.handle.db).clear();
  });

  it('refuses a forged session cookie', async () => {
    const response = await t.app.inject({ url: '/api/me', headers: { cookie: 'hw_session=forged-value' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('SESSION_EXPIRED');
  });

  it('ends an idle session and one past its absolute lifetime', async () => {
    const idle = await t.login('aliya');
    await t.handle.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('user_id', '=', idle.userId)
      .where('ended_at', 'is', null)
      .execute();
    authCacheFor(t.handle.db).clear(); // as if the few seconds of the authentication cache had passed
    expect((await t.as(idle, 'GET', '/api/me')).json().code).toBe('SESSION_EXPIRED');

    const old = await t.login('aliya');
    await t.handle.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', old.userId)
      .where('ended_at', 'is', null)
      .execute();
    authCacheFor(t.handle.db).clear();
    expect((await t.as(old, 'GET', '/api/me')).statusCode).toBe(401);
    const ended = await t.handle.db
      .selectFrom('sessions')
      .select('end_reason')
      .where('user_id', '=', old.userId)
      .execute();
    expect(ended.map((s) => s.end_reason)).toEqual(expect.arrayContaining(['idle', 'expired', 'logout']));
  });
});

describe('the second factor', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.addUser('totp-user', ['case_worker']);
    await t.addUser('assessor', ['security_assessor']);
  });
  afterAll(() => t.close());

  it('enrols an authenticator and then requires its code at sign-in', async () => {
    const session = await t.login('totp-user');
    const setup = await t.as(session, 'POST', '/api/me/totp/setup');
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl } = setup.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Homeward:totp-user\?/);
    const wrong = await t.as(session, 'POST', '/api/me/totp/enable', {
      code: '000000' === currentTotp(secret) ? '111111' : '000000',
    });
    expect(wrong.json().code).toBe('TOTP_INVALID');
    const enabled = await t.as(session, 'POST', '/api/me/totp/enable', { code: currentTotp(secret) });
    expect(enabled.json().totpEnabled).toBe(true);

    const withoutCode = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'totp-user', password: TEST_PASSWORD },
    });
    expect(withoutCode.statusCode).toBe(401);
    expect(withoutCode.json().code).toBe('TOTP_REQUIRED');
    const badCode = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: {
        username: 'totp-user',
        password: TEST_PASSWORD,
        totp: currentTotp(secret) === '123456' ? '654321' : '123456',
      },
    });
    expect(badCode.json().code).toBe('TOTP_INVALID');
    // The enrolment used this step's code; the next step's code (within the drift window) signs in.
    const nextCode = currentTotp(secret, Date.now() + 30_000);
    const ok = await t.login('totp-user', TEST_PASSWORD, nextCode);
    expect(ok.cookie).toMatch(/^hw_session=/);
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'totp-user', password: TEST_PASSWORD, totp: nextCode },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('TOTP_INVALID');
  });

  it('does not ask for the code before the password is right', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'totp-user', password: 'wrong password' },
    });
    expect(response.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('stores the seed encrypted, never in clear', async () => {
    const row = await t.handle.db
      .selectFrom('users')
      .select('totp_secret_encrypted')
      .where('username', '=', 'totp-user')
      .executeTakeFirstOrThrow();
    expect(row.totp_secret_encrypted).toMatch(/^v1\./);
  });

  it('holds a user whose role requires it to enrolment before anything else', async () => {
    const role = await t.handle.db
      .selectFrom('roles')
      .select(['id', 'version'])
      .where('code', '=', 'security_assessor')
      .executeTakeFirstOrThrow();
    await t.handle.db.updateTable('roles').set({ require_totp: true }).where('id', '=', role.id).execute();
    authCacheFor(t.handle.db).clear();
    const session = await t.login('assessor');
    const me = await t.as(session, 'GET', '/api/me');
    expect(me.json().mfaEnrolmentPending).toBe(true);
    const blocked = await t.as(session, 'GET', '/api/me/tokens');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('MFA_ENROLMENT_REQUIRED');
    const { secret } = (await t.as(session, 'POST', '/api/me/totp/setup')).json();
    await t.as(session, 'POST', '/api/me/totp/enable', { code: currentTotp(secret) });
    expect((await t.as(session, 'GET', '/api/me/tokens')).statusCode).toBe(200);
    const disable = await t.as(session, 'POST', '/api/me/totp/disable', { password: TEST_PASSWORD });
    expect(disable.statusCode).toBe(403);
  });
});

describe('API tokens for machine clients', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.addUser('machine-owner', ['admin']);
  });
  afterAll(() => t.close());

  it('are shown once, stored hashed, scoped, and revocable', async () => {
    const session = await t.login('machine-owner');
    const created = await t.as(session, 'POST', '/api/me/tokens', {
      name: 'nightly export',
      scopes: ['admin:agencies'],
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^hwt_/);
    const stored = await t.handle.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);

    const bearer = { authorization: `Bearer ${token}` };
    const inScope = await t.app.inject({ url: '/api/admin/agencies', headers: bearer });
    expect(inScope.statusCode).toBe(200);
    const beyond = await t.app.inject({ url: '/api/admin/users', headers: bearer });
    expect(beyond.statusCode).toBe(403);
    expect(beyond.json().code).toBe('TOKEN_SCOPE');
    // A token needs no CSRF header: it is not an ambient credential.
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/admin/agencies',
      headers: bearer,
      payload: { code: 'TOK', name: 'Via token', kind: 'ngo' },
    });
    expect(write.statusCode).toBe(201);

    expect((await t.as(session, 'DELETE', `/api/me/tokens/${id}`)).statusCode).toBe(204);
    const revoked = await t.app.inject({ url: '/api/admin/agencies', headers: bearer });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().code).toBe('TOKEN_INVALID');
  });

  it('cannot hold permissions the owner lacks', async () => {
    const session = await t.login('machine-owner');
    const response = await t.as(session, 'POST', '/api/me/tokens', {
      name: 'greedy',
      scopes: ['persons:read'],
    });
    expect(response.statusCode).toBe(403);
  });

  it('stop working when expired', async () => {
    const session = await t.login('machine-owner');
    const { token, id } = (
      await t.as(session, 'POST', '/api/me/tokens', { name: 'short', scopes: ['admin:agencies'] })
    ).json();
    await t.handle.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    const response = await t.app.inject({
      url: '/api/admin/agencies',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(401);
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await t.app.inject({ url: '/api/me', headers: { authorization: 'Basic abc' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('TOKEN_INVALID');
  });
});

describe('the sign-in rate limit', () => {
  it('refuses the eleventh attempt in a minute from one address with 429', async () => {
    const t = await createTestApp({ HOMEWARD_AUTH_RATE_LIMIT: '10' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 11; i++) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: `u${i}`, password: 'x' },
        });
        codes.push(r.statusCode);
      }
      expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
      expect(codes[10]).toBe(429);
    } finally {
      await t.close();
    }
  });
});

describe('sessions across a password change', () => {
  it('end every other session of the user', async () => {
    const t = await createTestApp();
    try {
      await t.addUser('changer', ['case_worker']);
      const here = await t.login('changer');
      const elsewhere = await t.login('changer');
      const changed = await t.as(here, 'POST', '/api/me/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: 'a much longer new secret',
      });
      expect(changed.statusCode).toBe(204);
      expect((await t.as(here, 'GET', '/api/me')).statusCode).toBe(200);
      expect((await t.as(elsewhere, 'GET', '/api/me')).statusCode).toBe(401);
      const weak = await t.as(here, 'POST', '/api/me/password', {
        currentPassword: 'a much longer new secret',
        newPassword: 'short',
      });
      expect(weak.json()).toMatchObject({ code: 'WEAK_PASSWORD', details: { path: 'body.newPassword' } });
      expect(sessionCookie).toBeTypeOf('function');
    } finally {
      await t.close();
    }
  });
});
