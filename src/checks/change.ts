import { changeBaseline, type ChangeBaseline } from './history/band.js';
import { historyKey, metricColumns, metricMeasures, recentSeries, round, testedValue, validateMetric } from './history/metric-check.js';
import { defineCheck, METRIC_PARAM, type ParamProblem, type Verdict } from './define.js';
import { message, text } from './message.js';

const BOUND_KEYS = ['max_percent', 'min_percent', 'max_delta', 'min_delta'] as const;
type BoundKey = (typeof BOUND_KEYS)[number];
type ChangeBounds = Partial<Record<BoundKey, number>>;

const BOUNDS = {
  max_percent: { type: 'number', description: 'largest change allowed, percent of the baseline (20: at most +20%)' },
  min_percent: { type: 'number', description: 'smallest change allowed, percent of the baseline (-20: at most 20% down)' },
  max_delta: { type: 'number', description: 'largest change allowed, in the metric\'s unit (value − baseline)' },
  min_delta: { type: 'number', description: 'smallest change allowed, in the metric\'s unit (negative: a drop)' },
} as const;

/**
 * Change over time (SPEC §6): the metric now against a baseline from
 * history. Observed: the signed change, in percent of |baseline| when a
 * percent bound is given, else value − baseline.
 */
export default defineCheck({
  type: 'change',
  kind: 'aggregate',
  summary: 'A metric changed by at most a percent or delta since the last run, the 7-day average or the same weekday',
  details:
    '`metric` is any measure assay knows (`row_count`, `missing_percent(email)`, `max(amount)`, `failed_rows(orders.email.format)`, an aggregate expression), computed in the same read as the other checks; its past values come from the history store (docs/history.md). `vs: last` (default) is the previous point, `avg_7d` the mean of the points in the 7 days before this run, `same_weekday` the latest point 7 days ± 12 h earlier; the run\'s own point is never its baseline. Observed: `100 × (value − baseline) / |baseline|` with a `*_percent` bound, else `value − baseline`. `max_percent: 20` allows growth up to +20%, `min_percent: -20` a drop down to −20%; the bounds are inclusive. A nested `warn:` takes the same keys. With no baseline (a new metric, or `--no-history`) the check passes with "no baseline yet"; from a baseline of 0 the change is ±∞%: growth fails a `max_percent` and a drop a `min_percent` (observed null).',
  example: { metric: 'row_count', vs: 'avg_7d', min_percent: -30, max_percent: 50, warn: { min_percent: -15 } },
  params: {
    metric: METRIC_PARAM,
    vs: { enum: ['last', 'avg_7d', 'same_weekday'], description: 'the baseline: the last point (default), the mean of the last 7 days, or the same weekday a week earlier' },
    ...BOUNDS,
    warn: { type: 'object', properties: BOUNDS, additionalProperties: false, description: 'bounds that only warn' },
  },
  required: ['metric'],
  ownThresholds: true,
  validate(params, ctx) {
    const problems: ParamProblem[] = validateMetric(params, ctx, undefined);
    const warn = (params.warn ?? {}) as ChangeBounds;
    const all = [...BOUND_KEYS.filter((k) => params[k] !== undefined), ...BOUND_KEYS.filter((k) => warn[k] !== undefined)];
    if (all.length === 0) problems.push({ code: 'missing-threshold', message: 'change needs a bound: max_percent, min_percent, max_delta or min_delta (or under warn)' });
    for (const [bounds, prefix] of [[params as ChangeBounds, ''], [warn, 'warn.']] as const) {
      for (const unit of ['percent', 'delta'] as const) {
        const min = bounds[`min_${unit}`];
        const max = bounds[`max_${unit}`];
        if (min !== undefined && max !== undefined && min > max) problems.push({ key: `${prefix}min_${unit}`, code: 'invalid-bound', message: `min_${unit} ${min} is greater than max_${unit} ${max}` });
      }
    }
    return problems;
  },
  columns: (spec) => metricColumns(spec),
  derivedName: (spec) => `change.${String(spec.params.metric).replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_|_$/g, '')}`,
  measures: (spec, ctx) => metricMeasures(spec, ctx),
  historyMetric: historyKey,
  observedLabel: (spec) => `change of ${String(spec.params.metric)}`,
  judge(values, spec, ctx): Verdict {
    const vs = (spec.params.vs as ChangeBaseline | undefined) ?? 'last';
    const fail = pick(spec.params);
    const warn = pick((spec.params.warn ?? {}) as Record<string, unknown>);
    const percent = [fail, warn].some((b) => b.max_percent !== undefined || b.min_percent !== undefined);
    const threshold = [describe(fail), Object.keys(warn).length ? `warn when ${describe(warn)}` : ''].filter(Boolean).join('; ') + ` (vs ${vs})`;
    const tested = testedValue(values, spec, ctx);
    if (tested.kind === 'problem') return { outcome: tested.outcome, observed: null, threshold, message: message`${text(tested.key)} ${text(tested.why)}` };
    const points = ctx.history?.(tested.key) ?? [];
    const baseline = changeBaseline(points, ctx.now.getTime(), vs);
    const series = recentSeries(points);
    if (!baseline) {
      const why = ctx.history ? '' : ' (history is off)';
      return {
        outcome: 'pass',
        observed: null,
        threshold,
        message: message`${text(tested.key)} is ${round(tested.value)}; no baseline yet${text(why)}`,
        history: { metric: tested.key, value: tested.value, vs, series },
      };
    }
    const delta = tested.value - baseline.value;
    const relative = baseline.value === 0 ? (delta === 0 ? 0 : delta > 0 ? Infinity : -Infinity) : (100 * delta) / Math.abs(baseline.value);
    const outside = (b: ChangeBounds) =>
      (b.max_percent !== undefined && relative > b.max_percent + 1e-9) ||
      (b.min_percent !== undefined && relative < b.min_percent - 1e-9) ||
      (b.max_delta !== undefined && delta > b.max_delta + 1e-9 * Math.max(1, Math.abs(b.max_delta))) ||
      (b.min_delta !== undefined && delta < b.min_delta - 1e-9 * Math.max(1, Math.abs(b.min_delta)));
    const outcome = outside(fail) ? 'fail' : outside(warn) ? 'warn' : 'pass';
    const observed = percent ? (Number.isFinite(relative) ? round(relative) : null) : round(delta);
    const percentText = Number.isFinite(relative) ? message` (${signed(round(relative))}%)` : message` (from 0)`;
    const against = vs === 'last' ? 'the last point' : vs === 'avg_7d' ? `the 7-day average of ${baseline.points.length} point${baseline.points.length === 1 ? '' : 's'}` : 'the same weekday a week earlier';
    return {
      outcome,
      observed,
      threshold,
      message: message`${text(tested.key)} is ${round(tested.value)}, ${signed(round(delta))}${percentText} against ${text(against)} (${round(baseline.value)})`,
      history: { metric: tested.key, value: tested.value, baseline: baseline.value, vs, series },
    };
  },
});

function pick(params: Record<string, unknown>): ChangeBounds {
  const out: ChangeBounds = {};
  for (const key of BOUND_KEYS) if (typeof params[key] === 'number') out[key] = params[key] as number;
  return out;
}

/** `change < -20% or > +20%` style text of the bounds that fail. */
function describe(b: ChangeBounds): string {
  const parts: string[] = [];
  if (b.min_percent !== undefined) parts.push(`change < ${signed(b.min_percent)}%`);
  if (b.max_percent !== undefined) parts.push(`change > ${signed(b.max_percent)}%`);
  if (b.min_delta !== undefined) parts.push(`delta < ${signed(b.min_delta)}`);
  if (b.max_delta !== undefined) parts.push(`delta > ${signed(b.max_delta)}`);
  return parts.join(' or ');
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
