import notNull from '../../src/checks/not-null.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: a row fails when the value is null; every row is evaluated.
checkTester.run(notNull, {
  types: { id: 'integer' },
  pass: [
    { name: 'no nulls', data: { id: ['1', '2', '3'] }, params: { column: 'id' }, expected: { observed: 0, failed_rows: 0, evaluated_rows: 3, message: '0 of 3 rows are null' } },
    { name: 'empty table: nothing to fail', data: { id: [] }, params: { column: 'id' }, expected: { failed_rows: 0, evaluated_rows: 0 } },
    {
      name: 'a value that does not parse is not null (it fails the type check instead)',
      data: { id: ['1', 'x', '3'] },
      params: { column: 'id' },
      expected: { failed_rows: 0, evaluated_rows: 3 },
    },
    { name: 'mostly: exactly at the boundary passes (3 of 4 = 75%)', data: { id: ['1', null, '3', '4'] }, params: { column: 'id', mostly: 75 }, expected: { failed_rows: 1, evaluated_rows: 4, threshold: 'failed_percent > 25' } },
    { name: 'fail_when "> 25%": exactly 25% passes', data: { id: ['1', null, '3', '4'] }, params: { column: 'id', fail_when: '> 25%' }, expected: { failed_rows: 1, threshold: 'failed_rows > 25%' } },
    { name: 'fail_when "> 1": exactly one null passes', data: { id: ['1', null, '3'] }, params: { column: 'id', fail_when: '> 1' }, expected: { failed_rows: 1, threshold: 'failed_rows > 1' } },
    {
      name: 'where: the null is out of scope',
      types: { kind: 'string' },
      data: { id: [null, '2', '3'], kind: ['b', 'a', 'a'] },
      params: { column: 'id', where: "d.kind == 'a'" },
      expected: { failed_rows: 0, evaluated_rows: 2, message: '0 of 2 rows in scope are null' },
    },
  ],
  fail: [
    {
      name: 'two nulls, every row evaluated',
      data: { id: ['1', null, '3', null] },
      params: { column: 'id' },
      expected: { status: 'fail', observed: 2, failed_rows: 2, evaluated_rows: 4, samples: [2, 4], message: '2 of 4 rows are null', threshold: 'failed_rows > 0' },
    },
    { name: 'mostly: just above the boundary fails', data: { id: ['1', null, '3', '4'] }, params: { column: 'id', mostly: 75.1 }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 4 } },
    { name: 'fail_when "> 25%": 50% fails', data: { id: ['1', null, null, '4'] }, params: { column: 'id', fail_when: '> 25%' }, expected: { status: 'fail', failed_rows: 2, evaluated_rows: 4 } },
    { name: 'fail_when ">= 1": exactly one null fails', data: { id: ['1', null, '3'] }, params: { column: 'id', fail_when: '>= 1' }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 3 } },
    { name: 'severity warn reports warn', data: { id: [null] }, params: { column: 'id', severity: 'warn' }, expected: { status: 'warn', failed_rows: 1, evaluated_rows: 1 } },
    {
      name: 'warn_when below the fail threshold warns',
      data: { id: ['1', null, '3', '4'] },
      params: { column: 'id', fail_when: '> 50%', warn_when: '> 0' },
      expected: { status: 'warn', failed_rows: 1, evaluated_rows: 4, threshold: 'failed_rows > 50%; warn when failed_rows > 0' },
    },
    { name: 'fail wins over warn', data: { id: [null, null, '3', '4'] }, params: { column: 'id', fail_when: '>= 50%', warn_when: '> 0' }, expected: { status: 'fail', failed_rows: 2, evaluated_rows: 4 } },
    {
      name: 'where: only rows in scope are evaluated',
      types: { kind: 'string' },
      data: { id: [null, null, '3'], kind: ['a', 'b', 'a'] },
      params: { column: 'id', where: "d.kind == 'a'" },
      expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [1], message: '1 of 2 rows in scope are null' },
    },
    { name: 'samples: 1 keeps the first failing row', data: { id: ['1', null, null] }, params: { column: 'id', samples: 1 }, expected: { status: 'fail', failed_rows: 2, evaluated_rows: 3, samples: [2] } },
    { name: 'samples: 0 keeps none', data: { id: [null, null] }, params: { column: 'id', samples: 0 }, expected: { status: 'fail', failed_rows: 2, evaluated_rows: 2, samples: [] } },
    {
      name: 'a column absent from the data is an error, not a crash',
      types: { other: 'string' },
      data: { other: ['x'] },
      params: { column: 'id' },
      expected: { status: 'error', observed: null, message: 'check could not run (check.yaml:7:7): unknown column "id" (the data has 1 columns: other)' },
    },
  ],
  invalid: [
    { params: {}, errors: ['check.yaml:6:15: checks[0].not_null: missing required key "column"'] },
    { params: { colum: 'id' }, errors: ['check.yaml:7:7: checks[0].not_null: missing required key "column"', 'check.yaml:7:7: checks[0].not_null: unknown key "colum" (did you mean "column"?)'] },
    { params: { column: 'nope' }, errors: ['check.yaml:7:15: checks[0].not_null.column: unknown column "nope" in dataset "t" (expected one of "id")'] },
    { params: { column: 'id', mostly: 90, fail_when: '> 0' }, errors: ['check.yaml:8:15: checks[0].not_null.mostly: "mostly" and "fail_when" both set the failure threshold; keep one'] },
    { params: { column: 'id', fail_when: 'more than 3' }, errors: ['check.yaml:8:18: checks[0].not_null.fail_when: invalid value "more than 3" (e.g. "> 0", ">= 5", "> 1%")'] },
    { params: { column: 'id', mostly: 101 }, errors: ['check.yaml:8:15: checks[0].not_null.mostly: must be <= 100'] },
    { params: { column: 'id', severity: 'fatal' }, errors: ['check.yaml:8:17: checks[0].not_null.severity: invalid value "fatal" (expected one of "error", "warn")'] },
  ],
});
