/**
 * `format` checks in SQL, for the formats defined by a regular expression
 * (src/checks/formats.ts): the same patterns, run by the engine's regex
 * functions (the dialect's), with the same extra conditions (email length
 * and no "..", calendar dates, clock fields). A property test compares both
 * on random text. Formats checked by JavaScript code (url, ipv4, ipv6,
 * credit_card, iban) are not translated.
 */
import { E164, EMAIL, ISO_DATE, ISO_TIMESTAMP, UUID } from '../../checks/formats.js';
import type { Dialect } from './dialect.js';
import { Unsupported } from './sql.js';

/** SQL that is true when the text `x` (not NULL) is valid in `format`. */
export function formatSql(format: string, x: string, sql: Dialect): string {
  switch (format) {
    case 'email':
      return `(length(${x}) <= 254 AND ${sql.regexFull(x, EMAIL)} AND NOT ${sql.contains(x, sql.string('..'))})`;
    case 'uuid':
      return sql.regexFull(x, UUID);
    case 'e164_phone':
      return sql.regexFull(x, E164);
    case 'iso_date': {
      const g = (i: number) => sql.regexGroupInt(x, ISO_DATE, i);
      return `(${sql.regexFull(x, ISO_DATE)} AND ${sql.calendar(g(1), g(2), g(3))})`;
    }
    case 'iso_timestamp': {
      const g = (i: number) => sql.regexGroupInt(x, ISO_TIMESTAMP, i);
      return `(${sql.regexFull(x, ISO_TIMESTAMP)} AND ${sql.calendar(g(1), g(2), g(3))} AND ${g(4)} < 24 AND ${g(5)} < 60 AND coalesce(${g(6)}, 0) < 60)`;
    }
    default:
      throw new Unsupported(`the ${format} format`);
  }
}
