/** SQL text helpers for the DuckDB executor. */

/** A SQL string literal (standard SQL: only the quote is escaped; backslashes are literal). */
export function sqlString(text: string): string {
  if (text.includes('\0')) throw new Unsupported('a NUL character in a value'); // not in a DuckDB literal
  return `'${text.replace(/'/g, "''")}'`;
}

/** A JS number as a SQL DOUBLE literal (Infinity included). */
export function sqlNumber(n: number): string {
  if (Number.isNaN(n)) return "'nan'::DOUBLE";
  if (!Number.isFinite(n)) return n > 0 ? "'inf'::DOUBLE" : "'-inf'::DOUBLE";
  return `${Object.is(n, -0) ? '-0.0' : String(n)}::DOUBLE`;
}

/** A count read back from DuckDB (a bigint, or NULL for no rows) as a number. */
export const countOf = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** A construct the DuckDB executor does not translate; the dataset runs on the arquero engine instead. */
export class Unsupported extends Error {}
