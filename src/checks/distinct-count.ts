import { COLUMN_PARAM, defineCheck } from './define.js';

export default defineCheck({
  type: 'distinct_count',
  kind: 'aggregate',
  summary: 'Number of distinct non-null values',
  details:
    'Null is not a value: it is never counted.',
  example: { column: 'status', min: 3 },
  params: { column: COLUMN_PARAM },
  required: ['column'],
  columns: (spec) => [spec.params.column],
  measures: (spec) => ({ distinct: { kind: 'distinct_count', column: spec.params.column, where: spec.where } }),
  observe: (values) => values.distinct,
  observedLabel: (spec) => `distinct_count(${spec.column})`,
});
