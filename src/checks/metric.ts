import type { Stat } from '../plan/plan.js';
import { COLUMN_PARAM, defineCheck } from './define.js';

const STATS: Stat[] = ['min', 'max', 'mean', 'median', 'stddev', 'sum', 'quantile'];

/**
 * A statistic over non-null values. `stddev` is the sample standard deviation;
 * `median` and `quantile` interpolate linearly (numpy's and pandas' default).
 */
export default defineCheck({
  type: 'metric',
  kind: 'aggregate',
  summary: 'A statistic of the column: min, max, mean, median, stddev, sum, quantile (q)',
  details:
    '`stddev` is the sample standard deviation (n − 1); `median` and `quantile` interpolate linearly between the two nearest values, as numpy and pandas do by default. `min` and `max` also work on date and timestamp columns, with ISO bounds (UTC when no zone is given). Over no non-null values the statistic cannot be computed and the check fails (warns when it has only `warn` bounds).',
  example: { column: 'amount', stat: 'mean', between: [10, 500] },
  params: { column: COLUMN_PARAM, stat: { enum: STATS, description: 'Statistic over non-null values' }, q: { type: 'number', minimum: 0, maximum: 1, description: 'Quantile, 0 to 1 (stat: quantile only)' } },
  required: ['column', 'stat'],
  validate(params, ctx) {
    if (params.stat === 'quantile' && params.q === undefined) return [{ key: 'q', code: 'missing-key', message: 'quantile needs "q" (0 to 1)' }];
    if (params.stat !== 'quantile' && params.q !== undefined) return [{ key: 'q', code: 'unexpected-key', message: '"q" applies only to stat: quantile' }];
    const type = ctx.column(params.column)?.type;
    if (type && type !== 'integer' && type !== 'number' && !(['min', 'max'].includes(params.stat) && (type === 'date' || type === 'timestamp'))) {
      return [{ key: 'stat', code: 'invalid-stat', message: `${String(params.stat)} needs a numeric column; "${String(params.column)}" is ${type}` }];
    }
    return [];
  },
  columns: (spec) => [spec.params.column],
  derivedName: (spec) => (spec.params.stat === 'quantile' ? `p${Number(spec.params.q) * 100}` : (spec.params.stat)),
  measures: (spec) => ({
    value: { kind: 'stat', stat: spec.params.stat, column: spec.params.column, q: spec.params.q, where: spec.where },
  }),
  observe: (values) => values.value,
  observedLabel: (spec) => (spec.params.stat === 'quantile' ? `quantile(${spec.column}, ${String(spec.params.q)})` : `${spec.params.stat}(${spec.column})`),
});
