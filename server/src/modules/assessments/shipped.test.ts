import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { configFromOptions, prepareDatabase } from '../../start.ts';
import { ensureShippedInstruments, loadShippedInstruments } from './shipped.ts';

describe('start-up', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    // An in-memory PGlite deployment, whatever DATABASE_URL says: start-up as `homeward serve` runs it.
    handle = await prepareDatabase(
      configFromOptions({ dataDir: 'memory://', demo: false, logLevel: 'silent' }),
    );
  });
  afterAll(() => handle.close());

  it('seeds every shipped instrument as a published version, once', async () => {
    const rows = await handle.db
      .selectFrom('instrument_versions')
      .select(['code', 'version', 'status', 'shipped', 'sha256'])
      .orderBy('code')
      .execute();
    const shipped = loadShippedInstruments();
    expect(rows).toEqual(
      shipped.map((s) => ({
        code: s.definition.code,
        version: s.definition.version,
        status: 'published',
        shipped: true,
        sha256: s.sha256,
      })),
    );
    expect(await ensureShippedInstruments(handle.db)).toBe(0);
  });

  it('keeps a deployment’s retirement of a shipped default', async () => {
    await handle.db
      .updateTable('instrument_versions')
      .set({ status: 'retired' })
      .where('code', '=', 'needs_assessment')
      .execute();
    expect(await ensureShippedInstruments(handle.db)).toBe(0);
    const row = await handle.db
      .selectFrom('instrument_versions')
      .select('status')
      .where('code', '=', 'needs_assessment')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('retired');
  });
});
