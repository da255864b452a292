import { parseExpression } from '../expr/parse.js';
import { defineCheck } from './define.js';

export default defineCheck({
  type: 'aggregate',
  kind: 'aggregate',
  summary: 'The value of an aggregate expression, e.g. op.sum(d.amount) / op.count()',
  details:
    'The expression may combine aggregate functions (`op.sum`, `op.mean`, `op.count`, `op.distinct`, `op.median`, …) with arithmetic; it passes the same allow-list as every expression. A value that cannot be computed (a ratio over no rows) fails.',
  example: { name: 'refund_share', expr: "op.sum(d.status == 'refunded' ? 1 : 0) / op.count()", max: 0.25 },
  params: { expr: { type: 'string', minLength: 1, description: 'arquero aggregate expression' } },
  required: ['expr'],
  columns: (spec) => parseExpression(spec.params.expr, 'aggregate').columns,
  measures: (spec) => ({ value: { kind: 'aggregate', expression: spec.params.expr, where: spec.where } }),
  observe: (values) => values.value,
  observedLabel: (spec) => spec.params.expr,
});
