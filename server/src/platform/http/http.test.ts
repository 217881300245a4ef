import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';

describe('the HTTP surface', () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    await t.addUser('admin1', ['admin']);
    admin = await t.login('admin1');
  });
  afterAll(() => t.close());

  it('answers liveness and readiness with the schema version', async () => {
    expect((await t.app.inject('/api/health')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/api/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', schemaVersion: expect.any(Number) });
  });

  it('says whether it holds demo data', async () => {
    expect((await t.app.inject('/api/meta')).json()).toMatchObject({ name: 'Homeward', demo: true });
  });

  it('gives unknown API routes a JSON 404 with a stable code', async () => {
    const response = await t.app.inject('/api/no-such-thing');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', message: expect.any(String) });
  });

  it('refuses malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "x", ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'MALFORMED_JSON' });
  });

  it('refuses an oversize body with 413', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
  });

  it('names the field path of a wrong type', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'x', password: 42 },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details.issues.map((i: { path: string }) => i.path)).toContain('body.password');
  });

  it('refuses unknown fields, naming them', async () => {
    const response = await t.as(admin, 'POST', '/api/admin/agencies', {
      code: 'NEW1',
      name: 'New agency',
      kind: 'ngo',
      colour: 'blue',
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json())).toContain('colour');
  });

  it('lists the allowed values of an unknown enum value', async () => {
    const response = await t.as(admin, 'POST', '/api/admin/agencies', {
      code: 'NEW2',
      name: 'New agency',
      kind: 'circus',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/ngo/);
  });

  it('sets security headers', async () => {
    const response = await t.app.inject('/api/health');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBeDefined();
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes an OpenAPI 3.1 document generated from the schemas', async () => {
    const doc = (await t.app.inject('/api/docs/json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/me', '/api/admin/users']),
    );
    const openapi = await t.app.inject('/api/openapi.json');
    expect(openapi.statusCode).toBe(200);
    expect(openapi.json().paths).toEqual(doc.paths);
  });

  it('serves browsable API docs', async () => {
    const response = await t.app.inject('/api/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger');
  });

  it('needs a session for everything that is not public', async () => {
    const response = await t.app.inject('/api/me');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });
});
