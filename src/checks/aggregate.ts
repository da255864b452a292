import { parseExpression } from '../expr/parse.js';
import { defineCheck } from './define.js';

export default defineCheck({
  type: 'aggregate',
  kind: 'aggregate',
  summary: 'The value of an aggregate expression, e.g. op.sum(d.amount) / op.count()',
  params: { expr: { type: 'string', minLength: 1, description: 'arquero aggregate expression' } },
  required: ['expr'],
  columns: (spec) => parseExpression(spec.params.expr as string, 'aggregate').columns,
  measures: (spec) => ({ value: { kind: 'aggregate', expression: spec.params.expr as string, where: spec.where } }),
  observe: (values) => values.value,
  observedLabel: (spec) => spec.params.expr as string,
});
