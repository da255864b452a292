/**
 * Every function in arquero's op registry has a recorded decision: what a
 * policy expression may call, and why the rest is refused. A new arquero
 * version that adds a function fails this test until someone decides about
 * it (deny by default: until then the allow-list lets it through, so decide
 * promptly). The reasoning per group is in SECURITY.md.
 */
import { op } from 'arquero';
import { functionRefusal, REFUSED_FUNCTIONS } from '../../src/expr/allow.js';
import { ExpressionError, parseExpression } from '../../src/expr/parse.js';

type Decision = 'row' | 'aggregate' | 'window' | 'refused';

/** Linear in their inputs, no regex, no code: callable in row expressions. */
const ROW = `abs acos acosh asin asinh atan atan2 atanh bin cbrt ceil clz32 compact concat cos cosh date datetime dayofweek
 dayofyear degrees endswith entries equal exp expm1 floor format_date format_utcdate fround greatest has hours includes indexof
 is_finite is_nan join keys lastindexof least length log log10 log1p log2 lower milliseconds minutes month normalize now object
 parse_date parse_float parse_int parse_json pluck pow quarter radians random recode replace reverse round row_object seconds sign
 sin sinh slice split sqrt startswith substring tan tanh timestamp to_json trim trunc upper utcdate utcdatetime utcdayofweek
 utcdayofyear utchours utcmilliseconds utcminutes utcmonth utcquarter utcseconds utcweek utcyear values week year`;
/** Aggregates: only in aggregate expressions (memory at most linear in rows). */
const AGGREGATE = `any array_agg array_agg_distinct average bins corr count covariance covariancep distinct entries_agg invalid map_agg
 max mean median min mode object_agg product quantile stdev stdevp sum valid variance variancep`;
/** Window functions depend on row order, which a check must not. */
const WINDOW = 'avg_rank cume_dist dense_rank fill_down fill_up first_value lag last_value lead nth_value ntile percent_rank rank row_number';
/** match: backtracking RegExp; repeat/padstart/padend/sequence: output unbounded by input size. */
const REFUSED = 'match padend padstart repeat sequence';

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);
const DECISIONS = new Map<string, Decision>([
  ...words(ROW).map((n) => [n, 'row'] as const),
  ...words(AGGREGATE).map((n) => [n, 'aggregate'] as const),
  ...words(WINDOW).map((n) => [n, 'window'] as const),
  ...words(REFUSED).map((n) => [n, 'refused'] as const),
]);

test('every arquero op function has exactly one recorded decision', () => {
  const registry = Object.keys(op).sort();
  expect(registry.filter((n) => !DECISIONS.has(n))).toEqual([]);
  expect([...DECISIONS.keys()].filter((n) => !registry.includes(n))).toEqual([]);
  expect(DECISIONS.size).toBe(words(ROW + ' ' + AGGREGATE + ' ' + WINDOW + ' ' + REFUSED).length);
});

test('the allow-list enforces each decision', () => {
  for (const [name, decision] of DECISIONS) {
    const inRow = functionRefusal(name, 'row');
    const inAggregate = functionRefusal(name, 'aggregate');
    if (decision === 'row') expect([name, inRow, inAggregate]).toEqual([name, undefined, undefined]);
    if (decision === 'aggregate') expect([name, inRow === undefined, inAggregate]).toEqual([name, false, undefined]);
    if (decision === 'window' || decision === 'refused') expect([name, inRow === undefined, inAggregate === undefined]).toEqual([name, false, false]);
  }
  expect(Object.keys(REFUSED_FUNCTIONS).sort()).toEqual(words(REFUSED));
});

test('names outside the registry and prototype names are refused as calls', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'assay_regex', 'eval', 'Function', 'require']) {
    expect(() => parseExpression(`op.${name}(d.x)`, 'row')).toThrow(ExpressionError);
    expect(() => parseExpression(`op["${name}"](d.x)`, 'row')).toThrow(ExpressionError);
  }
});
