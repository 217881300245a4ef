import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { currentSchemaVersion, latestSchemaVersion, loadMigrations, migrate } from './migrate.ts';

describe('migrations', () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createEmptyTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('bring an empty database to the latest version and record it', async () => {
    expect(await currentSchemaVersion(handle.db)).toBe(0);
    const result = await migrate(handle);
    expect(result.applied.length).toBe(loadMigrations().length);
    expect(await currentSchemaVersion(handle.db)).toBe(latestSchemaVersion());
  });

  it('do nothing the second time', async () => {
    const result = await migrate(handle);
    expect(result.applied).toEqual([]);
  });

  it('refuse a migration edited after it was applied', async () => {
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(handle, { migrations: edited })).rejects.toThrow(/changed after it was applied/);
  });

  it('make every foreign key deferrable, so a restore can load tables in any order', async () => {
    const rows = await sql<{ conname: string }>`
      SELECT conname FROM pg_constraint
      WHERE contype = 'f' AND NOT condeferrable AND connamespace = 'public'::regnamespace`.execute(handle.db);
    expect(rows.rows).toEqual([]);
  });

  it('give every table a primary key, so backups page through it', async () => {
    const rows = await sql<{ table_name: string }>`
      SELECT c.relname AS table_name FROM pg_class c
      WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint p WHERE p.conrelid = c.oid AND p.contype = 'p')`.execute(
      handle.db,
    );
    expect(rows.rows).toEqual([]);
  });

  it('roll back a failing migration whole', async () => {
    const broken = [
      ...loadMigrations(),
      { version: 9999, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT 1/0;', checksum: 'x' },
    ];
    await expect(migrate(handle, { migrations: broken })).rejects.toThrow();
    const table = await sql<{ t: string | null }>`SELECT to_regclass('half_done')::text AS t`.execute(
      handle.db,
    );
    expect(table.rows[0]?.t).toBeNull();
    expect(await currentSchemaVersion(handle.db)).toBe(latestSchemaVersion());
  });
});
