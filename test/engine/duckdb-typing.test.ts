/**
 * The DuckDB executor types raw text with SQL (src/engine/duckdb/dialect.ts);
 * the arquero engine with src/values/grammar.ts. They must agree on every
 * string: valid or not, and the same value. Property test (fixed seed) over
 * strings shaped like each type and mutated, plus a table of edge cases.
 * The same for the `format` checks DuckDB runs.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import type { ColumnType } from '../../src/values/types.js';
import { INVALID, isOverlongInteger, PARSERS } from '../../src/values/grammar.js';
import { duckdb, integerOverflowSql, TYPING_MACROS, typedSql } from '../../src/engine/duckdb/dialect.js';
import { formatSql } from '../../src/engine/sql/formats.js';
import { FORMATS } from '../../src/checks/formats.js';
import { fuzzParams } from '../hostile/fuzz.js';
import { anyText, formatLike, mutated } from '../helpers/typing-arbitraries.js';

const TYPES: ColumnType[] = ['integer', 'number', 'boolean', 'date', 'timestamp'];

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

/** What the arquero engine makes of `text` as `type`, in the executor's SQL representation. */
function expected(text: string, type: ColumnType): unknown {
  const v = PARSERS[type](text);
  if (v === INVALID) return null;
  // Integers beyond 2^53 are bigints in JavaScript and DOUBLEs in SQL, which the executor then hands to arquero.
  if (typeof v === 'bigint') return Number(v);
  return v instanceof Date ? v.getTime() : v;
}

/** The texts as table `texts` (i, r). */
async function loadTexts(texts: string[]): Promise<void> {
  await db.run('CREATE OR REPLACE TEMP TABLE texts (i INTEGER, r VARCHAR)');
  const appender = await db.createAppender('texts');
  texts.forEach((t, i) => {
    appender.appendInteger(i);
    appender.appendVarchar(t);
    appender.endRow();
  });
  appender.closeSync();
}

/** Type every text as every type in DuckDB; return the mismatches. */
async function mismatches(texts: string[]): Promise<string[]> {
  await loadTexts(texts);
  const rows = (await db.runAndReadAll(`SELECT i, ${TYPES.map((t) => typedSql('r', t)).join(', ')} FROM texts ORDER BY i`)).getRowsJS();
  const out: string[] = [];
  for (const [i, ...values] of rows) {
    const text = texts[Number(i)];
    TYPES.forEach((type, j) => {
      const want = expected(text, type);
      const got = values[j] === null ? null : typeof values[j] === 'bigint' ? Number(values[j]) : values[j];
      if (got !== want && !(Number.isNaN(got) && Number.isNaN(want))) out.push(`${JSON.stringify(text)} as ${type}: arquero ${String(want)}, duckdb ${String(got)}`);
    });
  }
  return out;
}

describe('DuckDB typing agrees with assay\'s parsers', () => {
  test('edge cases', async () => {
    const cases = [
      '0', '-0', '+7', '007', ' 12 ', '\u00a012\u3000', '123456789012345', '1234567890123456', '9007199254740991', '9007199254740993', '-9007199254740992',
      '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809', ' +0009223372036854775807 ', '99999999999999999999',
      '1_000', '0x10', '1e3', '1.', '.5', '5.e2', '1e400', '-1e400', '1e-400', '1e309', '-1e309', '1.7976931348623157e308', '1.8e308', '0.000000000000000000000000000000001e309', 'NaN', 'Infinity', '١٢', '１２',
      'true', ' TRUE ', 'yes', 'Y', 'on', 'K', '\u212a',
      '2026-01-05', '2026-02-29', '2024-02-29', '1900-02-29', '2000-02-29', '0000-01-01', '0050-06-01', '0099-12-31', '9999-12-31', '2026-1-05', ' 2026-01-05\t',
      '2026-01-05T10:00:00Z', '2026-01-05 10:00:00Z', '2026-01-05t10:00:00z', '2026-01-05T24:00:00Z', '2026-01-05T23:60:00Z', '2026-01-05T23:59:60Z',
      '2026-01-05T10:00', '2026-01-05T10:00:00.5Z', '2026-01-05T10:00:00.123456789+02:00', '2026-01-05T10:00:00-0530', '2026-01-05T10:00:00+02',
      '2026-01-05T10:00:00+18:00', '2026-01-05T10:00:00+18:01', '2026-01-05T10:00:00 Z', '0999-01-01T00:00:00Z', '0050-01-01T00:00:00Z', '2026-02-30T00:00:00Z',
      '+026-01-05T10:00:00Z', ' 026-01-05T10:00:00Z', '2026-01-05T1 :00:00Z', '2026-01-05T10:00: 0Z', '2026-01-05T10:0 :00Z', '', ' ',
      // The space-separated fast path (no zone: UTC), its calendar and clock, and strptime's leniencies it must not inherit.
      '2026-01-05 10:00:00', '2024-02-29 23:59:59', '2026-02-29 10:00:00', '2026-01-05 24:00:00', '2026-01-05 23:60:00', '2026-01-05 23:59:60', '0999-12-31 23:59:59',
      '1000-01-01 00:00:00', '2026-01-05  1:00:00', '2026-01-05 1 :00:00', '2026-01-05 10:00: 0', '2026-1-05 10:00:000', '2026-01-05\t10:00:00', '2026-01-05 10:00:00 ',
    ];
    expect(await mismatches(cases)).toEqual([]);
  });

  test('integers too long for int64: inference says text in both engines', async () => {
    const texts = ['9223372036854775807', '9223372036854775808', '-9223372036854775809', ' 99999999999999999999 ', '12', '1.5', 'x', '1e30'];
    await loadTexts(texts);
    const rows = (await db.runAndReadAll(`SELECT ${integerOverflowSql('r')} FROM texts ORDER BY i`)).getRowsJS().map((r) => r[0]);
    expect(rows).toEqual(texts.map(isOverlongInteger));
    expect(rows).toEqual([false, true, true, true, false, false, false, false]);
  });

  test('random and mutated values of every shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { minLength: 1, maxLength: 300 }), async (texts) => {
        expect(await mismatches(texts)).toEqual([]);
      }),
      // Runs are not cut off by time: an interrupted run would query DuckDB after the test ends.
      { ...fuzzParams(60), interruptAfterTimeLimit: undefined },
    );
  }, 300_000);
});

const FORMAT_NAMES_IN_SQL = ['email', 'uuid', 'e164_phone', 'iso_date', 'iso_timestamp'];

/** Check every text against every format in DuckDB; return the disagreements with src/checks/formats.ts. */
async function formatMismatches(texts: string[]): Promise<string[]> {
  await loadTexts(texts);
  const rows = (await db.runAndReadAll(`SELECT i, ${FORMAT_NAMES_IN_SQL.map((f) => formatSql(f, 'r', duckdb)).join(', ')} FROM texts ORDER BY i`)).getRowsJS();
  const out: string[] = [];
  for (const [i, ...valid] of rows) {
    const text = texts[Number(i)];
    FORMAT_NAMES_IN_SQL.forEach((format, j) => {
      if (FORMATS[format](text) !== valid[j]) out.push(`${JSON.stringify(text)} as ${format}: arquero ${FORMATS[format](text)}, duckdb ${String(valid[j])}`);
    });
  }
  return out;
}

describe('DuckDB format checks agree with src/checks/formats.ts', () => {
  test('edge cases', async () => {
    const cases = [
      'a@b.co', 'a..b@c.de', 'a@b..de', 'a@-b.de', `${'a'.repeat(250)}@b.de`, 'a@b', 'a@b.de\n', 'ä@b.de', 'A@B.DE',
      '123e4567-e89b-12d3-a456-426614174000', '123E4567-E89B-12D3-A456-426614174000', '123e4567e89b12d3a456426614174000',
      '+14155550123', '+0123', '14155550123', '+1234567890123456',
      '2026-01-05', '2026-02-29', '2024-02-29', '2026-13-01', '2026-01-05T10:00:00Z', '2026-01-05 10:00', '2026-01-05T24:00:00Z', '2026-01-05T10:00:60Z', '2026-01-05T10:00:00+0530',
      '', ' ',
    ];
    expect(await formatMismatches(cases)).toEqual([]);
  });

  test('random and mutated values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(formatLike, mutated, fc.string({ maxLength: 20 })), { minLength: 1, maxLength: 300 }), async (texts) => {
        expect(await formatMismatches(texts)).toEqual([]);
      }),
      { ...fuzzParams(40), interruptAfterTimeLimit: undefined },
    );
  }, 300_000);
});
