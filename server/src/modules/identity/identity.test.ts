import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { refreshNameKeys } from './keys-repository.ts';
import { importWatchlist } from './watchlist.ts';

const CLI = { actorUserId: null, actorAgencyId: null, clientIp: null, requestId: 'test' };
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

describe('identity: search, duplicate warning, linkage and screening through the API', () => {
  let t: TestApp;
  let worker: Session;
  let assessor: Session;
  let assessor2: Session;
  let otherAgencyWorker: Session;
  let gulnara: string;
  let hidden: string;
  let zhansaya: string;

  async function addPerson(
    agencyCode: string,
    person: { sex: 'female' | 'male'; birth?: [string, string]; names: string[]; nationality?: string },
  ): Promise<string> {
    const db = t.handle.db;
    const agency = await t.agencyId(agencyCode);
    return db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('persons')
        .values({
          sex: person.sex,
          birth_date_kind: person.birth === undefined ? 'unknown' : 'exact',
          birth_date_from: person.birth?.[0] ?? null,
          birth_date_to: person.birth?.[1] ?? null,
          owner_agency_id: agency,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('person_names')
        .values(
          person.names.map((full_name, i) => ({
            person_id: row.id,
            full_name,
            script: /[\u0400-\u04ff]/u.test(full_name)
              ? ('cyrillic' as const)
              : /[\u0600-\u06ff]/u.test(full_name)
                ? ('arabic' as const)
                : ('latin' as const),
            name_type: i === 0 ? ('primary' as const) : ('variant' as const),
            source: 'other',
            is_display: i === 0,
          })),
        )
        .execute();
      if (person.nationality !== undefined) {
        await trx
          .insertInto('person_nationalities')
          .values({ person_id: row.id, country: person.nationality, status: 'verified' })
          .execute();
      }
      await refreshNameKeys(trx, [row.id]);
      return row.id;
    });
  }

  async function auditOf(action: string) {
    return t.handle.db
      .selectFrom('audit_events')
      .select(['action', 'details', 'actor_user_id'])
      .where('action', '=', action)
      .orderBy('seq', 'desc')
      .execute();
  }

  beforeAll(async () => {
    t = await createTestApp();
    // Supervisors see their agency's persons; case workers only those of cases assigned to them.
    await t.addUser('worker', ['supervisor']);
    await t.addUser('assessor', ['security_assessor']);
    await t.addUser('assessor2', ['security_assessor']);
    await t.addUser('ngoworker', ['supervisor'], 'OTHER');
    worker = await t.login('worker');
    assessor = await t.login('assessor');
    assessor2 = await t.login('assessor2');
    otherAgencyWorker = await t.login('ngoworker');
    gulnara = await addPerson('MSP', {
      sex: 'female',
      birth: ['1990-03-12', '1990-03-12'],
      names: ['Жанбулатова Гульнара Ерлановна', 'GULNARA ZHANBULATOVA'],
      nationality: 'KZ',
    });
    await addPerson('MSP', {
      sex: 'female',
      birth: ['1995-01-01', '1995-12-31'],
      names: ['Дильноза Каримова'],
    });
    hidden = await addPerson('OTHER', { sex: 'female', names: ['Gulnara Zhanbulatova'] });
    zhansaya = await addPerson('MSP', {
      sex: 'female',
      birth: ['1991-04-17', '1991-04-17'],
      names: ['Курманбекова Жансая', 'Zhansaya Kurmanbekova'],
      nationality: 'KZ',
    });
    // Four users with argon2id passwords and four sign-ins: slow on a loaded machine.
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('finds a person from an Arabic-script name, with an explanation, among the persons the actor may see', async () => {
    const response = await t.as(worker, 'POST', '/api/identity/search', {
      person: { full_name: 'غولنارا جانبولاتوفا', sex: 'F', date_of_birth: '1990', nationality: 'KAZ' },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { results: { personId: string; score: number; explanation: string[] }[] };
    expect(body.results[0]?.personId).toBe(gulnara);
    expect(body.results[0]?.score).toBeGreaterThan(0.8);
    expect(body.results[0]?.explanation.join('\n')).toMatch(/given name|surname/);
    expect(body.results.map((r) => r.personId)).not.toContain(hidden);
  });

  it('audits a search with its result count and never the searched name', async () => {
    const [entry] = await auditOf('identity.search');
    expect(entry?.details).toMatchObject({ results: 1, algorithmVersion: expect.any(String) });
    expect(JSON.stringify(entry?.details)).not.toMatch(/غولنارا|Zhanbulat|Жанбулат/u);
  });

  it('shows the other agency only its own person', async () => {
    const response = await t.as(otherAgencyWorker, 'POST', '/api/identity/search', {
      person: { full_name: 'Gulnara Zhanbulatova' },
    });
    expect((response.json() as { results: { personId: string }[] }).results.map((r) => r.personId)).toEqual([
      hidden,
    ]);
  });

  it('warns of a likely duplicate at registration, before anything is created', async () => {
    const response = await t.as(worker, 'POST', '/api/identity/duplicates', {
      person: {
        given_name: 'Gulnara',
        family_name: 'Janbulatova',
        sex: 'female',
        date_of_birth: '1990-03-12',
      },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { results: { personId: string; decision: string }[] };
    expect(body.results).toEqual([expect.objectContaining({ personId: gulnara, decision: 'match' })]);
    const excluded = await t.as(worker, 'POST', '/api/identity/duplicates', {
      person: { given_name: 'Gulnara', family_name: 'Janbulatova' },
      excludePersonId: gulnara,
    });
    expect((excluded.json() as { results: unknown[] }).results).toEqual([]);
  });

  it('refuses a search without a name, naming the field, and an actor without the permission', async () => {
    const empty = await t.as(worker, 'POST', '/api/identity/search', { person: { sex: 'F' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { path: 'body.person.full_name' },
    });
    await t.addUser('prosecutor', ['prosecutor']);
    const prosecutor = await t.login('prosecutor');
    const denied = await t.as(prosecutor, 'POST', '/api/identity/search', { person: { full_name: 'X Y' } });
    expect(denied.statusCode).toBe(403);
  });

  it('links two lists, and a list against the registry', async () => {
    const lists = await t.as(assessor, 'POST', '/api/identity/link', {
      left: [
        { id: 'L1', full_name: 'Гульнара Жанбулатова', sex: 'F', date_of_birth: '1990-03-12' },
        { id: 'L2', full_name: 'Otabek Sobirov' },
      ],
      right: [
        { id: 'R1', full_name: 'ZHANBULATOVA GULNARA', sex: 'F', date_of_birth: '1990' },
        { id: 'R2', full_name: 'Dilnoza Karimova' },
      ],
    });
    expect(lists.statusCode).toBe(200);
    expect((lists.json() as { pairs: { leftId: string; rightId: string }[] }).pairs).toEqual([
      expect.objectContaining({ leftId: 'L1', rightId: 'R1' }),
    ]);
    const registry = await t.as(assessor, 'POST', '/api/identity/link', {
      left: [{ id: 'C1', full_name: 'Gülnara Janbulatova', date_of_birth: '1990-03-12', sex: 'F' }],
      right: 'registry',
    });
    // The security assessor sees every agency's persons: the namesake without a date of birth comes second.
    const pairs = (registry.json() as { pairs: { rightId: string; decision: string }[] }).pairs;
    expect(pairs.map((p) => [p.rightId, p.decision])).toEqual([
      [gulnara, 'match'],
      [hidden, 'possible'],
    ]);
  });

  it('refuses a list with an empty name, naming its row', async () => {
    const response = await t.as(assessor, 'POST', '/api/identity/link', {
      left: [{ id: 'L1', full_name: 'Dilnoza Karimova' }, { id: 'L2' }],
      right: [{ id: 'R1', full_name: 'Dilnoza Karimova' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'LINKAGE_INPUT_INVALID',
      details: { problems: [{ side: 'left', row: 2, column: 'full_name', code: 'EMPTY_NAME' }] },
    });
  });

  it('merges a confirmed duplicate reversibly, and the merged person is no longer found', async () => {
    const duplicate = await addPerson('MSP', {
      sex: 'female',
      birth: ['1990-03-12', '1990-03-12'],
      names: ['غولنارا جانبولاتوفا'],
      nationality: 'KZ',
    });
    // Photos (rows only: the merge moves them, it never reads the images).
    const photo = async (personId: string, isCurrent: boolean) => {
      const id = randomUUID();
      await t.handle.db
        .insertInto('person_photos')
        .values({
          id,
          person_id: personId,
          content_type: 'image/png',
          size_bytes: 4,
          sha256: '0'.repeat(64),
          source: 'reception',
          iv: Buffer.alloc(12),
          auth_tag: Buffer.alloc(16),
          ciphertext: Buffer.from([1, 2, 3, 4]),
          is_current: isCurrent,
        })
        .execute();
      return id;
    };
    const survivorPhoto = await photo(gulnara, true);
    const duplicateCurrent = await photo(duplicate, true);
    const duplicateEarlier = await photo(duplicate, false);
    const photosOf = async (personId: string) =>
      (
        await t.handle.db
          .selectFrom('person_photos')
          .select(['id', 'is_current'])
          .where('person_id', '=', personId)
          .orderBy('id')
          .execute()
      ).map((p) => `${p.id}${p.is_current ? ' current' : ''}`);
    const denied = await t.as(assessor, 'POST', '/api/identity/merges', {
      survivorId: gulnara,
      mergedId: duplicate,
      reason: 'Same passport number on both records',
    });
    expect(denied.statusCode).toBe(403);
    const merged = await t.as(worker, 'POST', '/api/identity/merges', {
      survivorId: gulnara,
      mergedId: duplicate,
      reason: 'Same passport number on both records',
    });
    expect(merged.statusCode).toBe(200);
    const merge = merged.json() as { id: string; moved: { names: number; nationalities: number } };
    expect(merge.moved).toMatchObject({ names: 1, nationalities: 1, photos: 2 });
    // The duplicate's photos join the survivor's history; the survivor's current photo stays current.
    expect(await photosOf(gulnara)).toEqual(
      [`${survivorPhoto} current`, duplicateCurrent, duplicateEarlier].sort(),
    );
    expect(await photosOf(duplicate)).toEqual([]);
    const search = async () =>
      (
        (
          await t.as(worker, 'POST', '/api/identity/search', { person: { full_name: 'غولنارا جانبولاتوفا' } })
        ).json() as {
          results: { personId: string }[];
        }
      ).results.map((r) => r.personId);
    expect(await search()).toEqual([gulnara]);
    const again = await t.as(worker, 'POST', '/api/identity/merges', {
      survivorId: gulnara,
      mergedId: duplicate,
      reason: 'Same passport number on both records',
    });
    expect(again.json()).toMatchObject({ code: 'MERGE_NOT_ALLOWED' });

    const undone = await t.as(worker, 'POST', `/api/identity/merges/${merge.id}/undo`);
    expect(undone.json()).toMatchObject({
      moved: { names: 1, nationalities: 1, photos: 2 },
      undoneAt: expect.any(String),
    });
    expect(await photosOf(gulnara)).toEqual([`${survivorPhoto} current`]);
    expect(await photosOf(duplicate)).toEqual([`${duplicateCurrent} current`, duplicateEarlier].sort());
    expect((await search()).sort()).toEqual([gulnara, duplicate].sort());
    const display = await t.handle.db
      .selectFrom('person_names')
      .select('full_name')
      .where('person_id', '=', duplicate)
      .where('is_display', '=', true)
      .execute();
    expect(display).toHaveLength(1);
    const history = await t.handle.db
      .selectFrom('person_history')
      .select('field')
      .where('person_id', '=', duplicate)
      .orderBy('id')
      .execute();
    expect(history.map((h) => h.field)).toEqual(['merge.merged_into', 'merge.undone']);
    expect((await t.as(worker, 'POST', `/api/identity/merges/${merge.id}/undo`)).json()).toMatchObject({
      code: 'MERGE_ALREADY_UNDONE',
    });
  });

  describe('screening against the UN Consolidated List', () => {
    let versionId: string;
    let hitId: string;

    beforeAll(async () => {
      versionId = (await importWatchlist(t.handle.db, fixture('synthetic-consolidated-v1.xml'), CLI))
        .versionId;
    });

    it('screens a person at registration and records a hit for review, audited with version and threshold', async () => {
      const response = await t.as(assessor, 'POST', `/api/watchlist/screen/persons/${zhansaya}`);
      expect(response.statusCode).toBe(200);
      const body = response.json() as {
        run: { hits: number; versionId: string };
        hits: { id: string; referenceNumber: string; status: string; weakAlias: boolean }[];
      };
      expect(body.run).toMatchObject({ hits: 1, versionId });
      expect(body.hits).toEqual([
        expect.objectContaining({ referenceNumber: 'SYNi.001', status: 'pending', weakAlias: false }),
      ]);
      hitId = body.hits[0]?.id ?? '';
      const [audit] = await auditOf('watchlist.screen');
      expect(audit?.details).toMatchObject({
        versionId,
        threshold: 0.5,
        algorithmVersion: expect.any(String),
      });
    });

    it('decides a hit only when two different reviewers agree, and remembers a false positive', async () => {
      const missingReason = await t.as(assessor, 'POST', `/api/watchlist/hits/${hitId}/reviews`, {
        disposition: 'false_positive',
      });
      expect(missingReason.json()).toMatchObject({ code: 'SCREENING_REASON_REQUIRED' });
      const first = await t.as(assessor, 'POST', `/api/watchlist/hits/${hitId}/reviews`, {
        disposition: 'false_positive',
        reason: 'Different person: documents show another father and birthplace',
      });
      expect(first.json()).toMatchObject({ status: 'in_review', reviews: 1 });
      const again = await t.as(assessor, 'POST', `/api/watchlist/hits/${hitId}/reviews`, {
        disposition: 'false_positive',
        reason: 'Different person: documents show another father and birthplace',
      });
      expect(again.json()).toMatchObject({ code: 'SCREENING_SAME_REVIEWER' });
      const second = await t.as(assessor2, 'POST', `/api/watchlist/hits/${hitId}/reviews`, {
        disposition: 'false_positive',
        reason: 'Agree: passport copy confirms a different date of birth',
      });
      expect(second.json()).toMatchObject({ status: 'false_positive', reviews: 2 });
      const decided = await t.as(assessor2, 'POST', `/api/watchlist/hits/${hitId}/reviews`, {
        disposition: 'confirmed',
      });
      expect(decided.json()).toMatchObject({ code: 'SCREENING_HIT_DECIDED' });

      const rescreen = await t.as(assessor, 'POST', `/api/watchlist/screen/persons/${zhansaya}`);
      expect((rescreen.json() as { run: { hits: number; suppressed: number } }).run).toMatchObject({
        hits: 0,
        suppressed: 1,
      });
    });

    it('refuses a reviewer without the review permission', async () => {
      const response = await t.as(worker, 'POST', `/api/watchlist/hits/${hitId}/reviews`, {
        disposition: 'confirmed',
      });
      expect(response.statusCode).toBe(403);
    });

    it('screens a record before registration without storing anything about it', async () => {
      const response = await t.as(assessor, 'POST', '/api/watchlist/screen/record', {
        person: { full_name: 'بختاور نظرالله زاده', sex: 'M', date_of_birth: '1986' },
      });
      expect(response.statusCode).toBe(200);
      expect(
        (response.json() as { results: { referenceNumber: string }[] }).results.map((r) => r.referenceNumber),
      ).toEqual(['SYNi.002']);
    });

    it('imports a new version with its diff and lists versions', async () => {
      const v2 = await importWatchlist(t.handle.db, fixture('synthetic-consolidated-v2.xml'), CLI);
      expect(v2.diff).toEqual({ added: ['SYNi.004'], removed: ['SYNi.003'], changed: ['SYNi.002'] });
      const again = await importWatchlist(t.handle.db, fixture('synthetic-consolidated-v2.xml'), CLI);
      expect(again).toMatchObject({ alreadyImported: true, versionId: v2.versionId });
      const versions = await t.as(assessor, 'GET', '/api/watchlist/versions');
      expect((versions.json() as { id: string }[]).map((v) => v.id)).toEqual([v2.versionId, versionId]);
    });

    it('imports nothing from malformed XML', async () => {
      const before = await t.handle.db.selectFrom('watchlist_versions').select('id').execute();
      await expect(
        importWatchlist(t.handle.db, fixture('synthetic-malformed.xml'), CLI),
      ).rejects.toMatchObject({
        code: 'WATCHLIST_XML_MALFORMED',
        details: { line: 51 },
      });
      const after = await t.handle.db.selectFrom('watchlist_versions').select('id').execute();
      expect(after).toHaveLength(before.length);
    });
  });
});
