import rejectedValues from '../../src/checks/rejected-values.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: a row fails when the value is in `values`; nulls are not evaluated.
checkTester.run(rejectedValues, {
  types: { status: 'string' },
  pass: [
    { name: 'no rejected value', data: { status: ['paid', 'shipped'] }, params: { column: 'status', values: ['test', 'void'] }, expected: { observed: 0, evaluated_rows: 2 } },
    { name: 'nulls are not evaluated (null is not "void")', data: { status: [null, 'paid'] }, params: { column: 'status', values: ['void'] }, expected: { failed_rows: 0, evaluated_rows: 1 } },
    { name: 'empty table', data: { status: [] }, params: { column: 'status', values: ['void'] }, expected: { failed_rows: 0, evaluated_rows: 0 } },
    { name: 'integer column', types: { n: 'integer' }, data: { n: ['1', '2'] }, params: { column: 'n', values: [0, -1] }, expected: { failed_rows: 0, evaluated_rows: 2 } },
    { name: 'mostly 50: exactly half rejected passes', data: { status: ['void', 'paid'] }, params: { column: 'status', values: ['void'], mostly: 50 }, expected: { failed_rows: 1, evaluated_rows: 2 } },
  ],
  fail: [
    {
      name: 'rejected values fail',
      data: { status: ['paid', 'void', 'test', 'VOID'] },
      params: { column: 'status', values: ['test', 'void'] },
      expected: { status: 'fail', observed: 2, failed_rows: 2, evaluated_rows: 4, samples: [2, 3], message: '2 of 4 non-null values are in [test, void]' },
    },
    { name: 'a date column matches ISO dates', types: { day: 'date' }, data: { day: ['1970-01-01', '2026-01-05'] }, params: { column: 'day', values: ['1970-01-01'] }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [1] } },
    {
      name: 'where restricts the rows',
      types: { amount: 'number' },
      data: { status: ['void', 'void', 'paid'], amount: ['0', '5', null] },
      params: { column: 'status', values: ['void'], where: 'd.amount > 0' },
      expected: { status: 'fail', failed_rows: 1, evaluated_rows: 1, samples: [2] },
    },
    { name: 'severity warn', data: { status: ['void'] }, params: { column: 'status', values: ['void'], severity: 'warn' }, expected: { status: 'warn', failed_rows: 1, evaluated_rows: 1 } },
  ],
  invalid: [
    { params: { column: 'status', values: 'void' }, errors: ['check.yaml:8:15: checks[0].rejected_values.values: expected array, found string'] },
    { types: { day: 'date' }, params: { column: 'day', values: ['yesterday', 'never'] }, errors: ['check.yaml:9:9: checks[0].rejected_values.values: "yesterday", "never" are not a date; column "day" is declared as date'] },
  ],
});
