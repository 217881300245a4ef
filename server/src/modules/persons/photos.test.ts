import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { erasePersonPhotos, sniffPhotoType } from './photos.ts';

/** Synthetic images: a real signature followed by random bytes (the server never decodes pixels). */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const png = (size = 256) => Buffer.concat([Buffer.from(PNG_SIGNATURE), randomBytes(size - 8)]);
const jpeg = (size = 256) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
const webp = (size = 256) =>
  Buffer.concat([
    Buffer.from('RIFF', 'latin1'),
    Buffer.alloc(4),
    Buffer.from('WEBPVP8 ', 'latin1'),
    randomBytes(size - 16),
  ]);

describe('person photos', () => {
  let t: TestApp;
  let worker: Session;
  let health: Session;
  let outsider: Session;
  let personId: string;
  beforeAll(async () => {
    t = await createTestApp({ HOMEWARD_PHOTO_MAX_KB: '64' });
    await t.addUser('photo-supervisor', ['supervisor'], 'MSP');
    worker = await t.login('photo-supervisor');
    await t.addUser('photo-health', ['health_worker'], 'MSP');
    health = await t.login('photo-health');
    await t.addUser('photo-outsider', ['supervisor'], 'OTHER');
    outsider = await t.login('photo-outsider');
    personId = await newPerson();
  });
  afterAll(() => t.close());

  async function newPerson() {
    const response = await t.as(worker, 'POST', '/api/persons', {
      sex: 'female',
      birthDate: { kind: 'year', year: 2012 },
      names: [{ fullName: 'Photo Synthetic', script: 'latin', nameType: 'primary', source: 'camp_list' }],
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  }

  const upload = (
    body: Buffer,
    contentType: string,
    options: { person?: string; query?: string; as?: Session } = {},
  ) => {
    const session = options.as ?? worker;
    return t.app.inject({
      method: 'POST',
      url: `/api/persons/${options.person ?? personId}/photos?${options.query ?? 'source=reception'}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': contentType },
      payload: body,
    });
  };
  const image = (photoId: string, session = worker, person = personId) =>
    t.as(session, 'GET', `/api/persons/${person}/photos/${photoId}/image`);
  const photoRows = (person = personId) =>
    t.handle.db.selectFrom('person_photos').selectAll().where('person_id', '=', person).execute();
  const auditActions = async (person: string) =>
    (
      await t.handle.db
        .selectFrom('audit_events')
        .select('action')
        .where('target_id', '=', person)
        .where('action', 'like', 'person.photo.%')
        .orderBy('seq')
        .execute()
    ).map((r) => r.action);

  it('recognises the three image types by their magic bytes, and nothing else', () => {
    expect(sniffPhotoType(png())).toBe('image/png');
    expect(sniffPhotoType(jpeg())).toBe('image/jpeg');
    expect(sniffPhotoType(webp())).toBe('image/webp');
    expect(sniffPhotoType(Buffer.from('%PDF-1.7 synthetic'))).toBeNull();
    expect(sniffPhotoType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
    expect(sniffPhotoType(Buffer.alloc(0))).toBeNull();
  });

  it('stores a photo encrypted in the database and gives back exactly the bytes uploaded', async () => {
    const bytes = jpeg(4096);
    const response = await upload(bytes, 'image/jpeg', { query: 'source=reception&takenOn=2024-03-01' });
    expect(response.statusCode, response.body).toBe(201);
    const photo = response.json();
    expect(photo).toMatchObject({
      personId,
      contentType: 'image/jpeg',
      sizeBytes: bytes.length,
      source: 'reception',
      takenOn: '2024-03-01',
      current: true,
      removedAt: null,
    });
    const [row] = (await photoRows()).filter((r) => r.id === photo.id);
    const stored = Buffer.from(row!.ciphertext!);
    expect(stored.length).toBe(bytes.length);
    expect(stored.equals(bytes)).toBe(false);
    expect(stored.includes(bytes.subarray(0, 64))).toBe(false);

    const download = await image(photo.id);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);
    expect(download.headers['content-type']).toBe('image/jpeg');
    expect(download.headers['cache-control']).toBe('no-store');
    expect(download.headers['x-content-type-options']).toBe('nosniff');

    const person = (await t.as(worker, 'GET', `/api/persons/${personId}`)).json();
    expect(person.photo).toMatchObject({ id: photo.id, current: true });
  });

  it('keeps the replaced photo in the history: a new photo becomes the current one', async () => {
    const person = await newPerson();
    const first = (await upload(png(), 'image/png', { person })).json();
    const secondBytes = webp();
    const second = (
      await upload(secondBytes, 'image/webp', { person, query: 'source=document_copy' })
    ).json();
    const listed = (await t.as(worker, 'GET', `/api/persons/${person}/photos`)).json();
    expect(listed.photos.map((p: { id: string; current: boolean }) => [p.id, p.current])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
    // The earlier photo is still there, byte for byte.
    expect((await image(first.id, worker, person)).statusCode).toBe(200);
    expect((await t.as(worker, 'GET', `/api/persons/${person}`)).json().photo.id).toBe(second.id);
    const history = (await t.as(worker, 'GET', `/api/persons/${person}/history`)).json();
    expect(
      history.filter((h: { field: string }) => h.field === 'photo').map((h: { after: unknown }) => h.after),
    ).toEqual([{ id: first.id }, { id: second.id }]);
    expect(await auditActions(person)).toEqual([
      'person.photo.upload',
      'person.photo.upload',
      'person.photo.list',
      'person.photo.read',
    ]);
  });

  it('refuses bytes that are not the declared image type with 415, and stores nothing', async () => {
    const person = await newPerson();
    const pdf = await upload(Buffer.from('%PDF-1.7 synthetic document'), 'image/png', { person });
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().code).toBe('PHOTO_TYPE_MISMATCH');
    const mislabelled = await upload(png(), 'image/jpeg', { person });
    expect(mislabelled.statusCode).toBe(415);
    expect(mislabelled.json().details).toMatchObject({ declared: 'image/jpeg', detected: 'image/png' });
    const gif = await upload(Buffer.from('GIF89a synthetic'), 'image/gif', { person });
    expect(gif.statusCode).toBe(415);
    expect(gif.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await photoRows(person)).toEqual([]);
    expect(await auditActions(person)).toEqual([]);
  });

  it('refuses a photo over the size limit with 413, and writes nothing', async () => {
    const person = await newPerson();
    const response = await upload(png(64 * 1024 + 1), 'image/png', { person });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'BODY_TOO_LARGE', details: { limitBytes: 64 * 1024 } });
    expect(await photoRows(person)).toEqual([]);
    expect(await auditActions(person)).toEqual([]);
    expect((await upload(png(64 * 1024), 'image/png', { person })).statusCode).toBe(201);
  });

  it('answers 404 for a person the caller does not see, for every photo route', async () => {
    const photo = (await upload(png(), 'image/png')).json();
    const answers = [
      await upload(png(), 'image/png', { as: outsider }),
      await t.as(outsider, 'GET', `/api/persons/${personId}/photos`),
      await image(photo.id, outsider),
      await t.as(outsider, 'POST', `/api/persons/${personId}/photos/${photo.id}/removal`, {
        reason: 'Synthetic removal by an outsider',
      }),
    ];
    expect(answers.map((a) => [a.statusCode, a.json().code])).toEqual(
      answers.map(() => [404, 'PERSON_NOT_FOUND']),
    );
  });

  it('gives a role for whom photos are masked a restricted value, never the image', async () => {
    const photo = (await upload(png(), 'image/png')).json();
    const person = (await t.as(health, 'GET', `/api/persons/${personId}`)).json();
    expect(person.photo).toMatchObject({ restricted: true, compartment: 'protection' });
    const listed = (await t.as(health, 'GET', `/api/persons/${personId}/photos`)).json();
    expect(listed.photos).toMatchObject({ restricted: true, compartment: 'protection' });
    const download = await image(photo.id, health);
    expect(download.statusCode).toBe(403);
    expect(download.json()).toMatchObject({
      code: 'PHOTO_RESTRICTED',
      details: { compartment: 'protection' },
    });
    expect(download.rawPayload.includes(Buffer.from(PNG_SIGNATURE))).toBe(false);
    // Without persons:write no upload at all.
    expect((await upload(png(), 'image/png', { as: health })).statusCode).toBe(403);
  });

  it('removes a photo only with a reason: the image is erased, the record and the audit entry stay', async () => {
    const person = await newPerson();
    const photo = (await upload(png(), 'image/png', { person })).json();
    const removal = `/api/persons/${person}/photos/${photo.id}/removal`;
    const noReason = await t.as(worker, 'POST', removal, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details.path).toBe('body.reason');
    const removed = await t.as(worker, 'POST', removal, {
      reason: 'Synthetic: uploaded to the wrong person',
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({
      id: photo.id,
      current: false,
      removedBy: worker.userId,
      removalReason: 'Synthetic: uploaded to the wrong person',
    });
    const [row] = await photoRows(person);
    expect(row?.ciphertext).toBeNull();
    expect((await image(photo.id, worker, person)).json().code).toBe('PHOTO_NOT_FOUND');
    expect((await t.as(worker, 'POST', removal, { reason: 'Synthetic: a second time' })).json().code).toBe(
      'PHOTO_ALREADY_REMOVED',
    );
    expect((await t.as(worker, 'GET', `/api/persons/${person}`)).json().photo).toBeNull();
    expect(await auditActions(person)).toEqual(['person.photo.upload', 'person.photo.remove']);
  });

  it('refuses a tampered ciphertext, IV or associated data instead of serving it', async () => {
    const person = await newPerson();
    const photo = (await upload(png(), 'image/png', { person })).json();
    const [row] = await photoRows(person);
    const flipped = Buffer.from(row!.ciphertext!);
    flipped[10] = (flipped[10] ?? 0) ^ 0x01;
    await t.handle.db
      .updateTable('person_photos')
      .set({ ciphertext: flipped })
      .where('id', '=', photo.id)
      .execute();
    const download = await image(photo.id, worker, person);
    expect(download.statusCode).toBe(500);
    expect(download.json().code).toBe('INTERNAL');
    expect(download.rawPayload.includes(Buffer.from(PNG_SIGNATURE))).toBe(false);
    // The bytes of one photo moved onto another row do not decrypt there (the id is associated data).
    const other = (await upload(png(), 'image/png', { person })).json();
    await t.handle.db
      .updateTable('person_photos')
      .set({ ciphertext: row!.ciphertext, iv: row!.iv, auth_tag: row!.auth_tag })
      .where('id', '=', other.id)
      .execute();
    expect((await image(other.id, worker, person)).statusCode).toBe(500);
    expect((await auditActions(person)).filter((a) => a === 'person.photo.read')).toEqual([]);
  });

  it('erases every photo of a person for the data-protection module', async () => {
    const person = await newPerson();
    await upload(png(), 'image/png', { person });
    await upload(jpeg(), 'image/jpeg', { person });
    const erased = await t.handle.db.transaction().execute((trx) => erasePersonPhotos(trx, person));
    expect(erased).toBe(2);
    expect(await photoRows(person)).toEqual([]);
    expect((await t.as(worker, 'GET', `/api/persons/${person}`)).json().photo).toBeNull();
  });

  it('hands the data subject a copy of the picture itself, and anonymisation erases every photo', async () => {
    const person = await newPerson();
    const kept = png(300);
    const removed = (await upload(jpeg(), 'image/jpeg', { person })).json();
    await upload(kept, 'image/png', { person });
    expect(
      (
        await t.as(worker, 'POST', `/api/persons/${person}/photos/${removed.id}/removal`, {
          reason: 'blurred, taken again at reception',
        })
      ).statusCode,
    ).toBe(200);
    await t.addUser('photo-dpo', ['data_protection_officer'], 'MSP');
    const dpo = await t.login('photo-dpo');
    const exported = await t.as(dpo, 'GET', `/api/subject-requests/persons/${person}/export`);
    expect(exported.statusCode).toBe(200);
    const rows = exported.json().records.person_photos as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    const current = rows.find((r) => r.is_current === true);
    expect(Buffer.from(String(current?.image_base64), 'base64').equals(kept)).toBe(true);
    // The removed photo's details stay, its image is gone; no key material is exported.
    expect(rows.find((r) => r.id === removed.id)?.image_base64).toBeUndefined();
    expect(Object.keys(current ?? {})).not.toEqual(expect.arrayContaining(['iv']));
    expect(Object.keys(current ?? {})).not.toContain('auth_tag');
    expect(Object.keys(current ?? {})).not.toContain('ciphertext');
    const pdf = await t.as(dpo, 'GET', `/api/subject-requests/persons/${person}/export.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const anonymised = await t.as(dpo, 'POST', `/api/retention/persons/${person}/anonymise`);
    expect(anonymised.statusCode).toBe(204);
    expect(await photoRows(person)).toEqual([]);
    const entry = await t.handle.db
      .selectFrom('audit_events')
      .select('details')
      .where('target_id', '=', person)
      .where('action', '=', 'retention.anonymise')
      .executeTakeFirstOrThrow();
    expect((entry.details as { categories: Record<string, number> }).categories.photos).toBe(2);
  });
});
