import { parseExpression } from '../expr/parse.js';
import { defineCheck } from './define.js';

/** Null counts as failing, and every row is evaluated: the expression decides. */
export default defineCheck({
  type: 'expression',
  kind: 'row',
  summary: 'A row expression is true for the row (null fails)',
  params: { row: { type: 'string', minLength: 1, description: 'arquero row expression, e.g. d.updated_at >= d.created_at' } },
  required: ['row'],
  evaluatesNulls: true,
  columns: (spec) => parseExpression(spec.params.row as string, 'row').columns,
  predicate: (spec) => ({ op: 'expression_false', expression: spec.params.row as string }),
  failureText: (spec) => `fail ${spec.params.row as string}`,
});
