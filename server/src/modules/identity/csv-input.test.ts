import { describe, expect, it } from 'vitest';
import { CsvInputError, readCsvRecords } from './csv-input.ts';

const csv = (text: string) => Buffer.from(text, 'utf8');

function problemsOf(work: () => unknown) {
  try {
    work();
  } catch (error) {
    if (error instanceof CsvInputError) return error.problems;
    throw error;
  }
  throw new Error('expected a CsvInputError');
}

describe('CSV lists for linkage and screening', () => {
  it('reads the recognised columns in any order and script', () => {
    const result = readCsvRecords(
      csv(
        'full_name,id,sex,date_of_birth,nationality,aliases\n' +
          'Гульнара Жанбулатова,a1,F,1990,KAZ,Umm Yusuf;غولنارا جانبولاتوفا\n' +
          '"ZHANBULATOVA, GULNARA",a2,female,1990-03,Kazakhstan,\n',
      ),
    );
    expect(result.records.map((r) => r.id)).toEqual(['a1', 'a2']);
    expect(result.records[0]?.evidence).toMatchObject({ sex: 'female', nationality: ['KZ'] });
    expect(result.records[0]?.evidence.names).toHaveLength(3);
    expect(result.records[1]?.evidence.birth).toEqual({ from: '1990-03-01', to: '1990-03-31' });
  });

  it('refuses a file without a header, naming row 1', () => {
    const problems = problemsOf(() =>
      readCsvRecords(csv('Gulnara Zhanbulatova,F,1990\nDilnoza Karimova,F,1991\n')),
    );
    expect(problems).toEqual([expect.objectContaining({ row: 1, code: 'NO_HEADER', severity: 'error' })]);
  });

  it('recognises the wrong delimiter', () => {
    const problems = problemsOf(() => readCsvRecords(csv('id;full_name;sex\n1;Gulnara Zhanbulatova;F\n')));
    expect(problems).toEqual([expect.objectContaining({ row: 1, code: 'WRONG_DELIMITER' })]);
    const ok = readCsvRecords(csv('id;full_name;sex\n1;Gulnara Zhanbulatova;F\n'), { delimiter: ';' });
    expect(ok.records).toHaveLength(1);
  });

  it('reports broken encoding with its row, and skips the row only when asked', () => {
    const bytes = Buffer.concat([
      csv('id,full_name\n1,Dilnoza Karimova\n2,'),
      Buffer.from([0xc3, 0x28]),
      csv('bad\n3,Otabek Sobirov\n'),
    ]);
    expect(problemsOf(() => readCsvRecords(bytes))).toContainEqual(
      expect.objectContaining({ row: 3, code: 'BAD_ENCODING', severity: 'error' }),
    );
    const skipped = readCsvRecords(bytes, { onError: 'skip' });
    expect(skipped.records.map((r) => r.id)).toEqual(['1', '3']);
    expect(skipped.skipped).toBe(1);
    expect(skipped.problems).toContainEqual(expect.objectContaining({ row: 3, code: 'BAD_ENCODING' }));
  });

  it('refuses an empty name with its row, or skips it with a report', () => {
    const text = csv('id,full_name,given_name\n1,Dilnoza Karimova,\n2,,\n3,,Otabek\n');
    expect(problemsOf(() => readCsvRecords(text))).toContainEqual(
      expect.objectContaining({ row: 3, column: 'full_name', code: 'EMPTY_NAME' }),
    );
    const result = readCsvRecords(text, { onError: 'skip' });
    expect(result.records.map((r) => r.id)).toEqual(['1', '3']);
    expect(result.rows).toBe(3);
    expect(result.skipped).toBe(1);
  });

  it('reads 00.00.1990 and 1990-13-01 as the year with a warning, or refuses the row', () => {
    const text = csv(
      'id,full_name,date_of_birth\n1,Dilnoza Karimova,00.00.1990\n2,Otabek Sobirov,1990-13-01\n',
    );
    const result = readCsvRecords(text);
    expect(result.records.map((r) => r.evidence.birth)).toEqual([
      { from: '1990-01-01', to: '1990-12-31' },
      { from: '1990-01-01', to: '1990-12-31' },
    ]);
    expect(result.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, 'date_of_birth', 'DATE_READ_AS_YEAR'],
      [3, 'date_of_birth', 'DATE_READ_AS_YEAR'],
    ]);
    expect(problemsOf(() => readCsvRecords(text, { badDates: 'refuse' }))).toContainEqual(
      expect.objectContaining({ row: 2, column: 'date_of_birth', code: 'BAD_DATE' }),
    );
  });

  it('reports a row with too many fields instead of dropping or misreading it', () => {
    const problems = problemsOf(() => readCsvRecords(csv('id,full_name\n1,Dilnoza Karimova,extra\n')));
    expect(problems).toContainEqual(expect.objectContaining({ row: 2, code: 'FIELD_COUNT' }));
  });
});
