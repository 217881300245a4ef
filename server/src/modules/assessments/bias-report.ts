import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { authorize } from '../access/access.ts';
import { AGE_BANDS, ageBandOf } from '../persons/age.ts';
import { allowedValues, itemsOf } from './instrument.ts';
import { findInstrumentVersion } from './repository.ts';
import { suppressSmallCells } from './suppression.ts';

/** How an unanswered item or a missing judgement is counted: as a level of its own, never dropped. */
const NOT_RECORDED = 'not_recorded';
const UNKNOWN_GROUP = 'unknown';
const OTHER_GROUP = 'other';

interface CountRow {
  sex: string;
  youngest: number | null;
  nationality: string | null;
  value: string | null;
  n: number;
}

function table(
  rows: CountRow[],
  groupOf: (row: CountRow) => string,
  groups: string[],
  levels: string[],
  minCell: number,
) {
  const counts = groups.map(() => levels.map(() => 0));
  for (const row of rows) {
    const g = groups.indexOf(groupOf(row));
    const l = levels.indexOf(row.value ?? NOT_RECORDED);
    const line = counts[g];
    if (line && l >= 0) line[l] = (line[l] ?? 0) + row.n;
  }
  const suppressed = suppressSmallCells(counts, minCell);
  const cellsOf = (values: (number | null)[]) =>
    Object.fromEntries(levels.map((level, i) => [level, values[i] ?? null]));
  return {
    rows: groups.map((group, g) => ({
      group,
      cells: cellsOf(suppressed.cells[g] ?? []),
      total: suppressed.rowTotals[g] ?? null,
    })),
    totals: { cells: cellsOf(suppressed.columnTotals), total: suppressed.total },
  };
}

/**
 * Bias monitoring: how an instrument's summary judgement (or one rating item) is distributed by sex,
 * age band (youngest possible age on the day of submission) and nationality, over completed
 * assessments. Aggregates only, with small cells and their complements suppressed (null).
 */
export async function assessmentBiasReport(
  ctx: ServiceContext,
  request: { instrumentCode: string; item?: string | undefined; minCell?: number | undefined },
) {
  authorize(ctx.actor, 'reports:aggregate');
  // The deployment's minimum cell is the default and the floor: nobody publishes smaller cells.
  const floor = ctx.config.reports.minCell;
  if (request.minCell !== undefined && request.minCell < floor) {
    throw new AppError('VALIDATION_FAILED', {
      message: `This deployment publishes no cell smaller than ${floor}`,
      details: { path: 'query.minCell', minimum: floor },
    });
  }
  const query = { ...request, minCell: request.minCell ?? floor };
  const instrument = await findInstrumentVersion(ctx.db, query.instrumentCode);
  if (!instrument) throw new AppError('INSTRUMENT_NOT_FOUND', { details: { path: 'query.instrumentCode' } });
  const def = instrument.definition;
  let levels: string[];
  if (query.item) {
    const found = itemsOf(def).find(({ item }) => item.id === query.item)?.item;
    const values = found && found.type !== 'multi_choice' ? allowedValues(def, found) : null;
    if (!values) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'The item is not a rating, yes/no or single-choice item of this instrument',
        details: { path: 'query.item' },
      });
    }
    levels = values.map(String);
  } else {
    if (!def.output.judgement) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'This instrument has no summary judgement: name an item',
        details: { path: 'query.item' },
      });
    }
    levels = def.output.judgement.levels.map((l) => l.value);
  }
  levels = [...levels, NOT_RECORDED];

  const value = query.item
    ? sql<string | null>`a.answers -> ${query.item}::text ->> 'value'`
    : sql<string | null>`a.judgement`;
  const result = await sql<CountRow>`
    SELECT p.sex,
      CASE WHEN p.birth_date_to IS NULL THEN NULL
        ELSE date_part('year', age(a.submitted_at::date, p.birth_date_to))::int END AS youngest,
      nat.country AS nationality,
      ${value} AS value,
      count(*)::int AS n
    FROM assessments a
    JOIN persons p ON p.id = a.person_id
    LEFT JOIN LATERAL (
      SELECT n.country FROM person_nationalities n
      WHERE n.person_id = p.id AND n.status IN ('verified', 'claimed')
      ORDER BY (n.status = 'verified') DESC, n.created_at, n.id LIMIT 1
    ) nat ON true
    WHERE a.instrument_code = ${def.code}
      AND (a.status = 'signed_off' OR (a.status = 'submitted' AND NOT a.requires_sign_off))
    GROUP BY 1, 2, 3, 4`.execute(ctx.db);
  const rows = result.rows;

  const sexes = ['female', 'male', 'unknown'];
  const bands = [...AGE_BANDS, UNKNOWN_GROUP];
  // A nationality with fewer than minCell assessed persons is folded into "other": even its name
  // appearing as a row would tell that someone of it was assessed.
  const perNationality = new Map<string, number>();
  for (const r of rows)
    perNationality.set(
      r.nationality ?? UNKNOWN_GROUP,
      (perNationality.get(r.nationality ?? UNKNOWN_GROUP) ?? 0) + r.n,
    );
  const nationalityOf = (r: CountRow) => {
    const n = r.nationality ?? UNKNOWN_GROUP;
    return (perNationality.get(n) ?? 0) >= query.minCell ? n : OTHER_GROUP;
  };
  const nationalities = [...new Set(rows.map(nationalityOf))].sort();
  const bandOf = (row: CountRow) =>
    row.youngest === null ? UNKNOWN_GROUP : ageBandOf(Math.max(0, row.youngest));

  const report = {
    instrumentCode: def.code,
    subject: query.item ?? 'judgement',
    minCell: query.minCell,
    levels,
    suppressed:
      'null marks a cell of fewer than minCell persons, or a complementary cell that would reveal one',
    bySex: table(rows, (r) => r.sex, sexes, levels, query.minCell),
    byAgeBand: table(rows, bandOf, bands, levels, query.minCell),
    byNationality: table(rows, nationalityOf, nationalities, levels, query.minCell),
  };
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.audit, {
      action: 'report.assessment_bias',
      targetType: 'instrument',
      targetId: def.code,
      details: { subject: report.subject, minCell: query.minCell },
    }),
  );
  return report;
}
