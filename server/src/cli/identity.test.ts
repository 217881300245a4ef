import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

const fixture = (name: string) => new URL(`../modules/identity/fixtures/${name}`, import.meta.url).pathname;

describe('homeward link, watchlist import and screen', () => {
  let dir: string;
  const saved = { ...process.env };
  let stderr: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hw-identity-cli-'));
    // The CLI's own database: a PGlite directory, whatever backend the test run uses.
    delete process.env.DATABASE_URL;
    process.env.HOMEWARD_DATA_DIR = join(dir, 'data');
    process.env.LOG_LEVEL = 'silent';
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(...args: string[]): Promise<number> {
    stderr = [];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      return await main(['node', 'homeward', ...args]);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  }

  it('links two lists across scripts and writes the pairs with explanations', async () => {
    const left = join(dir, 'left.csv');
    const right = join(dir, 'right.csv');
    writeFileSync(
      left,
      'id,full_name,sex,date_of_birth\nA1,Гульнара Жанбулатова,F,1990-03-12\nA2,Otabek Sobirov,M,1982\n',
    );
    writeFileSync(
      right,
      'id,given_name,family_name,sex,date_of_birth\nB1,غولنارا,جانبولاتوفا,F,1990\nB2,Dilnoza,Karimova,F,1991\n',
    );
    const out = join(dir, 'pairs.csv');
    expect(await run('link', left, right, '--out', out)).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('left_id,right_id,score,decision,explanation');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^A1,B1,0\.\d{3},(match|possible),/u);
  });

  it('stops on a bad row naming row and column, or skips it when asked, never silently', async () => {
    const left = join(dir, 'bad.csv');
    writeFileSync(
      left,
      'id,full_name,date_of_birth\n1,Dilnoza Karimova,1991\n2,,1990\n3,Otabek Sobirov,1990-13-01\n',
    );
    const right = join(dir, 'right2.csv');
    writeFileSync(right, 'id,full_name\nR1,Dilnoza Karimova\n');
    const out = join(dir, 'pairs2.csv');
    expect(await run('link', left, right, '--out', out)).toBe(3);
    expect(stderr.join('')).toMatch(/row 3, column full_name: error EMPTY_NAME/u);
    expect(await run('link', left, right, '--out', out, '--on-error', 'skip')).toBe(0);
    const report = stderr.join('');
    expect(report).toMatch(/row 4, column date_of_birth: warning DATE_READ_AS_YEAR/u);
    expect(report).toMatch(/3 rows, 2 read, 1 skipped/u);
    expect(report).not.toMatch(/Karimova|Sobirov/u);
  });

  it('refuses a file with the wrong delimiter', async () => {
    const left = join(dir, 'semicolon.csv');
    writeFileSync(left, 'id;full_name\n1;Dilnoza Karimova\n');
    expect(await run('link', left, left, '--out', join(dir, 'x.csv'))).toBe(3);
    expect(stderr.join('')).toMatch(/row 1, column 1: error WRONG_DELIMITER/u);
  });

  it('imports a list, refuses malformed XML with its line, and screens a CSV against the list', async () => {
    expect(await run('watchlist', 'import', fixture('synthetic-malformed.xml'))).toBe(3);
    expect(stderr.join('')).toMatch(/WATCHLIST_XML_MALFORMED.*line 51/u);
    expect(await run('watchlist', 'import', fixture('synthetic-consolidated-v1.xml'))).toBe(0);
    const people = join(dir, 'people.csv');
    writeFileSync(
      people,
      'id,full_name,sex,date_of_birth,nationality\nP1,Жансая Курманбекова,F,1991-04-17,KZ\nP2,Dilnoza Karimova,F,1991,UZ\n',
    );
    const out = join(dir, 'results.csv');
    expect(await run('screen', people, '--out', out)).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,reference_number,listed_name,score,decision,explanation');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['P1,SYNi.001']);
    // Opening and migrating an on-disk PGlite database is slow on a loaded machine.
  }, 240_000);
});
