import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testBackend } from '../../../test/database.ts';

describe('the database connection', () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());

  it('keeps concurrent transactions apart: a rolled-back write never survives, a committed one always does', async () => {
    const insert = async (code: string) => {
      await handle.db.insertInto('agencies').values({ code, name: code, kind: 'other' }).execute();
    };
    const slow = () => new Promise((resolve) => setTimeout(resolve, 5));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        handle.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('agencies')
            .values({ code: `TX${i}`, name: `tx ${i}`, kind: 'other' })
            .execute();
          await slow();
          if (i % 2 === 1) throw new Error('roll back');
        }),
      ).concat(Array.from({ length: 10 }, (_, i) => insert(`PLAIN${i}`))),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(10);
    const codes = (await handle.db.selectFrom('agencies').select('code').execute()).map((r) => r.code).sort();
    const expected = [
      ...Array.from({ length: 10 }, (_, i) => `TX${i * 2}`),
      ...Array.from({ length: 10 }, (_, i) => `PLAIN${i}`),
    ].sort();
    expect(codes).toEqual(expected);
  });

  it('never runs another caller’s query inside an open transaction', async () => {
    let inside!: () => void;
    const transactionOpen = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const failing = handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('agencies').values({ code: 'DOOMED', name: 'doomed', kind: 'other' }).execute();
      inside();
      await new Promise((resolve) => setTimeout(resolve, 30));
      throw new Error('roll back');
    });
    await transactionOpen;
    const independent = handle.db
      .insertInto('agencies')
      .values({ code: 'BYSTANDER', name: 'bystander', kind: 'other' })
      .execute();
    await expect(failing).rejects.toThrow('roll back');
    await independent;
    const codes = (
      await handle.db
        .selectFrom('agencies')
        .select('code')
        .where('code', 'in', ['DOOMED', 'BYSTANDER'])
        .execute()
    ).map((r) => r.code);
    expect(codes).toEqual(['BYSTANDER']);
  });

  it('reads dates as text and counters as numbers on both backends', async () => {
    const agency = await handle.db
      .insertInto('agencies')
      .values({ code: 'DATES', name: 'd', kind: 'other' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const person = await handle.db
      .insertInto('persons')
      .values({
        sex: 'male',
        birth_date_kind: 'exact',
        birth_date_from: '2015-01-01',
        birth_date_to: '2015-01-01',
        owner_agency_id: agency.id,
      })
      .returning(['birth_date_from', 'version', 'created_at'])
      .executeTakeFirstOrThrow();
    expect(person.birth_date_from).toBe('2015-01-01');
    expect(person.version).toBe(1);
    expect(person.created_at).toBeInstanceOf(Date);
  });

  it.runIf(testBackend === 'postgres')(
    'survives the server ending its idle connections: the next query reconnects, nothing is thrown',
    async () => {
      const pids = async () =>
        (
          await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(handle.db)
        ).rows.map((r) => r.pid);
      // Fill the pool with a few idle connections, then end them from the server side.
      await Promise.all(Array.from({ length: 3 }, () => sql`SELECT pg_sleep(0.05)`.execute(handle.db)));
      const own = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(handle.db)).rows[0]
        ?.pid;
      const idle = [...(await pids()), ...(own ? [own] : [])];
      expect(idle.length).toBeGreaterThan(0);
      const admin = new (await import('pg')).default.Client({ connectionString: handle.url });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [idle]);
      await admin.end();
      // Give the pool's idle clients the moment it takes to hear of it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const answer = await sql<{ one: number }>`SELECT 1 AS one`.execute(handle.db);
      expect(answer.rows[0]?.one).toBe(1);
    },
  );
});
