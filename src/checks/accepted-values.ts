import { COLUMN_PARAM, defineCheck, VALUES_PARAM } from './define.js';
import { valuesAsType, valueProblems } from './values.js';

export default defineCheck({
  type: 'accepted_values',
  kind: 'row',
  summary: 'The value is one of a list',
  example: { column: 'country', values: ['US', 'GB', 'DE', 'FR'] },
  params: { column: COLUMN_PARAM, values: VALUES_PARAM },
  required: ['column', 'values'],
  columns: (spec) => [spec.params.column],
  validate: valueProblems,
  predicate: (spec, ctx) => ({ op: 'not_in', column: spec.params.column, values: valuesAsType(spec.params.values, ctx.column(spec.params.column)?.type) }),
  failureText: (spec) => `are not in [${spec.params.values.join(', ')}]`,
});
