import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { type GeneratedPerson, generatePopulation } from '../synthetic/generator.ts';
import { seedPopulation } from '../synthetic/seed.ts';
import type { ReadRecord } from './evidence.ts';
import { linkAgainstRegistry, linkLists } from './linkage.ts';

/** List rows as another list writes a person: one non-display spelling, sex and date of birth. */
function listOf(seed: number, persons: number, prefix: string, pick: 'display' | 'variant'): ReadRecord[] {
  const records: ReadRecord[] = [];
  for (const family of generatePopulation({ seed, persons })) {
    for (const p of family.persons) {
      const names = p.names.filter((n) => n.name_type !== 'kunya' && n.name_type !== 'alias');
      const name = pick === 'display' ? names.find((n) => n.is_display) : names.find((n) => !n.is_display);
      if (name === undefined) continue;
      records.push({
        id: `${prefix}${records.length}`,
        evidence: evidenceOf(p, name.full_name),
        problems: [],
      });
    }
  }
  return records;
}

function evidenceOf(p: GeneratedPerson, name: string): ReadRecord['evidence'] {
  return {
    names: [name],
    sex: p.sex,
    ...(p.birth_date_from !== null && p.birth_date_to !== null
      ? { birth: { from: p.birth_date_from, to: p.birth_date_to } }
      : {}),
  };
}

/** A reader of persons whose row filter is their own agency. */
function agencyReader(agencyId: string): Actor {
  return {
    userId: '00000000-0000-4000-8000-000000000001',
    username: 'reader',
    displayName: 'Reader',
    agencyId,
    agencyKind: 'social_services',
    agencyCode: 'OTHER',
    agencyName: 'Other agency',
    supervisorId: null,
    roles: ['security_assessor'],
    roleNames: [],
    rolePermissions: new Set(['persons:read', 'identity:search']),
    permissions: new Set(['persons:read', 'identity:search']),
    via: 'session',
    tokenId: null,
    sessionTokenHash: null,
    csrfToken: null,
    mfaEnrolmentPending: false,
    totpEnabled: false,
    preferredLanguage: 'en',
    caseScope: 'agency',
  };
}

describe('batch linkage on worker threads', () => {
  let handle: TestDatabase;
  let agencyId: string;

  beforeAll(async () => {
    handle = await createTestDatabase();
    const agency = await handle.db
      .insertInto('agencies')
      .values({ code: 'MSP', name: 'Social services (test)', kind: 'social_services' })
      .returning('id')
      .executeTakeFirstOrThrow();
    agencyId = agency.id;
    await seedPopulation(handle.db, {
      seed: 11,
      persons: 300,
      agencies: [{ id: agency.id, kind: 'social_services' }],
      caseWorkers: [],
    });
  }, 120_000);
  afterAll(async () => {
    await handle.close();
  });

  it('links two lists to the same pairs, in the same order, with one worker and with two', async () => {
    const left = listOf(11, 400, 'l', 'variant');
    const right = listOf(11, 400, 'r', 'display');
    const progress: number[] = [];
    const one = await linkLists(left, right, { workers: 1 });
    const two = await linkLists(left, right, { workers: 2, onProgress: (done) => progress.push(done) });
    expect(one.length).toBeGreaterThan(left.length / 2);
    expect(two).toEqual(one);
    expect(progress.at(-1)).toBe(left.length);
  }, 120_000);

  it('links a list against the registry to the same pairs with one worker and with two', async () => {
    const records = listOf(11, 300, 'c', 'variant');
    // Small chunks, so that several chunks are loaded while earlier ones are being compared.
    const one = await linkAgainstRegistry(handle.db, 'system', records, { workers: 1, chunk: 60 });
    const two = await linkAgainstRegistry(handle.db, 'system', records, { workers: 2, chunk: 60 });
    expect(one.length).toBeGreaterThan(records.length / 2);
    expect(two).toEqual(one);
    // The order is the records' order, each record's pairs best first.
    const firstOf = new Map<string, number>();
    two.forEach((p, i) => {
      if (!firstOf.has(p.leftId)) firstOf.set(p.leftId, i);
    });
    const order = [...firstOf.keys()].map((id) => Number(id.slice(1)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  }, 120_000);

  it("reads only the persons the actor may see: another agency's reader links nobody, the owner's everyone", async () => {
    const records = listOf(11, 100, 'v', 'variant');
    const other = await handle.db
      .insertInto('agencies')
      .values({ code: 'OTHER', name: 'Another agency (test)', kind: 'social_services' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await linkAgainstRegistry(handle.db, agencyReader(other.id), records)).toEqual([]);
    const own = await linkAgainstRegistry(handle.db, agencyReader(agencyId), records);
    expect(own).toEqual(await linkAgainstRegistry(handle.db, 'system', records));
    expect(own.length).toBeGreaterThan(records.length / 2);
  }, 120_000);

  it('weighs the registry nationalities when the records name one, and only then', async () => {
    const plain = listOf(11, 100, 'n', 'variant');
    const withNationality = plain.map((r) => ({ ...r, evidence: { ...r.evidence, nationality: ['ZZ'] } }));
    const before = await linkAgainstRegistry(handle.db, 'system', plain);
    const after = await linkAgainstRegistry(handle.db, 'system', withNationality);
    expect(before.some((p) => p.explanation.includes('nationality'))).toBe(false);
    // No seeded person is a national of ZZ: pairs now say so, and none shares one.
    expect(after.some((p) => p.explanation.includes('no nationality in common'))).toBe(true);
    expect(after.some((p) => p.explanation.includes('shared nationality'))).toBe(false);
  }, 120_000);
});
