/**
 * The value grammar: how a raw value (text from CSV, a JSON value, an Arrow
 * cell) becomes a typed value. A value that does not parse is reported as
 * invalid, never coerced: the loader keeps it aside for the `type` check.
 *
 * The in-process engine runs the parsers below; each SQL dialect
 * (src/engine/duckdb/dialect.ts, src/engine/postgres/dialect.ts) writes the
 * same grammar in SQL from the patterns and word lists exported here, so the
 * text a value must match is stated once.
 */
import type { ColumnType, Scalar } from './types.js';
import { compileDateFormat, matchDateFormat } from './date-format.js';

/** Returned by a parser when the raw value is not of the type. */
export const INVALID = Symbol('invalid');

/*
 * The grammar's patterns, unanchored, without surrounding whitespace, in the
 * subset that JavaScript, RE2 (DuckDB) and PostgreSQL's ARE read alike:
 * classes, counted repeats, alternation, capturing and (?:) groups.
 * No ambiguous split between digit runs: matching is linear.
 */
export const INTEGER_PATTERN = '[+-]?[0-9]+';
export const NUMBER_PATTERN = '[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?';
/** Groups: year, month, day. */
export const DATE_PATTERN = '([0-9]{4})-([0-9]{2})-([0-9]{2})';
/**
 * Groups: year, month, day, hour, minute, second, fraction (with its dot),
 * zone. `ws` is the engine's spelling of optional whitespace (JavaScript's
 * `\s*`: what trim() removes), allowed before the zone.
 */
export const timestampPattern = (ws: string): string =>
  `([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(\\.[0-9]{1,9})?)?)?${ws}([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?`;
/** The whitespace trim() removes around a value (JavaScript's \s), as code points, for dialects to spell. */
export const TRIM_WHITESPACE: readonly number[] = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];
/** Boolean spellings, after trimming and lower-casing. */
export const TRUE_WORDS: readonly string[] = ['true', 't', 'yes', 'y', '1'];
export const FALSE_WORDS: readonly string[] = ['false', 'f', 'no', 'n', '0'];

const INTEGER = new RegExp(`^${INTEGER_PATTERN}$`);
const NUMBER = new RegExp(`^${NUMBER_PATTERN}$`);
const DATE = new RegExp(`^${DATE_PATTERN}$`);
const TIMESTAMP = new RegExp(`^${timestampPattern('\\s*')}$`);
const TRUE = new Set(TRUE_WORDS);
const FALSE = new Set(FALSE_WORDS);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when year/month/day is a proleptic Gregorian calendar date. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

type Parser = (raw: unknown) => Scalar | typeof INVALID;

/** The 64-bit signed range of Parquet and Arrow int64 (and SQL BIGINT): what `integer` holds. */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * An integer as assay keeps it: a number within ±(2^53 − 1), where every
 * integer is exact, and a bigint beyond, so no integer is ever rounded (as
 * Parquet and Arrow int64 arrive). Outside the int64 range: INVALID.
 */
export function exactInteger(value: bigint): number | bigint | typeof INVALID {
  if (value < INT64_MIN || value > INT64_MAX) return INVALID;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

export const PARSERS: Record<ColumnType, Parser> = {
  integer(raw) {
    // A float beyond 2^53 may already be rounded (1e20 could have been any of many integers): not known to be one.
    if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : INVALID;
    if (typeof raw === 'bigint') return exactInteger(raw);
    if (typeof raw === 'string') {
      const fast = plainInteger(raw);
      if (fast !== undefined) return fast;
    }
    if (typeof raw === 'string' && INTEGER.test(raw.trim())) return exactInteger(BigInt(raw.trim()));
    return INVALID;
  },
  number(raw) {
    if (typeof raw === 'number') return Number.isFinite(raw) ? raw : INVALID;
    if (typeof raw === 'bigint') return Number(raw); // a declared number is a float: its precision is the policy's choice
    if (typeof raw === 'string' && NUMBER.test(raw.trim())) {
      // `1e309` overflows to Infinity: too large to be a number, so not one (not coerced to ±Infinity).
      const n = Number(raw);
      return Number.isFinite(n) ? n : INVALID;
    }
    return INVALID;
  },
  string(raw) {
    return typeof raw === 'string' ? raw : INVALID;
  },
  boolean(raw) {
    if (typeof raw === 'boolean') return raw;
    if (typeof raw === 'string') {
      const t = raw.trim().toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
    }
    return INVALID;
  },
  date(raw) {
    // Arrow and Parquet dates arrive as Dates at midnight UTC; a Date with a
    // time of day is a timestamp, and truncating it would be a silent coercion.
    if (raw instanceof Date) return Number.isNaN(raw.getTime()) || raw.getTime() % 86_400_000 !== 0 ? INVALID : raw;
    if (typeof raw !== 'string') return INVALID;
    const m = DATE.exec(raw.trim());
    if (!m || !isCalendarDate(+m[1], +m[2], +m[3])) return INVALID;
    return new Date(daysFromCivil(+m[1], +m[2], +m[3]) * 86_400_000);
  },
  timestamp(raw) {
    if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? INVALID : raw;
    if (typeof raw !== 'string') return INVALID;
    return parseTimestamp(raw);
  },
};

/**
 * The parser of a declared column: its type's, or for a date or timestamp
 * with a strftime `format:` (date-format.ts), text read through that format.
 * Values that are already dates (Arrow, Parquet) are taken as the type takes them.
 */
export function columnParser(type: ColumnType, format: string | undefined): Parser {
  if (format === undefined || (type !== 'date' && type !== 'timestamp')) return PARSERS[type];
  const compiled = compileDateFormat(format, type);
  return (raw) => {
    if (typeof raw !== 'string') return PARSERS[type](raw);
    const p = matchDateFormat(compiled, raw);
    if (!p || !p.ok || !isCalendarDate(p.year, p.month, p.day) || p.hour > 23 || p.minute > 59 || p.second > 59 || Math.abs(p.offset) > 18 * 60) return INVALID;
    const time = daysFromCivil(p.year, p.month, p.day) * 86_400_000 + p.hour * 3_600_000 + p.minute * 60_000 + p.second * 1000 + p.millisecond;
    return new Date(time - p.offset * 60_000);
  };
}

/**
 * ISO 8601 timestamps: `2026-01-05`, `2026-01-05T10:00`, `2026-01-05 10:00:00.123`,
 * with `Z` or an offset (`+02:00`, `+0200`, `+02`). Without a zone the time is UTC.
 */
export function parseTimestamp(text: string): Date | typeof INVALID {
  const fast = plainTimestamp(text);
  if (fast) return fast;
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return INVALID;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  if (!isCalendarDate(+y, +mo, +d) || +h > 23 || +mi > 59 || +s > 59) return INVALID;
  const ms = frac ? Number(`${frac.slice(1)}00`.slice(0, 3)) : 0; // digits past milliseconds are dropped
  // Not Date.UTC: it reads years 0–99 as 1900–1999; ISO 8601 years are literal.
  let time = daysFromCivil(+y, +mo, +d) * 86_400_000 + +h * 3_600_000 + +mi * 60_000 + +s * 1000 + ms;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0);
    if (offsetMinutes > 18 * 60) return INVALID;
    time -= sign * offsetMinutes * 60_000;
  }
  return new Date(time);
}

/**
 * Infer a type for an undeclared column from its non-null values: the
 * narrowest of integer, number, boolean, date, timestamp that fits them all,
 * else string. Values that are already typed (JSON, Arrow) keep their type.
 * Integers are exact (bigints beyond 2^53); a column with an integer too long
 * for int64 is text, since as a number it would be rounded.
 */
export function inferType(values: ArrayLike<unknown>, limit = values.length): ColumnType {
  const candidates: ColumnType[] = ['integer', 'number', 'boolean', 'date', 'timestamp'];
  let alive = new Set(candidates);
  let seen = 0;
  for (let i = 0; i < values.length && seen < limit && alive.size > 0; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    seen++;
    if (typeof v === 'string' && v.trim() === '') return 'string';
    for (const t of alive) if (PARSERS[t](v) === INVALID) alive.delete(t);
    if (isOverlongInteger(v)) return 'string';
    // "1"/"0" parse as booleans too; a column of them is more likely integer
  }
  if (seen === 0) return 'string';
  alive = new Set(candidates.filter((t) => alive.has(t)));
  return (alive.values().next().value as ColumnType | undefined) ?? 'string';
}

/** Text written as an integer but beyond the int64 range (SQL: integerOverflowSql in engine/duckdb/dialect.ts). */
export function isOverlongInteger(v: unknown): boolean {
  return typeof v === 'string' && INTEGER.test(v.trim()) && PARSERS.integer(v) === INVALID;
}

/*
 * Fast paths for the commonest spellings, checked character by character
 * (no regex, no allocation). Anything else, including every invalid value,
 * takes the general path above, which decides.
 */

/** `123`, `-42`: up to 15 digits (always a safe integer). */
function plainInteger(text: string): number | undefined {
  const length = text.length;
  let i = 0;
  let sign = 1;
  const first = text.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    sign = first === 45 ? -1 : 1;
    i = 1;
  }
  if (length === i || length - i > 15) return undefined;
  let n = 0;
  for (; i < length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return sign * n;
}

/** Digits at [start, start + count) as a number, or -1. */
function digitsAt(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** `2026-01-05T10:00:00Z` and `2026-01-05T10:00:00.123Z` (also with a space for `T`). */
function plainTimestamp(text: string): Date | undefined {
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90 /* Z */) return undefined;
  const t = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (t !== 84 && t !== 32) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  if (length === 24 && text.charCodeAt(19) !== 46 /* . */) return undefined;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  const h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2);
  const s = digitsAt(text, 17, 2);
  const ms = length === 24 ? digitsAt(text, 20, 3) : 0;
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || ms < 0 || h > 23 || mi > 59 || s > 59 || !isCalendarDate(y, mo, d)) return undefined;
  return new Date(daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + ms);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil); what Date.UTC computes, without the call (and with years 0–99 as written). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
