import expression from '../../src/checks/expression.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: a row fails when the row expression is false. Null logic is
// SQL's: a comparison with a null operand is null, and a row where the
// expression is null is neither passed nor failed (not evaluated).
checkTester.run(expression, {
  types: { created_at: 'timestamp', updated_at: 'timestamp', amount: 'number' },
  pass: [
    {
      name: 'true on every row',
      data: { created_at: ['2026-01-01T00:00:00Z'], updated_at: ['2026-01-01T00:00:00Z'] },
      params: { row: 'd.updated_at >= d.created_at' },
      expected: { observed: 0, evaluated_rows: 1, message: '0 of 1 rows fail d.updated_at >= d.created_at' },
    },
    { name: 'empty table', data: { amount: [] }, params: { row: 'd.amount > 0' }, expected: { failed_rows: 0, evaluated_rows: 0 } },
    { name: 'an explicit null guard lets nulls pass', data: { amount: [null, 5] }, params: { row: 'd.amount == null || d.amount > 0' }, expected: { failed_rows: 0, evaluated_rows: 2 } },
    { name: 'op functions', types: { status: 'string' }, data: { status: ['Paid', 'SHIPPED'] }, params: { row: "op.lower(d.status) != 'void'" }, expected: { failed_rows: 0 } },
    { name: 'mostly 50 exactly', data: { amount: [1, -1] }, params: { row: 'd.amount > 0', mostly: 50 }, expected: { failed_rows: 1, evaluated_rows: 2 } },
  ],
  fail: [
    {
      // Issue 12: JavaScript's rules failed the row with updated_at null and passed the one with created_at null.
      name: 'a null operand makes the comparison null: that row is neither passed nor failed',
      data: { created_at: ['2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z', null, '2026-01-02T00:00:00Z'], updated_at: ['2026-01-01T00:00:00Z', null, '2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z'] },
      params: { row: 'd.updated_at >= d.created_at' },
      expected: { status: 'fail', observed: 1, failed_rows: 1, evaluated_rows: 2, samples: [1], message: '1 of 2 rows fail d.updated_at >= d.created_at' },
    },
    { name: 'an expression whose value is null is not evaluated', types: { flag: 'boolean' }, data: { flag: [true, null, false] }, params: { row: 'd.flag' }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [3] } },
    { name: 'a null guard that must fail nulls: != null && …', data: { amount: [null, 5, -1] }, params: { row: 'd.amount != null && d.amount > 0' }, expected: { status: 'fail', failed_rows: 2, evaluated_rows: 3, samples: [1, 3] } },
    {
      name: 'a row expression that gives a number is an error, not a truthiness test',
      data: { amount: [1, 0] },
      params: { row: 'd.amount' },
      expected: { status: 'error', observed: null, message: 'check could not run: the row expression gives a number, not true or false' },
    },
    {
      // Issue 12: a V8 message quoting the cell reached the report.
      name: 'an evaluation error names the function and column, never the value',
      types: { name: 'string' },
      data: { name: ['secret-value-123'] },
      params: { row: 'op.abs(d.name) > 1' },
      expected: { status: 'error', observed: null, message: 'check could not run: argument 1 of op.abs must be a number, not a string (reading d.name)' },
    },
    {
      name: 'where: rows out of scope are not evaluated',
      types: { status: 'string' },
      data: { amount: [-1, -1, 1], status: ['refund', 'paid', 'paid'] },
      params: { row: 'd.amount > 0', where: "d.status != 'refund'" },
      expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [2], message: '1 of 2 rows in scope fail d.amount > 0' },
    },
    { name: 'fail_when "> 0%" with warn severity', data: { amount: [1, -1] }, params: { row: 'd.amount > 0', fail_when: '> 0%', severity: 'warn' }, expected: { status: 'warn', failed_rows: 1, evaluated_rows: 2 } },
    {
      name: 'an expression reading a column absent from the data is an error',
      data: { created_at: ['2026-01-01T00:00:00Z'] },
      params: { row: 'd.updated_at >= d.created_at' },
      expected: { status: 'error', observed: null, message: 'check could not run (check.yaml:7:7): unknown column "updated_at" (did you mean "created_at"?; the data has 1 columns: created_at)' },
    },
  ],
  invalid: [
    { params: { row: 'd.amount.constructor' }, errors: ['check.yaml:7:12: checks[0].expression.row: "constructor" is not allowed (use d.<column>, op.<function>, literals and operators)'] },
    { params: { row: 'd.amonut > 0' }, errors: ['check.yaml:7:12: checks[0].expression.row: unknown column "amonut" (did you mean "amount"?)'] },
    { params: { row: 'op.sum(d.amount) > 0' }, errors: ['check.yaml:7:12: checks[0].expression.row: "op.sum" is an aggregate function; use it in an aggregate check, not a row expression'] },
    { params: { row: 'd.amount > 0', where: 'globalThis.x' }, errors: ['check.yaml:8:14: checks[0].expression.where: "globalThis" is not allowed (use d.<column>, op.<function>, literals and operators)'] },
  ],
});
