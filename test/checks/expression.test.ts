import expression from '../../src/checks/expression.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: a row fails when the row expression is false; null counts as
// failing; every row is evaluated. Expressions follow JavaScript comparison
// rules (arquero): `null > 0` is false, `null < 10` is true (null acts as 0).
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
      name: 'a null operand makes the comparison false: the row fails, and every row is evaluated',
      data: { created_at: ['2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z'], updated_at: ['2026-01-01T00:00:00Z', null, '2026-01-03T00:00:00Z'] },
      params: { row: 'd.updated_at >= d.created_at' },
      expected: { status: 'fail', observed: 2, failed_rows: 2, evaluated_rows: 3, samples: [1, 2], message: '2 of 3 rows fail d.updated_at >= d.created_at' },
    },
    { name: 'an expression whose value is null fails', types: { flag: 'boolean' }, data: { flag: [true, null, false] }, params: { row: 'd.flag' }, expected: { status: 'fail', failed_rows: 2, evaluated_rows: 3, samples: [2, 3] } },
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
      expected: { status: 'error', observed: null, message: 'check could not run: unknown column "updated_at" (the data has 1 columns: created_at)' },
    },
  ],
  invalid: [
    { params: { row: 'd.amount.constructor' }, errors: ['check.yaml:7:12: checks[0].expression.row: "constructor" is not allowed (use d.<column>, op.<function>, literals and operators)'] },
    { params: { row: 'd.amonut > 0' }, errors: ['check.yaml:7:12: checks[0].expression.row: unknown column "amonut" (did you mean "amount"?)'] },
    { params: { row: 'op.sum(d.amount) > 0' }, errors: ['check.yaml:7:12: checks[0].expression.row: "op.sum" is an aggregate function; use it in an aggregate check, not a row expression'] },
    { params: { row: 'd.amount > 0', where: 'globalThis.x' }, errors: ['check.yaml:8:14: checks[0].expression.where: "globalThis" is not allowed (use d.<column>, op.<function>, literals and operators)'] },
  ],
});
