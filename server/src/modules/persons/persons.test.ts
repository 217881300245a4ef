import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { addYears, todayIso } from './age.ts';

/** Synthetic persons only. */
const mother = {
  sex: 'female',
  birthDate: { kind: 'year', year: 1994 },
  placeOfBirth: 'Shymkent',
  whereabouts: 'camp',
  whereaboutsDetail: 'al-Hol, annex',
  flags: ['trafficking_indicators'],
  names: [
    {
      fullName: 'Гульнара Серикбаевна Жанбулатова',
      givenName: 'Гульнара',
      familyName: 'Жанбулатова',
      script: 'cyrillic',
      language: 'ru',
      nameType: 'primary',
      source: 'civil_registry',
      isDisplay: true,
    },
    {
      fullName: 'GULNARA ZHANBULATOVA',
      script: 'latin',
      nameType: 'document',
      source: 'passport',
      romanisation: 'icao_9303',
    },
    { fullName: 'Umm Yusuf al-Kazakhi', script: 'latin', nameType: 'kunya', source: 'camp_list' },
  ],
  nationalities: [{ country: 'kz', status: 'claimed' }],
  documents: [{ documentType: 'passport', number: 'N0000001', issuer: 'KZ', status: 'confiscated' }],
};

describe('the person registry', () => {
  let t: TestApp;
  let worker: Session;
  let otherAgency: Session;
  let ngo: Session;
  beforeAll(async () => {
    t = await createTestApp();
    await t.addUser('persons-worker', ['supervisor'], 'MSP');
    await t.addUser('persons-north', ['supervisor'], 'MSP-NORTH');
    await t.addUser('persons-ngo', ['ngo_worker'], 'NGO-WRC');
    worker = await t.login('persons-worker');
    otherAgency = await t.login('persons-north');
    ngo = await t.login('persons-ngo');
  });
  afterAll(() => t.close());

  const register = (body: unknown = mother, as = worker) => t.as(as, 'POST', '/api/persons', body);

  it('registers a person with every name as its own record, one of them displayed', async () => {
    const response = await register();
    expect(response.statusCode).toBe(201);
    const person = response.json();
    expect(person).toMatchObject({
      displayName: 'Гульнара Серикбаевна Жанбулатова',
      sex: 'female',
      birthDate: { kind: 'year', from: '1994-01-01', to: '1994-12-31' },
      placeOfBirth: 'Shymkent',
      whereabouts: 'camp',
      flags: ['trafficking_indicators'],
      version: 1,
    });
    expect(person.names).toHaveLength(3);
    expect(person.names.filter((n: { isDisplay: boolean }) => n.isDisplay)).toHaveLength(1);
    expect(person.names[0]).toMatchObject({ nameType: 'primary', isDisplay: true, source: 'civil_registry' });
    expect(person.names.map((n: { nameType: string }) => n.nameType).sort()).toEqual([
      'document',
      'kunya',
      'primary',
    ]);
    expect(person.nationalities).toMatchObject([{ country: 'KZ', status: 'claimed', evidence: [] }]);
    expect(person.documents).toMatchObject([{ documentType: 'passport', status: 'confiscated' }]);
  });

  it('derives the age and the age band from the youngest possible age', async () => {
    const today = todayIso();
    const exact = (
      await register({ ...mother, birthDate: { kind: 'exact', date: addYears(today, -16) }, flags: [] })
    ).json();
    expect(exact.age).toEqual({ youngest: 16, oldest: 16, band: '14-17', bandCertain: true });
    const range = (
      await register({
        ...mother,
        birthDate: { kind: 'range', from: addYears(today, -19), to: addYears(today, -17) },
        flags: [],
      })
    ).json();
    expect(range.age).toMatchObject({ youngest: 17, oldest: 19, band: '14-17', bandCertain: false });
    const unknown = (await register({ ...mother, birthDate: { kind: 'unknown' } })).json();
    expect(unknown.age).toBeNull();
  });

  it('accepts a camp as the place of birth and a nisba as a name type', async () => {
    const child = await register({
      sex: 'male',
      birthDate: { kind: 'year', year: 2019 },
      placeOfBirth: 'al-Hol camp',
      placeOfBirthIsCamp: true,
      names: [
        { fullName: 'Юсуф', script: 'cyrillic', nameType: 'primary', source: 'testimony' },
        { fullName: 'al-Kazakhi', script: 'latin', nameType: 'nisba', source: 'camp_list' },
      ],
    });
    expect(child.statusCode).toBe(201);
    expect(child.json()).toMatchObject({ placeOfBirthIsCamp: true, displayName: 'Юсуф' });
  });

  it('answers 404 PERSON_NOT_FOUND for another agency’s person exactly as for one that does not exist', async () => {
    const id = (await register()).json().id;
    const hidden = await t.as(otherAgency, 'GET', `/api/persons/${id}`);
    const missing = await t.as(otherAgency, 'GET', '/api/persons/00000000-0000-4000-8000-000000000000');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual(missing.json());
    expect(hidden.json().code).toBe('PERSON_NOT_FOUND');
    const write = await t.as(otherAgency, 'PATCH', `/api/persons/${id}`, { version: 1, sex: 'male' });
    expect(write.statusCode).toBe(404);
  });

  it('refuses a role without the permission', async () => {
    expect((await register(mother, ngo)).statusCode).toBe(403);
  });

  it('audits a read of personal data with the sections read', async () => {
    const id = (await register()).json().id;
    expect((await t.as(worker, 'GET', `/api/persons/${id}`)).statusCode).toBe(200);
    const entry = await t.handle.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'person.read')
      .where('target_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(entry.sections).toEqual(['identity', 'names', 'nationality', 'documents', 'vulnerability']);
    expect(JSON.stringify(entry.details)).not.toContain('Жанбулатова');
  });

  it('adds names without overwriting any, and moves the display name on request', async () => {
    const person = (await register()).json();
    const added = await t.as(worker, 'POST', `/api/persons/${person.id}/names`, {
      fullName: 'غولنارا جانبولاتوفا',
      script: 'arabic',
      language: 'ar',
      nameType: 'variant',
      source: 'camp_list',
      isDisplay: true,
    });
    expect(added.statusCode).toBe(201);
    const after = added.json();
    expect(after.names).toHaveLength(4);
    expect(after.displayName).toBe('غولنارا جانبولاتوفا');
    expect(after.version).toBe(2);
    const original = after.names.find((n: { nameType: string }) => n.nameType === 'primary');
    const back = await t.as(worker, 'PUT', `/api/persons/${person.id}/display-name`, {
      nameId: original.id,
      version: 2,
    });
    expect(back.json()).toMatchObject({ displayName: 'Гульнара Серикбаевна Жанбулатова', version: 3 });
    expect(back.json().names).toHaveLength(4);
  });

  it('updates with the version read and answers a stale version with 409 and the current version', async () => {
    const person = (await register()).json();
    const first = await t.as(worker, 'PATCH', `/api/persons/${person.id}`, {
      version: 1,
      whereabouts: 'in_country',
      flags: ['trafficking_indicators', 'witness'],
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ version: 2, whereabouts: 'in_country' });
    const stale = await t.as(worker, 'PATCH', `/api/persons/${person.id}`, { version: 1, sex: 'unknown' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
    const unchanged = (await t.as(worker, 'GET', `/api/persons/${person.id}`)).json();
    expect(unchanged.sex).toBe('female');
  });

  it('keeps every change per field: who, when, before, after', async () => {
    const person = (await register()).json();
    await t.as(worker, 'PATCH', `/api/persons/${person.id}`, {
      version: 1,
      birthDate: { kind: 'exact', date: '1994-03-08' },
      whereabouts: 'in_country',
    });
    const nationality = person.nationalities[0].id;
    await t.as(worker, 'PUT', `/api/persons/${person.id}/nationalities/${nationality}/status`, {
      status: 'verified',
    });
    const history = (await t.as(worker, 'GET', `/api/persons/${person.id}/history`)).json();
    expect(history.map((h: { field: string }) => h.field)).toEqual([
      'birthDate',
      'whereabouts',
      'nationalities.status',
    ]);
    expect(history[0]).toMatchObject({
      before: { kind: 'year', from: '1994-01-01', to: '1994-12-31' },
      after: { kind: 'exact', from: '1994-03-08', to: '1994-03-08' },
      changedBy: worker.userId,
    });
    expect(history[1]).toMatchObject({ before: 'camp', after: 'in_country' });
    const audited = await t.handle.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('target_id', '=', person.id)
      .where('action', '=', 'person.update')
      .executeTakeFirstOrThrow();
    expect(audited.details).toEqual({ fields: ['birthDate', 'whereabouts'] });
  });

  it('keeps an evidence register per nationality claim and document status changes', async () => {
    const person = (await register()).json();
    const nationality = person.nationalities[0].id;
    const evidence = await t.as(
      worker,
      'POST',
      `/api/persons/${person.id}/nationalities/${nationality}/evidence`,
      {
        kind: 'dna_referral',
        reference: 'LAB-SYN-0001',
        outcome: 'pending',
      },
    );
    expect(evidence.statusCode).toBe(201);
    expect(evidence.json().nationalities[0].evidence).toMatchObject([
      { kind: 'dna_referral', outcome: 'pending' },
    ]);
    const doc = person.documents[0];
    const issued = await t.as(worker, 'PATCH', `/api/persons/${person.id}/documents/${doc.id}`, {
      version: 1,
      status: 'lost',
    });
    expect(issued.json().documents[0]).toMatchObject({ status: 'lost', version: 2 });
    const stale = await t.as(worker, 'PATCH', `/api/persons/${person.id}/documents/${doc.id}`, {
      version: 1,
      status: 'issued',
    });
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
  });

  it('finds persons in scope by a name prefix in any script, page by page', async () => {
    const a = (await register()).json().id;
    const b = (await register()).json().id;
    await register(mother, otherAgency);
    const first = (await t.as(worker, 'GET', '/api/persons?q=umm%20yusuf&limit=1')).json();
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ id: b, sex: 'female', whereabouts: 'camp' });
    const everyone: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await t.as(
          worker,
          'GET',
          `/api/persons?q=${encodeURIComponent('гульнара')}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).json();
      everyone.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(everyone).toEqual(expect.arrayContaining([a, b]));
    expect(new Set(everyone).size).toBe(everyone.length);
    const mine = await t.handle.db
      .selectFrom('persons')
      .innerJoin('person_names', 'person_names.person_id', 'persons.id')
      .select('persons.id')
      .distinct()
      .where('persons.owner_agency_id', '=', await t.agencyId('MSP'))
      .where('person_names.full_name', 'like', 'Гульнара%')
      .execute();
    expect(everyone.length).toBe(mine.length);
    expect((await t.as(worker, 'GET', '/api/persons?q=nobody-like-this')).json().items).toEqual([]);
  });

  describe('bad input is refused with 400 and nothing is written', () => {
    const cases: [string, unknown, string][] = [
      [
        'a date of birth in the future',
        { ...mother, birthDate: { kind: 'exact', date: addYears(todayIso(), 1) } },
        'body.birthDate.date',
      ],
      [
        'a birth year in the future',
        { ...mother, birthDate: { kind: 'year', year: 2999 } },
        'body.birthDate.year',
      ],
      [
        'a reversed range',
        { ...mother, birthDate: { kind: 'range', from: '2015-01-01', to: '2014-01-01' } },
        'body.birthDate.to',
      ],
      ['an unknown flag', { ...mother, flags: ['dangerous'] }, 'body.flags.0'],
      ['no name at all', { ...mother, names: [] }, 'body.names'],
      ['an unknown field', { ...mother, riskScore: 3 }, 'body'],
    ];
    it.each(cases)('%s', async (_label, body, path) => {
      const before = await t.handle.db
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const response = await register(body);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
      expect(response.json().details.path).toBe(path);
      const after = await t.handle.db
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('lists the allowed values of an unknown enum value', async () => {
      const response = await register({ ...mother, sex: 'other' });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(/female.*male.*unknown/);
    });

    it('refuses two display names', async () => {
      const names = mother.names.map((n) => ({ ...n, isDisplay: true }));
      const response = await register({ ...mother, names });
      expect(response.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { path: 'body.names.1.isDisplay' },
      });
    });
  });
});
