import { columnOrColumns, COLUMN_PARAM, COLUMNS_PARAM, defineCheck } from './define.js';

/** Every occurrence of a repeated key fails, so observed counts rows, not keys. */
export default defineCheck({
  type: 'unique',
  kind: 'row',
  summary: 'No non-null key (one column or several) occurs more than once',
  details:
    'Every occurrence of a repeated key fails, so observed counts rows, not keys. Rows with a null in the key are not evaluated. Values compare by value; timestamps by instant.',
  example: { column: 'order_id' },
  params: { column: COLUMN_PARAM, columns: COLUMNS_PARAM },
  oneOf: [['column'], ['columns']],
  columns: columnOrColumns,
  predicate: (spec) => ({ op: 'duplicate_key', columns: columnOrColumns(spec) }),
  failureText: () => 'have a key that occurs more than once',
});
