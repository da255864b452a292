import { INVALID, PARSERS } from '../values/grammar.js';
import type { Scalar } from '../values/types.js';
import type { ParamProblem } from './define.js';
import { emptyBounds } from './thresholds.js';
import { COLUMN_PARAM, defineCheck } from './define.js';

const BOUND = { type: ['number', 'string'], description: 'Number, or an ISO date/timestamp for date columns' } as const;

export default defineCheck({
  type: 'range',
  kind: 'row',
  summary: 'The value lies within [min, max] (inclusive unless `exclusive`)',
  details:
    'Bounds are inclusive unless `exclusive: true`. Date and timestamp columns take ISO bounds (`\'2020-01-01\'`, `\'2026-01-05T10:00:00Z\'`; UTC when no zone is given); string columns compare as text.',
  example: { column: 'amount', min: 0, max: 100000 },
  params: { column: COLUMN_PARAM, min: BOUND, max: BOUND, exclusive: { type: 'boolean', description: 'Bounds themselves fail (default false)' } },
  required: ['column'],
  validate(params, ctx) {
    const problems: ParamProblem[] = [];
    if (params.min === undefined && params.max === undefined) {
      problems.push({ code: 'missing-bound', message: 'range needs "min", "max" or both' });
    }
    const type = ctx.column(params.column)?.type;
    for (const key of ['min', 'max'] as const) {
      const bound = params[key];
      if (bound === undefined) continue;
      if ((type === 'date' || type === 'timestamp') && PARSERS[type](bound) === INVALID) {
        problems.push({ key, code: 'invalid-bound', message: `must be an ISO ${type} for a ${type} column` });
      } else if ((type === 'integer' || type === 'number') && typeof bound !== 'number') {
        problems.push({ key, code: 'invalid-bound', message: `must be a number for a ${type} column` });
      }
    }
    if (emptyBounds(params.min, params.max)) {
      problems.push({ key: 'min', code: 'invalid-bound', message: `min ${String(params.min)} is greater than max ${String(params.max)}` });
    }
    return problems;
  },
  columns: (spec) => [spec.params.column],
  predicate(spec, ctx) {
    const type = ctx.column(spec.params.column)?.type;
    // Date bounds are read exactly as the loader reads the column (no zone: UTC).
    const asBound = (v: number | string | undefined): Scalar | undefined => {
      if (v === undefined || (type !== 'date' && type !== 'timestamp')) return v;
      const parsed = PARSERS[type](v);
      return parsed === INVALID ? v : parsed; // validate() has reported a bound that is not a date
    };
    return {
      op: 'out_of_range',
      column: spec.params.column,
      min: asBound(spec.params.min),
      max: asBound(spec.params.max),
      exclusive: spec.params.exclusive === true,
    };
  },
  failureText(spec) {
    const { min, max, exclusive } = spec.params;
    if (min !== undefined && max !== undefined) return `are outside ${exclusive ? '(' : '['}${min}, ${max}${exclusive ? ')' : ']'}`;
    if (min !== undefined) return `are ${exclusive ? '<=' : '<'} ${min}`;
    return `are ${exclusive ? '>=' : '>'} ${max}`;
  },
});
