import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyTestDatabase, createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { addUserDirect, ensureDefaultRoles } from '../../modules/accounts/bootstrap.ts';
import { recordAudit, verifyAuditChain } from '../audit/audit.ts';
import { AppError } from '../errors.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';
import { openPGlite } from './database.ts';

const dir = mkdtempSync(join(tmpdir(), 'homeward-backup-'));

/** Binary with every awkward byte: NUL, backslash, quote, high bytes, "\\x" as text. */
const PHOTO_BYTES = Buffer.concat([
  Buffer.from([0x00, 0x5c, 0x22, 0x27, 0xff, 0x0a, 0x0d]),
  Buffer.from('\\x00'),
]);

/** A small but awkward dataset: several scripts, nulls, arrays, JSON, dates, sequences, bytea. */
async function fill(handle: TestDatabase) {
  await ensureDefaultRoles(handle.db);
  const agency = await handle.db
    .insertInto('agencies')
    .values({ code: 'MSP', name: 'Министерство / وزارة', kind: 'social_services', jurisdiction: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addUserDirect(handle.db, {
    username: 'keeper',
    displayName: 'Keeper',
    password: 'a long enough password',
    agencyId: agency.id,
    roles: ['case_worker'],
  });
  const person = await handle.db
    .insertInto('persons')
    .values({
      sex: 'female',
      birth_date_kind: 'year',
      birth_date_from: '1990-01-01',
      birth_date_to: '1990-12-31',
      owner_agency_id: agency.id,
      flags: ['pregnant', 'witness'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await handle.db
    .insertInto('person_names')
    .values([
      {
        person_id: person.id,
        full_name: 'Гульнара Жанбулатова',
        script: 'cyrillic',
        name_type: 'primary',
        source: 'civil_registry',
        is_display: true,
      },
      {
        person_id: person.id,
        full_name: 'غولنارا جانبولاتوفا',
        script: 'arabic',
        name_type: 'variant',
        source: 'camp_list',
      },
      {
        person_id: person.id,
        full_name: 'O\'g\'il "quoted" \\ back',
        script: 'latin',
        name_type: 'alias',
        source: 'testimony',
      },
    ])
    .execute();
  await handle.db
    .insertInto('person_photos')
    .values({
      id: '00000000-0000-4000-8000-00000000f070',
      person_id: person.id,
      content_type: 'image/png',
      size_bytes: PHOTO_BYTES.length,
      sha256: '0'.repeat(64),
      source: 'reception',
      iv: Buffer.alloc(12, 0x5c),
      auth_tag: Buffer.alloc(16, 0xff),
      ciphertext: PHOTO_BYTES,
      is_current: true,
    })
    .execute();
  const { sql } = await import('kysely');
  await sql`SELECT nextval('case_number_seq')`.execute(handle.db);
  await sql`SELECT nextval('case_number_seq')`.execute(handle.db);
  for (let i = 0; i < 5; i++) {
    await handle.db.transaction().execute((trx) =>
      recordAudit(
        trx,
        { actorUserId: null, actorAgencyId: agency.id, clientIp: '::1', requestId: `r${i}` },
        {
          action: 'person.read',
          targetType: 'person',
          targetId: person.id,
          sections: ['identity', 'names'],
          details: { nested: { b: 2, a: [1, 'x'] } },
        },
      ),
    );
  }
}

function rowLines(file: string): string[] {
  return gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n').slice(1, -1);
}

describe('backup and restore', () => {
  let source: TestDatabase;
  const file = join(dir, 'source.hwbackup');
  beforeAll(async () => {
    source = await createTestDatabase();
    await fill(source);
    await backupDatabase(source, file);
  });
  afterAll(() => source.close());

  const targets: [string, () => Promise<TestDatabase>][] = [
    ['an empty PGlite', () => openPGlite('memory://')],
    ['an empty database of the test backend', createEmptyTestDatabase],
  ];
  for (const [label, open] of targets) {
    it(`round-trips exactly into ${label}`, async () => {
      const target = await open();
      try {
        await restoreDatabase(target, file);
        const again = join(dir, `again-${label.replaceAll(' ', '-')}.hwbackup`);
        await backupDatabase(target, again);
        const restored = rowLines(again).filter((line) => !line.includes('"action":"system.restore"'));
        expect(restored).toEqual(rowLines(file));
        expect((await verifyAuditChain(target.db)).ok).toBe(true);
        const { sql } = await import('kysely');
        const next = await sql<{ n: number }>`SELECT nextval('case_number_seq') AS n`.execute(target.db);
        expect(Number(next.rows[0]?.n)).toBe(3);
        const photo = await target.db
          .selectFrom('person_photos')
          .select(['ciphertext', 'iv', 'auth_tag'])
          .executeTakeFirstOrThrow();
        expect(Buffer.from(photo.ciphertext!).equals(PHOTO_BYTES)).toBe(true);
        expect(Buffer.from(photo.iv).equals(Buffer.alloc(12, 0x5c))).toBe(true);
        expect(Buffer.from(photo.auth_tag).equals(Buffer.alloc(16, 0xff))).toBe(true);
      } finally {
        await target.close();
      }
    });
  }

  it('refuses a damaged file before changing anything', async () => {
    const bytes = gunzipSync(readFileSync(file)).toString('utf8').replace('Keeper', 'Keepr');
    const damaged = join(dir, 'damaged.hwbackup');
    writeFileSync(damaged, gzipSync(bytes));
    const target = await createEmptyTestDatabase();
    try {
      await expect(restoreDatabase(target, damaged)).rejects.toThrow(/checksum/);
      const { sql } = await import('kysely');
      const tables = await sql<{ t: string | null }>`SELECT to_regclass('users')::text AS t`.execute(
        target.db,
      );
      expect(tables.rows[0]?.t).toBeNull();
    } finally {
      await target.close();
    }
  });

  it('refuses a truncated file and a foreign one', async () => {
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
    const truncated = join(dir, 'truncated.hwbackup');
    writeFileSync(truncated, gzipSync(`${lines.slice(0, -3).join('\n')}\n`));
    const foreign = join(dir, 'foreign.hwbackup');
    writeFileSync(foreign, 'PGDMP this is some other dump');
    const foreignJson = join(dir, 'foreign-json.hwbackup');
    writeFileSync(foreignJson, gzipSync('{"format":"something-else"}\n'));
    const target = await createTestDatabase();
    try {
      for (const bad of [truncated, foreign, foreignJson]) {
        const error = await restoreDatabase(target, bad).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('BACKUP_INVALID');
      }
    } finally {
      await target.close();
    }
  });

  it('refuses a database that already holds data', async () => {
    const error = await restoreDatabase(source, file).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('RESTORE_TARGET_NOT_EMPTY');
  });
});
