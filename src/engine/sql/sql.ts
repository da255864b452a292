/** SQL text helpers shared by every dialect. */

/** A SQL string literal (standard SQL: only the quote is escaped; backslashes are literal). */
export function standardString(text: string): string {
  if (text.includes('\0')) throw new Unsupported('a NUL character in a value'); // no SQL engine holds one in text
  return `'${text.replace(/'/g, "''")}'`;
}

/** A standard SQL quoted identifier. */
export function standardIdentifier(name: string): string {
  if (name.includes('\0')) throw new Unsupported('a NUL character in a name');
  return `"${name.replace(/"/g, '""')}"`;
}

/** A count read back from an engine (a bigint or numeric text, or NULL for no rows) as a number. */
export const countOf = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** A construct an SQL executor does not translate exactly; the message names it. */
export class Unsupported extends Error {}

/** A measure reads a column the data does not have: every executor reports it as the in-process engine does (an `error` of that measure). */
export class MissingColumn extends Unsupported {}
