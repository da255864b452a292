/**
 * The DuckDB dialect of the SQL compiler (../sql/dialect.ts): literals,
 * regular expressions (RE2), statistics, and column typing.
 *
 * Column typing in SQL: the same grammar as src/values/grammar.ts (from its patterns), written as
 * DuckDB expressions over a column's raw text, so a value is valid, invalid
 * or null exactly as the arquero engine types it (a property test compares
 * the two on random text). DuckDB's own casts accept more spellings than
 * assay does (e.g. `1_000`), so they are only used on text the regexes have
 * already accepted.
 *
 * Values keep JavaScript's representation: integers (up to 2^53; see
 * typedSql) and numbers as DOUBLE,
 * dates and timestamps as DOUBLE milliseconds since the epoch (what a JS
 * Date compares by), booleans as BOOLEAN, text as VARCHAR.
 */
import type { ColumnType } from '../../values/types.js';
import type { Dialect } from '../sql/dialect.js';
import { standardIdentifier, standardString as sqlString } from '../sql/sql.js';
import { compileDateFormat, MONTHS, type CompiledDateFormat } from '../../values/date-format.js';
import { DATE_PATTERN, FALSE_WORDS, INTEGER_PATTERN, NUMBER_PATTERN, timestampPattern, TRIM_WHITESPACE, TRUE_WORDS } from '../../values/grammar.js';

/** JavaScript's `String.prototype.trim` whitespace, as an RE2 class. */
const WS = `[${TRIM_WHITESPACE.map((c) => `\\x{${c.toString(16).toUpperCase()}}`).join('')}]*`;

/**
 * Macros the typing expressions call: days since 1970-01-01 of a proleptic
 * Gregorian date (days_from_civil, as src/values/grammar.ts), and whether a
 * year/month/day is a calendar date (as isCalendarDate).
 */
export const TYPING_MACROS = [
  // yy: the year counted from March; era: floor(yy / 400) (SQL's // truncates towards zero).
  `CREATE OR REPLACE TEMP MACRO assay_era(yy) AS ((CASE WHEN yy >= 0 THEN yy ELSE yy - 399 END) // 400)`,
  `CREATE OR REPLACE TEMP MACRO assay_doe(yy, m, d) AS (
     (yy - assay_era(yy) * 400) * 365 + (yy - assay_era(yy) * 400) // 4 - (yy - assay_era(yy) * 400) // 100
     + (153 * (m + CASE WHEN m > 2 THEN -3 ELSE 9 END) + 2) // 5 + d - 1)`,
  `CREATE OR REPLACE TEMP MACRO assay_days(y, m, d) AS (
     assay_era(CASE WHEN m <= 2 THEN y - 1 ELSE y END) * 146097 + assay_doe(CASE WHEN m <= 2 THEN y - 1 ELSE y END, m, d) - 719468)`,
  `CREATE OR REPLACE TEMP MACRO assay_calendar(y, m, d) AS (
     m BETWEEN 1 AND 12 AND d >= 1 AND d <= CASE
       WHEN m = 2 THEN CASE WHEN y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0) THEN 29 ELSE 28 END
       WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END)`,
];

const INTEGER_FAST = sqlString('[+-]?[0-9]{1,15}');
const INTEGER = sqlString(`^${WS}(${INTEGER_PATTERN})${WS}$`);
const NUMBER_FAST = sqlString('[+-]?[0-9]{1,15}(\\.[0-9]{1,15})?');
const NUMBER = sqlString(`^${WS}(${NUMBER_PATTERN})${WS}$`);
const TRUE = `(${TRUE_WORDS.map(sqlString).join(', ')})`;
const FALSE = `(${FALSE_WORDS.map(sqlString).join(', ')})`;
const TRIMMED = sqlString(`^${WS}(.*?)${WS}$`);
const DATE = sqlString(`^${WS}${DATE_PATTERN}${WS}$`);
const TIMESTAMP = sqlString(`^${WS}${timestampPattern(WS)}${WS}$`);
/** `YYYY-MM-DD HH:MM:SS`, a digit in every digit's place. */
const SPACE_TIMESTAMP_GLOB = '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]';
const TIMESTAMP_PARTS = "['y', 'mo', 'd', 'h', 'mi', 's', 'frac', 'zone']";

/** `text` (a SQL integer expression) as an integer, 0 when empty (an absent optional group). */
const part = (text: string): string => `coalesce(TRY_CAST(nullif(${text}, '') AS INTEGER), 0)`;

/** Milliseconds of a date and time of day, or NULL when they are not a calendar date and a time. */
function epochMs(y: string, mo: string, d: string, h: string, mi: string, s: string, ms: string, offsetMinutes: string): string {
  return `CASE WHEN assay_calendar(${y}, ${mo}, ${d}) AND ${h} <= 23 AND ${mi} <= 59 AND ${s} <= 59 AND abs(${offsetMinutes}) <= 1080
    THEN (assay_days(${y}, ${mo}, ${d})::BIGINT * 86400000 + ${h} * 3600000 + ${mi} * 60000 + ${s} * 1000 + ${ms} - ${offsetMinutes} * 60000)::DOUBLE END`;
}

/** True when the text is only whitespace (JavaScript's `trim()` empties it): inference then says string. */
export function blankSql(raw: string): string {
  return `regexp_full_match(${raw}, ${sqlString(WS.replace(/\*$/, '+'))})`;
}

/** True when the text is written as an integer but lies beyond int64 (types.ts isOverlongInteger): inference then says string. */
export function integerOverflowSql(raw: string): string {
  return `(regexp_full_match(${raw}, ${INTEGER}) AND TRY_CAST(regexp_extract(${raw}, ${INTEGER}, 1) AS BIGINT) IS NULL)`;
}

/** The largest integer a DOUBLE (and a JavaScript number) holds exactly with all below it: 2^53 − 1. */
export const MAX_EXACT_DOUBLE_INTEGER = '9007199254740991';

/**
 * A SQL expression typing `raw` (a VARCHAR expression, NULL for missing values) as `type`, read through
 * the column's strftime `dateFormat` when it has one; NULL when missing or invalid.
 */
export function typedSql(raw: string, type: ColumnType, dateFormat?: string): string {
  if (dateFormat !== undefined && (type === 'date' || type === 'timestamp')) return formattedSql(raw, compileDateFormat(dateFormat, type));
  switch (type) {
    case 'string':
      return raw;
    case 'integer': {
      // Valid within the int64 range, as in types.ts. The value is a DOUBLE, exact up to 2^53; the
      // executor hands a column holding an integer beyond that to the arquero engine, which keeps it exact.
      const exact = `TRY_CAST(regexp_extract(${raw}, ${INTEGER}, 1) AS BIGINT)`;
      return `CASE WHEN regexp_full_match(${raw}, ${INTEGER_FAST}) THEN CAST(${raw} AS DOUBLE)
        WHEN regexp_full_match(${raw}, ${INTEGER}) AND ${exact} IS NOT NULL THEN ${exact}::DOUBLE END`;
    }
    case 'number': {
      // A huge exponent overflows to ±Infinity in JavaScript and in DuckDB alike: not a number (as in types.ts).
      const slow = `TRY_CAST(regexp_extract(${raw}, ${NUMBER}, 1) AS DOUBLE)`;
      return `CASE WHEN regexp_full_match(${raw}, ${NUMBER_FAST}) THEN CAST(${raw} AS DOUBLE)
        WHEN regexp_full_match(${raw}, ${NUMBER}) AND isfinite(${slow}) THEN ${slow} END`;
    }
    case 'boolean': {
      const t = `lower(regexp_extract(${raw}, ${TRIMMED}, 1))`;
      return `CASE WHEN ${raw} IN ${TRUE} THEN true WHEN ${raw} IN ${FALSE} THEN false WHEN ${t} IN ${TRUE} THEN true WHEN ${t} IN ${FALSE} THEN false END`;
    }
    case 'date': {
      const p = `regexp_extract(${raw}, ${DATE}, ['y', 'm', 'd'])`;
      const y = part(`${p}.y`);
      const m = part(`${p}.m`);
      const d = part(`${p}.d`);
      return `CASE WHEN regexp_full_match(${raw}, ${DATE}) AND assay_calendar(${y}, ${m}, ${d}) THEN (assay_days(${y}, ${m}, ${d})::BIGINT * 86400000)::DOUBLE END`;
    }
    case 'timestamp': {
      // The common spelling (2026-01-05T10:00:00Z) by DuckDB's strptime, which also checks the calendar
      // and the clock; at exactly 20 characters from a year >= 1000 its leniencies (a space or a missing
      // digit in a field) cannot fit, so it means what the grammar means (the property test holds it to
      // that). Everything else takes the general grammar.
      // The usual CSV spelling (2026-01-05 10:00:00, UTC: no zone) likewise, once GLOB (no regex engine) has
      // put a digit in every place: strptime's leniencies (a space for a digit, a short field) cannot apply.
      const fast = `CASE WHEN length(${raw}) = 20 AND ${raw} >= '1000' THEN epoch_ms(TRY_STRPTIME(${raw}, '%Y-%m-%dT%H:%M:%SZ'))::DOUBLE
        WHEN length(${raw}) = 19 AND ${raw} >= '1000' AND ${raw} GLOB '${SPACE_TIMESTAMP_GLOB}' THEN epoch_ms(TRY_STRPTIME(${raw}, '%Y-%m-%d %H:%M:%S'))::DOUBLE END`;
      const p = `regexp_extract(${raw}, ${TIMESTAMP}, ${TIMESTAMP_PARTS})`;
      const zone = `${p}.zone`;
      const offset = `(CASE WHEN ${zone} = '' OR upper(${zone}) = 'Z' THEN 0 ELSE
        (CASE WHEN starts_with(${zone}, '-') THEN -1 ELSE 1 END) * (${part(`substr(${zone}, 2, 2)`)} * 60 + ${part(`substr(replace(${zone}, ':', ''), 4, 2)`)}) END)`;
      // Digits past milliseconds are dropped, as in JavaScript.
      const ms = part(`substr(substr(${p}.frac, 2) || '00', 1, 3)`);
      const slow = epochMs(part(`${p}.y`), part(`${p}.mo`), part(`${p}.d`), part(`${p}.h`), part(`${p}.mi`), part(`${p}.s`), ms, offset);
      // coalesce evaluates the general grammar only on the rows the common spelling left NULL.
      return `coalesce(${fast}, CASE WHEN regexp_full_match(${raw}, ${TIMESTAMP}) THEN ${slow} END)`;
    }
  }
}

/**
 * A strftime-formatted date or timestamp: the compiled format's own regex
 * (RE2 reads it as JavaScript does: only classes, counted repeats,
 * alternation and groups), its groups turned into the same parts as
 * matchDateFormat, and the same calendar and clock checks as the ISO grammar.
 */
function formattedSql(raw: string, compiled: CompiledDateFormat): string {
  const pattern = sqlString(`^${WS}${compiled.regex}${WS}$`);
  const names = compiled.fields.map((_, i) => `'g${i}'`);
  const p = `regexp_extract(${raw}, ${pattern}, [${names.join(', ')}])`;
  const group = (field: string): string => `${p}.g${compiled.fields.indexOf(field as never)}`;
  const has = (field: string): boolean => compiled.fields.includes(field as never);
  const number = (field: string): string => (has(field) ? part(group(field)) : '0');
  const monthName = `CASE lower(substr(${group('monthName')}, 1, 3)) ${MONTHS.map((m, i) => `WHEN '${m.slice(0, 3)}' THEN ${i + 1}`).join(' ')} END`;
  const year = has('year2') ? `(${number('year2')} + CASE WHEN ${number('year2')} < 69 THEN 2000 ELSE 1900 END)` : number('year');
  const month = has('monthName') ? monthName : number('month');
  const hour = has('hour12') ? `(${number('hour12')} % 12 + CASE WHEN lower(${group('ampm')}) = 'pm' THEN 12 ELSE 0 END)` : number('hour');
  const ms = has('fraction') ? part(`substr(${group('fraction')} || '00', 1, 3)`) : '0';
  const zone = group('zone');
  const offset = has('zone')
    ? `(CASE WHEN upper(${zone}) = 'Z' THEN 0 ELSE (CASE WHEN starts_with(${zone}, '-') THEN -1 ELSE 1 END) * (${part(`substr(${zone}, 2, 2)`)} * 60 + ${part(`substr(replace(${zone}, ':', ''), 4, 2)`)}) END)`
    : '0';
  const hour12Valid = has('hour12') ? ` AND ${number('hour12')} BETWEEN 1 AND 12` : '';
  return `CASE WHEN regexp_full_match(${raw}, ${pattern})${hour12Valid} THEN ${epochMs(year, month, number('day'), hour, number('minute'), number('second'), ms, offset)} END`;
}


/** A JS number as a SQL DOUBLE literal (Infinity included). */
function sqlNumber(n: number): string {
  if (Number.isNaN(n)) return "'nan'::DOUBLE";
  if (!Number.isFinite(n)) return n > 0 ? "'inf'::DOUBLE" : "'-inf'::DOUBLE";
  return `${Object.is(n, -0) ? '-0.0' : String(n)}::DOUBLE`;
}

/** A JavaScript RegExp as RE2 text: `\d` and `$` (no `m` flag) mean what RE2's do; `i` becomes `(?i)`. */
const re2 = (pattern: RegExp): string => sqlString(`${pattern.flags.includes('i') ? '(?i)' : ''}${pattern.source}`);

export const duckdb: Dialect = {
  name: 'duckdb',
  identifier: standardIdentifier,
  string: sqlString,
  number: sqlNumber,
  double: 'DOUBLE',
  divide: (a, b) => `(${a} / ${b})`,
  countIf: (condition) => `count_if(${condition})`,
  isNaN: (x) => `isnan(${x})`,
  regexFind: (x, regex) => `regexp_matches(${x}, ${sqlString(regex)})`,
  regexFull: (x, pattern) => `regexp_full_match(${x}, ${re2(pattern)})`,
  regexGroupInt: (x, pattern, group) => `TRY_CAST(regexp_extract(${x}, ${re2(pattern)}, ${group}) AS INTEGER)`,
  contains: (a, b) => `contains(${a}, ${b})`,
  startsWith: (a, b) => `starts_with(${a}, ${b})`,
  endsWith: (a, b) => `suffix(${a}, ${b})`,
  calendar: (y, m, d) => `assay_calendar(${y}, ${m}, ${d})`,
  quantile: (x, q, filter) => `quantile_cont(${x}, ${sqlNumber(q)}) FILTER (WHERE ${filter})`,
  statistic: (fn, x) => `${fn}(${x})`,
  firstRows: (row, limit, condition) => `min(${row}, ${limit}) FILTER (WHERE ${condition})`,
  firstValue: (x, row, condition) => `arg_min(${x}, ${row}) FILTER (WHERE ${condition})`,
  typed: typedSql,
  blank: blankSql,
};
