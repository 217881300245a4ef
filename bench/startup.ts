// Time from process start to ready (database open, migrations checked, HTTP listening) on an empty
// PGlite and on one holding 100,000 persons. The populated directory is seeded once and reused.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations } from '../server/src/platform/db/migrate.ts';
import { startChild } from './child.ts';

const PERSONS = Number(process.env.BENCH_STARTUP_PERSONS ?? 100_000);

async function timeToReady(dataDir: string, demo: boolean): Promise<number> {
  const started = performance.now();
  const child = await startChild(
    './servers/homeward.ts',
    [JSON.stringify({ dataDir, demo, seedPersons: PERSONS })],
    {
      ...process.env,
      DATABASE_URL: '',
      HOMEWARD_SECRET_KEY: '0'.repeat(64),
    },
  );
  // Wall time, from spawning the process until it answers /api/ready.
  const response = await fetch(`${child.url}/api/ready`);
  const elapsed = performance.now() - started;
  await child.stop();
  if (response.status !== 200) throw new Error(`not ready: ${response.status}`);
  return Math.round(elapsed);
}

export async function benchStartup() {
  const empty = mkdtempSync(join(tmpdir(), 'hw-bench-empty-'));
  const emptyFirst = await timeToReady(empty, false);
  const emptyAgain = await timeToReady(empty, false);
  rmSync(empty, { recursive: true, force: true });

  // Keyed by the migrations, so a schema change seeds a fresh directory instead of failing on the old one.
  const schema = loadMigrations()
    .map((m) => m.checksum.slice(0, 6))
    .join('')
    .slice(-24);
  const populated = join(tmpdir(), `hw-bench-populated-${PERSONS}-${schema}`);
  if (!existsSync(populated)) {
    console.log(`seeding ${PERSONS} persons into ${populated} (once)…`);
    await timeToReady(populated, true);
  }
  const populatedRuns = [];
  for (let i = 0; i < 3; i++) populatedRuns.push(await timeToReady(populated, true));
  return [
    { case: 'new empty PGlite directory (creates it, runs every migration)', ms: emptyFirst },
    { case: 'empty PGlite, migrated (second start)', ms: emptyAgain },
    { case: `PGlite holding ${PERSONS} persons (median of 3)`, ms: populatedRuns.sort((a, b) => a - b)[1] },
  ];
}
