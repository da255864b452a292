/**
 * strftime `format:` in PostgreSQL (postgres.typed with a date format, over
 * the format's one compiled regex): held to the arquero engine's parser
 * (columnParser) on values shaped like each format and then mutated, as
 * test/engine/date-format.test.ts holds DuckDB. Needs a server
 * (ASSAY_TEST_POSTGRES_URL); skipped with the reason without one.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import type { ColumnType } from '../../src/values/types.js';
import { columnParser, INVALID } from '../../src/values/grammar.js';
import { postgres } from '../../src/engine/postgres/dialect.js';
import { POSTGRES_SKIP_REASON, postgresUrl } from '../helpers/postgres-case.js';

const FORMATS: [ColumnType, string][] = [
  ['date', '%b %d %Y'],
  ['date', '%B %d, %Y'],
  ['date', '%d/%m/%y'],
  ['date', '%Y%m%d'],
  ['date', '%m%d%Y'],
  ['timestamp', '%Y-%m-%d %H:%M:%S.%f'],
  ['timestamp', '%m/%d/%Y %I:%M %p'],
  ['timestamp', '%d %b %Y %H:%M %z'],
  ['date', '100%% (%Y) [%m] {%d}.'],
];

const ws = fc.constantFrom('', '', '', ' ', '\t', '\u00a0', '\u3000', '\ufeff', '\u200b');
const num = (max: number, pad: number) => fc.integer({ min: 0, max }).map((n) => (n % 3 === 0 ? String(n) : String(n).padStart(pad, '0')));
const month = fc.constantFrom('Jan', 'feb', 'MAR', 'Apr', 'May', 'June', 'July', 'Sep', 'September', 'Dec', 'Xyz', 'Ma');
const zone = fc.constantFrom('Z', 'z', '+02:00', '-0530', '+02', '+19:00', '+2', '');
const ampm = fc.constantFrom('AM', 'pm', 'Pm', 'XM', '');
const shaped = fc
  .tuple(ws, num(9999, 4), num(14, 2), num(33, 2), num(25, 2), num(61, 2), num(61, 2), fc.constantFrom('1', '123', '123456789', '1234567890'), month, zone, ampm, ws)
  .map(([a, y, mo, d, h, mi, s, frac, mon, z, p, b]) => ({ a, y, mo, d, h, mi, s, frac, mon, z, p, b }));
type Parts = typeof shaped extends fc.Arbitrary<infer T> ? T : never;
const render: Record<string, (v: Parts) => string> = {
  '%b %d %Y': (v) => `${v.a}${v.mon} ${v.d} ${v.y}${v.b}`,
  '%B %d, %Y': (v) => `${v.a}${v.mon} ${v.d}, ${v.y}${v.b}`,
  '%d/%m/%y': (v) => `${v.a}${v.d}/${v.mo}/${v.y.slice(-2)}${v.b}`,
  '%Y%m%d': (v) => `${v.a}${v.y}${v.mo}${v.d}${v.b}`,
  '%m%d%Y': (v) => `${v.a}${v.mo}${v.d}${v.y}${v.b}`,
  '%Y-%m-%d %H:%M:%S.%f': (v) => `${v.a}${v.y}-${v.mo}-${v.d} ${v.h}:${v.mi}:${v.s}.${v.frac}${v.b}`,
  '%m/%d/%Y %I:%M %p': (v) => `${v.a}${v.mo}/${v.d}/${v.y} ${v.h}:${v.mi} ${v.p}${v.b}`,
  '%d %b %Y %H:%M %z': (v) => `${v.a}${v.d} ${v.mon} ${v.y} ${v.h}:${v.mi} ${v.z}${v.b}`,
  '100%% (%Y) [%m] {%d}.': (v) => `${v.a}100% (${v.y}) [${v.mo}] {${v.d}}.${v.b}`,
};
const mutate = (text: string, at: number, what: number, c: string) => {
  const i = text.length === 0 ? 0 : at % text.length;
  return what === 0 ? text : what === 1 ? text.slice(0, i) + text.slice(i + 1) : what === 2 ? text.slice(0, i) + c + text.slice(i + 1) : text.slice(0, i) + c + text.slice(i);
};

if (!postgresUrl()) test.skip(POSTGRES_SKIP_REASON, () => undefined);
const server = postgresUrl() ? test : test.skip;

let client: pg.Client;
beforeAll(async () => {
  if (!postgresUrl()) return;
  client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
});
afterAll(async () => client?.end());

server.each(FORMATS)('%s %j: PostgreSQL reads shaped and mutated values as the arquero engine does', async (type, format) => {
  const texts = fc.sample(
    fc.tuple(shaped, fc.nat(), fc.integer({ min: 0, max: 3 }), fc.constantFrom('0', '9', ' ', '/', ':', '.', 'a', '%', '+', '\u00a0')).map(([v, at, what, c]) => mutate(render[format](v), at, what, c)),
    { numRuns: 2000, seed: 13 },
  );
  const edge = ['', ' ', 'Jun 12 1998', 'Feb 29 2000', 'Feb 29 1900', 'Jan 01 0000', '12/31/1999 12:00 AM', '05 Jan 2026 23:59 -18:00', '05 Jan 2026 23:59 +18:01', '100% (2026) [01] {05}.'];
  const all = [...texts, ...edge];
  const { rows } = await client.query({ text: `SELECT i, ${postgres.typed('r', type, format)} FROM unnest($1::text[]) WITH ORDINALITY AS x(r, i) ORDER BY i`, values: [all], rowMode: 'array' });
  const parse = columnParser(type, format);
  const mismatches = rows.flatMap(([i, got]) => {
    const text = all[Number(i) - 1];
    const v = parse(text);
    const want = v === INVALID ? null : (v as Date).getTime();
    return got === want ? [] : [`${JSON.stringify(text)}: arquero ${String(want)}, postgres ${String(got)}`];
  });
  expect(mismatches).toEqual([]);
  // The property must not hold vacuously: values of the format are read.
  expect(rows.filter(([, got]) => got !== null).length).toBeGreaterThan(50);
});
