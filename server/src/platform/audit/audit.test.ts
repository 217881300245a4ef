import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { type AuditContext, recordAudit, verifyAuditChain } from './audit.ts';

const context: AuditContext = {
  actorUserId: null,
  actorAgencyId: null,
  clientIp: '127.0.0.1',
  requestId: 'test',
};

/** What an attacker with database access does: switch the guard off, change history, switch it on. */
async function behindTheApplicationsBack(handle: TestDatabase, statement: string) {
  await sql.raw('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update').execute(handle.db);
  try {
    for (const one of statement.split(';').filter((s) => s.trim())) await sql.raw(one).execute(handle.db);
  } finally {
    await sql.raw('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update').execute(handle.db);
  }
}

describe('the audit trail', () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
    for (let i = 0; i < 20; i++) {
      await handle.db.transaction().execute((trx) =>
        recordAudit(trx, context, {
          action: 'case.read',
          targetType: 'case',
          targetId: `case-${i}`,
          sections: ['identity'],
          details: { i },
        }),
      );
    }
  });
  afterAll(() => handle.close());

  it('verifies an untouched chain', async () => {
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, checked: 20 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE from the application', async () => {
    await expect(sql`UPDATE audit_events SET action = 'x' WHERE seq = 1`.execute(handle.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_events WHERE seq = 1`.execute(handle.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`TRUNCATE audit_events`.execute(handle.db)).rejects.toThrow(/append-only/);
  });

  it('keeps no entry of a change that was rolled back', async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await recordAudit(trx, context, { action: 'case.update', targetId: 'rolled-back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const row = await handle.db
      .selectFrom('audit_events')
      .select('seq')
      .where('target_id', '=', 'rolled-back')
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('chains entries written concurrently', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        handle.db
          .transaction()
          .execute((trx) => recordAudit(trx, context, { action: 'case.read', targetId: `parallel-${i}` })),
      ),
    );
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it('names an edited row', async () => {
    await behindTheApplicationsBack(handle, `UPDATE audit_events SET target_id = 'case-999' WHERE seq = 7`);
    expect(await verifyAuditChain(handle.db)).toMatchObject({
      ok: false,
      checked: 6,
      firstBad: { seq: 7, reason: 'hash_mismatch' },
    });
    await behindTheApplicationsBack(handle, `UPDATE audit_events SET target_id = 'case-6' WHERE seq = 7`);
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it('names the row after a deleted one', async () => {
    await behindTheApplicationsBack(handle, 'DELETE FROM audit_events WHERE seq = 12');
    expect(await verifyAuditChain(handle.db)).toMatchObject({
      ok: false,
      firstBad: { seq: 13, reason: 'sequence_gap' },
    });
  });

  it('names reordered rows', async () => {
    const fresh = await createTestDatabase();
    try {
      for (let i = 0; i < 5; i++) {
        await fresh.db
          .transaction()
          .execute((trx) => recordAudit(trx, context, { action: 'case.read', targetId: `c${i}` }));
      }
      // Swap rows 2 and 3 whole, hashes included: each still matches itself, the links do not.
      await behindTheApplicationsBack(
        fresh,
        `UPDATE audit_events SET seq = -seq WHERE seq IN (2, 3);
         UPDATE audit_events SET seq = 3 WHERE seq = -2;
         UPDATE audit_events SET seq = 2 WHERE seq = -3;`,
      );
      const result = await verifyAuditChain(fresh.db);
      expect(result.ok).toBe(false);
      expect(result.firstBad?.seq).toBe(2);
    } finally {
      await fresh.close();
    }
  });
});
