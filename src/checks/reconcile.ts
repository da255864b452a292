import type { Measure } from '../plan/plan.js';
import { ExpressionError, parseExpression } from '../expr/parse.js';
import { suggest } from '../util/did-you-mean.js';
import { defineCheck, type ParamProblem, type Verdict } from './define.js';

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
    'The same `metric` is computed on this dataset (rows in `where` only) and on `with` (all rows), each in its own dataset\'s single read. Observed: this value minus the other. Passes when |difference| <= `tolerance`: an absolute number (default 0) or a percent of the other value (`"0.5%"`); the boundary is inclusive, and differences below 1e-9 of the values are taken as floating-point rounding. A metric that is not a number on either side fails; an unreadable `with` dataset makes the check `error`.',
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
    const metric = params.metric as string;
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
    const name = params.with as string;
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
  columns: (spec) => (spec.params.metric === 'row_count' ? [] : parseExpression(spec.params.metric as string, 'aggregate').columns),
  derivedName: (spec) => `reconcile.${String(spec.params.with)}`,
  measures: (spec) => ({ value: metricMeasure(spec.params.metric as string, spec.where) }),
  foreignMeasures: (spec) => ({ other: { dataset: spec.params.with as string, measure: metricMeasure(spec.params.metric as string, undefined) } }),
  observedLabel: (spec) => `${String(spec.params.metric)} minus ${String(spec.params.with)}'s`,
  judge(values, spec): Verdict {
    const other = String(spec.params.with);
    const metric = String(spec.params.metric);
    const tolerance = parseTolerance(spec.params.tolerance);
    const threshold = `|difference| > ${tolerance.text}`;
    const mine = values.value;
    const theirs = values.other;
    if (typeof mine !== 'number' || typeof theirs !== 'number' || !Number.isFinite(mine) || !Number.isFinite(theirs)) {
      const show = (v: unknown) => (v === null ? 'null' : JSON.stringify(v));
      return { outcome: 'fail', observed: null, threshold, message: `${metric} cannot be compared: ${show(mine)} here, ${show(theirs)} in ${other} (both must be numbers)` };
    }
    const difference = mine - theirs;
    const allowed = tolerance.percent !== undefined ? (tolerance.percent / 100) * Math.abs(theirs) : tolerance.absolute!;
    const rounding = RELATIVE_EPSILON * Math.max(Math.abs(mine), Math.abs(theirs));
    const within = Math.abs(difference) <= allowed + rounding;
    const relative = theirs !== 0 ? ` (${round((difference / Math.abs(theirs)) * 100)}%)` : '';
    const message = `${metric} is ${round(mine)} here and ${round(theirs)} in ${other}: difference ${round(difference)}${relative}; tolerance ${tolerance.text}`;
    return { outcome: within ? 'pass' : 'fail', observed: difference, threshold, message };
  },
});

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
