/**
 * The kinds of values assay handles, in one place: every stage (sources,
 * plan, checks, engines, SQL dialects, reports) imports them from here.
 * What text parses as which type is ./grammar.ts; strftime formats are
 * ./date-format.ts; how engines compare values is ./compare.ts.
 */

/**
 * A value in a table cell or a measure result. Integers are numbers within
 * ±2^53 and bigints beyond (exact, as Parquet and Arrow int64 arrive).
 */
export type Scalar = string | number | bigint | boolean | Date | null;

/** Column types a dataset may declare. */
export const COLUMN_TYPES = ['integer', 'number', 'string', 'boolean', 'date', 'timestamp'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** A type the loader observed: a column type, `mixed` (several), or `unknown` (no non-null values). */
export type ObservedType = ColumnType | 'mixed' | 'unknown';

/** A column as found in the data. */
export interface ObservedColumn {
  name: string;
  type: ObservedType;
}
