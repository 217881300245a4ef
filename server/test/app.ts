import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createApp } from '../src/app.ts';
import { addUserDirect, ensureDefaultRoles } from '../src/modules/accounts/bootstrap.ts';
import { type Config, loadConfig } from '../src/platform/config.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface Session {
  cookie: string;
  csrfToken: string;
  userId: string;
}

export interface TestApp {
  app: FastifyInstance;
  handle: TestDatabase;
  config: Config;
  agencyId(code: string): Promise<string>;
  addUser(username: string, roles: string[], agencyCode?: string): Promise<string>;
  login(username: string, password?: string, totp?: string): Promise<Session>;
  /** A request as a signed-in user: cookie and CSRF header set. */
  as(session: Session, method: string, url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'hw_session');
  if (!cookie) throw new Error(`no session cookie (status ${response.statusCode}: ${response.body})`);
  return `hw_session=${cookie.value}`;
}

/** A Homeward app on a fresh database, driven through Fastify's inject: the real routes, no socket. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const handle = await createTestDatabase();
  await ensureDefaultRoles(handle.db);
  const config = loadConfig({
    HOMEWARD_DATA_DIR: 'memory://',
    HOMEWARD_DEMO: '1',
    LOG_LEVEL: 'silent',
    HOMEWARD_AUTH_RATE_LIMIT: '10000',
    ...env,
  });
  const app = await createApp(handle, config, { logger: false });
  await app.ready();

  const agencyId = async (code: string) => {
    const existing = await handle.db
      .selectFrom('agencies')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirst();
    if (existing) return existing.id;
    const created = await handle.db
      .insertInto('agencies')
      .values({ code, name: `Agency ${code}`, kind: code.startsWith('NGO') ? 'ngo' : 'social_services' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return created.id;
  };

  const login = async (username: string, password = TEST_PASSWORD, totp?: string): Promise<Session> => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password, ...(totp ? { totp } : {}) },
    });
    if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
    const body = response.json() as { csrfToken: string; user: { id: string } };
    return { cookie: sessionCookie(response), csrfToken: body.csrfToken, userId: body.user.id };
  };

  return {
    app,
    handle,
    config,
    agencyId,
    addUser: async (username, roles, agencyCode = 'MSP') =>
      addUserDirect(handle.db, {
        username,
        displayName: `Test ${username}`,
        password: TEST_PASSWORD,
        agencyId: await agencyId(agencyCode),
        roles,
      }),
    login,
    as: (session, method, url, payload) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
        ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
      }),
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}
