import type { Scalar } from '../plan/plan.js';
import { COLUMN_PARAM, defineCheck, VALUES_PARAM } from './define.js';

export default defineCheck({
  type: 'accepted_values',
  kind: 'row',
  summary: 'The value is one of a list',
  params: { column: COLUMN_PARAM, values: VALUES_PARAM },
  required: ['column', 'values'],
  columns: (spec) => [spec.column!],
  predicate: (spec) => ({ op: 'not_in', column: spec.column!, values: spec.params.values as Scalar[] }),
  failureText: (spec) => `are not in [${(spec.params.values as Scalar[]).join(', ')}]`,
});
