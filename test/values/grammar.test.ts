import { INVALID, inferType, PARSERS, parseTimestamp } from '../../src/values/grammar.js';

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

describe('integer', () => {
  test.each([
    ['42', 42],
    [' -7 ', -7],
    ['+3', 3],
    ['0', 0],
    [12, 12],
    [12.0, 12],
    [BigInt(5), 5],
    ['9007199254740991', 9007199254740991],
    // Beyond 2^53 an integer stays exact, as a bigint (as Parquet and Arrow int64 arrive), up to the int64 range.
    ['9007199254740993', 9007199254740993n],
    [' -9007199254740993 ', -9007199254740993n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
    [BigInt('9007199254740993'), 9007199254740993n],
  ])('%p parses as %p', (raw, expected) => expect(PARSERS.integer(raw)).toBe(expected));

  test.each([['1.5'], ['1e3'], ['12,50'], ['abc'], [''], ['9223372036854775808'], ['-9223372036854775809'], [1.5], [1e20], [2 ** 53], [true], [2n ** 63n], [new Date(0)]])(
    '%p does not parse',
    (raw) => expect(PARSERS.integer(raw)).toBe(INVALID),
  );
});

describe('inference keeps integers exact', () => {
  test('integers beyond 2^53 infer as integer (bigints); one too long for int64 makes the column text, never a rounded number', () => {
    expect(inferType(['1', '9007199254740993', null])).toBe('integer');
    expect(inferType(['1', '99999999999999999999'])).toBe('string');
    expect(inferType(['1.5', '99999999999999999999'])).toBe('string');
    expect(inferType(['1.5', '2'])).toBe('number');
  });
});

describe('number', () => {
  test.each([
    ['3.14', 3.14],
    ['-0.5', -0.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['2.5E-2', 0.025],
    [7, 7],
    [BigInt(9), 9],
  ])('%p parses as %p', (raw, expected) => expect(PARSERS.number(raw)).toBe(expected));

  test.each([['12,50'], ['NaN'], ['Infinity'], ['1e309'], ['-1e309'], [' 1.8e308 '], ['1.2.3'], ['0x10'], ['$5'], [''], [Number.NaN], [Number.POSITIVE_INFINITY], [false]])(
    '%p does not parse',
    (raw) => expect(PARSERS.number(raw)).toBe(INVALID),
  );
});

describe('boolean', () => {
  test.each(['true', 'TRUE', 'True', 't', 'yes', 'Y', '1'])('%p is true', (raw) => expect(PARSERS.boolean(raw)).toBe(true));
  test.each(['false', 'FALSE', 'f', 'no', 'N', '0'])('%p is false', (raw) => expect(PARSERS.boolean(raw)).toBe(false));
  test.each([['on'], ['off'], ['2'], ['truthy'], [''], [1], [0]])('%p does not parse', (raw) => expect(PARSERS.boolean(raw)).toBe(INVALID));
  test('JSON booleans are kept', () => {
    expect(PARSERS.boolean(true)).toBe(true);
    expect(PARSERS.boolean(false)).toBe(false);
  });
});

describe('string', () => {
  test('text is kept as is, other JSON types are not strings', () => {
    expect(PARSERS.string(' a ')).toBe(' a ');
    expect(PARSERS.string(5)).toBe(INVALID);
    expect(PARSERS.string(true)).toBe(INVALID);
  });
});

describe('date', () => {
  test.each([
    ['2026-01-05', '2026-01-05T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    [' 2026-12-31 ', '2026-12-31T00:00:00.000Z'],
  ])('%p parses as %p', (raw, expected) => expect(iso(PARSERS.date(raw))).toBe(expected));

  test.each([['2025-02-29'], ['2025-02-30'], ['2026-13-01'], ['2026-1-5'], ['05/01/2026'], ['2026-01-05T10:00:00Z'], [''], [20260105]])(
    '%p does not parse',
    (raw) => expect(PARSERS.date(raw)).toBe(INVALID),
  );

  test('a Date at midnight UTC (Arrow, Parquet) is a date; one with a time of day is not truncated', () => {
    expect(iso(PARSERS.date(new Date('2026-01-05T00:00:00Z')))).toBe('2026-01-05T00:00:00.000Z');
    expect(iso(PARSERS.date(new Date('1960-03-01T00:00:00Z')))).toBe('1960-03-01T00:00:00.000Z');
    expect(PARSERS.date(new Date('2026-01-05T10:00:00Z'))).toBe(INVALID);
    expect(PARSERS.date(new Date(Number.NaN))).toBe(INVALID);
  });
});

describe('timestamp', () => {
  test.each([
    ['2026-01-05T10:00:00Z', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05t10:00:00z', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05T10:00:00.123Z', '2026-01-05T10:00:00.123Z'],
    ['2026-01-05T10:00:00.009Z', '2026-01-05T10:00:00.009Z'],
    ['2026-01-05T10:00:00.5Z', '2026-01-05T10:00:00.500Z'],
    ['2026-01-05T10:00:00.123456789Z', '2026-01-05T10:00:00.123Z'],
    ['2026-01-05T12:00:00+02:00', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05T12:00:00+0200', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05T12:00:00+02', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05T05:30:00-04:30', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05 10:00:00 Z', '2026-01-05T10:00:00.000Z'],
    ['2026-01-01T01:00:00+02:00', '2025-12-31T23:00:00.000Z'],
  ])('with a zone: %p is %p', (raw, expected) => expect(iso(PARSERS.timestamp(raw))).toBe(expected));

  test.each([
    ['2026-01-05T10:00:00', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05 10:00:00', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05T10:00', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05', '2026-01-05T00:00:00.000Z'],
  ])('without a zone the time is UTC: %p is %p', (raw, expected) => expect(iso(PARSERS.timestamp(raw))).toBe(expected));

  test('the process time zone does not matter', () => {
    // TZ is pinned to UTC for the suite; the parser never uses local time.
    expect(parseTimestamp('2026-07-01T12:00:00')).toEqual(new Date(Date.UTC(2026, 6, 1, 12)));
  });

  test.each([
    ['2026-01-05T24:00:00Z'],
    ['2026-01-05T10:60:00Z'],
    ['2026-01-05T10:00:60Z'],
    ['2026-02-30T10:00:00Z'],
    ['2026-01-05T10:00:00+19:00'],
    ['2026-01-05T10'],
    ['05/01/2026 10:00'],
    ['1736071200'],
    ['yesterday'],
    [''],
    [1736071200000],
  ])('%p does not parse', (raw) => expect(PARSERS.timestamp(raw)).toBe(INVALID));

  test('Arrow and Parquet timestamps arrive as Dates and are kept', () => {
    const d = new Date('2026-01-05T10:00:00.250Z');
    expect(PARSERS.timestamp(d)).toBe(d);
    expect(PARSERS.timestamp(new Date(Number.NaN))).toBe(INVALID);
  });
});

describe('inferType (undeclared text columns)', () => {
  test.each([
    [['1', '2', null], 'integer'],
    [['1', '2.5'], 'number'],
    [['true', 'no'], 'boolean'],
    [['2026-01-05', '2026-01-06'], 'date'],
    [['2026-01-05', '2026-01-06T10:00:00Z'], 'timestamp'],
    [['a', '1'], 'string'],
    [[null, null], 'string'],
    [['1', ''], 'string'],
  ])('%p is %p', (values, expected) => expect(inferType(values)).toBe(expected));
});

describe('years before 100', () => {
  // ISO 8601 years are literal: 0050 is the year 50, not 1950 (Date.UTC's reading of two-digit years).
  test.each([
    ['0050-06-01', Date.parse('0050-06-01T00:00:00Z')],
    ['0000-02-29', Date.parse('0000-02-29T00:00:00Z')],
  ])('date %p', (raw, ms) => expect((PARSERS.date(raw) as Date).getTime()).toBe(ms));
  test('timestamp 0050-06-01T10:00:00Z, by both the common and the general path', () => {
    expect((PARSERS.timestamp('0050-06-01T10:00:00Z') as Date).getTime()).toBe(Date.parse('0050-06-01T10:00:00Z'));
    expect((PARSERS.timestamp('0050-06-01T10:00:00+00:00') as Date).getTime()).toBe(Date.parse('0050-06-01T10:00:00Z'));
  });
  test('a sign is not part of a year', () => expect(PARSERS.timestamp('+026-01-05T10:00:00Z')).toBe(INVALID));
});
