import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { parseConsolidatedList } from './watchlist-xml.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

describe('the UN Consolidated List reader', () => {
  const list = parseConsolidatedList(fixture('synthetic-consolidated-v1.xml'));

  it('reads individuals and entities with their reference numbers', () => {
    expect(list.individuals).toBe(3);
    expect(list.entities).toBe(1);
    expect(list.dateGenerated).toBe('2026-01-15T00:00:00.000Z');
    expect(list.entries.map((e) => e.referenceNumber)).toEqual([
      'SYNi.001',
      'SYNi.002',
      'SYNi.003',
      'SYNe.001',
    ]);
  });

  it('trims stray whitespace, keeps the original script and rates aliases', () => {
    const first = list.entries[0];
    expect(first?.listedName).toBe('ZHANSAYA KURMANBEKOVA');
    expect(first?.names).toEqual([
      { name: 'ZHANSAYA KURMANBEKOVA', type: 'primary', quality: null },
      { name: 'Жансая Курманбекова', type: 'original_script', quality: null },
      { name: 'Umm Amir al-Kazakhi', type: 'alias', quality: 'good' },
      { name: 'Zhanna', type: 'alias', quality: 'low' },
    ]);
    expect(first?.nationalities).toEqual(['KZ']);
    expect(first?.placesOfBirth).toEqual(['Shymkent, Kazakhstan']);
    expect(first?.gender).toBe('Female');
  });

  it('skips empty alias placeholders and reads several nationalities', () => {
    const second = list.entries[1];
    expect(second?.names.map((n) => n.type)).toEqual(['primary', 'original_script']);
    expect(second?.nationalities).toEqual(['TJ', 'RU']);
  });

  it('reads DATE, approximate YEAR and FROM_YEAR/TO_YEAR as ranges', () => {
    expect(list.entries.map((e) => e.births)).toEqual([
      [{ from: '1991-04-17', to: '1991-04-17', type: 'EXACT' }],
      [{ from: '1985-01-01', to: '1987-12-31', type: 'APPROXIMATELY' }],
      [{ from: '1980-01-01', to: '1983-12-31', type: 'BETWEEN' }],
      [],
    ]);
  });

  it('refuses malformed XML with its line number', () => {
    try {
      parseConsolidatedList(fixture('synthetic-malformed.xml'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('WATCHLIST_XML_MALFORMED');
      expect((error as AppError).details).toMatchObject({ line: 51 });
    }
  });

  it('refuses XML that is not a Consolidated List', () => {
    expect(() => parseConsolidatedList('<?xml version="1.0"?><LIST/>')).toThrow(
      expect.objectContaining({ code: 'WATCHLIST_FORMAT_INVALID' }),
    );
  });

  it('gives the same entry the same content hash whatever the whitespace', () => {
    const text = fixture('synthetic-consolidated-v1.xml').toString('utf8');
    const spaced = parseConsolidatedList(
      text.replace('<FIRST_NAME>OTABEK</FIRST_NAME>', '<FIRST_NAME>  OTABEK\n</FIRST_NAME>'),
    );
    expect(spaced.entries[2]?.contentHash).toBe(list.entries[2]?.contentHash);
    expect(spaced.sha256).not.toBe(list.sha256);
  });
});
