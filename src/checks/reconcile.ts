import type { Measure } from '../plan/plan.js';
import { ExpressionError, parseExpression } from '../expr/parse.js';
import { suggest } from '../util/did-you-mean.js';
import { defineCheck, type ParamProblem, type Verdict } from './define.js';
import { message, text } from './message.js';
import { kindName, observedKind } from './thresholds.js';

const PERCENT = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/;
/** Differences smaller than this share of the values are floating-point rounding, not differences. */
const RELATIVE_EPSILON = 1e-9;

/**
 * Source-vs-target reconciliation: the same metric (`row_count`, or an
 * aggregate expression such as `op.sum(d.amount)`) on this dataset and on
 * `with` must agree within `tolerance`: absolute (`5`) or a percent of the
 * `with` value (`0.5%`); the boundary is inclusive. `where` filters this
 * dataset's rows only. Observed: this value minus the `with` value.
 */
export default defineCheck({
  type: 'reconcile',
  kind: 'aggregate',
  summary: 'A metric (row_count or an aggregate) agrees with another dataset within a tolerance',
  details:
    'The same `metric` is computed on this dataset (rows in `where` only) and on `with` (all rows), each in its own dataset\'s single read. Observed: this value minus the other. Passes when |difference| <= `tolerance`: an absolute number (default 0) or a percent of the other value (`"0.5%"`); the boundary is inclusive, and differences below 1e-9 of the values are taken as floating-point rounding. A metric that cannot be computed on either side (no values) fails; one that is not a number (text, a date) is compared with nothing and makes the check `error`, as does an unreadable `with` dataset. Integers beyond 2^53 are compared exactly.',
  example: { with: 'daily_orders', metric: 'op.sum(d.amount)', tolerance: '0.5%' },
  params: {
    with: { type: 'string', pattern: '^[a-z0-9_.-]+$', description: 'the dataset to compare with' },
    metric: { type: 'string', minLength: 1, description: 'row_count, or an aggregate expression such as op.sum(d.amount)' },
    tolerance: {
      type: ['number', 'string'],
      minimum: 0,
      description: 'largest accepted difference: absolute (5) or percent of the other value ("0.5%"); default 0',
    },
  },
  required: ['with', 'metric'],
  ownThresholds: true,
  validate(params, ctx) {
    const problems: ParamProblem[] = [];
    if (typeof params.tolerance === 'string' && !PERCENT.test(params.tolerance)) {
      problems.push({ key: 'tolerance', code: 'invalid-tolerance', message: `invalid tolerance ${JSON.stringify(params.tolerance)}`, expected: 'an absolute number such as 5, or a percent such as "0.5%"' });
    }
    const metric = params.metric;
    let columns: string[] = [];
    if (metric !== 'row_count') {
      try {
        columns = parseExpression(metric, 'aggregate').columns;
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        return [...problems, { key: 'metric', code: 'unsafe-expression', message: e.message }];
      }
    }
    // Columns of this dataset are checked like every check's columns (validate.ts).
    if (!ctx.datasets) return problems;
    const name = params.with;
    const other = ctx.datasets.find((d) => d.name === name);
    if (!other) {
      problems.push({ key: 'with', code: 'unknown-dataset', message: `unknown dataset "${name}"`, expected: suggest(name, ctx.datasets.map((d) => d.name)) });
      return problems;
    }
    const theirs = Object.keys(other.columns);
    for (const column of columns) {
      if (theirs.length > 0 && !other.columns[column]) {
        problems.push({ key: 'metric', code: 'unknown-column', message: `unknown column "${column}" in dataset "${name}" (the metric is computed on both)`, expected: suggest(column, theirs) });
      }
    }
    return problems;
  },
  columns: (spec) => (spec.params.metric === 'row_count' ? [] : parseExpression(spec.params.metric, 'aggregate').columns),
  derivedName: (spec) => `reconcile.${String(spec.params.with)}`,
  measures: (spec) => ({ value: metricMeasure(spec.params.metric, spec.where) }),
  foreignMeasures: (spec) => ({ other: { dataset: spec.params.with, measure: metricMeasure(spec.params.metric, undefined) } }),
  observedLabel: (spec) => `${String(spec.params.metric)} minus ${String(spec.params.with)}'s`,
  judge(values, spec): Verdict {
    const other = String(spec.params.with);
    const metric = String(spec.params.metric);
    const tolerance = parseTolerance(spec.params.tolerance);
    const threshold = `|difference| > ${tolerance.text}`;
    const mine = values.value;
    const theirs = values.other;
    const missing = (v: unknown) => v === null || (typeof v === 'number' && !Number.isFinite(v));
    if (missing(mine) || missing(theirs)) {
      const where = missing(mine) && missing(theirs) ? `here nor in ${other}` : missing(mine) ? 'here' : `in ${other}`;
      return { outcome: 'fail', observed: null, threshold, message: message`${text(metric)} cannot be computed ${text(where)} (no non-null values)` };
    }
    // Like with like only (SPEC §1.2): a metric that is not a number on either side is not known to agree.
    for (const [side, value] of [['here', mine], [`in ${other}`, theirs]] as const) {
      const kind = observedKind(value);
      if (kind !== 'number') return { outcome: 'error', observed: null, threshold, message: message`${text(metric)} is not numeric ${text(side)}: the value is ${text(kindName(kind))}` };
    }
    if (typeof mine === 'bigint' || typeof theirs === 'bigint') return judgeIntegers(toBigInt(mine as number | bigint), toBigInt(theirs as number | bigint), tolerance, metric, other, threshold);
    const a = mine as number;
    const b = theirs as number;
    const difference = a - b;
    const allowed = tolerance.percent !== undefined ? (tolerance.percent / 100) * Math.abs(b) : tolerance.absolute!;
    const rounding = RELATIVE_EPSILON * Math.max(Math.abs(a), Math.abs(b));
    const within = Math.abs(difference) <= allowed + rounding;
    // The relative difference is a ratio of two values, not of counts: gated like them.
    const relative = b !== 0 ? message` (${round((difference / Math.abs(b)) * 100)}%)` : message``;
    return {
      outcome: within ? 'pass' : 'fail',
      observed: difference,
      threshold,
      message: message`${text(metric)} is ${round(a)} here and ${round(b)} in ${text(other)}: difference ${round(difference)}${relative}; tolerance ${text(tolerance.text)}`,
    };
  },
});

/**
 * Integers beyond 2^53 (bigints) are compared exactly: a float difference
 * would round away the very rows that differ. A non-integer number on the
 * other side is a float (sums of decimals); it is compared as a float.
 */
function judgeIntegers(mine: bigint | undefined, theirs: bigint | undefined, tolerance: ReturnType<typeof parseTolerance>, metric: string, other: string, threshold: string): Verdict {
  if (mine === undefined || theirs === undefined) {
    return { outcome: 'error', observed: null, threshold, message: message`${text(metric)} cannot be compared exactly: an integer beyond 2^53 on one side and a fraction on the other` };
  }
  const difference = mine - theirs;
  const magnitude = difference < 0n ? -difference : difference;
  const allowed = tolerance.percent !== undefined ? (tolerance.percent / 100) * Math.abs(Number(theirs)) : tolerance.absolute!;
  const within = magnitude <= BigInt(Math.floor(allowed));
  const observed = Number.isSafeInteger(Number(difference)) ? Number(difference) : difference;
  return { outcome: within ? 'pass' : 'fail', observed, threshold, message: message`${text(metric)} is ${mine} here and ${theirs} in ${text(other)}: difference ${difference}; tolerance ${text(tolerance.text)}` };
}

/** A whole number as a bigint; undefined for a fraction. */
function toBigInt(value: number | bigint): bigint | undefined {
  if (typeof value === 'bigint') return value;
  return Number.isInteger(value) ? BigInt(value) : undefined;
}

function metricMeasure(metric: string, where: string | undefined): Measure {
  return metric === 'row_count' ? { kind: 'row_count', where } : { kind: 'aggregate', expression: metric, where };
}

/** `5` → absolute 5; `"0.5%"` → 0.5 percent of the other value; absent → 0. */
export function parseTolerance(value: unknown): { absolute?: number; percent?: number; text: string } {
  if (typeof value === 'string') {
    const m = PERCENT.exec(value);
    if (m) return { percent: Number(m[1]), text: `${Number(m[1])}%` };
  }
  const absolute = typeof value === 'number' ? value : 0;
  return { absolute, text: String(absolute) };
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
