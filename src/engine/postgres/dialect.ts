/**
 * The PostgreSQL dialect of the SQL compiler (../sql/dialect.ts).
 *
 * Regular expressions: PostgreSQL runs POSIX "advanced" regular expressions,
 * not RE2 or JavaScript's. `jsRegexToAre` translates the constructs whose
 * meaning both share, spelled so that they mean exactly what JavaScript
 * means (`\d` is [0-9], not a locale's digits; `.` excludes line
 * terminators), and refuses the rest with Unsupported naming the construct.
 *
 * Typing: text columns are typed with assay's value grammar
 * (src/values/grammar.ts): the text is trimmed of JavaScript's whitespace
 * (btrim), matched against the grammar's regular expression, and the parts
 * are converted with PostgreSQL's exact integer and date arithmetic. Values
 * keep JavaScript's representation: numbers as double precision, dates and
 * timestamps as double-precision milliseconds since the epoch.
 */
import type { ColumnType } from '../../values/types.js';
import { DATE_PATTERN, FALSE_WORDS, INTEGER_PATTERN, NUMBER_PATTERN, timestampPattern, TRIM_WHITESPACE, TRUE_WORDS } from '../../values/grammar.js';
import { compileDateFormat, MONTHS, type CompiledDateFormat } from '../../values/date-format.js';
import type { Dialect } from '../sql/dialect.js';
import { standardIdentifier, standardString, Unsupported } from '../sql/sql.js';

/** JavaScript's whitespace (String.prototype.trim, \s), as code points. */
const JS_WHITESPACE = TRIM_WHITESPACE;

const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0').toUpperCase()}`;
/** The whitespace as the inside of an ARE bracket expression. */
const WS_CLASS = JS_WHITESPACE.map(hex).join('');
/** The whitespace as a text literal, for btrim. */
const WS_TEXT = JS_WHITESPACE.map((c) => `chr(${c})`).join(' || ');
/** JavaScript's line terminators: what `.` does not match. */
const NOT_LINE_TERMINATOR = `[^${[0x0a, 0x0d, 0x2028, 0x2029].map(hex).join('')}]`;

/**
 * A JavaScript regular expression (source text) as a PostgreSQL ARE with the
 * same matches, or Unsupported naming the first construct without an exact
 * equivalent. Only the characters' meaning is translated: quantifiers,
 * groups, alternation and anchors mean the same in both.
 */
export function jsRegexToAre(source: string, flags = ''): string {
  // RE2's leading `(?i)` (assay's pattern syntax allows it) is ARE's too.
  if (source.startsWith('(?i)')) return jsRegexToAre(source.slice(4), flags.includes('i') ? flags : `${flags}i`);
  for (const f of flags) if (f !== 'i') throw new Unsupported(`the regex flag "${f}"`);
  let out = flags.includes('i') ? '(?i)' : '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new Unsupported('a regex ending in "\\"');
      i++;
      const shorthand: Record<string, string> = { d: '0-9', w: 'A-Za-z0-9_', s: WS_CLASS };
      if (next in shorthand) {
        out += inClass ? shorthand[next] : `[${shorthand[next]}]`;
      } else if ('DWS'.includes(next)) {
        if (inClass) throw new Unsupported(`\\${next} inside a regex character class`);
        out += `[^${shorthand[next.toLowerCase()]}]`;
      } else if ('tnrfv'.includes(next)) {
        out += `\\${next}`;
      } else if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(source.slice(i + 1, i + 5))) {
        out += `\\u${source.slice(i + 1, i + 5)}`;
        i += 4;
      } else if (next === 'x' && /^[0-9A-Fa-f]{2}$/.test(source.slice(i + 1, i + 3))) {
        out += `\\u00${source.slice(i + 1, i + 3)}`; // ARE's \x takes every hex digit that follows
        i += 2;
      } else if (/[A-Za-z0-9]/.test(next)) {
        throw new Unsupported(`the regex escape \\${next}`);
      } else {
        out += `\\${next}`; // an escaped punctuation character is itself in both
      }
      continue;
    }
    if (inClass) {
      if (c === '[' && source[i + 1] === ':') throw new Unsupported('"[:" inside a regex character class');
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') throw new Unsupported('"]" first in a regex character class');
      continue;
    }
    if (c === '(' && source[i + 1] === '?' && source[i + 2] !== ':') throw new Unsupported(`the regex group "(?${source[i + 2] ?? ''}"`);
    if (c === '.') {
      out += NOT_LINE_TERMINATOR;
      continue;
    }
    out += c;
  }
  if (inClass) throw new Unsupported('an unclosed regex character class');
  return out;
}

function pgNumber(n: number): string {
  if (Number.isNaN(n)) return "'NaN'::float8";
  if (!Number.isFinite(n)) return n > 0 ? "'Infinity'::float8" : "'-Infinity'::float8";
  return Object.is(n, -0) ? "'-0'::float8" : `${String(n)}::float8`;
}

const re = (pattern: RegExp): string => standardString(jsRegexToAre(pattern.source, pattern.flags));

/** Text trimmed of JavaScript's whitespace, as `trim()` does. */
const trimmed = (raw: string) => `btrim(${raw}, ${WS_TEXT})`;

function calendar(y: string, m: string, d: string): string {
  return `(${m} BETWEEN 1 AND 12 AND ${d} >= 1 AND ${d} <= CASE WHEN ${m} = 2 THEN CASE WHEN ${y} % 4 = 0 AND (${y} % 100 <> 0 OR ${y} % 400 = 0) THEN 29 ELSE 28 END WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)`;
}

/**
 * Milliseconds since the epoch at midnight of a calendar date, years 0–9999
 * proleptic Gregorian: PostgreSQL has no year 0, so the date is taken 400
 * years later (exactly 146,097 days) and moved back.
 */
const dayMs = (y: string, m: string, d: string) => `((make_date(${y} + 400, ${m}, ${d}) - DATE '1970-01-01' - 146097)::float8 * 86400000)`;

const INTEGER = standardString(`^${INTEGER_PATTERN}$`);
const NUMBER = standardString(`^${NUMBER_PATTERN}$`);
const NUMBER_PARTS = standardString('^[+-]?([0-9]*)\\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?$');
const DATE = standardString(`^${DATE_PATTERN}$`);
const TIMESTAMP = standardString(`^${timestampPattern(`[${WS_CLASS}]*`)}$`);
const TRUE = `(${TRUE_WORDS.map(standardString).join(', ')})`;
const FALSE = `(${FALSE_WORDS.map(standardString).join(', ')})`;

/** Milliseconds of a calendar date and time of day, or NULL when they are not a date and a time (as types.ts checks them). */
function epochMs(y: string, m: string, d: string, h: string, mi: string, s: string, ms: string, offsetMinutes: string): string {
  return `CASE WHEN ${calendar(y, m, d)} AND ${h} <= 23 AND ${mi} <= 59 AND ${s} <= 59 AND abs(${offsetMinutes}) <= 1080
        THEN ${dayMs(y, m, d)} + ${h} * 3600000 + ${mi} * 60000 + ${s} * 1000 + ${ms} - ${offsetMinutes} * 60000 END`;
}

/**
 * A strftime `format:` (src/sources/date-format.ts): the format's one compiled
 * regex (classes, counted repeats, groups and alternation, which ARE reads as
 * JavaScript does; jsRegexToAre checks it) and the same arithmetic over its
 * groups as columnParser in types.ts.
 */
function formatted(raw: string, compiled: CompiledDateFormat): string {
  const pattern = standardString(`^[${WS_CLASS}]*${jsRegexToAre(compiled.regex)}[${WS_CLASS}]*$`);
  const has = (field: string): boolean => compiled.fields.includes(field as never);
  const group = (field: string): string => `g[${compiled.fields.indexOf(field as never) + 1}]`;
  const number = (field: string): string => (has(field) ? `coalesce(nullif(${group(field)}, '')::int, 0)` : '0');
  const monthName = `(CASE lower(substr(${group('monthName')}, 1, 3)) ${MONTHS.map((m, i) => `WHEN '${m.slice(0, 3)}' THEN ${i + 1}`).join(' ')} END)`;
  const year = has('year2') ? `(${number('year2')} + CASE WHEN ${number('year2')} < 69 THEN 2000 ELSE 1900 END)` : number('year');
  const month = has('monthName') ? monthName : number('month');
  const hour = has('hour12') ? `(${number('hour12')} % 12 + CASE WHEN lower(${group('ampm')}) = 'pm' THEN 12 ELSE 0 END)` : number('hour');
  const ms = has('fraction') ? `substr(${group('fraction')} || '00', 1, 3)::int` : '0'; // digits past milliseconds are dropped
  const zone = group('zone');
  const offset = has('zone')
    ? `(CASE WHEN upper(${zone}) = 'Z' THEN 0 ELSE (CASE WHEN ${zone} LIKE '-%' THEN -1 ELSE 1 END) * (substr(${zone}, 2, 2)::int * 60 + coalesce(nullif(substr(replace(${zone}, ':', ''), 4, 2), '')::int, 0)) END)`
    : '0';
  const hour12Valid = has('hour12') ? ` AND ${number('hour12')} BETWEEN 1 AND 12` : '';
  return `(SELECT CASE WHEN g IS NOT NULL${hour12Valid} THEN ${epochMs(year, month, number('day'), hour, number('minute'), number('second'), ms, offset)} END
        FROM (SELECT regexp_match(${raw}, ${pattern}) AS g) AS assay_v)`;
}

/** The value grammar over text (a date or timestamp by its strftime `format:` when it has one): the typed value, NULL when missing or invalid. */
function typed(raw: string, type: ColumnType, dateFormat?: string): string {
  if (dateFormat !== undefined && (type === 'date' || type === 'timestamp')) return formatted(raw, compileDateFormat(dateFormat, type));
  const t = trimmed(raw);
  switch (type) {
    case 'string':
      return raw;
    case 'integer':
      // Digits of any length: numeric holds them exactly. Valid within the int64 range, as in types.ts; the value is a
      // double, exact up to 2^53 (the compiler's `wideIntegers` guard declines measures of a column holding one beyond).
      return `(SELECT CASE WHEN t ~ ${INTEGER} AND t::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 THEN t::numeric::float8 END FROM (SELECT ${t} AS t) AS assay_v)`;
    case 'number': {
      // A number beyond double precision (1e999) is not a number in assay's grammar; one below it reads as ±0 (1e-999).
      const zero = `(CASE WHEN t LIKE '-%' THEN '-0' ELSE '0' END)::float8`;
      const exponent = `coalesce(p[3]::numeric, 0)`;
      const magnitude = `(CASE WHEN ltrim(p[1], '0') <> '' THEN length(ltrim(p[1], '0')) - 1 ELSE length(ltrim(p[2], '0')) - length(p[2]) - 1 END + ${exponent})`;
      return `(SELECT CASE WHEN t !~ ${NUMBER} THEN NULL
        WHEN ltrim(p[1] || p[2], '0') = '' THEN ${zero}
        WHEN length(coalesce(p[3], '')) > 8 THEN CASE WHEN p[3] LIKE '-%' THEN ${zero} END
        WHEN ${magnitude} > 400 THEN NULL
        WHEN ${magnitude} < -400 THEN ${zero}
        WHEN abs(t::numeric) >= 1.797693134862315808e308 THEN NULL
        WHEN abs(t::numeric) <= 2.4703282292062328e-324 THEN ${zero}
        ELSE t::numeric::float8 END
        FROM (SELECT t, regexp_match(t, ${NUMBER_PARTS}) AS p FROM (SELECT ${t} AS t) AS assay_t0) AS assay_v)`;
    }
    case 'boolean':
      return `(SELECT CASE WHEN t IN ${TRUE} THEN true WHEN t IN ${FALSE} THEN false END FROM (SELECT lower(${t}) AS t) AS assay_v)`;
    case 'date': {
      const [y, m, d] = [1, 2, 3].map((i) => `g[${i}]::int`);
      return `(SELECT CASE WHEN g IS NOT NULL AND ${calendar(y, m, d)} THEN ${dayMs(y, m, d)} END FROM (SELECT regexp_match(${t}, ${DATE}) AS g) AS assay_v)`;
    }
    case 'timestamp': {
      const part = (i: number) => `coalesce(nullif(g[${i}], '')::int, 0)`;
      const [y, m, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map(part);
      const ms = `coalesce(substr(substr(g[7], 2) || '00', 1, 3)::int, 0)`; // digits past milliseconds are dropped, as in JavaScript
      const zone = `coalesce(g[8], '')`;
      const offset = `(CASE WHEN ${zone} = '' OR upper(${zone}) = 'Z' THEN 0 ELSE
        (CASE WHEN ${zone} LIKE '-%' THEN -1 ELSE 1 END) * (substr(${zone}, 2, 2)::int * 60 + coalesce(nullif(substr(replace(${zone}, ':', ''), 4, 2), '')::int, 0)) END)`;
      return `(SELECT CASE WHEN g IS NOT NULL THEN ${epochMs(y, m, d, h, mi, s, ms, offset)} END FROM (SELECT regexp_match(${t}, ${TIMESTAMP}) AS g) AS assay_v)`;
    }
  }
}

/** True when the text is written as an integer but lies beyond int64 (types.ts isOverlongInteger): inference then says text. */
export function overlongInteger(raw: string): string {
  return `(${trimmed(raw)} ~ ${INTEGER} AND ${typed(raw, 'integer')} IS NULL)`;
}

export const postgres: Dialect = {
  name: 'postgres',
  identifier: standardIdentifier,
  string: standardString,
  number: pgNumber,
  double: 'float8',
  // PostgreSQL raises an error on division by zero; JavaScript gives ±Infinity or NaN.
  divide: (a, b) => `(CASE WHEN ${b} = 0 THEN (CASE WHEN ${a} = 'NaN'::float8 OR ${a} = 0 THEN 'NaN' WHEN (${a} > 0) = (${b}::text NOT LIKE '-%') THEN 'Infinity' ELSE '-Infinity' END)::float8 ELSE ${a} / ${b} END)`,
  countIf: (condition) => `count(*) FILTER (WHERE ${condition})`,
  isNaN: (x) => `(${x} = 'NaN'::float8)`,
  regexFind: (x, regex) => `(${x} ~ ${standardString(jsRegexToAre(regex))})`,
  regexFull: (x, pattern) => `(${x} ~ ${re(pattern)})`,
  regexGroupInt: (x, pattern, group) => `nullif((regexp_match(${x}, ${re(pattern)}))[${group}], '')::int`,
  contains: (a, b) => `(strpos(${a}, ${b}) > 0)`,
  startsWith: (a, b) => `starts_with(${a}, ${b})`,
  endsWith: (a, b) => `(right(${a}, length(${b})) = ${b})`,
  calendar,
  quantile: (x, q, filter) => `percentile_cont(${pgNumber(q)}) WITHIN GROUP (ORDER BY ${x}) FILTER (WHERE ${filter})`,
  statistic: (fn, x) => `${fn}(${x})`,
  // The failing rows' keys sorted inside the one aggregate query: no second scan per sampled check.
  firstRows: (row, limit, condition) => `(array_agg(${row}::text ORDER BY ${row}) FILTER (WHERE ${condition}))[1:${limit}]`,
  typed,
  blank: (raw) => `(${raw} ~ ${standardString(`^[${WS_CLASS}]+$`)})`,
};
