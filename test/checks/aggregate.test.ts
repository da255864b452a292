import aggregate from '../../src/checks/aggregate.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: observed = the value of an aggregate expression (after `where`).
checkTester.run(aggregate, {
  types: { amount: 'number', status: 'string' },
  pass: [
    { name: 'exactly at max', data: { amount: [1, 3] }, params: { expr: 'op.sum(d.amount) / op.count()', max: 2 }, expected: { observed: 2, threshold: 'op.sum(d.amount) / op.count() > 2' } },
    { name: 'nulls: op.mean skips them', data: { amount: [null, 4, 2] }, params: { expr: 'op.mean(d.amount)', between: [3, 3] }, expected: { observed: 3 } },
    {
      name: 'share of refunds',
      data: { status: ['refunded', 'paid', 'paid', 'paid'] },
      params: { expr: "op.sum(d.status == 'refunded' ? 1 : 0) / op.count()", max: 0.25 },
      expected: { observed: 0.25 },
    },
    { name: 'empty table: a count is 0', data: { amount: [] }, params: { expr: 'op.count()', max: 0 }, expected: { observed: 0 } },
  ],
  fail: [
    { name: 'just above max', data: { amount: [1, 4] }, params: { expr: 'op.sum(d.amount) / op.count()', max: 2 }, expected: { status: 'fail', observed: 2.5, message: 'op.sum(d.amount) / op.count() is 2.5; expected <= 2' } },
    { name: 'empty table: a ratio cannot be computed', data: { amount: [] }, params: { expr: 'op.sum(d.amount) / op.count()', max: 2 }, expected: { status: 'fail', observed: null } },
    { name: 'where is applied before aggregating', data: { amount: [100, 1, 1] }, params: { expr: 'op.max(d.amount)', where: 'd.amount < 50', min: 2 }, expected: { status: 'fail', observed: 1 } },
    {
      name: 'integers beyond 2^53 stay exact through op.max, op.sum and + - *',
      types: { amount: 'integer' },
      data: { amount: ['9007199254740993', '1'] },
      params: { expr: 'op.max(d.amount) + 1 - op.sum(d.amount) * 0', max: 10 },
      expected: { status: 'fail', observed: 9007199254740994n, message: 'op.max(d.amount) + 1 - op.sum(d.amount) * 0 is 9007199254740994; expected <= 10' },
    },
    { name: 'nested warn and severity', data: { amount: [5] }, params: { expr: 'op.sum(d.amount)', max: 10, warn: { max: 4 }, severity: 'warn' }, expected: { status: 'warn', observed: 5 } },
    {
      name: 'op.max over text against a numeric bound is an error, never a pass (like with like)',
      types: { amount: null },
      data: { amount: ['5', 'N/A', '1000000'] },
      params: { expr: 'op.max(d.amount)', max: 1000 },
      expected: { status: 'error', observed: null },
    },
    {
      name: 'a text value against a numeric bound is an error, never a pass (like with like)',
      data: { status: ['paid', 'void'] },
      params: { expr: 'op.any(d.status)', max: 1000 },
      expected: { status: 'error', observed: null, message: 'op.any(d.status) is not numeric: the value is text' },
    },
    { name: 'an expression reading a column absent from the data is an error', types: { other: 'string' }, data: { other: ['x'] }, params: { expr: 'op.sum(d.amount)', max: 1 }, expected: { status: 'error', observed: null } },
  ],
  invalid: [
    { params: { expr: '1 > 0', max: 1 }, errors: ['check.yaml:7:13: checks[0].aggregate.expr: an aggregate expression needs an aggregate function such as op.sum(d.amount) or op.count()'] },
    { params: { expr: 'd.amount > 0', max: 1 }, errors: ['check.yaml:7:13: checks[0].aggregate.expr: d.amount is read outside an aggregate function; in an aggregate expression, read columns inside one, such as op.max(d.amount)'] },
    { params: { expr: 'op.sum(d.amount.__proto__)', max: 1 }, errors: ['check.yaml:7:13: checks[0].aggregate.expr: "__proto__" is not allowed (use d.<column>, op.<function>, literals and operators)'] },
    { params: { expr: 'op.sum(d.amount)' }, errors: ['check.yaml:7:7: checks[0].aggregate: aggregate needs a threshold: "min", "max", "between", "warn" or "fail_when"'] },
  ],
});
