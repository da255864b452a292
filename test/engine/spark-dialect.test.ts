/**
 * The Spark SQL dialect (src/engine/spark/dialect.ts) against assay's own
 * definitions, in a real Spark Connect server (ASSAY_TEST_SPARK_URL; skipped
 * with the reason when unset): the value grammar of src/values/grammar.ts,
 * the format checks of src/checks/formats.ts, and JavaScript regular
 * expressions translated to Java's. Property tests (fixed seed) plus edge
 * cases, many texts per query; the regex translation's refusals, literals
 * and URLs need no server.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { ColumnType } from '../../src/values/types.js';
import { INVALID, PARSERS } from '../../src/values/grammar.js';
import { jsRegexToJava, spark, sparkIdentifier, sparkString } from '../../src/engine/spark/dialect.js';
import { parseSparkUrl } from '../../src/policy/spark-url.js';
import { sparkSession, type SparkSession } from '../../src/engine/spark/connection.js';
import { RunSessions } from '../../src/engine/executor.js';
import { resolveConnection } from '../../src/engine/connections.js';
import { formatSql } from '../../src/engine/sql/formats.js';
import { FORMATS } from '../../src/checks/formats.js';
import { Unsupported } from '../../src/engine/sql/sql.js';
import { fuzzParams } from '../hostile/fuzz.js';
import { anyText, formatLike, mutated, TYPING_EDGE_CASES } from '../helpers/typing-arbitraries.js';
import { SPARK_CASES_CONNECTION, SPARK_SKIP_REASON, sparkUrl } from '../helpers/spark-case.js';

const TYPES: ColumnType[] = ['integer', 'number', 'boolean', 'date', 'timestamp'];
const FORMAT_NAMES_IN_SQL = ['email', 'uuid', 'e164_phone', 'iso_date', 'iso_timestamp'];

describe('regex translation refuses what Java would read differently', () => {
  test.each([
    ['\\bword', 'the regex escape \\b'],
    ['(a)\\1', 'the regex escape \\1'],
    ['(?=a)b', 'the regex group "(?="'],
    ['(?<n>a)', 'the regex group "(?<"'],
    ['\\p{L}', 'the regex escape \\p'],
    ['[\\D]', '\\D inside a regex character class'],
    ['\\Qa\\E', 'the regex escape \\Q'],
    ['😀', 'a regex with a character outside the Basic Multilingual Plane'],
    ['(?i)é', 'a case-insensitive regex with non-ASCII text'],
  ])('%s', (source, message) => {
    expect(() => jsRegexToJava(source)).toThrow(new Unsupported(message));
  });
  test('JavaScript meanings are spelled out for Java', () => {
    expect(jsRegexToJava('^\\d+\\.\\w$')).toBe('^[0-9]+\\.[A-Za-z0-9_]\\z');
    expect(jsRegexToJava('a.b')).toBe('a[^\\u000A\\u000D\\u2028\\u2029]b');
    expect(jsRegexToJava('[a[b&&c]')).toBe('[a\\[b\\&\\&c]');
    expect(jsRegexToJava('a{,2}x{2}')).toBe('a\\{,2\\}x{2}');
    expect(jsRegexToJava('(?i)abc')).toBe('(?i)abc');
  });
});

describe("a policy's regex that Java would backtrack on exponentially is refused", () => {
  test.each(['(a+)+$', '(a|aa)*b', '(?:x*)*', '((ab)*c)+', '(a|b){2,}'])('%s', (source) => {
    expect(() => spark.regexFind('r', source)).toThrow(new Unsupported("a repeated group holding a repetition or an alternation (Java's regex engine would backtrack exponentially on it)"));
  });
  test.each(['^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$', '(ab)+c*', '[(a+)]+', '\\(a+\\)+', '(a+)b+', '^(?:ab|cd)$'])('%s is kept', (source) => {
    expect(() => spark.regexFind('r', source)).not.toThrow();
  });
});

// java.util.regex on a 400-digit cell: [0-9]*[0-9]*[0-9]*x takes 3.5 s, [0-9]*[0-9]*[0-9]*[0-9]*x more than 30 s (measured), RLIKE per row.
describe("a policy's regex whose repetitions Java would split in many ways is refused", () => {
  test.each([
    ['\\d*\\d*\\d*x', '\\d', '\\d'],
    ['.*x.*y', '.', '.'],
    ['(\\d+)(\\d+)', '\\d', '\\d'],
    ['a?a?a?aaa', 'a', 'a'],
    ['a{0,9}a{0,9}', 'a', 'a'],
    ['foo|[0-9]+0[0-9]+', '[0-9]', '[0-9]'],
    ['(?i)[a-z]+A[a-z]*', '[a-z]', '[a-z]'],
  ])('%s', (source, first, second) => {
    expect(() => spark.regexFind('r', source)).toThrow(
      new Unsupported(
        `a regex whose repetitions ${first} and ${second} can match the same text in several ways (Java's regex engine would backtrack for a very long time on it); put a character neither can match between them`,
      ),
    );
  });
  test.each(['^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$', '\\d+\\.\\d+', '-?\\d+', 'https?://', '\\s*,\\s*', '^[A-Z]{2}\\d{2}[A-Z0-9]{1,30}$', '.*x[^x]*y', '^(?:x|y)\\d+$', '(ab)+c*', '[a-z]+A[a-z]*'])('%s is kept', (source) => {
    expect(() => spark.regexFind('r', source)).not.toThrow();
  });
  test('a regex over 1,000 characters is refused (the check is bounded)', () => {
    expect(() => spark.regexFind('r', 'ab'.repeat(501))).toThrow(new Unsupported('a regex longer than 1000 characters'));
  });
});

describe('Spark SQL text', () => {
  test('string literals escape the backslash and the quote; identifiers double the backtick', () => {
    expect(sparkString("it's a \\d")).toBe("'it\\'s a \\\\d'");
    expect(sparkIdentifier('we`ird')).toBe('`we``ird`');
    expect(() => sparkString('a\0b')).toThrow(Unsupported);
  });
  test('numbers are doubles, NaN and the infinities included', () => {
    expect(spark.number(1.5)).toBe('1.5D');
    expect(spark.number(-2)).toBe('(-2D)');
    expect(spark.number(1e21)).toBe('1E+21D');
    expect(spark.number(NaN)).toBe("CAST('NaN' AS DOUBLE)");
    expect(spark.number(-0)).toBe("CAST('-0.0' AS DOUBLE)");
  });
  test('Spark Connect URLs', () => {
    expect(parseSparkUrl('sc://127.0.0.1:15002')).toEqual({ host: '127.0.0.1', port: 15002, params: {} });
    expect(parseSparkUrl('sc://spark.example/;use_ssl=true')).toEqual({ host: 'spark.example', port: 15002, params: { use_ssl: 'true' } });
    expect(parseSparkUrl('http://x')).toMatch(/sc:\/\/host:port/);
    expect(parseSparkUrl('sc://x:1/;secret=1')).toBe('unknown Spark Connect URL parameter "secret" (assay reads use_ssl, user_id, token)');
  });
});

const server = sparkUrl() ? describe : describe.skip;
if (!sparkUrl()) test.skip(SPARK_SKIP_REASON, () => undefined);

let session: SparkSession;
const sessions = new RunSessions();
server('Spark dialect against assay in a real server', () => {
  beforeAll(async () => {
    session = await sparkSession(resolveConnection(SPARK_CASES_CONNECTION), sessions);
  }, 120_000);
  afterAll(() => sessions.closeAll());

  /** Texts as a numbered relation `x(i, r)`. */
  const textsRelation = (texts: string[]) => `VALUES ${texts.map((t, i) => `(${i}, ${sparkString(t)})`).join(', ')} AS x(i, r)`;

  /** Every text typed as every type in Spark; the disagreements with src/values/grammar.ts. */
  async function typingMismatches(texts: string[]): Promise<string[]> {
    // Integers beyond 2^53 are exact (bigint) in the in-process engine; this dialect types values as DOUBLE (docs/engines.md).
    const sqlTexts = texts.filter((t) => !t.includes('\0') && !(typeof PARSERS.integer(t) === 'bigint'));
    if (sqlTexts.length === 0) return [];
    const rows = await session.rows(`SELECT i, ${TYPES.map((t) => spark.typed('r', t)).join(', ')} FROM ${textsRelation(sqlTexts)} ORDER BY i`);
    const out: string[] = [];
    for (const [i, ...values] of rows) {
      const text = sqlTexts[Number(i)];
      TYPES.forEach((type, j) => {
        const v = PARSERS[type](text);
        const want = v === INVALID ? null : v instanceof Date ? v.getTime() : v;
        const got = values[j];
        if (got !== want && !(Object.is(got, -0) && want === 0) && !(got === 0 && Object.is(want, -0))) out.push(`${JSON.stringify(text)} as ${type}: assay ${String(want)}, spark ${String(got)}`);
      });
    }
    return out;
  }

  async function formatMismatches(texts: string[]): Promise<string[]> {
    const sqlTexts = texts.filter((t) => !t.includes('\0'));
    if (sqlTexts.length === 0) return [];
    const rows = await session.rows(`SELECT i, ${FORMAT_NAMES_IN_SQL.map((f) => formatSql(f, 'r', spark)).join(', ')} FROM ${textsRelation(sqlTexts)} ORDER BY i`);
    const out: string[] = [];
    for (const [i, ...valid] of rows) {
      const text = sqlTexts[Number(i)];
      FORMAT_NAMES_IN_SQL.forEach((format, j) => {
        if (FORMATS[format](text) !== valid[j]) out.push(`${JSON.stringify(text)} as ${format}: assay ${FORMATS[format](text)}, spark ${String(valid[j])}`);
      });
    }
    return out;
  }

  test('typing: edge cases', async () => {
    expect(await typingMismatches(TYPING_EDGE_CASES)).toEqual([]);
  }, 120_000);

  test('typing: random and mutated values of every shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { minLength: 1, maxLength: 300 }), async (texts) => {
        expect(await typingMismatches(texts)).toEqual([]);
      }),
      { ...fuzzParams(8), interruptAfterTimeLimit: undefined },
    );
  }, 300_000);

  test('formats: random and mutated values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(formatLike, mutated, fc.string({ maxLength: 20 })), { minLength: 1, maxLength: 300 }), async (texts) => {
        expect(await formatMismatches(texts)).toEqual([]);
      }),
      { ...fuzzParams(6), interruptAfterTimeLimit: undefined },
    );
  }, 300_000);

  test('translated regexes find what JavaScript finds', async () => {
    const patterns = ['^\\d{3}$', '\\s', 'a.c', '^[\\w.-]+@', '\\.com$', '(?i)^abc', '[^a-z]', 'x\\x41', 'c$', '[[]', 'a{,2}', '\\v'];
    const texts = ['123', '12a', 'a c', 'a\nc', 'abc', 'ABC', 'x.y@z.com', 'é', '\u00a0', 'a\u2028c', 'a\u0085c', 'xA', ' 123 ', '1234', 'abc\n', '[', 'a{,2}', '\u000b', '\u2028'];
    const rows = await session.rows(`SELECT i, ${patterns.map((p) => spark.regexFind('r', p)).join(', ')} FROM ${textsRelation(texts)} ORDER BY i`);
    const out: string[] = [];
    for (const [i, ...found] of rows) {
      const text = texts[Number(i)];
      patterns.forEach((p, j) => {
        const js = p.startsWith('(?i)') ? new RegExp(p.slice(4), 'i') : new RegExp(p);
        if (js.test(text) !== found[j]) out.push(`${JSON.stringify(text)} ~ /${p}/: js ${js.test(text)}, spark ${found[j]}`);
      });
    }
    expect(out).toEqual([]);
  }, 120_000);
});
