import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';

describe('case attachments', () => {
  let t: TestApp;
  let supervisor: Session;
  let health: Session;
  let caseId: string;
  beforeAll(async () => {
    t = await createTestApp({ HOMEWARD_ATTACHMENT_MAX_MB: '1' });
    await t.addUser('att-supervisor', ['supervisor'], 'MSP');
    supervisor = await t.login('att-supervisor');
    const person = await t.as(supervisor, 'POST', '/api/persons', {
      sex: 'female',
      birthDate: { kind: 'year', year: 1990 },
      names: [
        { fullName: 'Attachment Synthetic', script: 'latin', nameType: 'primary', source: 'camp_list' },
      ],
    });
    caseId = (await t.as(supervisor, 'POST', '/api/cases', { personId: person.json().id })).json().id;
    await t.addUser('att-health', ['health_worker'], 'MSP');
    health = await t.login('att-health');
  });
  afterAll(() => t.close());

  const upload = (
    body: Buffer | string,
    contentType: string,
    query = 'compartment=protection&fileName=note.txt',
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/attachments?${query}`,
      headers: {
        cookie: supervisor.cookie,
        'x-csrf-token': supervisor.csrfToken,
        'content-type': contentType,
      },
      payload: body,
    });

  it('stores an upload encrypted at rest and gives back exactly the bytes uploaded', async () => {
    const secret = 'Synthetic statement: the quick brown fox.';
    const response = await upload(secret, 'text/plain');
    expect(response.statusCode, response.body).toBe(201);
    const attachment = response.json();
    expect(attachment).toMatchObject({
      fileName: 'note.txt',
      contentType: 'text/plain',
      sizeBytes: secret.length,
    });
    const stored = readFileSync(join(t.config.lifecycle.attachmentsDir, attachment.id));
    expect(stored.toString('latin1')).not.toContain('quick brown fox');
    const download = await t.as(supervisor, 'GET', `/api/cases/${caseId}/attachments/${attachment.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe(secret);
    expect(download.headers['content-disposition']).toContain('note.txt');
    const listed = (await t.as(supervisor, 'GET', `/api/cases/${caseId}/attachments`)).json();
    expect(listed.map((a: { id: string }) => a.id)).toContain(attachment.id);
  });

  it('refuses a tampered file instead of serving it', async () => {
    const attachment = (await upload('Synthetic bytes to tamper with', 'text/plain')).json();
    const path = join(t.config.lifecycle.attachmentsDir, attachment.id);
    const bytes = readFileSync(path);
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    const download = await t.as(supervisor, 'GET', `/api/cases/${caseId}/attachments/${attachment.id}`);
    expect(download.statusCode).toBe(500);
    expect(download.body).not.toContain('Synthetic');
  });

  it('refuses a type outside the list and a file over the size limit, storing nothing', async () => {
    const before = readdirSync(t.config.lifecycle.attachmentsDir).length;
    const rowsBefore = (await t.handle.db.selectFrom('case_attachments').select('id').execute()).length;
    const exe = await upload(Buffer.from([0x4d, 0x5a, 0x90, 0x00]), 'application/x-msdownload');
    expect(exe.statusCode).toBe(415);
    expect(exe.json().details.allowed).toContain('application/pdf');
    const big = await upload(Buffer.alloc(1024 * 1024 + 1, 0x20), 'image/png');
    expect(big.statusCode).toBe(413);
    expect(readdirSync(t.config.lifecycle.attachmentsDir).length).toBe(before);
    const rows = await t.handle.db.selectFrom('case_attachments').select('id').execute();
    expect(rows.length).toBe(rowsBefore);
  });

  it('keeps attachments in their compartment', async () => {
    const attachment = (await upload('Synthetic protection attachment', 'text/plain')).json();
    const denied = await t.as(health, 'GET', `/api/cases/${caseId}/attachments/${attachment.id}`);
    expect(denied.statusCode).toBe(404);
    const path = await upload('x', 'text/plain', 'compartment=protection&fileName=../../etc/passwd');
    expect(path.statusCode).toBe(400);
  });
});
