import { COLUMN_PARAM, defineCheck } from './define.js';

export default defineCheck({
  type: 'not_null',
  kind: 'row',
  summary: 'Every row has a value in the column',
  details:
    'Every row is evaluated. A value that does not parse as the column\'s declared type is not null: it fails the `type` check instead.',
  example: { column: 'customer_id' },
  params: { column: COLUMN_PARAM },
  required: ['column'],
  evaluatesNulls: true,
  columns: (spec) => [spec.params.column],
  predicate: (spec) => ({ op: 'is_null', column: spec.params.column }),
  failureText: () => 'are null',
});
