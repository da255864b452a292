/**
 * Observed column types, for the `schema` check: what the loader found, as
 * opposed to what the policy declares.
 *
 * - Text formats (CSV, TSV) carry no types: a declared column whose non-null
 *   values all parse as the declared type is observed as that type; otherwise
 *   (and for undeclared columns) the type is inferred from the raw text (the
 *   narrowest of integer, number, boolean, date, timestamp that fits every
 *   value, else string).
 * - JSON, NDJSON, Arrow and Parquet carry their own types: the observed type
 *   is the JavaScript type of the values read (whole numbers and bigints are
 *   `integer`, other numbers `number`, Date values `date` when all fall on
 *   midnight UTC, else `timestamp`). JSON has no date type, so a string column
 *   declared `date`/`timestamp` whose values all parse is observed as declared.
 * - A column without non-null values is `unknown`; values of several kinds, `mixed`.
 */
import type { ColumnType, ObservedType } from '../values/types.js';
import { inferType } from '../values/grammar.js';

/** RAW_INVALID in load.ts; repeated to keep this module free of a cycle. */
const RAW_INVALID = 2;

export interface ObserveInput {
  /** Raw values as read (before typing). */
  raw: ArrayLike<unknown>;
  declared?: ColumnType;
  /** The type the loader gave an undeclared text column. */
  inferred?: ColumnType;
  /** Per-row raw status of a declared column (RAW_INVALID marks values that did not parse). */
  status?: Uint8Array;
  /** Every file of the dataset is CSV/TSV. */
  textFormat: boolean;
}

export function observeType(input: ObserveInput): ObservedType {
  const { raw, declared, status } = input;
  const allParse = status !== undefined && !status.includes(RAW_INVALID);
  if (input.textFormat) {
    if (declared && allParse) return hasValue(raw) ? declared : 'unknown';
    if (!hasValue(raw)) return 'unknown';
    return input.inferred ?? inferType(raw);
  }
  const physical = physicalType(raw);
  if (physical === 'string' && (declared === 'date' || declared === 'timestamp') && allParse) return declared;
  return physical;
}

/** The type of the JavaScript values a typed reader produced. */
export function physicalType(values: ArrayLike<unknown>): ObservedType {
  let type: ObservedType = 'unknown';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    type = mergeObservedTypes(type, valueType(v));
    if (type === 'mixed') return type;
  }
  return type;
}

function valueType(v: unknown): ObservedType {
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Date) return v.getTime() % 86_400_000 === 0 ? 'date' : 'timestamp';
  return 'mixed'; // nested objects and arrays are not one of the column types
}

/**
 * Combine the types of two parts of a column (two files of a glob, two
 * batches): integer and number give number, date and timestamp give
 * timestamp, `unknown` gives way to anything, other pairs are `mixed`.
 */
export function mergeObservedTypes(a: ObservedType, b: ObservedType): ObservedType {
  if (a === b || b === 'unknown') return a;
  if (a === 'unknown') return b;
  const pair = new Set([a, b]);
  if (pair.has('integer') && pair.has('number')) return 'number';
  if (pair.has('date') && pair.has('timestamp')) return 'timestamp';
  return 'mixed';
}

function hasValue(values: ArrayLike<unknown>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== null && values[i] !== undefined) return true;
  return false;
}
