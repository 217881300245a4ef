import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';

describe('the service-provider directory', () => {
  let t: TestApp;
  let admin: Session;
  let worker: Session;
  let wrc: string;
  let clinic: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.addUser('dir-admin', ['admin'], 'MSP');
    await t.addUser('dir-worker', ['case_worker'], 'MSP');
    admin = await t.login('dir-admin');
    worker = await t.login('dir-worker');
    wrc = await t.agencyId('NGO-WRC');
    clinic = await t.agencyId('CLINIC');
  });
  afterAll(() => t.close());

  it('lists providers by service, region and language, to pick a referral recipient', async () => {
    const saved = await t.as(admin, 'PUT', `/api/directory/providers/${wrc}`, {
      description: 'Women-led organisation: counselling and vocational training',
      services: ['psychosocial', 'vocational'],
      regions: ['Capital', 'Northern Region'],
      languages: ['ru', 'kk'],
      contacts: [{ kind: 'phone', value: '+000 0000 0000', label: 'Intake' }],
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ code: 'NGO-WRC', version: 1, acceptsReferrals: true });
    await t.as(admin, 'PUT', `/api/directory/providers/${clinic}`, {
      services: ['medical', 'psychosocial'],
      regions: ['Capital'],
      languages: ['ru', 'uz'],
    });
    const names = async (query: string) =>
      (await t.as(worker, 'GET', `/api/directory/providers?${query}`))
        .json()
        .map((p: { code: string }) => p.code);
    expect(await names('service=psychosocial')).toEqual(['CLINIC', 'NGO-WRC']);
    expect(await names('service=vocational')).toEqual(['NGO-WRC']);
    expect(await names('region=Northern%20Region')).toEqual(['NGO-WRC']);
    expect(await names('language=uz')).toEqual(['CLINIC']);
    expect(await names('q=wrc')).toEqual(['NGO-WRC']);
    const bad = await t.as(worker, 'GET', '/api/directory/providers?service=magic');
    expect(bad.statusCode).toBe(400);
  });

  it('replaces an entry only with the version read, and only with the permission', async () => {
    const stale = await t.as(admin, 'PUT', `/api/directory/providers/${wrc}`, { version: 0, services: [] });
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 1 } });
    const updated = await t.as(admin, 'PUT', `/api/directory/providers/${wrc}`, {
      version: 1,
      services: ['psychosocial'],
      acceptsReferrals: false,
    });
    expect(updated.json()).toMatchObject({ version: 2, acceptsReferrals: false });
    const forbidden = await t.as(worker, 'PUT', `/api/directory/providers/${wrc}`, { version: 2 });
    expect(forbidden.statusCode).toBe(403);
    const missing = await t.as(
      worker,
      'GET',
      '/api/directory/providers/00000000-0000-4000-8000-000000000000',
    );
    expect(missing.json().code).toBe('PROVIDER_NOT_FOUND');
  });

  it('lists the active agencies of one kind, ids, codes and names only, to name a prosecution office', async () => {
    const office = async (code: string, active = true) =>
      t.handle.db
        .insertInto('agencies')
        .values({ code, name: `Prosecution ${code}`, kind: 'prosecution', active })
        .returning('id')
        .executeTakeFirstOrThrow();
    const gpo = await office('GPO');
    await office('GPO-OLD', false);
    const response = await t.as(worker, 'GET', '/api/directory/agencies?kind=prosecution');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([{ id: gpo.id, code: 'GPO', name: 'Prosecution GPO' }]);
    expect((await t.as(worker, 'GET', '/api/directory/agencies')).statusCode).toBe(400);
    expect((await t.as(worker, 'GET', '/api/directory/agencies?kind=magic')).statusCode).toBe(400);
    // The administrator manages agencies through /api/admin/agencies; the directory is for workers.
    expect((await t.as(admin, 'GET', '/api/directory/agencies?kind=prosecution')).statusCode).toBe(403);
  });
});
