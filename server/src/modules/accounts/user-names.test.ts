import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

describe('GET /api/users/names', () => {
  let t: TestApp;
  let aliya: string;
  let botir: string;
  beforeAll(async () => {
    t = await createTestApp();
    aliya = await t.addUser('aliya', ['case_worker']);
    botir = await t.addUser('botir', ['supervisor']);
  });
  afterAll(() => t.close());

  it('turns user ids into display names, never usernames, and leaves unknown ids out', async () => {
    const session = await t.login('aliya');
    const response = await t.as(session, 'GET', `/api/users/names?ids=${botir},${randomUUID()},${aliya}`);
    expect(response.statusCode).toBe(200);
    const users = (response.json() as { users: { id: string; displayName: string }[] }).users;
    expect(users.map((u) => u.id).sort()).toEqual([aliya, botir].sort());
    expect(users.find((u) => u.id === botir)?.displayName).toBe('Test botir');
    expect(response.body).not.toContain('"botir"');
    expect(response.body).not.toContain('username');
  });

  it('refuses a caller who is not signed in, a malformed id and more than 100 ids', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/users/names?ids=${aliya}` })).statusCode).toBe(
      401,
    );
    const session = await t.login('aliya');
    const malformed = await t.as(session, 'GET', '/api/users/names?ids=not-an-id');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const many = Array.from({ length: 101 }, () => randomUUID()).join(',');
    expect((await t.as(session, 'GET', `/api/users/names?ids=${many}`)).statusCode).toBe(400);
    expect((await t.as(session, 'GET', '/api/users/names')).statusCode).toBe(400);
  });
});
