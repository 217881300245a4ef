import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import {
  type BadDatePolicy,
  type Problem,
  RECORD_COLUMNS,
  type ReadRecord,
  type RecordColumn,
  type RecordInput,
  readRecord,
} from './evidence.ts';

/*
 * Linkage and screening lists as CSV files: a header naming the recognised columns (evidence.ts),
 * UTF-8, comma-separated. Every problem names its row (the line number in the file, the header being
 * row 1) and column, never the value. A row that cannot be used stops the run, or with
 * onError 'skip' is left out and counted — never dropped silently.
 */

export interface CsvProblem {
  row: number;
  column: string;
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

export interface CsvReadResult {
  records: ReadRecord[];
  problems: CsvProblem[];
  /** Rows left out under onError 'skip' (each also has an error in problems). */
  skipped: number;
  /** Data rows in the file. */
  rows: number;
}

export class CsvInputError extends Error {
  constructor(readonly problems: CsvProblem[]) {
    const first = problems.find((p) => p.severity === 'error') ?? problems[0];
    super(first === undefined ? 'the list could not be read' : describeProblem(first));
    this.name = 'CsvInputError';
  }
}

export function describeProblem(p: CsvProblem): string {
  return `row ${p.row}, column ${p.column}: ${p.severity} ${p.code}: ${p.message}`;
}

export interface CsvReadOptions {
  onError?: 'stop' | 'skip';
  badDates?: BadDatePolicy;
  delimiter?: string;
}

const KNOWN = new Set<string>(RECORD_COLUMNS);
const NAME_COLUMNS = ['full_name', 'given_name', 'family_name', 'aliases'];

/** Lines (1-based) holding bytes that are not valid UTF-8. */
function badEncodingLines(buffer: Buffer): number[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(buffer);
    return [];
  } catch {
    // Find the lines: decode line by line.
  }
  const bad: number[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i <= buffer.length; i++) {
    if (i === buffer.length || buffer[i] === 0x0a) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(start, i));
      } catch {
        bad.push(line);
      }
      start = i + 1;
      line++;
    }
  }
  return bad;
}

/** Reads a list; throws CsvInputError when it cannot be used (or on the first bad row under 'stop'). */
export function readCsvRecords(buffer: Buffer, options: CsvReadOptions = {}): CsvReadResult {
  const onError = options.onError ?? 'stop';
  const delimiter = options.delimiter ?? ',';
  const problems: CsvProblem[] = [];
  const fatal = (p: Omit<CsvProblem, 'severity'>): never => {
    throw new CsvInputError([...problems, { ...p, severity: 'error' }]);
  };
  const badLines = new Set(badEncodingLines(buffer));
  if (badLines.has(1))
    fatal({ row: 1, column: '1', code: 'BAD_ENCODING', message: 'the header is not valid UTF-8' });
  const text = buffer.toString('utf8');
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const e = error as CsvError & { lines?: number; column?: number | string };
      fatal({
        row: e.lines ?? 0,
        column: String(e.column ?? '?'),
        code: 'BAD_CSV',
        message: `the file is not valid CSV (${e.code})`,
      });
    }
    throw error;
  }
  const header = rows[0];
  if (header === undefined) fatal({ row: 1, column: '1', code: 'NO_HEADER', message: 'the file is empty' });
  const names = (header as { record: string[] }).record.map((h) => h.trim().toLowerCase());
  const recognised = names.filter((n) => KNOWN.has(n));
  if (recognised.length === 0) {
    const other = [';', '\t', '|'].find((d) => d !== delimiter && (names[0] ?? '').includes(d));
    if (names.length === 1 && other !== undefined) {
      fatal({
        row: 1,
        column: '1',
        code: 'WRONG_DELIMITER',
        message: `the header is one column containing '${other === '\t' ? '\\t' : other}': wrong delimiter (expected '${delimiter}')`,
      });
    }
    fatal({
      row: 1,
      column: '1',
      code: 'NO_HEADER',
      message: `the first row names none of the recognised columns (${RECORD_COLUMNS.join(', ')})`,
    });
  }
  if (!names.some((n) => NAME_COLUMNS.includes(n))) {
    fatal({
      row: 1,
      column: '1',
      code: 'NO_NAME_COLUMN',
      message: `no name column (${NAME_COLUMNS.join(', ')})`,
    });
  }
  names.forEach((n, i) => {
    if (!KNOWN.has(n)) {
      problems.push({
        row: 1,
        column: n === '' ? String(i + 1) : n,
        severity: 'warning',
        code: 'UNKNOWN_COLUMN',
        message: 'not a recognised column: ignored',
      });
    }
  });
  const records: ReadRecord[] = [];
  let skipped = 0;
  const ids = new Set<string>();
  for (const { record, info } of rows.slice(1)) {
    const row = info.lines;
    const rowProblems: CsvProblem[] = [];
    if (badLines.has(row)) {
      rowProblems.push({
        row,
        column: '?',
        severity: 'error',
        code: 'BAD_ENCODING',
        message: 'not valid UTF-8',
      });
    }
    if (record.length !== names.length) {
      rowProblems.push({
        row,
        column: String(Math.min(record.length, names.length) + 1),
        severity: 'error',
        code: 'FIELD_COUNT',
        message: `${record.length} fields where the header has ${names.length} (wrong delimiter or quoting?)`,
      });
    }
    const input: RecordInput = {};
    names.forEach((n, i) => {
      if (KNOWN.has(n)) input[n as RecordColumn] = record[i] ?? '';
    });
    const read = readRecord(input, `row-${row}`, options.badDates ?? 'year');
    for (const p of read.problems) rowProblems.push(toCsvProblem(p, row));
    if (input.id !== undefined && input.id.trim() !== '') {
      if (ids.has(read.id)) {
        rowProblems.push({
          row,
          column: 'id',
          severity: 'warning',
          code: 'DUPLICATE_ID',
          message: 'id already used above',
        });
      }
      ids.add(read.id);
    }
    problems.push(...rowProblems);
    if (rowProblems.some((p) => p.severity === 'error')) {
      if (onError === 'stop') throw new CsvInputError(problems);
      skipped++;
      continue;
    }
    records.push(read);
  }
  return { records, problems, skipped, rows: rows.length - 1 };
}

function toCsvProblem(p: Problem, row: number): CsvProblem {
  return { row, column: p.column, severity: p.severity, code: p.code, message: p.message };
}

/** CSV text with a header, quoted where needed. */
export function writeCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return stringify([header as string[], ...(rows as (string | number)[][])]);
}
