import { describe, expect, it } from 'vitest';
import { readCountry, readDateOfBirth, readRecord, readSex } from './evidence.ts';

describe('reading a record of a list', () => {
  it.each([
    ['1990', { from: '1990-01-01', to: '1990-12-31' }],
    ['1990-02', { from: '1990-02-01', to: '1990-02-28' }],
    ['1992-02', { from: '1992-02-01', to: '1992-02-29' }],
    ['1990-05-17', { from: '1990-05-17', to: '1990-05-17' }],
    ['17.05.1990', { from: '1990-05-17', to: '1990-05-17' }],
    [' 1990 ', { from: '1990-01-01', to: '1990-12-31' }],
  ])('reads the date of birth %s as a range', (text, birth) => {
    expect(readDateOfBirth(text)).toEqual({ birth });
  });

  it.each(['00.00.1990', '1990-13-01', '1990-02-30'])('reads %s as the year, with a warning', (text) => {
    const read = readDateOfBirth(text);
    expect(read.birth).toEqual({ from: '1990-01-01', to: '1990-12-31' });
    expect(read.problem).toMatchObject({ severity: 'warning', code: 'DATE_READ_AS_YEAR' });
  });

  it('refuses an impossible date under the refuse policy, and an unreadable one always', () => {
    expect(readDateOfBirth('1990-13-01', 'refuse')).toMatchObject({
      problem: { severity: 'error', code: 'BAD_DATE' },
    });
    expect(readDateOfBirth('sometime')).toMatchObject({ problem: { severity: 'error', code: 'BAD_DATE' } });
    expect(readDateOfBirth('')).toEqual({});
  });

  it.each([
    ['F', 'female'],
    ['female', 'female'],
    ['M', 'male'],
    ['Male', 'male'],
    ['U', 'unknown'],
    ['', undefined],
    ['q', null],
  ])('reads sex %s', (text, sex) => {
    expect(readSex(text)).toBe(sex);
  });

  it.each([
    ['KZ', 'KZ'],
    ['kaz', 'KZ'],
    ['Uzbekistan', 'UZ'],
    ['Russian Federation', 'RU'],
    ['TJK', 'TJ'],
    ['Atlantis', null],
  ])('reads nationality %s', (text, code) => {
    expect(readCountry(text)).toBe(code);
  });

  it('refuses a record with no name at all, naming the column', () => {
    const read = readRecord({ id: '7', sex: 'F' }, 'row-2');
    expect(read.problems).toEqual([
      expect.objectContaining({ column: 'full_name', code: 'EMPTY_NAME', severity: 'error' }),
    ]);
  });

  it('collects every name: full name, structured parts and aliases', () => {
    const read = readRecord(
      {
        given_name: 'Gulnara',
        family_name: 'Zhanbulatova',
        aliases: 'Umm Yusuf al-Kazakhi; غولنارا جانبولاتوفا',
      },
      'row-2',
    );
    expect(read.evidence.names).toEqual([
      'Gulnara Zhanbulatova',
      'Umm Yusuf al-Kazakhi',
      'غولنارا جانبولاتوفا',
    ]);
    expect(read.id).toBe('row-2');
  });

  it('never quotes a value in a problem message', () => {
    const read = readRecord(
      { full_name: 'Dilnoza Karimova', date_of_birth: '31.02.1990', nationality: 'Narnia' },
      'r',
    );
    for (const p of read.problems) {
      expect(p.message).not.toContain('Narnia');
      expect(p.message).not.toContain('31.02');
    }
  });
});
