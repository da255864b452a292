import type { Scalar } from '../values/types.js';
import { COLUMN_PARAM, defineCheck, VALUES_PARAM } from './define.js';
import { valuesAsType, valueProblems } from './values.js';

export default defineCheck({
  type: 'accepted_values',
  kind: 'row',
  summary: 'The value is one of a list',
  example: { column: 'country', values: ['US', 'GB', 'DE', 'FR'] },
  params: { column: COLUMN_PARAM, values: VALUES_PARAM },
  required: ['column', 'values'],
  columns: (spec) => [spec.column!],
  validate: valueProblems,
  predicate: (spec, ctx) => ({ op: 'not_in', column: spec.column!, values: valuesAsType(spec.params.values as Scalar[], ctx.column(spec.column!)?.type) }),
  failureText: (spec) => `are not in [${(spec.params.values as Scalar[]).join(', ')}]`,
});
