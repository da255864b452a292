import { COLUMN_PARAM, defineCheck } from './define.js';
import { emptyBounds } from './thresholds.js';

const LENGTH = { type: 'integer', minimum: 0, description: 'Length in characters, inclusive' } as const;

export default defineCheck({
  type: 'length',
  kind: 'row',
  summary: 'The string length lies within [min, max]',
  details:
    'Length counts characters (Unicode code points): `\'😀\'` has length 1. Numbers are measured as text.',
  example: { column: 'country', min: 2, max: 2 },
  params: { column: COLUMN_PARAM, min: LENGTH, max: LENGTH },
  required: ['column'],
  validate(params) {
    if (params.min === undefined && params.max === undefined) return [{ code: 'missing-bound', message: 'length needs "min", "max" or both' }];
    if (emptyBounds(params.min, params.max)) {
      return [{ key: 'min', code: 'invalid-bound', message: `min ${String(params.min)} is greater than max ${String(params.max)}` }];
    }
    return [];
  },
  columns: (spec) => [spec.params.column],
  predicate: (spec) => ({
    op: 'length_out_of_range',
    column: spec.params.column,
    min: spec.params.min,
    max: spec.params.max,
  }),
  failureText(spec) {
    const { min, max } = spec.params;
    if (min !== undefined && max !== undefined) return `have a length outside [${min}, ${max}]`;
    return min !== undefined ? `are shorter than ${min}` : `are longer than ${max}`;
  },
});
