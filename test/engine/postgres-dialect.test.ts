/**
 * The PostgreSQL dialect (src/engine/postgres/dialect.ts) against assay's
 * own definitions, in a real server (ASSAY_TEST_POSTGRES_URL; skipped with
 * the reason when unset): the value grammar of src/values/grammar.ts, the
 * format checks of src/checks/formats.ts, and JavaScript regular expressions
 * translated to PostgreSQL's. Property tests (fixed seed) plus edge cases;
 * the regex translation's refusals need no server.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import type { ColumnType } from '../../src/values/types.js';
import { INVALID, PARSERS } from '../../src/values/grammar.js';
import { jsRegexToAre, postgres } from '../../src/engine/postgres/dialect.js';
import { formatSql } from '../../src/engine/sql/formats.js';
import { FORMATS } from '../../src/checks/formats.js';
import { Unsupported } from '../../src/engine/sql/sql.js';
import { fuzzParams } from '../hostile/fuzz.js';
import { anyText, formatLike, mutated, TYPING_EDGE_CASES } from '../helpers/typing-arbitraries.js';
import { POSTGRES_SKIP_REASON, postgresUrl } from '../helpers/postgres-case.js';

const TYPES: ColumnType[] = ['integer', 'number', 'boolean', 'date', 'timestamp'];
const FORMAT_NAMES_IN_SQL = ['email', 'uuid', 'e164_phone', 'iso_date', 'iso_timestamp'];

describe('regex translation refuses what it cannot keep exact', () => {
  test.each([
    ['\\bword', 'the regex escape \\b'],
    ['(a)\\1', 'the regex escape \\1'],
    ['(?=a)b', 'the regex group "(?="'],
    ['(?<n>a)', 'the regex group "(?<"'],
    ['\\p{L}', 'the regex escape \\p'],
    ['[\\D]', '\\D inside a regex character class'],
    ['[[:alpha:]]', '"[:" inside a regex character class'],
  ])('%s', (source, message) => {
    expect(() => jsRegexToAre(source)).toThrow(new Unsupported(message));
  });
  test('JavaScript meanings are spelled out', () => {
    expect(jsRegexToAre('^\\d+\\.\\w$')).toBe('^[0-9]+\\.[A-Za-z0-9_]$');
    expect(jsRegexToAre('a.b')).toBe('a[^\\u000A\\u000D\\u2028\\u2029]b');
    expect(jsRegexToAre('\\x41B')).toBe('\\u0041B');
    expect(jsRegexToAre('(?i)abc')).toBe('(?i)abc');
  });
});

const server = postgresUrl() ? describe : describe.skip;
if (!postgresUrl()) test.skip(POSTGRES_SKIP_REASON, () => undefined);

let client: pg.Client;
server('PostgreSQL dialect against assay in a real server', () => {
  beforeAll(async () => {
    client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    await client.query("SET TimeZone = 'UTC'; SET standard_conforming_strings = on");
  });
  afterAll(() => client.end());

  /** Every text typed as every type in PostgreSQL; the disagreements with src/values/grammar.ts. */
  async function typingMismatches(texts: string[]): Promise<string[]> {
    const sqlTexts = texts.filter((t) => !t.includes('\0'));
    const { rows } = await client.query({ text: `SELECT i, ${TYPES.map((t) => postgres.typed('r', t)).join(', ')} FROM unnest($1::text[]) WITH ORDINALITY AS x(r, i) ORDER BY i`, values: [sqlTexts], rowMode: 'array' });
    const out: string[] = [];
    for (const [i, ...values] of rows) {
      const text = sqlTexts[Number(i) - 1];
      TYPES.forEach((type, j) => {
        const v = PARSERS[type](text);
        // Integers beyond 2^53 are valid, as bigints in the in-process engine and as (rounded) doubles here: measures
        // of a column holding one are declined by the compiler's wideIntegers guard (test/engine/postgres-wide-integers.test.ts).
        const want = v === INVALID ? null : v instanceof Date ? v.getTime() : typeof v === 'bigint' ? Number(v) : v;
        const got = values[j];
        if (got !== want && !(Object.is(got, -0) && want === 0) && !(got === 0 && Object.is(want, -0))) out.push(`${JSON.stringify(text)} as ${type}: assay ${String(want)}, postgres ${String(got)}`);
      });
    }
    return out;
  }

  async function formatMismatches(texts: string[]): Promise<string[]> {
    const sqlTexts = texts.filter((t) => !t.includes('\0'));
    const { rows } = await client.query({ text: `SELECT i, ${FORMAT_NAMES_IN_SQL.map((f) => formatSql(f, 'r', postgres)).join(', ')} FROM unnest($1::text[]) WITH ORDINALITY AS x(r, i) ORDER BY i`, values: [sqlTexts], rowMode: 'array' });
    const out: string[] = [];
    for (const [i, ...valid] of rows) {
      const text = sqlTexts[Number(i) - 1];
      FORMAT_NAMES_IN_SQL.forEach((format, j) => {
        if (FORMATS[format](text) !== valid[j]) out.push(`${JSON.stringify(text)} as ${format}: assay ${FORMATS[format](text)}, postgres ${String(valid[j])}`);
      });
    }
    return out;
  }

  test('typing: edge cases', async () => {
    expect(await typingMismatches(TYPING_EDGE_CASES)).toEqual([]);
  });

  test('typing: random and mutated values of every shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { minLength: 1, maxLength: 300 }), async (texts) => {
        expect(await typingMismatches(texts)).toEqual([]);
      }),
      { ...fuzzParams(40), interruptAfterTimeLimit: undefined },
    );
  }, 300_000);

  test('formats: random and mutated values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(formatLike, mutated, fc.string({ maxLength: 20 })), { minLength: 1, maxLength: 300 }), async (texts) => {
        expect(await formatMismatches(texts)).toEqual([]);
      }),
      { ...fuzzParams(30), interruptAfterTimeLimit: undefined },
    );
  }, 300_000);

  test('translated regexes find what JavaScript finds', async () => {
    const patterns = ['^\\d{3}$', '\\s', 'a.c', '^[\\w.-]+@', '\\.com$', '(?i)^abc', '[^a-z]', 'x\\x41'];
    const texts = ['123', '12a', 'a c', 'a\nc', 'abc', 'ABC', 'x.y@z.com', 'é', '\u00a0', 'a\u2028c', 'xA', ' 123 ', '1234'];
    const { rows } = await client.query({ text: `SELECT i, ${patterns.map((p) => postgres.regexFind('r', p)).join(', ')} FROM unnest($1::text[]) WITH ORDINALITY AS x(r, i) ORDER BY i`, values: [texts], rowMode: 'array' });
    const out: string[] = [];
    for (const [i, ...found] of rows) {
      const text = texts[Number(i) - 1];
      patterns.forEach((p, j) => {
        const js = p.startsWith('(?i)') ? new RegExp(p.slice(4), 'i') : new RegExp(p);
        if (js.test(text) !== found[j]) out.push(`${JSON.stringify(text)} ~ /${p}/: js ${js.test(text)}, postgres ${found[j]}`);
      });
    }
    expect(out).toEqual([]);
  });
});
