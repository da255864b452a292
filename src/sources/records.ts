/**
 * JSON-shaped input (JSON arrays, NDJSON lines, Parquet rows): records →
 * columns, and the one-line errors that name where a record went wrong.
 */
import { isInteger, parse as parseLossless } from 'lossless-json';
import { DataError, errorMessage } from '../util/diagnostics.js';
import { isReservedColumnName } from './guard.js';
import { lineOf, refuseDuplicateKeys } from './json-keys.js';

/** Raw values of a run of rows from one file. */
export interface RawBatch {
  /** Column names of this batch, in file order. */
  names: string[];
  /** One array per name: raw cell values (CSV text, JSON values, Arrow/Parquet cells); null when missing. */
  values: unknown[][];
  rows: number;
  /** 1-based number of the batch's first row in its file (header excluded). */
  firstRow: number;
}

/**
 * Rows of objects → columns; the column set is the union of keys, in
 * first-seen order. `where(i)` names record i in errors (`file` or `file:line`),
 * `label(i)` says which record it is.
 */
export function fromRecords(records: unknown[], firstRow: number, where: (i: number) => string, label: (i: number) => string): RawBatch {
  const names: string[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new DataError(`${where(i)}: expected an object, found ${jsonTypeName(r)} (${label(i)})`);
    }
    for (const key of Object.keys(r)) {
      if (!seen.has(key)) {
        if (isReservedColumnName(key)) throw new DataError(`${where(i)}: key "${key}" is not supported as a column name (it is reserved in JavaScript) (${label(i)})`, 'rename the key');
        seen.add(key);
        names.push(key);
      }
    }
  });
  const values = names.map((name) =>
    records.map((r, i) => {
      const value = normalizeCell((r as Record<string, unknown>)[name]);
      if (isUnrepresentableDate(value)) throw unrepresentableDate(where(i), name, label(i));
      return value;
    }),
  );
  return { names, values, rows: records.length, firstRow };
}

/**
 * A Date whose time is NaN: what decoders make of a timestamp beyond the
 * ±8.64e15 ms a JavaScript Date holds (year 275760). No real data is there;
 * a corrupted Parquet or Arrow value is, and it cannot be shown or compared.
 */
export function isUnrepresentableDate(value: unknown): boolean {
  return value instanceof Date && Number.isNaN(value.getTime());
}

/** The one-line error for such a value; `where` names the file (and line), `label` the record. */
export function unrepresentableDate(where: string, column: string, label: string): DataError {
  return new DataError(`${where}: column ${JSON.stringify(column)} holds a date or timestamp beyond year 275760, which cannot be represented (${label})`, 'the file is probably corrupt');
}

/**
 * Missing keys and undefined are null. Parquet INT64 arrives as bigint (and
 * JSON integers beyond 2^53, see exactNumbers): it becomes a number when
 * that is exact, and stays a bigint otherwise, exact.
 */
export function normalizeCell(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
}

/** Parse a whole JSON document; errors name `file:line:col`. Numbers as exactNumbers does. */
export function parseJsonDocument(file: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DataError(`${file}:${jsonErrorPosition(text, e)}: invalid JSON: ${jsonErrorReason(e)}`);
  }
  refuseDuplicateKeys(text, (offset) => `${file}:${lineOf(text, offset)}`);
  return exactNumbers(text, value);
}

/** 16 digits in a row: the only place an integer literal beyond 2^53 can be (2^53 has 16 digits). */
const LONG_DIGITS = /\d{16}/;

/**
 * `value` (JSON.parse of valid `text`, free of duplicate keys) with its
 * integers exact: JSON.parse rounds an integer literal beyond 2^53 to the
 * nearest double, so a text that may hold one is parsed again by
 * lossless-json, which hands each number over as written; integers become
 * numbers when exact, else bigints (as Parquet and Arrow int64 arrive),
 * other numbers doubles as JSON.parse makes them. JSON.parse still runs
 * first: it is the validator, with V8's messages, and the fast path for
 * the usual text without 16 digits in a row.
 */
export function exactNumbers(text: string, value: unknown): unknown {
  return LONG_DIGITS.test(text) ? parseLossless(text, undefined, exactNumber) : value;
}

function exactNumber(text: string): number | bigint {
  if (!isInteger(text)) return Number(text);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** `line:col` of a JSON.parse error, from the position V8 reports (1:1 when it gives none). */
function jsonErrorPosition(text: string, e: unknown): string {
  const match = /at position (\d+)/.exec(errorMessage(e));
  const offset = match ? Number(match[1]) : /Unexpected end of JSON input/.test(errorMessage(e)) ? text.length : 0;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${col}`;
}

/** V8's message without the position and the quoted snippet of the input. */
export function jsonErrorReason(e: unknown): string {
  return errorMessage(e)
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/, "[^]*" is not valid JSON$/, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
}

export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
