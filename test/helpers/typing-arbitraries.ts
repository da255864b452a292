/** Strings shaped like each column type and format, and mutated: the property tests of every SQL dialect's typing use them. */
import fc from 'fast-check';

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const ws = fc.constantFrom('', '', '', ' ', '  ', '\t', '\u00a0', '\u3000', '\n', '\ufeff', '\u200b');
const sign = fc.constantFrom('', '', '+', '-');
const integerLike = fc.tuple(ws, sign, digits(1, 20), ws).map((p) => p.join(''));
const numberLike = fc.tuple(ws, sign, digits(0, 6), fc.constantFrom('', '.', '.5', '.25'), digits(0, 4), fc.constantFrom('', 'e3', 'E-2', 'e+400', 'e-400', 'e'), ws).map((p) => p.join(''));
const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const timestampLike = fc
  .tuple(ws, fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')), two(14), two(33), fc.constantFrom('T', 't', ' ', '', 'X'), two(25), two(61), two(61), fc.constantFrom('', '.1', '.123', '.123456789', '.1234567890'), fc.constantFrom('', 'Z', 'z', '+02:00', '-0530', '+02', '+19:00', ' Z', '+2'), ws)
  .map(([a, y, mo, d, sep, h, mi, s, frac, zone, b]) => (sep === '' ? `${a}${y}-${mo}-${d}${b}` : `${a}${y}-${mo}-${d}${sep}${h}:${mi}:${s}${frac}${zone}${b}`));
const booleanLike = fc.tuple(ws, fc.constantFrom('true', 'TRUE', 'True', 't', 'yes', 'Y', '1', 'false', 'F', 'no', 'N', '0', 'tru', 'nope', 'K'), ws).map((p) => p.join(''));
const TRICKY = ['', ' ', '+', '-', '_', '.', 'e', 'Z', ':', 'T', '\u00a0', '\t', '1', '9', 'x', '٣', '１'];
/** A shaped string with one character replaced, deleted or inserted. */
export const mutated = fc.tuple(fc.oneof(integerLike, numberLike, timestampLike), fc.nat(), fc.constantFrom(...TRICKY), fc.constantFrom('replace', 'insert', 'delete')).map(([text, at, ch, how]) => {
  const i = text.length === 0 ? 0 : at % text.length;
  if (how === 'replace') return text.slice(0, i) + ch + text.slice(i + 1);
  if (how === 'insert') return text.slice(0, i) + ch + text.slice(i);
  return text.slice(0, i) + text.slice(i + 1);
});
export const anyText = fc.oneof(integerLike, numberLike, timestampLike, booleanLike, mutated, fc.string({ maxLength: 30 }));


/** Edge cases of the value grammar every dialect must type as src/values/grammar.ts does. */
export const TYPING_EDGE_CASES = [
      '0', '-0', '+7', '007', ' 12 ', '\u00a012\u3000', '123456789012345', '1234567890123456', '9007199254740991', '9007199254740993', '-9007199254740992',
      '1_000', '0x10', '1e3', '1.', '.5', '5.e2', '1e400', '-1e400', '1e-400', 'NaN', 'Infinity', '١٢', '１２',
      'true', ' TRUE ', 'yes', 'Y', 'on', 'K', '\u212a',
      '2026-01-05', '2026-02-29', '2024-02-29', '1900-02-29', '2000-02-29', '0000-01-01', '0050-06-01', '0099-12-31', '9999-12-31', '2026-1-05', ' 2026-01-05\t',
      '2026-01-05T10:00:00Z', '2026-01-05 10:00:00Z', '2026-01-05t10:00:00z', '2026-01-05T24:00:00Z', '2026-01-05T23:60:00Z', '2026-01-05T23:59:60Z',
      '2026-01-05T10:00', '2026-01-05T10:00:00.5Z', '2026-01-05T10:00:00.123456789+02:00', '2026-01-05T10:00:00-0530', '2026-01-05T10:00:00+02',
      '2026-01-05T10:00:00+18:00', '2026-01-05T10:00:00+18:01', '2026-01-05T10:00:00 Z', '0999-01-01T00:00:00Z', '0050-01-01T00:00:00Z', '2026-02-30T00:00:00Z',
      '+026-01-05T10:00:00Z', ' 026-01-05T10:00:00Z', '2026-01-05T1 :00:00Z', '2026-01-05T10:00: 0Z', '2026-01-05T10:0 :00Z', '', ' ',
];

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: n, maxLength: n });
const label = fc.string({ unit: fc.constantFrom(...'abcxyz019-'), minLength: 1, maxLength: 8 });
export const formatLike = fc.oneof(
  fc.tuple(fc.string({ unit: fc.constantFrom(...'ab.+_!z9'), minLength: 0, maxLength: 8 }), fc.constantFrom('@', '@@', ''), label, fc.constantFrom('.', '..', ''), label, fc.constantFrom('', '.com', '.c', '\n')).map((p) => p.join('')),
  fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => p.join('-')),
  fc.tuple(fc.constantFrom('+', '', '++'), digits(0, 17)).map((p) => p.join('')),
  timestampLike,
);

