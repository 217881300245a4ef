import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/homeward.mjs');

/** Runs the real `homeward` command on its own PGlite data directory. */
function homeward(args: string[], env: Record<string, string> = {}, input?: string) {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...rest, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
    timeout: 240_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('the homeward command', () => {
  it('explains itself', () => {
    const help = homeward(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['serve', 'migrate', 'seed', 'user', 'audit', 'backup', 'restore']) {
      expect(help.out).toContain(command);
    }
  });

  it('migrates, seeds, adds a user, verifies the trail, backs up and restores into another directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'homeward-cli-'));
    const data = { HOMEWARD_DATA_DIR: join(dir, 'data') };
    expect(homeward(['migrate'], data).out).toMatch(/schema version \d+/);
    const seeded = homeward(['seed', '--demo', '--persons', '30', '--seed', '3'], data);
    expect(seeded.code, seeded.err).toBe(0);
    expect(seeded.out).toMatch(/seeded 30 persons/);
    expect(homeward(['seed', '--demo', '--persons', '30'], data).code).not.toBe(0);

    const added = homeward(
      [
        'user',
        'add',
        '--username',
        'cli-user',
        '--display-name',
        'CLI user',
        '--agency',
        'MSP',
        '--role',
        'case_worker',
      ],
      data,
      'a long enough cli password\n',
    );
    expect(added.code, added.err).toBe(0);
    const weak = homeward(
      [
        'user',
        'add',
        '--username',
        'weak',
        '--display-name',
        'W',
        '--agency',
        'MSP',
        '--role',
        'case_worker',
      ],
      {
        ...data,
        HOMEWARD_NEW_PASSWORD: 'short',
      },
    );
    expect(weak.code).not.toBe(0);
    expect(weak.err).toMatch(/too weak/);

    expect(homeward(['audit', 'verify'], data).out).toMatch(/audit trail intact/);
    const file = join(dir, 'backup.hwbackup');
    expect(homeward(['backup', file], data).code).toBe(0);
    const elsewhere = { HOMEWARD_DATA_DIR: join(dir, 'restored') };
    const restored = homeward(['restore', file], elsewhere);
    expect(restored.code, restored.err).toBe(0);
    expect(homeward(['audit', 'verify'], elsewhere).out).toMatch(/audit trail intact/);
    const again = homeward(['restore', file], elsewhere);
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/empty database/);
  }, 300_000);
});
