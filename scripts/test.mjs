// `npm test`: every suite, on PGlite — and on PostgreSQL too when DATABASE_URL is set.
// Ends with one line "N passed, N failed, N skipped" summing them all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(join(tmpdir(), 'homeward-test-'));
const vitest = join(root, 'node_modules/vitest/vitest.mjs');

const withoutDatabaseUrl = { ...process.env };
delete withoutDatabaseUrl.DATABASE_URL;

const suites = [
  { name: 'server on PGlite', cwd: join(root, 'server'), args: [], env: withoutDatabaseUrl },
  ...(process.env.DATABASE_URL
    ? [{ name: 'server on PostgreSQL', cwd: join(root, 'server'), args: [], env: process.env }]
    : []),
  { name: 'web', cwd: join(root, 'web'), args: [], env: withoutDatabaseUrl },
  { name: 'browser (e2e)', cwd: root, args: ['--config', 'e2e/vitest.config.ts'], env: withoutDatabaseUrl },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
let anyFailed = false;
for (const [i, suite] of suites.entries()) {
  const report = join(out, `suite-${i}.json`);
  console.log(`\n━━ ${suite.name} ━━`);
  const run = spawnSync(
    process.execPath,
    [vitest, 'run', ...suite.args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: suite.cwd, env: suite.env, stdio: 'inherit' },
  );
  const failedBefore = totals.failed;
  let counted = false;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests;
    totals.skipped += json.numPendingTests + json.numTodoTests;
    counted = true;
    // A suite file that fails to load counts as a failure even when no test inside it ran.
    if (json.numFailedTestSuites > 0 && json.numFailedTests === 0) totals.failed += json.numFailedTestSuites;
  } catch {
    // no report: the run crashed before writing one
  }
  if (run.status !== 0 || !counted) {
    anyFailed = true;
    // No report, or a run that failed with every test passing (an unhandled error between tests):
    // either way one failure more, so the summary line never reads "0 failed" for a red run.
    if (!counted || totals.failed === failedBefore) totals.failed += 1;
    console.log(`✗ ${suite.name} failed (exit ${run.status})`);
  }
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(anyFailed || totals.failed > 0 ? 1 : 0);
