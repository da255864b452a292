/**
 * `format` checks in SQL, for the formats defined by a regular expression
 * (src/checks/formats.ts): the same patterns, run by DuckDB's RE2, with the
 * same extra conditions (email length and no "..", calendar dates, clock
 * fields). JavaScript's `\d` and `$` (no `m` flag) mean what RE2's do; `i`
 * becomes `(?i)`. A property test compares both on random text. Formats
 * checked by JavaScript code (url, ipv4, ipv6, credit_card, iban) stay with
 * the arquero engine.
 */
import { E164, EMAIL, ISO_DATE, ISO_TIMESTAMP, UUID } from '../../checks/formats.js';
import { sqlString, Unsupported } from './sql.js';

const re2 = (pattern: RegExp): string => sqlString(`${pattern.flags.includes('i') ? '(?i)' : ''}${pattern.source}`);
const group = (x: string, pattern: RegExp, i: number) => `TRY_CAST(regexp_extract(${x}, ${re2(pattern)}, ${i}) AS INTEGER)`;

/** SQL that is true when the text `x` (VARCHAR, not NULL) is valid in `format`. */
export function formatSql(format: string, x: string): string {
  switch (format) {
    case 'email':
      return `(length(${x}) <= 254 AND regexp_full_match(${x}, ${re2(EMAIL)}) AND NOT contains(${x}, '..'))`;
    case 'uuid':
      return `regexp_full_match(${x}, ${re2(UUID)})`;
    case 'e164_phone':
      return `regexp_full_match(${x}, ${re2(E164)})`;
    case 'iso_date':
      return `(regexp_full_match(${x}, ${re2(ISO_DATE)}) AND assay_calendar(${group(x, ISO_DATE, 1)}, ${group(x, ISO_DATE, 2)}, ${group(x, ISO_DATE, 3)}))`;
    case 'iso_timestamp': {
      const g = (i: number) => group(x, ISO_TIMESTAMP, i);
      const seconds = `regexp_extract(${x}, ${re2(ISO_TIMESTAMP)}, 6)`;
      return `(regexp_full_match(${x}, ${re2(ISO_TIMESTAMP)}) AND assay_calendar(${g(1)}, ${g(2)}, ${g(3)}) AND ${g(4)} < 24 AND ${g(5)} < 60 AND (${seconds} = '' OR TRY_CAST(${seconds} AS INTEGER) < 60))`;
    }
    default:
      throw new Unsupported(`the ${format} format`);
  }
}
