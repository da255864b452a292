import { COLUMN_PARAM, defineCheck, VALUES_PARAM } from './define.js';
import { valuesAsType, valueProblems } from './values.js';

export default defineCheck({
  type: 'rejected_values',
  kind: 'row',
  summary: 'The value is not one of a list',
  example: { column: 'status', values: ['test', 'void'] },
  params: { column: COLUMN_PARAM, values: VALUES_PARAM },
  required: ['column', 'values'],
  columns: (spec) => [spec.params.column],
  validate: valueProblems,
  predicate: (spec, ctx) => ({ op: 'in', column: spec.params.column, values: valuesAsType(spec.params.values, ctx.column(spec.params.column)?.type) }),
  failureText: (spec) => `are in [${spec.params.values.join(', ')}]`,
});
