import { parseExpression } from '../expr/parse.js';
import { defineCheck } from './define.js';

/** Every row goes to the expression (null values included); a row where it is null is not evaluated (SQL's rule). */
export default defineCheck({
  type: 'expression',
  kind: 'row',
  summary: 'A row expression is true for the row',
  details:
    'Null logic is SQL\'s (see docs/expressions.md): a comparison with a null operand is null, and a row where the expression is null is neither passed nor failed: it is not counted in `evaluated_rows`. So `d.updated_at >= d.created_at` fails only rows where both are present and out of order. Write `d.x != null && …` (false, not null, when `d.x` is null) when a missing value must fail the row. A row expression that gives something other than true, false or null is an error.',
  example: { name: 'updated_after_created', row: 'd.updated_at >= d.created_at', mostly: 99.9 },
  params: { row: { type: 'string', minLength: 1, description: 'row expression, e.g. d.updated_at >= d.created_at' } },
  required: ['row'],
  evaluatesNulls: true,
  columns: (spec) => parseExpression(spec.params.row, 'row').columns,
  predicate: (spec) => ({ op: 'expression_false', expression: spec.params.row }),
  failureText: (spec) => `fail ${spec.params.row}`,
});
