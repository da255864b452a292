import { columnOrColumns, COLUMN_PARAM, COLUMNS_PARAM, defineCheck } from './define.js';

/** Rows whose non-null key occurs more than once (every occurrence counts). */
export default defineCheck({
  type: 'duplicate_count',
  kind: 'aggregate',
  summary: 'Number of rows whose non-null key repeats',
  details:
    'Every occurrence of a repeated key counts, so one key seen three times is 3. A key with a null part is not a key.',
  example: { columns: ['customer_id', 'created_at'], max: 0 },
  params: { column: COLUMN_PARAM, columns: COLUMNS_PARAM },
  oneOf: [['column'], ['columns']],
  columns: columnOrColumns,
  measures: (spec) => ({ duplicates: { kind: 'duplicate_count', columns: columnOrColumns(spec), where: spec.where } }),
  observe: (values) => values.duplicates,
  observedLabel: (spec) => `duplicate_count(${columnOrColumns(spec).join(', ')})`,
});
