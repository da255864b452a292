import { COLUMN_PARAM, defineCheck } from './define.js';

/** Percent of all rows (after `where`); 0 on an empty dataset. */
export default defineCheck({
  type: 'missing_percent',
  kind: 'aggregate',
  summary: 'Percent of rows whose value is null',
  details:
    'Percent of all rows in scope, computed as nulls × 100 / rows; 0 on an empty dataset. A value that does not parse as the declared type is not missing.',
  example: { column: 'email', max: 2 },
  params: { column: COLUMN_PARAM },
  required: ['column'],
  columns: (spec) => [spec.params.column],
  measures: (spec) => ({
    nulls: { kind: 'null_count', column: spec.params.column, where: spec.where },
    rows: { kind: 'row_count', where: spec.where },
  }),
  // nulls * 100 / rows, not nulls / rows * 100: 29 of 100 is 29, not 28.999999999999996.
  observe: (values) => ((values.rows as number) === 0 ? 0 : ((values.nulls as number) * 100) / (values.rows as number)),
  observedLabel: (spec) => `missing_percent(${spec.column})`,
});
