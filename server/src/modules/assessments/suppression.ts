/**
 * Small-cell suppression for aggregate tables (DOMAIN.md §7): a cell counting 1 to minCell−1 persons
 * is not published, and complementary cells are suppressed until no row or column of the table —
 * margins included — holds exactly one suppressed cell, so no total gives a hidden cell away by
 * subtraction. Zero cells are published (they reveal nobody) but may be taken as complements.
 */
export const DEFAULT_MIN_CELL = 5;

export interface SuppressedTable {
  /** Cells by row and column; null where suppressed. */
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
}

export function suppressSmallCells(counts: number[][], minCell = DEFAULT_MIN_CELL): SuppressedTable {
  if (!Number.isInteger(minCell) || minCell < 1) throw new RangeError('minCell must be a positive integer');
  const rows = counts.length;
  const columns = counts[0]?.length ?? 0;
  // The full grid: rows × columns, plus a totals column (index `columns`) and a totals row (index `rows`).
  const grid: number[][] = [];
  for (let r = 0; r <= rows; r += 1) {
    const line: number[] = [];
    for (let c = 0; c <= columns; c += 1) {
      if (r < rows && c < columns) line.push(counts[r]?.[c] ?? 0);
      else if (r < rows) line.push((counts[r] ?? []).reduce((a, b) => a + b, 0));
      else if (c < columns) line.push(counts.reduce((a, row) => a + (row[c] ?? 0), 0));
      else line.push(counts.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0));
    }
    grid.push(line);
  }
  const hidden = grid.map((line) => line.map((n) => n > 0 && n < minCell));

  const lines: [number, number][][] = [];
  for (let r = 0; r <= rows; r += 1) lines.push(Array.from({ length: columns + 1 }, (_, c) => [r, c]));
  for (let c = 0; c <= columns; c += 1) lines.push(Array.from({ length: rows + 1 }, (_, r) => [r, c]));

  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      const suppressed = line.filter(([r, c]) => hidden[r]?.[c]);
      if (suppressed.length !== 1) continue;
      // Complement: the smallest published non-zero cell of the line, or failing that a zero.
      const candidates = line
        .filter(([r, c]) => !hidden[r]?.[c])
        .sort(([r1, c1], [r2, c2]) => {
          const a = grid[r1]?.[c1] ?? 0;
          const b = grid[r2]?.[c2] ?? 0;
          if ((a === 0) !== (b === 0)) return a === 0 ? 1 : -1;
          return a - b;
        });
      const pick = candidates[0];
      if (!pick) continue;
      const [r, c] = pick;
      const row = hidden[r];
      if (row) row[c] = true;
      changed = true;
    }
  }

  const value = (r: number, c: number) => (hidden[r]?.[c] ? null : (grid[r]?.[c] ?? 0));
  return {
    cells: Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => value(r, c))),
    rowTotals: Array.from({ length: rows }, (_, r) => value(r, columns)),
    columnTotals: Array.from({ length: columns }, (_, c) => value(rows, c)),
    total: value(rows, columns),
  };
}
