import { COLUMN_PARAM, defineCheck } from './define.js';

export default defineCheck({
  type: 'missing_count',
  kind: 'aggregate',
  summary: 'Number of null values in the column',
  details:
    'A value that does not parse as the column\'s declared type is not missing: it fails the `type` check.',
  example: { column: 'phone', max: 0, severity: 'warn' },
  params: { column: COLUMN_PARAM },
  required: ['column'],
  columns: (spec) => [spec.params.column],
  measures: (spec) => ({ nulls: { kind: 'null_count', column: spec.params.column, where: spec.where } }),
  observe: (values) => values.nulls,
  observedLabel: (spec) => `missing_count(${spec.column})`,
});
