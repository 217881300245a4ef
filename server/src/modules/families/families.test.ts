import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';

describe('the family graph', () => {
  let t: TestApp;
  let worker: Session;
  let otherAgency: Session;
  beforeAll(async () => {
    t = await createTestApp();
    await t.addUser('family-worker', ['supervisor'], 'MSP');
    await t.addUser('family-north', ['supervisor'], 'MSP-NORTH');
    worker = await t.login('family-worker');
    otherAgency = await t.login('family-north');
  });
  afterAll(() => t.close());

  /** A synthetic person; the surname is shared on purpose in some tests. */
  async function person(
    fullName: string,
    birthDate: unknown,
    extra: Record<string, unknown> = {},
    as: Session = worker,
  ): Promise<string> {
    const response = await t.as(as, 'POST', '/api/persons', {
      sex: 'female',
      birthDate,
      names: [{ fullName, script: 'latin', nameType: 'primary', source: 'camp_list' }],
      ...extra,
    });
    expect(response.statusCode).toBe(201);
    return response.json().id;
  }
  const link = (personId: string, relatedPersonId: string, relation: string, provenance = 'claimed') =>
    t.as(worker, 'POST', `/api/persons/${personId}/relationships`, { relatedPersonId, relation, provenance });

  it('links a mother and her child with provenance and shows it from both sides', async () => {
    const mother = await person('Aigerim Tulegenova', { kind: 'year', year: 1992 });
    const child = await person('Amina Tulegenova', { kind: 'exact', date: '2016-05-01' });
    const response = await link(child, mother, 'mother');
    expect(response.statusCode).toBe(201);
    expect(response.json().relatives).toMatchObject([
      { personId: mother, role: 'mother', provenance: 'claimed', displayName: 'Aigerim Tulegenova' },
    ]);
    const motherView = (await t.as(worker, 'GET', `/api/persons/${mother}/family`)).json();
    expect(motherView.relatives).toMatchObject([{ personId: child, role: 'child' }]);
    const relationshipId = motherView.relatives[0].relationshipId;
    const confirmed = await t.as(worker, 'PUT', `/api/relationships/${relationshipId}/provenance`, {
      provenance: 'dna_confirmed',
    });
    expect(confirmed.json().relatives[0].provenance).toBe('dna_confirmed');
  });

  it('keeps relatives abroad, detained, dead or missing as persons with their whereabouts', async () => {
    const child = await person('Bilal Sadykov', { kind: 'year', year: 2015 }, { sex: 'male' });
    const father = await person(
      'Abu Bilal',
      { kind: 'unknown' },
      { sex: 'male', whereabouts: 'detention', whereaboutsDetail: 'a prison in north-east Syria' },
    );
    await link(child, father, 'father');
    const family = (await t.as(worker, 'GET', `/api/persons/${child}/family`)).json();
    expect(family.relatives).toMatchObject([{ personId: father, role: 'father', whereabouts: 'detention' }]);
  });

  it('never links persons by a shared surname', async () => {
    const a = await person('Zarina Karimova', { kind: 'year', year: 1990 });
    await person('Dilnoza Karimova', { kind: 'year', year: 2012 });
    const family = (await t.as(worker, 'GET', `/api/persons/${a}/family`)).json();
    expect(family.relatives).toEqual([]);
  });

  describe('refuses impossible links with a code naming the reason', () => {
    it('a person as their own parent', async () => {
      const a = await person('Self Parent', { kind: 'year', year: 1990 });
      const response = await link(a, a, 'mother');
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe('RELATIONSHIP_SELF');
    });

    it('a child older than the parent', async () => {
      const parent = await person('Young Parent', { kind: 'exact', date: '2000-01-01' });
      const child = await person('Old Child', { kind: 'exact', date: '1990-01-01' });
      const response = await link(child, parent, 'mother');
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({
        code: 'PARENT_AGE_IMPOSSIBLE',
        details: { reason: 'child_older_than_parent' },
      });
    });

    it('a parent less than twelve years older, even at the widest possible dates', async () => {
      const parent = await person('Close Parent', { kind: 'year', year: 2005 });
      const child = await person('Close Child', { kind: 'year', year: 2015 });
      const response = await link(parent, child, 'child');
      expect(response.json()).toMatchObject({
        code: 'PARENT_AGE_IMPOSSIBLE',
        details: { reason: 'parent_too_young' },
      });
    });

    it('accepts the same pair when the ranges allow twelve years', async () => {
      const parent = await person('Range Parent', { kind: 'range', from: '2000-01-01', to: '2004-12-31' });
      const child = await person('Range Child', { kind: 'year', year: 2016 });
      expect((await link(parent, child, 'child')).statusCode).toBe(201);
    });

    it('a cycle: a grandchild as the grandmother’s mother', async () => {
      const grandmother = await person('Cycle Grandmother', { kind: 'unknown' });
      const mother = await person('Cycle Mother', { kind: 'unknown' });
      const child = await person('Cycle Child', { kind: 'unknown' });
      expect((await link(mother, grandmother, 'mother')).statusCode).toBe(201);
      expect((await link(child, mother, 'mother')).statusCode).toBe(201);
      const response = await link(grandmother, child, 'mother');
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe('RELATIONSHIP_CYCLE');
      // Recorded the other way round ("the grandmother is the child of the child") too.
      expect((await link(child, grandmother, 'child')).json().code).toBe('RELATIONSHIP_CYCLE');
    });

    it('the same link twice', async () => {
      const mother = await person('Twice Mother', { kind: 'year', year: 1985 });
      const child = await person('Twice Child', { kind: 'year', year: 2010 });
      await link(child, mother, 'mother');
      expect((await link(child, mother, 'mother')).json().code).toBe('RELATIONSHIP_EXISTS');
    });

    it('a relative the worker cannot see (the same answer as one that does not exist)', async () => {
      const mine = await person('Visible Child', { kind: 'year', year: 2015 });
      const theirs = await person('Hidden Mother', { kind: 'year', year: 1990 }, {}, otherAgency);
      const response = await link(mine, theirs, 'mother');
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({
        code: 'PERSON_NOT_FOUND',
        details: { path: 'body.relatedPersonId' },
      });
    });
  });

  it('records care arrangements, family-based first, and asks why for an institution', async () => {
    const child = await person('Care Child', { kind: 'year', year: 2017 });
    const aunt = await person('Care Aunt', { kind: 'year', year: 1980 });
    const institution = await t.as(worker, 'POST', `/api/persons/${child}/care-arrangements`, {
      kind: 'institution',
      startsOn: '2025-01-10',
    });
    expect(institution.statusCode).toBe(400);
    expect(institution.json().details.path).toBe('body.reason');
    const kinship = await t.as(worker, 'POST', `/api/persons/${child}/care-arrangements`, {
      kind: 'kinship',
      caregiverPersonId: aunt,
      startsOn: '2025-01-10',
    });
    expect(kinship.statusCode).toBe(201);
    const family = await t.as(worker, 'POST', `/api/persons/${child}/care-arrangements`, {
      kind: 'family_based',
      caregiverPersonId: aunt,
      startsOn: '2025-06-01',
    });
    expect(family.json().careArrangements).toMatchObject([
      { kind: 'kinship', endsOn: '2025-06-01', current: false },
      { kind: 'family_based', endsOn: null, current: true },
    ]);
  });

  it('ends a care arrangement on a given day, keeps it, and refuses to end it twice', async () => {
    const child = await person('Ended Care Child', { kind: 'year', year: 2016 });
    const grandmother = await person('Ended Care Grandmother', { kind: 'year', year: 1960 });
    const created = await t.as(worker, 'POST', `/api/persons/${child}/care-arrangements`, {
      kind: 'kinship',
      caregiverPersonId: grandmother,
      startsOn: '2025-02-01',
    });
    const arrangementId = created.json().careArrangements[0].id;
    const early = await t.as(worker, 'PUT', `/api/care-arrangements/${arrangementId}/end`, {
      endsOn: '2025-01-01',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().details.path).toBe('body.endsOn');
    const ended = await t.as(worker, 'PUT', `/api/care-arrangements/${arrangementId}/end`, {
      endsOn: '2025-03-15',
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json().careArrangements).toMatchObject([
      { id: arrangementId, kind: 'kinship', endsOn: '2025-03-15', current: false },
    ]);
    const again = await t.as(worker, 'PUT', `/api/care-arrangements/${arrangementId}/end`, {
      endsOn: '2025-04-01',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CARE_ARRANGEMENT_ENDED', details: { path: 'body.endsOn' } });
    const hidden = await t.as(otherAgency, 'PUT', `/api/care-arrangements/${arrangementId}/end`, {
      endsOn: '2025-04-01',
    });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('CARE_ARRANGEMENT_NOT_FOUND');
  });

  it('groups a family into a unit and traces a missing relative', async () => {
    const mother = await person('Unit Mother', { kind: 'year', year: 1991 });
    const son = await person('Unit Son', { kind: 'year', year: 2014 }, { sex: 'male' });
    const father = await person('Unit Father', { kind: 'unknown' }, { sex: 'male', whereabouts: 'unknown' });
    const unit = await t.as(worker, 'POST', '/api/family-units', { memberIds: [mother, son] });
    expect(unit.statusCode).toBe(201);
    expect(unit.json().members).toHaveLength(2);
    const tracing = await t.as(worker, 'POST', '/api/tracing-requests', {
      soughtPersonId: father,
      requestingPersonId: mother,
      familyUnitId: unit.json().id,
      lastKnownLocation: 'Raqqa, 2018',
    });
    expect(tracing.statusCode).toBe(201);
    const located = await t.as(worker, 'PATCH', `/api/tracing-requests/${tracing.json().id}`, {
      version: 1,
      status: 'located',
    });
    expect(located.json()).toMatchObject({ status: 'located', version: 2 });
    expect(located.json().closedAt).not.toBeNull();
    const view = (await t.as(worker, 'GET', `/api/persons/${mother}/family`)).json();
    expect(view.familyUnits).toHaveLength(1);
    expect(view.tracingRequests).toMatchObject([{ soughtPersonId: father, status: 'located' }]);
    expect((await t.as(otherAgency, 'GET', `/api/family-units/${unit.json().id}`)).statusCode).toBe(404);
  });
});
