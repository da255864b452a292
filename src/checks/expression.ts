import { parseExpression } from '../expr/parse.js';
import { defineCheck } from './define.js';

/** Null counts as failing, and every row is evaluated: the expression decides. */
export default defineCheck({
  type: 'expression',
  kind: 'row',
  summary: 'A row expression is true for the row (null fails)',
  details:
    'Every row is evaluated and a row whose expression is null fails. Comparisons follow JavaScript, as arquero does: `null > 0` is false (the row fails) but `null < 10` is true; guard with `d.x != null && …` when a null must fail.',
  example: { name: 'updated_after_created', row: 'd.updated_at >= d.created_at', mostly: 99.9 },
  params: { row: { type: 'string', minLength: 1, description: 'arquero row expression, e.g. d.updated_at >= d.created_at' } },
  required: ['row'],
  evaluatesNulls: true,
  columns: (spec) => parseExpression(spec.params.row as string, 'row').columns,
  predicate: (spec) => ({ op: 'expression_false', expression: spec.params.row as string }),
  failureText: (spec) => `fail ${spec.params.row as string}`,
});
