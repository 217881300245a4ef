import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suppressSmallCells } from './suppression.ts';

/** Every row and column of the published table, margins included: never exactly one hidden cell. */
function linesOf(t: ReturnType<typeof suppressSmallCells>) {
  const rows = t.cells.map((row, r) => [...row, t.rowTotals[r] ?? null]);
  rows.push([...t.columnTotals, t.total]);
  const columns = rows[0]?.map((_, c) => rows.map((row) => row[c] ?? null)) ?? [];
  return [...rows, ...columns];
}

describe('small-cell suppression', () => {
  it('hides cells of 1 to minCell−1 and publishes zeros and large cells', () => {
    const t = suppressSmallCells(
      [
        [20, 3, 0],
        [15, 12, 0],
        [9, 8, 0],
      ],
      5,
    );
    expect(t.cells[0]?.[1]).toBeNull();
    expect(t.cells[0]?.[2]).toBe(0);
    expect(t.cells[1]?.[0]).toBe(15);
  });

  it('hides a complement so the row total cannot reveal the small cell', () => {
    const t = suppressSmallCells([[20, 3, 0]], 5);
    // 20 + ? + 0 = 23 would give the 3 away: either the total or another cell is hidden too.
    const hidden = [...(t.cells[0] ?? []), t.rowTotals[0]].filter((v) => v === null);
    expect(hidden.length).toBeGreaterThanOrEqual(2);
  });

  it('honours another minimum cell', () => {
    expect(suppressSmallCells([[8, 9]], 10).cells[0]).toEqual([null, null]);
    expect(suppressSmallCells([[8, 9]], 3).cells[0]).toEqual([8, 9]);
  });

  it('never leaves one hidden cell alone in a row or column, nor a small cell visible', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 5 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 3, max: 10 }),
        (ragged, minCell) => {
          const width = Math.min(...ragged.map((r) => r.length));
          const counts = ragged.map((r) => r.slice(0, width));
          const t = suppressSmallCells(counts, minCell);
          for (const line of linesOf(t)) expect(line.filter((v) => v === null).length).not.toBe(1);
          for (const [r, row] of counts.entries()) {
            for (const [c, n] of row.entries()) {
              if (n > 0 && n < minCell) expect(t.cells[r]?.[c]).toBeNull();
              else if (t.cells[r]?.[c] !== null) expect(t.cells[r]?.[c]).toBe(n);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
