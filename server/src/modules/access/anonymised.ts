/**
 * The fixed text that replaces free text when a person is anonymised (access/subject-rights.ts). Its
 * own file with no imports, so every module's anonymisation helper can use it without a cycle.
 * Long enough for every column's minimum length (a break-glass reason needs 20 characters).
 */
export const ANONYMISED_TEXT = '[removed by anonymisation]';

/** Rows changed by one statement, as Kysely reports them on both backends. */
export function changed(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined): number {
  return Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0n);
}
