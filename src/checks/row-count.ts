import { defineCheck } from './define.js';

export default defineCheck({
  type: 'row_count',
  kind: 'aggregate',
  summary: 'Number of rows (after `where`)',
  details:
    'Counts every row in scope, whatever its values.',
  example: { min: 1, warn: { min: 500 } },
  params: {},
  columns: () => [],
  measures: (spec) => ({ rows: { kind: 'row_count', where: spec.where } }),
  observe: (values) => values.rows,
  observedLabel: () => 'row_count',
});
