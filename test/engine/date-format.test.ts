/**
 * strftime-style `format:` for date and timestamp columns
 * (src/values/date-format.ts): what a format reads, what it refuses, and a
 * differential property test holding the DuckDB typing (same regex under
 * RE2, SQL arithmetic) to the arquero engine's parser on every string.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import type { ColumnType } from '../../src/values/types.js';
import { compileDateFormat, DateFormatError } from '../../src/values/date-format.js';
import { columnParser, INVALID } from '../../src/values/grammar.js';
import { TYPING_MACROS, typedSql } from '../../src/engine/duckdb/dialect.js';

const iso = (v: unknown) => (v === INVALID ? 'INVALID' : (v as Date).toISOString());

describe('reading values through a format', () => {
  test.each([
    ['date', '%b %d %Y', 'Jun 12 1998', '1998-06-12T00:00:00.000Z'],
    ['date', '%b %d %Y', 'jun 5 1998', '1998-06-05T00:00:00.000Z'],
    ['date', '%b %d %Y', '  Dec 25 1962 ', '1962-12-25T00:00:00.000Z'],
    ['date', '%B %d, %Y', 'September 23, 1970', '1970-09-23T00:00:00.000Z'],
    ['date', '%d/%m/%Y', '29/02/2024', '2024-02-29T00:00:00.000Z'],
    ['date', '%d.%m.%y', '01.02.68', '2068-02-01T00:00:00.000Z'],
    ['date', '%d.%m.%y', '01.02.69', '1969-02-01T00:00:00.000Z'],
    ['date', '%Y%m%d', '19980612', '1998-06-12T00:00:00.000Z'],
    ['timestamp', '%Y-%m-%d %H:%M:%S', '2026-01-05 10:00:07', '2026-01-05T10:00:07.000Z'],
    ['timestamp', '%m/%d/%Y %I:%M %p', '06/12/1998 12:30 AM', '1998-06-12T00:30:00.000Z'],
    ['timestamp', '%m/%d/%Y %I:%M %p', '06/12/1998 12:30 pm', '1998-06-12T12:30:00.000Z'],
    ['timestamp', '%m/%d/%Y %I:%M %p', '06/12/1998 1:05 PM', '1998-06-12T13:05:00.000Z'],
    ['timestamp', '%d %b %Y %H:%M:%S.%f %z', '05 Jan 2026 10:00:00.123456 +02:00', '2026-01-05T08:00:00.123Z'],
    ['timestamp', '%d %b %Y %H:%M %z', '05 Jan 2026 10:00 Z', '2026-01-05T10:00:00.000Z'],
    ['timestamp', '%Y-%m-%dT%H:%M:%S%z', '2026-01-05T10:00:00-0530', '2026-01-05T15:30:00.000Z'],
    ['date', '100%% on %Y-%m-%d', '100% on 2026-01-05', '2026-01-05T00:00:00.000Z'],
    ['date', '(%Y) [%m] {%d}', '(2026) [01] {05}', '2026-01-05T00:00:00.000Z'],
  ] as [ColumnType, string, string, string][])('%s %j reads %j', (type, format, text, expected) => {
    expect(iso(columnParser(type, format)(text))).toBe(expected);
  });

  test.each([
    ['date', '%b %d %Y', 'Jun 31 1963'], // no such day
    ['date', '%b %d %Y', 'Feb 29 2023'],
    ['date', '%b %d %Y', 'Jun 12 98'],
    ['date', '%b %d %Y', 'June 12 1998'], // %b is the abbreviation
    ['date', '%b %d %Y', '1998-06-12'], // the ISO spelling is not this format
    ['date', '%b %d %Y', 'Jun 12 1998 x'],
    ['date', '%b %d %Y', 'Jun  12 1998'], // literal text is exact
    ['date', '%d/%m/%Y', '12/13/2024'],
    ['timestamp', '%Y-%m-%d %H:%M', '2026-01-05 24:00'],
    ['timestamp', '%Y-%m-%d %H:%M', '2026-01-05 10:60'],
    ['timestamp', '%m/%d/%Y %I:%M %p', '06/12/1998 13:05 PM'],
    ['timestamp', '%m/%d/%Y %I:%M %p', '06/12/1998 0:05 AM'],
    ['timestamp', '%Y-%m-%d %H:%M %z', '2026-01-05 10:00 +19:00'],
    ['date', '(%Y-%m-%d)', '2026-01-05'], // the parentheses are literal text
  ] as [ColumnType, string, string][])('%s %j refuses %j', (type, format, text) => {
    expect(columnParser(type, format)(text)).toBe(INVALID);
  });

  test('dates that are already dates (Arrow, Parquet) are taken as the type takes them', () => {
    const day = new Date('1998-06-12T00:00:00Z');
    expect(columnParser('date', '%b %d %Y')(day)).toBe(day);
    expect(columnParser('date', '%b %d %Y')(42)).toBe(INVALID);
  });

  test('a long run of whitespace is refused in linear time', () => {
    const started = process.hrtime.bigint();
    expect(columnParser('date', ' %Y %m %d ')(' '.repeat(200_000))).toBe(INVALID);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });
});

describe('formats assay refuses, with what to do', () => {
  test.each([
    ['date', '%b %d', 'the format has no year (%Y or %y)'],
    ['date', '%Y', 'the format has no month (%m, %b or %B) and no day (%d)'],
    ['date', '%Y-%m-%d %H:%M', 'a date has no time of day: declare the column type: timestamp, or drop the time directives'],
    ['date', '%Y-%j', 'unknown directive "%j" (supported: %Y %y %m %b %B %d %H %I %p %M %S %f %z and %%)'],
    ['date', '%Y-%m-%d%', 'the format ends with a lone "%" (write %% for a percent sign)'],
    ['date', '%Y-%m-%d %Y', '"%Y" repeats a part of the date already read'],
    ['date', '%y %Y %m %d', 'give the year once: %Y or %y'],
    ['date', '%Y %m %b %d', 'give the month once: %m, %b or %B'],
    ['timestamp', '%Y-%m-%d %I:%M', '%I and %p go together (or use %H for a 24-hour clock)'],
    ['string', '%Y-%m-%d', 'a date format applies to type: date or type: timestamp, not string'],
  ] as [ColumnType, string, string][])('%s %j: %s', (type, format, message) => {
    expect(() => compileDateFormat(format, type)).toThrow(new DateFormatError(message));
  });
});

describe('DuckDB reads every formatted value as the arquero engine does', () => {
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    db = await instance.connect();
    for (const macro of TYPING_MACROS) await db.run(macro);
  });
  afterAll(() => {
    db.closeSync();
    instance.closeSync();
  });

  const FORMATS: [ColumnType, string][] = [
    ['date', '%b %d %Y'],
    ['date', '%B %d, %Y'],
    ['date', '%d/%m/%y'],
    ['date', '%Y%m%d'],
    ['date', '%m%d%Y'],
    ['timestamp', '%Y-%m-%d %H:%M:%S.%f'],
    ['timestamp', '%m/%d/%Y %I:%M %p'],
    ['timestamp', '%d %b %Y %H:%M %z'],
  ];

  async function mismatches(type: ColumnType, format: string, texts: string[]): Promise<string[]> {
    await db.run('CREATE OR REPLACE TEMP TABLE texts (i INTEGER, r VARCHAR)');
    const appender = await db.createAppender('texts');
    texts.forEach((t, i) => {
      appender.appendInteger(i);
      appender.appendVarchar(t);
      appender.endRow();
    });
    appender.closeSync();
    const rows = (await db.runAndReadAll(`SELECT i, ${typedSql('r', type, format)} FROM texts ORDER BY i`)).getRowsJS();
    const parse = columnParser(type, format);
    const out: string[] = [];
    for (const [i, got] of rows) {
      const text = texts[Number(i)];
      const v = parse(text);
      const want = v === INVALID ? null : (v as Date).getTime();
      if (got !== want) out.push(`${JSON.stringify(text)} with ${format}: arquero ${String(want)}, duckdb ${String(got)}`);
    }
    return out;
  }

  const ws = fc.constantFrom('', '', '', ' ', '\t', '\u00a0', '\u3000', '\ufeff', '\u200b');
  const num = (max: number, pad: number) => fc.integer({ min: 0, max }).map((n) => (n % 3 === 0 ? String(n) : String(n).padStart(pad, '0')));
  const month = fc.constantFrom('Jan', 'feb', 'MAR', 'Apr', 'May', 'June', 'July', 'Sep', 'September', 'Dec', 'Xyz', 'Ma');
  const zone = fc.constantFrom('Z', 'z', '+02:00', '-0530', '+02', '+19:00', '+2', '');
  const ampm = fc.constantFrom('AM', 'pm', 'Pm', 'XM', '');
  /** A value shaped like each format's directives, then mutated. */
  const shaped = fc
    .tuple(ws, num(9999, 4), num(14, 2), num(33, 2), num(25, 2), num(61, 2), num(61, 2), fc.constantFrom('1', '123', '123456789', '1234567890'), month, zone, ampm, ws)
    .map(([a, y, mo, d, h, mi, s, frac, mon, z, p, b]) => ({ a, y, mo, d, h, mi, s, frac, mon, z, p, b }));
  const render: Record<string, (v: any) => string> = {
    '%b %d %Y': (v) => `${v.a}${v.mon} ${v.d} ${v.y}${v.b}`,
    '%B %d, %Y': (v) => `${v.a}${v.mon} ${v.d}, ${v.y}${v.b}`,
    '%d/%m/%y': (v) => `${v.a}${v.d}/${v.mo}/${v.y.slice(-2)}${v.b}`,
    '%Y%m%d': (v) => `${v.a}${v.y}${v.mo}${v.d}${v.b}`,
    '%m%d%Y': (v) => `${v.a}${v.mo}${v.d}${v.y}${v.b}`,
    '%Y-%m-%d %H:%M:%S.%f': (v) => `${v.a}${v.y}-${v.mo}-${v.d} ${v.h}:${v.mi}:${v.s}.${v.frac}${v.b}`,
    '%m/%d/%Y %I:%M %p': (v) => `${v.a}${v.mo}/${v.d}/${v.y} ${v.h}:${v.mi} ${v.p}${v.b}`,
    '%d %b %Y %H:%M %z': (v) => `${v.a}${v.d} ${v.mon} ${v.y} ${v.h}:${v.mi} ${v.z}${v.b}`,
  };
  const mutate = (text: string, at: number, what: number, c: string) => {
    const i = text.length === 0 ? 0 : at % text.length;
    return what === 0 ? text : what === 1 ? text.slice(0, i) + text.slice(i + 1) : what === 2 ? text.slice(0, i) + c + text.slice(i + 1) : text.slice(0, i) + c + text.slice(i);
  };

  test.each(FORMATS)('%s %j: shaped and mutated values agree', async (type, format) => {
    const texts = fc.sample(
      fc.tuple(shaped, fc.nat(), fc.integer({ min: 0, max: 3 }), fc.constantFrom('0', '9', ' ', '/', ':', '.', 'a', '%', '+', '\u00a0')).map(([v, at, what, c]) => mutate(render[format](v), at, what, c)),
      { numRuns: 3000, seed: 15 },
    );
    const edge = ['', ' ', 'Jun 12 1998', 'Feb 29 2000', 'Feb 29 1900', '12/31/1999 12:00 AM', '05 Jan 2026 23:59 -18:00', '05 Jan 2026 23:59 +18:01'];
    expect(await mismatches(type, format, [...texts, ...edge])).toEqual([]);
  });
});
