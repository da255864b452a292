import { DEFAULT_ANOMALY, judgeAnomaly, type AnomalyOptions } from './history/band.js';
import { historyKey, metricColumns, metricMeasures, recentSeries, round, testedValue, validateMetric } from './history/metric-check.js';
import { durationHint, formatDuration, parseDuration } from '../util/duration.js';
import { defineCheck, METRIC_PARAM, type ParamProblem, type Verdict } from './define.js';
import { message, text } from './message.js';

/**
 * Anomaly detection (SPEC §6): the metric now against a robust band learned
 * from its history (src/history/band.ts). Observed: the metric's value.
 */
export default defineCheck({
  type: 'anomaly',
  kind: 'aggregate',
  summary: 'A metric stays inside a band learned from its history (median ± sensitivity × 1.4826 × MAD, weekly season)',
  details:
    'The band is learned from the metric\'s points in the `window` before this run (default 56d): median ± `sensitivity` (default 3) × 1.4826 × MAD. With `seasonality: auto` (default) and at least 3 weeks of history, the centre is the median of the same weekday\'s points and the spread the MAD of every point\'s deviation from its weekday\'s median (`weekly` forces it, `none` turns it off). The run\'s own point is never in the training window, nor is any past point that was itself outside its band (decided by replaying the same rule over the history). Two consecutive points outside on the same side are a level shift: the new level is normal, and the check learns again from it. With fewer than `min_history` (default 14) training points the check passes with "learning (n of min_history points)". The band\'s bounds are inside. The JSON report carries the band, the training window and its point count, and the season bucket.',
  example: { metric: 'row_count', sensitivity: 3, min_history: 14 },
  params: {
    metric: METRIC_PARAM,
    sensitivity: { type: 'number', exclusiveMinimum: 0, description: 'band half-width in robust standard deviations (default 3)' },
    min_history: { type: 'integer', minimum: 1, description: 'training points needed before the check judges (default 14)' },
    seasonality: { enum: ['auto', 'none', 'weekly'], description: 'compare a weekday with the same weekday: auto (with 3 weeks of history), none, weekly' },
    window: { type: 'string', minLength: 2, description: 'how far back training points are taken (default 56d)' },
  },
  required: ['metric'],
  ownThresholds: true,
  validate(params, ctx) {
    const problems: ParamProblem[] = validateMetric(params, ctx, undefined);
    if (params.window !== undefined && parseDuration(String(params.window)) === undefined) {
      problems.push({ key: 'window', code: 'invalid-duration', message: `invalid duration ${JSON.stringify(params.window)}`, expected: durationHint(String(params.window)) });
    }
    return problems;
  },
  columns: (spec) => metricColumns(spec),
  derivedName: (spec) => `anomaly.${String(spec.params.metric).replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_|_$/g, '')}`,
  measures: (spec, ctx) => metricMeasures(spec, ctx),
  historyMetric: historyKey,
  observedLabel: (spec) => String(spec.params.metric),
  judge(values, spec, ctx): Verdict {
    const options = anomalyOptions(spec.params);
    const threshold = `outside median ± ${options.sensitivity} × 1.4826 × MAD of the last ${formatDuration(options.windowMs)}${options.seasonality === 'none' ? '' : `, seasonality ${options.seasonality}`}`;
    const tested = testedValue(values, spec, ctx);
    if (tested.kind === 'problem') return { outcome: tested.outcome, observed: null, threshold, message: message`${text(tested.key)} ${text(tested.why)}` };
    const points = ctx.history?.(tested.key) ?? [];
    const judged = judgeAnomaly(points, ctx.now.getTime(), tested.value, options);
    const series = recentSeries(points.filter((p) => p.time < ctx.now.getTime()), judged.anomalousTimes);
    const base = { metric: tested.key, value: tested.value, series };
    const { result } = judged;
    if (result.kind === 'learning' || judged.shift) {
      const have = result.kind === 'learning' ? result.points : 0;
      const since = result.kind === 'learning' && result.since !== undefined ? ` since the level shift of ${new Date(result.since).toISOString().slice(0, 10)}` : judged.shift ? ': a level shift, the new level is learned from here' : '';
      const off = ctx.history ? '' : '; history is off';
      return {
        outcome: 'pass',
        observed: tested.value,
        threshold,
        message: message`${text(tested.key)} is ${round(tested.value)}; learning (${text(have)} of ${text(options.minHistory)} points${text(since)}${text(off)})`,
        history: { ...base, learning: { points: have, min_history: options.minHistory } },
      };
    }
    const { band } = result;
    const detail = {
      ...base,
      baseline: band.center,
      band: { low: band.low, high: band.high },
      training: { from: new Date(band.training.from).toISOString(), to: new Date(band.training.to).toISOString(), points: band.training.points },
      season: band.season,
    };
    const season = band.season ? `, ${band.season}s` : '';
    const window = text(`of ${band.training.points} points from ${day(band.training.from)} to ${day(band.training.to)}${season}`);
    const verdict = judged.anomalous ? 'outside' : 'inside';
    return {
      outcome: judged.anomalous ? 'fail' : 'pass',
      observed: tested.value,
      threshold,
      message: message`${text(tested.key)} is ${round(tested.value)}, ${text(verdict)} the expected ${round(band.low)} to ${round(band.high)} (median ${round(band.center)} ${window})`,
      history: detail,
    };
  },
});

export function anomalyOptions(params: Record<string, unknown>): AnomalyOptions {
  return {
    sensitivity: typeof params.sensitivity === 'number' ? params.sensitivity : DEFAULT_ANOMALY.sensitivity,
    minHistory: typeof params.min_history === 'number' ? params.min_history : DEFAULT_ANOMALY.minHistory,
    seasonality: (params.seasonality as AnomalyOptions['seasonality'] | undefined) ?? DEFAULT_ANOMALY.seasonality,
    windowMs: typeof params.window === 'string' ? (parseDuration(params.window) ?? DEFAULT_ANOMALY.windowMs) : DEFAULT_ANOMALY.windowMs,
  };
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

