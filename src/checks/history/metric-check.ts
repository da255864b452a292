/**
 * What `change` and `anomaly` checks share: the `metric` parameter (parsed
 * into measures of the dataset's single read), its validation, the value
 * under test, and the recent series the report draws.
 */
import type { CheckContext, EvaluationContext, HistoryDetail, ParamProblem } from '../define.js';
import { kindName, observedKind } from '../thresholds.js';
import type { MeasureValue } from '../../plan/plan.js';
import type { Scalar } from '../../values/types.js';
import type { CheckSpec } from '../../policy/types.js';
import type { HistoryPoint } from './band.js';
import { suggest } from '../../util/did-you-mean.js';
import { metricKey, MetricError, parseMetric, type ParsedMetric } from './metric.js';


/** Points the report's chart shows. */
export const SERIES_POINTS = 30;

export function validateMetric(params: Record<string, unknown>, ctx: CheckContext, where: string | undefined): ParamProblem[] {
  let parsed: ParsedMetric;
  try {
    parsed = parseMetric(String(params.metric), where, ctx);
  } catch (e) {
    if (e instanceof MetricError) return [{ key: 'metric', code: 'invalid-metric', message: e.message }];
    throw e;
  }
  const declared = Object.keys(ctx.dataset.columns);
  const unknown = parsed.key.startsWith('failed_rows(') || declared.length === 0 ? [] : parsed.columns.filter((c) => !ctx.column(c));
  if (unknown.length > 0) return [{ key: 'metric', code: 'unknown-column', message: `unknown column "${unknown[0]}" in dataset "${ctx.dataset.name}"`, expected: suggest(unknown[0], declared) }];
  const columns = parsed.valueColumns.filter((c) => (ctx.column(c)?.classification ?? []).length > 0);
  if (columns.length > 0) {
    return [{
      key: 'metric',
      code: 'classified-metric',
      message: `${parsed.key} is computed from the values of classified column ${columns.map((c) => `"${c}"`).join(', ')}, which never enter history`,
      expected: `a count, such as missing_count(${columns[0]}) or distinct_count(${columns[0]})`,
    }];
  }
  return [];
}

/** The metric's columns (a `failed_rows` metric reads through its check, which names them); none when it does not parse (validation reports it). */
export function metricColumns(spec: CheckSpec): string[] {
  try {
    return parseMetric(String(spec.params.metric), spec.where, { dataset: { name: spec.dataset, checks: [], columns: {} } as unknown as CheckContext['dataset'] }).columns;
  } catch {
    return [];
  }
}

/** The history key of the check's metric (with its `where`). */
export function historyKey(spec: CheckSpec, ctx: CheckContext): string {
  return metricKey(parseMetric(String(spec.params.metric), spec.where, ctx).key, spec.where);
}

export function metricMeasures(spec: CheckSpec, ctx: CheckContext): ParsedMetric['measures'] {
  return parseMetric(String(spec.params.metric), spec.where, ctx).measures;
}

export type TestedValue = { kind: 'value'; key: string; value: number } | { kind: 'problem'; key: string; outcome: 'fail' | 'error'; why: string };

/** The metric's value in this run, its history key, or why it cannot be judged. */
export function testedValue(values: Record<string, MeasureValue>, spec: CheckSpec, ctx: EvaluationContext): TestedValue {
  const dataset = ctx.dataset ?? { name: spec.dataset, checks: [], columns: ctx.columns };
  const parsed = parseMetric(String(spec.params.metric), spec.where, { dataset: dataset as CheckContext['dataset'] });
  const key = metricKey(parsed.key, spec.where);
  const value = parsed.value(values as Record<string, Scalar>);
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return { kind: 'problem', key, outcome: 'fail', why: 'cannot be computed: no non-null values' };
  if (typeof value === 'bigint') return { kind: 'value', key, value: Number(value) };
  if (typeof value !== 'number') return { kind: 'problem', key, outcome: 'error', why: `is not numeric: the value is ${kindName(observedKind(value))}` };
  return { kind: 'value', key, value };
}

/** The last SERIES_POINTS points, oldest first. */
export function recentSeries(points: readonly HistoryPoint[], anomalous: ReadonlySet<number> = new Set()): HistoryDetail['series'] {
  return [...points]
    .sort((a, b) => a.time - b.time)
    .slice(-SERIES_POINTS)
    .map((p) => ({ time: new Date(p.time).toISOString(), value: p.value, ...(anomalous.has(p.time) ? { anomalous: true as const } : {}) }));
}

/** A number as a message shows it: at most 4 decimals. */
export function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
