/**
 * What a value looks like, and which columns hold personal data.
 *
 * Value matchers test one value's text: every named format of the `format`
 * check (src/checks/formats.ts, so a suggested `format:` is exactly what the
 * check accepts) and the shapes only PII detection needs (national phone
 * numbers, US SSN, UK NINO, card numbers with a known issuer, person names).
 * A column profile counts how many of its values each matcher accepts.
 *
 * Column detectors then decide from those shares and the column's name. A
 * name alone never makes a candidate (a column `email_opt_in` holds yes/no);
 * shapes that ids and part numbers share by chance (national phone numbers,
 * nine digits, capitalised words) need a name hint as well; checksummed
 * values (IBAN, Luhn) need a high share, since one random number in ten
 * passes Luhn.
 */
import { FORMATS, FORMAT_NAMES } from '../checks/formats.js';

export interface ValueMatcher {
  name: string;
  /** Cheap test on the first character and length; false means the value cannot match. */
  maybe: (text: string, first: number) => boolean;
  test: (text: string) => boolean;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLetter = (c: number) => isUpper(c) || (c >= 97 && c <= 122);

/** 7–15 digits with the separators phone numbers are written with; `+` only first. */
const PHONE_LIKE = /^\+?(?:\(\d{1,5}\)|\d)[\d ().-]{5,22}\d$/;
const SSN = /^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/;
const SSN_DIGITS = /^(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4}$/;
/** HMRC's rules: no D, F, I, Q, U, V in the prefix, no O second, some pairs never issued, suffix A–D. */
const NINO = /^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$/i;
/** One to four capitalised words, or "Last, First" (with lower case somewhere: not an all-caps code). */
const PERSON_NAME = /^\p{Lu}[\p{L}'’.-]+(?:,? \p{Lu}[\p{L}'’.-]*){0,3}$/u;
const LOWER = /\p{Ll}/u;

function digitCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (isDigit(text.charCodeAt(i))) n++;
  return n;
}

/** Issuer prefix and length of the major card schemes (ISO/IEC 7812 IIN ranges). */
function hasCardIssuer(digits: string): boolean {
  const n = digits.length;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return n === 16; // Mastercard
  if (two === 34 || two === 37) return n === 15; // American Express
  if (digits.startsWith('6011') || two === 65 || (four >= 6440 && four <= 6499)) return n >= 16 && n <= 19; // Discover
  if (two === 35) return n >= 16 && n <= 19; // JCB
  if (two === 36 || two === 38 || (four >= 3000 && four <= 3059)) return n === 14; // Diners Club
  return false;
}

const FORMAT_GUARDS: Record<string, ValueMatcher['maybe']> = {
  email: (t) => t.includes('@'),
  uuid: (t) => t.length === 36,
  url: (t) => t.includes('://'),
  ipv4: (t, c) => isDigit(c) && t.length <= 15,
  ipv6: (t) => t.includes(':') && t.length <= 45,
  iso_date: (t, c) => isDigit(c) && t.length === 10,
  iso_timestamp: (t, c) => isDigit(c) && t.length >= 16,
  e164_phone: (_t, c) => c === 43,
  credit_card: (t, c) => isDigit(c) && t.length >= 12 && t.length <= 23,
  iban: (t, c) => isLetter(c) && t.length >= 15 && t.length <= 42,
};

/** Every matcher a column profile counts, formats first (same names as the `format` check). */
export const VALUE_MATCHERS: ValueMatcher[] = [
  ...FORMAT_NAMES.map((name) => ({ name, maybe: FORMAT_GUARDS[name] ?? (() => true), test: FORMATS[name] })),
  {
    name: 'card_number',
    maybe: (t, c) => isDigit(c) && t.length >= 13 && t.length <= 23,
    test: (t) => {
      if (!FORMATS.credit_card(t)) return false;
      return hasCardIssuer(t.replace(/[ -]/g, ''));
    },
  },
  {
    name: 'phone_like',
    maybe: (t, c) => (isDigit(c) || c === 43 || c === 40) && t.length >= 7 && t.length <= 24,
    test: (t) => {
      if (!PHONE_LIKE.test(t)) return false;
      const digits = digitCount(t);
      return digits >= 7 && digits <= 15;
    },
  },
  { name: 'us_ssn', maybe: (t, c) => isDigit(c) && t.length === 11, test: (t) => SSN.test(t) },
  { name: 'nine_digits', maybe: (t, c) => isDigit(c) && t.length === 9, test: (t) => SSN_DIGITS.test(t) },
  { name: 'uk_nino', maybe: (t, c) => isLetter(c) && t.length >= 9 && t.length <= 13, test: (t) => NINO.test(t) },
  { name: 'person_name', maybe: (t, c) => t.length >= 2 && t.length <= 60 && (isUpper(c) || c > 127), test: (t) => PERSON_NAME.test(t) && LOWER.test(t) },
];

export const MATCHER_NAMES = VALUE_MATCHERS.map((m) => m.name);
/** The matchers reported as "recognised formats": those of the `format` check. */
export const REPORTED_FORMATS = FORMAT_NAMES;

/** What a column detector sees of a column. */
export interface ColumnEvidence {
  name: string;
  nonNull: number;
  /** Values each matcher accepted. */
  matches: Record<string, number>;
  /** The inferred type and the share of non-null values that fit it (0–1). */
  type: string;
  typeShare: number;
}

export type Confidence = 'high' | 'medium' | 'low';

export interface PiiCandidate {
  /** Which detector: email, phone, iban, card_number, ip_address, us_ssn, uk_nino, date_of_birth, person_name. */
  detector: string;
  /** The classification `assay suggest` gives the column. */
  classification: string;
  /** Share of non-null values the detector's value test accepted (0–1). */
  share: number;
  /** The words of the column name that hinted at it, when a hint was used. */
  hint: string | null;
  confidence: Confidence;
}

/** The words of a column name: `customerEmail`, `customer_email`, `Customer Email` → customer, email. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const HINTS = {
  email: ['email', 'mail', 'e'],
  phone: ['phone', 'telephone', 'tel', 'mobile', 'cell', 'fax', 'msisdn', 'contact'],
  card: ['card', 'cc', 'pan', 'credit'],
  ip: ['ip', 'ipv4', 'ipv6', 'addr', 'address', 'host', 'client', 'remote'],
  ssn: ['ssn', 'social', 'security', 'taxpayer', 'tin'],
  birth: ['dob', 'birth', 'birthday', 'birthdate', 'born'],
  name: ['name', 'surname', 'forename', 'firstname', 'lastname', 'fullname'],
};

/** Words that make a `…name` column about people; any other word (product, file, host) makes it not. */
const PERSON_WORDS = new Set([
  'first',
  'last',
  'given',
  'family',
  'full',
  'middle',
  'maiden',
  'nick',
  'customer',
  'client',
  'person',
  'patient',
  'employee',
  'contact',
  'author',
  'holder',
  'owner',
  'passenger',
  'driver',
  'recipient',
  'sender',
  'cardholder',
  'account',
  'user',
  'member',
  'student',
  'staff',
  'legal',
  'display',
  'billing',
  'shipping',
  'emergency',
]);
/** Column names that hold a person's name on their own. */
const PERSON_ROLES = new Set([
  'author',
  'director',
  'actor',
  'artist',
  'employee',
  'manager',
  'recipient',
  'sender',
  'passenger',
  'patient',
  'driver',
  'customer',
  'surname',
  'forename',
  'firstname',
  'lastname',
  'fullname',
]);

function hintIn(words: string[], list: string[]): string | null {
  const found = words.filter((w) => list.includes(w));
  return found.length > 0 ? found.join(' ') : null;
}

function personNameHint(words: string[]): string | null {
  if (words.length === 1 && PERSON_ROLES.has(words[0])) return words[0];
  const nameAt = words.findIndex((w) => HINTS.name.includes(w));
  if (nameAt < 0) return null;
  const others = words.filter((_, i) => i !== nameAt);
  if (others.length === 0 || others.every((w) => PERSON_WORDS.has(w))) return words.join(' ');
  return null;
}

/**
 * The PII candidates of a column, from its matcher shares and its name.
 * Thresholds (share of non-null values): 0.8 for a value test that rarely
 * passes by chance (email, E.164, IBAN, SSN with dashes, NINO, IP); 0.9 for
 * card numbers; 0.5 with a name hint. Columns with fewer than
 * MIN_VALUES non-null values are not judged.
 */
export function detectPii(column: ColumnEvidence): PiiCandidate[] {
  if (column.nonNull < MIN_VALUES) return [];
  const words = nameWords(column.name);
  const share = (matcher: string) => (column.matches[matcher] ?? 0) / column.nonNull;
  const out: PiiCandidate[] = [];
  const add = (detector: string, classification: string, s: number, hint: string | null, confidence: Confidence) =>
    out.push({ detector, classification, share: s, hint, confidence });

  const emailHint = hintIn(words, HINTS.email);
  const email = share('email');
  if (email >= 0.8 || (emailHint && email >= 0.5)) add('email', 'pii.email', email, emailHint, email >= 0.95 ? 'high' : 'medium');

  const phoneHint = hintIn(words, HINTS.phone);
  const e164 = share('e164_phone');
  const phoneLike = share('phone_like');
  if (e164 >= 0.8) add('phone', 'pii.phone', e164, phoneHint, 'high');
  else if (phoneHint && phoneLike >= 0.8) add('phone', 'pii.phone', phoneLike, phoneHint, 'medium');

  const iban = share('iban');
  if (iban >= 0.8) add('iban', 'pii.iban', iban, null, 'high');

  const cardHint = hintIn(words, HINTS.card);
  const card = share('card_number');
  if (card >= 0.9 || (cardHint && card >= 0.5)) add('card_number', 'pii.card_number', card, cardHint, card >= 0.98 ? 'high' : 'medium');

  const ipHint = hintIn(words, HINTS.ip);
  const ip = share('ipv4') + share('ipv6'); // no value is both
  if (ip >= 0.8) add('ip_address', 'pii.ip_address', ip, ipHint, 'high');

  const ssnHint = hintIn(words, HINTS.ssn);
  const ssn = share('us_ssn');
  if (ssn >= 0.8) add('us_ssn', 'pii.national_id', ssn, ssnHint, 'high');
  else if (ssnHint && share('nine_digits') >= 0.8) add('us_ssn', 'pii.national_id', share('nine_digits'), ssnHint, 'medium');

  const nino = share('uk_nino');
  if (nino >= 0.8) add('uk_nino', 'pii.national_id', nino, hintIn(words, ['nino', 'ni', 'national', 'insurance']), 'high');

  const birthHint = hintIn(words, HINTS.birth);
  if (birthHint && (column.type === 'date' || column.type === 'timestamp') && column.typeShare >= 0.9)
    add('date_of_birth', 'pii.date_of_birth', column.typeShare, birthHint, 'high');

  const nameHint = personNameHint(words);
  const person = share('person_name');
  if (nameHint && person >= 0.8) add('person_name', 'pii.name', person, nameHint, 'low');
  return out;
}

/** Columns with fewer non-null values are too small to judge. */
export const MIN_VALUES = 5;
