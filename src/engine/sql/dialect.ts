/**
 * What differs between SQL engines, in one interface: each engine is one
 * dialect module (src/engine/duckdb/dialect.ts, src/engine/postgres/dialect.ts)
 * and the compiler (./plan-sql.ts, ./expression.ts, ./aggregate-sql.ts,
 * ./formats.ts) writes SQL only through it. A dialect method that cannot
 * express assay's meaning exactly throws Unsupported (./sql.ts) naming the
 * construct.
 */
import type { ColumnType } from '../../values/types.js';

export interface Dialect {
  name: 'duckdb' | 'postgres' | 'spark';
  /** A quoted identifier, used exactly as written. */
  identifier(name: string): string;
  /** A string literal. */
  string(text: string): string;
  /** A JavaScript number as a double-precision literal (NaN and ±Infinity included). */
  number(n: number): string;
  /** The double-precision type name, for casts. */
  double: string;
  /** Double division with IEEE results (x / 0 is ±Infinity, 0 / 0 is NaN), as in JavaScript. */
  divide(a: string, b: string): string;
  /** An aggregate: the number of rows where `condition` is true. */
  countIf(condition: string): string;
  /** True when the double `x` is NaN. */
  isNaN(x: string): string;
  /** True when a JavaScript regex (source text, unanchored, no flags) finds a match in the text `x`. */
  regexFind(x: string, regex: string): string;
  /** True when the whole text `x` matches `pattern` (a JavaScript RegExp written in the RE2/ARE common subset). */
  regexFull(x: string, pattern: RegExp): string;
  /** Capture group `group` of `pattern` in `x`, as an integer (NULL when empty). */
  regexGroupInt(x: string, pattern: RegExp, group: number): string;
  /** True when the text `a` contains, starts with, ends with the text `b` (SQL expressions; NULL in, NULL out). */
  contains(a: string, b: string): string;
  startsWith(a: string, b: string): string;
  endsWith(a: string, b: string): string;
  /** True when integers y, m, d form a proleptic Gregorian calendar date. */
  calendar(y: string, m: string, d: string): string;
  /** The linearly interpolated quantile `q` of the double `x`, as an aggregate with FILTER appended by the caller. */
  quantile(x: string, q: number, filter: string): string;
  /** The sample and population variance and deviation aggregates. */
  statistic(fn: 'var_samp' | 'var_pop' | 'stddev_samp' | 'stddev_pop', x: string): string;
  /** An aggregate listing the first `limit` values of the BIGINT `row` among rows where `condition` holds, or undefined when samples take their own query. */
  firstRows?(row: string, limit: number, condition: string): string;
  /** The value of `x` in the row with the smallest `row`, or undefined when not expressible. */
  firstValue?(x: string, row: string, condition: string): string;
  /** The value grammar of assay (src/values/grammar.ts) over the text `raw`: the typed value, NULL when missing or invalid. */
  typed(raw: string, type: ColumnType, dateFormat?: string): string;
  /** True when the text `raw` is only whitespace (inference then says string). */
  blank(raw: string): string;
}
