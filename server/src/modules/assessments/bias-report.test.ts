import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { ensureShippedInstruments } from './shipped.ts';
import { insertSubject } from './test-fixtures.ts';

type BiasBody = { byAgeBand: { rows: { group: string; cells: Record<string, number | null> }[] } };
/** The cells of the 14–17 band: three boys, all rated "moderate" on housing. */
const band = (b: BiasBody) => b.byAgeBand.rows.find((r) => r.group === '14-17')?.cells;

describe('the assessment bias report', () => {
  let t: TestApp;
  let coordinator: Session;
  let worker: Session;

  /** Completed needs assessments written straight into the table: the report reads only these columns. */
  async function completedNeeds(
    count: number,
    subject: Parameters<typeof insertSubject>[1],
    judgement: string,
    housing = 'moderate',
  ) {
    const version = await t.handle.db
      .selectFrom('instrument_versions')
      .select('id')
      .where('code', '=', 'needs_assessment')
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    for (let i = 0; i < count; i += 1) {
      const { caseId, personId } = await insertSubject(t, subject);
      await t.handle.db
        .insertInto('assessments')
        .values({
          case_id: caseId,
          person_id: personId,
          instrument_version_id: version.id,
          instrument_code: 'needs_assessment',
          compartment: 'protection',
          requires_sign_off: false,
          status: 'submitted',
          answers: JSON.stringify({ housing: { value: housing } }),
          computed: JSON.stringify({}),
          output: JSON.stringify({ judgement }),
          judgement,
          submitted_at: new Date(),
          reason_event: null,
          created_by: null,
          submitted_by: null,
          signed_off_by: null,
          signed_off_at: null,
          sign_off_comment: null,
        })
        .execute();
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    await ensureShippedInstruments(t.handle.db);
    await t.addUser('bias-coordinator', ['coordinator'], 'UNHUB');
    await t.addUser('bias-worker', ['case_worker']);
    coordinator = await t.login('bias-coordinator');
    worker = await t.login('bias-worker');
    await completedNeeds(20, { sex: 'female', age: 30, nationality: 'KZ' }, 'routine');
    await completedNeeds(10, { sex: 'female', age: 30, nationality: 'KZ' }, 'urgent', 'high');
    await completedNeeds(3, { sex: 'male', age: 16, nationality: 'UZ' }, 'priority');
    await completedNeeds(2, { sex: 'male', age: 40, nationality: 'TJ' }, 'urgent', 'high');
    await completedNeeds(6, { sex: 'female', age: 8, nationality: 'UZ' }, 'priority');
  });
  afterAll(() => t.close());

  const report = (query: string, as = coordinator) =>
    t.as(as, 'GET', `/api/reports/assessment-bias?${query}`);

  it('breaks judgements down by sex, age band and nationality, hiding small cells', async () => {
    const response = await report('instrumentCode=needs_assessment');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.levels).toEqual(['routine', 'priority', 'urgent', 'not_recorded']);
    const female = body.bySex.rows.find((r: { group: string }) => r.group === 'female');
    const male = body.bySex.rows.find((r: { group: string }) => r.group === 'male');
    // Five men: 3 priority and 2 urgent are both small and hidden; the row total of 5 is published.
    expect(male).toMatchObject({ cells: { priority: null, urgent: null, routine: 0 }, total: 5 });
    // Each column holding a hidden men's cell hides one more (the smallest), so its total reveals nothing.
    expect(female).toMatchObject({ cells: { routine: 20, priority: null, urgent: null }, total: 36 });
    expect(body.bySex.totals.cells).toMatchObject({ routine: 20, priority: 9, urgent: 12 });
    expect(body.bySex.totals.total).toBe(41);
  });

  it('never lets a total reveal a hidden cell', async () => {
    const body = (await report('instrumentCode=needs_assessment')).json();
    for (const tableName of ['bySex', 'byAgeBand', 'byNationality']) {
      const table = body[tableName];
      const rows = table.rows.map((r: { cells: Record<string, number | null>; total: number | null }) => [
        ...body.levels.map((l: string) => r.cells[l]),
        r.total,
      ]);
      rows.push([...body.levels.map((l: string) => table.totals.cells[l]), table.totals.total]);
      const columns = rows[0].map((_: unknown, c: number) => rows.map((row: unknown[]) => row[c]));
      for (const line of [...rows, ...columns]) {
        expect(line.filter((v: unknown) => v === null).length, tableName).not.toBe(1);
        for (const v of line) if (v !== null) expect(v === 0 || v >= 5, tableName).toBe(true);
      }
    }
  });

  it('folds small nationalities into "other"; bands ages by the youngest possible age', async () => {
    const body = (await report('instrumentCode=needs_assessment')).json();
    const groups = body.byNationality.rows.map((r: { group: string }) => r.group);
    expect(groups).toEqual(['KZ', 'UZ', 'other']);
    const bands = body.byAgeBand.rows.map((r: { group: string }) => r.group);
    expect(bands).toEqual(['0-4', '5-9', '10-13', '14-17', '18-24', '25-59', '60+', 'unknown']);
    expect(body.byAgeBand.rows.find((r: { group: string }) => r.group === '25-59').total).toBe(32);
  });

  it('reports a rating item; a request may ask for larger cells, never below the deployment minimum', async () => {
    const body = (await report('instrumentCode=needs_assessment&item=housing')).json();
    expect(body.subject).toBe('housing');
    expect(body.minCell).toBe(5);
    expect(body.levels).toEqual(['none', 'low', 'moderate', 'high', 'unknown', 'not_recorded']);
    expect(band(body)).toMatchObject({ moderate: null, high: 0 });
    // Five men: their row total is published under the default of 5, hidden when a request asks for 7.
    const male = (b: { bySex: { rows: { group: string; total: number | null }[] } }) =>
      b.bySex.rows.find((r) => r.group === 'male')?.total;
    expect(male((await report('instrumentCode=needs_assessment')).json())).toBe(5);
    const stricter = (await report('instrumentCode=needs_assessment&minCell=7')).json();
    expect(stricter.minCell).toBe(7);
    expect(male(stricter)).toBeNull();
    const lower = await report('instrumentCode=needs_assessment&item=housing&minCell=3');
    expect(lower.statusCode).toBe(400);
    expect(lower.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { path: 'query.minCell', minimum: 5 },
    });
    expect((await report('instrumentCode=needs_assessment&minCell=2')).statusCode).toBe(400);
  });

  it('is for holders of aggregate reporting only', async () => {
    expect((await report('instrumentCode=needs_assessment', worker)).statusCode).toBe(403);
  });
});

describe('the assessment bias report under a deployment minimum cell of 3 (HOMEWARD_REPORT_MIN_CELL)', () => {
  let t: TestApp;
  let coordinator: Session;

  beforeAll(async () => {
    t = await createTestApp({ HOMEWARD_REPORT_MIN_CELL: '3' });
    await ensureShippedInstruments(t.handle.db);
    await t.addUser('bias3-coordinator', ['coordinator'], 'UNHUB');
    coordinator = await t.login('bias3-coordinator');
    const version = await t.handle.db
      .selectFrom('instrument_versions')
      .select('id')
      .where('code', '=', 'needs_assessment')
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    const needs = async (count: number, age: number, housing: string) => {
      for (let i = 0; i < count; i += 1) {
        const { caseId, personId } = await insertSubject(t, { sex: 'male', age, nationality: 'KZ' });
        await t.handle.db
          .insertInto('assessments')
          .values({
            case_id: caseId,
            person_id: personId,
            instrument_version_id: version.id,
            instrument_code: 'needs_assessment',
            compartment: 'protection',
            requires_sign_off: false,
            status: 'submitted',
            answers: JSON.stringify({ housing: { value: housing } }),
            computed: JSON.stringify({}),
            output: JSON.stringify({ judgement: 'routine' }),
            judgement: 'routine',
            submitted_at: new Date(),
            reason_event: null,
            created_by: null,
            submitted_by: null,
            signed_off_by: null,
            signed_off_at: null,
            sign_off_comment: null,
          })
          .execute();
      }
    };
    await needs(3, 16, 'low');
    await needs(2, 7, 'high');
    await needs(10, 7, 'moderate');
    await needs(10, 30, 'high');
    await needs(10, 30, 'moderate');
  });
  afterAll(() => t.close());

  it('publishes a cell of 3 by default and suppresses a cell of 2 below it', async () => {
    expect(t.config.reports.minCell).toBe(3);
    const url = '/api/reports/assessment-bias?instrumentCode=needs_assessment&item=housing';
    const response = await t.as(coordinator, 'GET', url);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.minCell).toBe(3);
    const row = (group: string) =>
      body.byAgeBand.rows.find((r: { group: string }) => r.group === group) as {
        cells: Record<string, number | null>;
        total: number | null;
      };
    // Three boys aged 14–17: published under this deployment's minimum (the default of 5 hides them).
    expect(row('14-17')).toMatchObject({ cells: { low: 3 }, total: 3 });
    // Two children aged 5–9 rated "high": below the minimum, hidden — with a complement in their row.
    expect(row('5-9')).toMatchObject({ cells: { high: null, moderate: null }, total: 12 });
    // Asking for the deployment minimum itself is allowed; below it (2) is refused by the schema.
    expect((await t.as(coordinator, 'GET', `${url}&minCell=3`)).statusCode).toBe(200);
    expect((await t.as(coordinator, 'GET', `${url}&minCell=2`)).statusCode).toBe(400);
  });
});
