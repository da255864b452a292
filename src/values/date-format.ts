/**
 * strftime-style formats for `type: date` and `type: timestamp` columns
 * (`format: "%b %d %Y"` reads `Jun 12 1998`). A format compiles once into a
 * regex with one capture group per directive plus the rules that turn the
 * groups into a date; both engines use that one compiled form (the arquero
 * engine here, DuckDB in engine/duckdb/typing.ts with the same regex under
 * RE2), so a value parses, or fails, identically in both.
 *
 * Parsing is strict: the whole value must match (surrounding whitespace is
 * ignored, as for ISO values), the day must exist in its month, the clock
 * must be a real time. Without `%z` a timestamp is UTC.
 */
import type { ColumnType } from './types.js';

/** What a directive's capture group holds. */
export type DateField = 'year' | 'year2' | 'month' | 'monthName' | 'day' | 'hour' | 'hour12' | 'ampm' | 'minute' | 'second' | 'fraction' | 'zone';

interface Directive {
  field: DateField;
  /** The capture group's body (no group): valid in JavaScript and in RE2 alike. */
  regex: string;
  description: string;
}

export const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** `Jan` as `[Jj][Aa][Nn]`: case-insensitive without a regex flag, so the regex reads the same in both engines. */
const anyCase = (word: string): string => [...word].map((c) => `[${c.toUpperCase()}${c.toLowerCase()}]`).join('');

const DIRECTIVES: Record<string, Directive> = {
  Y: { field: 'year', regex: '[0-9]{4}', description: 'four-digit year (1998)' },
  y: { field: 'year2', regex: '[0-9]{2}', description: 'two-digit year: 69–99 are 1969–1999, 00–68 are 2000–2068' },
  m: { field: 'month', regex: '[0-9]{1,2}', description: 'month 1–12, zero-padded or not' },
  b: { field: 'monthName', regex: MONTHS.map((m) => anyCase(m.slice(0, 3))).join('|'), description: 'abbreviated month name (Jan), any case' },
  B: { field: 'monthName', regex: MONTHS.map(anyCase).join('|'), description: 'full month name (January), any case' },
  d: { field: 'day', regex: '[0-9]{1,2}', description: 'day of the month, zero-padded or not' },
  H: { field: 'hour', regex: '[0-9]{1,2}', description: 'hour 0–23' },
  I: { field: 'hour12', regex: '[0-9]{1,2}', description: 'hour 1–12, with %p' },
  p: { field: 'ampm', regex: '[AaPp][Mm]', description: 'AM or PM, any case' },
  M: { field: 'minute', regex: '[0-9]{1,2}', description: 'minute 0–59' },
  S: { field: 'second', regex: '[0-9]{1,2}', description: 'second 0–59' },
  f: { field: 'fraction', regex: '[0-9]{1,9}', description: 'fraction of a second, 1–9 digits (milliseconds kept)' },
  z: { field: 'zone', regex: '[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?', description: 'UTC offset: Z, +02, +0200 or +02:00' },
};

/** Directives and what they read, for errors and docs. */
export const DATE_DIRECTIVES: readonly [string, string][] = Object.entries(DIRECTIVES).map(([d, { description }]) => [`%${d}`, description]);

const TIME_FIELDS: DateField[] = ['hour', 'hour12', 'ampm', 'minute', 'second', 'fraction', 'zone'];
/** Characters a regex gives meaning to; a literal one is escaped (the escape means the same in JavaScript and RE2). */
const SPECIAL = /[.^$|?*+()[\]{}\\]/g;

export interface CompiledDateFormat {
  format: string;
  /**
   * The regex of the value without its surrounding whitespace (unanchored,
   * no top-level alternation); group i + 1 holds fields[i]. Each engine
   * anchors it with its own spelling of JavaScript's trim() whitespace.
   */
  regex: string;
  fields: DateField[];
}

/** A format that cannot be used, with what is wrong. */
export class DateFormatError extends Error {}

/** True when a column `format:` is a strftime pattern rather than a format name (`email`, `uuid`…). */
export const isDateFormat = (format: string): boolean => format.includes('%');

/** Compile a format for a column of `type`; throws DateFormatError saying what is wrong. */
export function compileDateFormat(format: string, type: ColumnType): CompiledDateFormat {
  let regex = '';
  const fields: DateField[] = [];
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      regex += c.replace(SPECIAL, '\\$&');
      continue;
    }
    const d = format[++i];
    if (d === '%') {
      regex += '%';
      continue;
    }
    const directive = d === undefined ? undefined : DIRECTIVES[d];
    if (!directive) throw new DateFormatError(d === undefined ? 'the format ends with a lone "%" (write %% for a percent sign)' : `unknown directive "%${d}" (supported: ${DATE_DIRECTIVES.map(([x]) => x).join(' ')} and %%)`);
    if (fields.includes(directive.field)) throw new DateFormatError(`"%${d}" repeats a part of the date already read`);
    if ((directive.field === 'year' && fields.includes('year2')) || (directive.field === 'year2' && fields.includes('year'))) throw new DateFormatError('give the year once: %Y or %y');
    fields.push(directive.field);
    regex += `(${directive.regex})`;
  }
  const missing = [
    fields.includes('year') || fields.includes('year2') ? undefined : 'year (%Y or %y)',
    fields.includes('month') || fields.includes('monthName') ? undefined : 'month (%m, %b or %B)',
    fields.includes('day') ? undefined : 'day (%d)',
  ].filter((m) => m !== undefined);
  if (fields.includes('month') && fields.includes('monthName')) throw new DateFormatError('give the month once: %m, %b or %B');
  if (missing.length > 0) throw new DateFormatError(`the format has no ${missing.join(' and no ')}`);
  if (type === 'date') {
    const time = fields.find((f) => TIME_FIELDS.includes(f));
    if (time) throw new DateFormatError('a date has no time of day: declare the column type: timestamp, or drop the time directives');
  } else if (type !== 'timestamp') {
    throw new DateFormatError(`a date format applies to type: date or type: timestamp, not ${type}`);
  }
  if (fields.includes('hour12') !== fields.includes('ampm')) throw new DateFormatError('%I and %p go together (or use %H for a 24-hour clock)');
  if (fields.includes('hour') && fields.includes('hour12')) throw new DateFormatError('give the hour once: %H or %I with %p');
  return { format, regex, fields };
}

/** The calendar and clock parts a match gives, before they are checked. */
export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC. */
  offset: number;
  /** False when a part is out of range for its directive (hour 13 with %p…). */
  ok: boolean;
}

/** The parts of a value, or undefined when it does not match the format's shape. */
export function matchDateFormat(compiled: CompiledDateFormat, text: string, cache = regexCache): DateParts | undefined {
  let re = cache.get(compiled.regex);
  // JavaScript's \s is the whitespace trim() removes; no nested repeats, so matching is linear.
  if (!re) cache.set(compiled.regex, (re = new RegExp(`^\\s*${compiled.regex}\\s*$`)));
  const m = re.exec(text);
  if (!m) return undefined;
  const parts: DateParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0, offset: 0, ok: true };
  let hour12 = 0;
  let pm = false;
  compiled.fields.forEach((field, i) => {
    const g = m[i + 1];
    switch (field) {
      case 'year': parts.year = Number(g); break;
      case 'year2': parts.year = Number(g) + (Number(g) < 69 ? 2000 : 1900); break;
      case 'month': parts.month = Number(g); break;
      case 'monthName': parts.month = MONTHS.findIndex((name) => name.startsWith(g.toLowerCase().slice(0, 3))) + 1; break;
      case 'day': parts.day = Number(g); break;
      case 'hour': parts.hour = Number(g); break;
      case 'hour12': hour12 = Number(g); break;
      case 'ampm': pm = g.toLowerCase() === 'pm'; break;
      case 'minute': parts.minute = Number(g); break;
      case 'second': parts.second = Number(g); break;
      case 'fraction': parts.millisecond = Number(`${g}00`.slice(0, 3)); break; // digits past milliseconds are dropped
      case 'zone': {
        if (g.toUpperCase() === 'Z') break;
        const digits = g.slice(1).replace(':', '');
        parts.offset = (g[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
        break;
      }
    }
  });
  if (compiled.fields.includes('hour12')) {
    if (hour12 < 1 || hour12 > 12) parts.ok = false;
    parts.hour = (hour12 % 12) + (pm ? 12 : 0);
  }
  return parts;
}

const regexCache = new Map<string, RegExp>();
