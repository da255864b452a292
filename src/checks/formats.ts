/**
 * Named formats for the `format` check. Each validator takes the value's text
 * and returns true when valid. The regexes here are fixed by assay (not taken
 * from policy files) and have no nested quantifiers, so they run in linear time.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { isCalendarDate } from '../values/grammar.js';

// Exported for the DuckDB executor, which runs the same patterns with RE2 (src/engine/sql/formats.ts).
export const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
export const E164 = /^\+[1-9]\d{1,14}$/;

export const FORMATS: Record<string, (text: string) => boolean> = {
  email: (t) => t.length <= 254 && EMAIL.test(t) && !t.includes('..'),
  uuid: (t) => UUID.test(t),
  url: isUrl,
  ipv4: (t) => isIPv4(t),
  ipv6: (t) => isIPv6(t),
  iso_date: (t) => {
    const m = ISO_DATE.exec(t);
    return m !== null && isCalendarDate(+m[1], +m[2], +m[3]);
  },
  iso_timestamp: (t) => {
    const m = ISO_TIMESTAMP.exec(t);
    return m !== null && isCalendarDate(+m[1], +m[2], +m[3]) && +m[4] < 24 && +m[5] < 60 && (m[6] === undefined || +m[6] < 60);
  },
  e164_phone: (t) => E164.test(t),
  credit_card: isCreditCard,
  iban: isIban,
};

export const FORMAT_NAMES = Object.keys(FORMATS);

/** Human wording for messages: "are not valid emails". */
export const FORMAT_LABELS: Record<string, string> = {
  email: 'emails',
  uuid: 'UUIDs',
  url: 'URLs',
  ipv4: 'IPv4 addresses',
  ipv6: 'IPv6 addresses',
  iso_date: 'ISO dates',
  iso_timestamp: 'ISO timestamps',
  e164_phone: 'E.164 phone numbers',
  credit_card: 'card numbers',
  iban: 'IBANs',
};

function isUrl(text: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return false;
  try {
    const url = new URL(text);
    return url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** 12–19 digits (spaces or dashes allowed between groups) passing the Luhn checksum. */
function isCreditCard(text: string): boolean {
  const digits = text.replace(/[ -]/g, '');
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616: country code, check digits, BBAN; mod-97 of the rearranged number is 1. */
function isIban(text: string): boolean {
  const iban = text.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}
