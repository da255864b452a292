import type from '../../src/checks/type.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.1/§1.2: a row fails when the raw value does not parse as the
// declared type; null raw values are not evaluated. The loader records the
// values that do not parse; they are never coerced.
checkTester.run(type, {
  types: { n: 'integer' },
  pass: [
    { name: 'integers', data: { n: ['1', '-2', '+3', ' 4 '] }, params: { column: 'n', type: 'integer' }, expected: { observed: 0, evaluated_rows: 4 } },
    { name: 'nulls are not evaluated', data: { n: [null, '1', null] }, params: { column: 'n', type: 'integer' }, expected: { failed_rows: 0, evaluated_rows: 1 } },
    { name: 'empty table', data: { n: [] }, params: { column: 'n', type: 'integer' }, expected: { failed_rows: 0, evaluated_rows: 0 } },
    { name: 'JSON numbers that are whole', data: { n: [1, 2.0] }, params: { column: 'n', type: 'integer' }, expected: { failed_rows: 0, evaluated_rows: 2 } },
    { name: 'booleans in the usual spellings', types: { b: 'boolean' }, data: { b: ['true', 'FALSE', 'yes', 'n', '1', '0'] }, params: { column: 'b', type: 'boolean' }, expected: { failed_rows: 0, evaluated_rows: 6 } },
    { name: 'timestamps with and without zones', types: { t: 'timestamp' }, data: { t: ['2026-01-05T10:00:00Z', '2026-01-05 10:00', '2026-01-05T10:00:00.123+02:00', '2026-01-05'] }, params: { column: 't', type: 'timestamp' }, expected: { failed_rows: 0, evaluated_rows: 4 } },
    { name: 'mostly 50: one bad of two', data: { n: ['1', 'x'] }, params: { column: 'n', type: 'integer', mostly: 50 }, expected: { failed_rows: 1, evaluated_rows: 2 } },
  ],
  fail: [
    {
      name: 'text and fractions are not integers',
      data: { n: ['1', '2', 'x', null, '3.5'] },
      params: { column: 'n', type: 'integer' },
      expected: { status: 'fail', observed: 2, failed_rows: 2, evaluated_rows: 4, samples: [3, 5], message: '2 of 4 non-null values do not parse as integer' },
    },
    { name: 'a decimal comma is not a number', types: { x: 'number' }, data: { x: ['12.50', '12,50', '1e3'] }, params: { column: 'x', type: 'number' }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 3, samples: [2] } },
    { name: 'impossible calendar dates', types: { d: 'date' }, data: { d: ['2024-02-29', '2025-02-29', '2025-13-01', '2025-1-1'] }, params: { column: 'd', type: 'date' }, expected: { status: 'fail', failed_rows: 3, evaluated_rows: 4, samples: [2, 3, 4] } },
    { name: 'booleans', types: { b: 'boolean' }, data: { b: ['true', 'maybe'] }, params: { column: 'b', type: 'boolean' }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [2] } },
    { name: 'timestamps', types: { t: 'timestamp' }, data: { t: ['2026-01-05T24:00:00Z', '2026-01-05T10:00:00Z', 'yesterday'] }, params: { column: 't', type: 'timestamp' }, expected: { status: 'fail', failed_rows: 2, evaluated_rows: 3, samples: [1, 3] } },
    { name: 'severity warn', data: { n: ['x'] }, params: { column: 'n', type: 'integer', severity: 'warn' }, expected: { status: 'warn', failed_rows: 1, evaluated_rows: 1 } },
    { name: 'where', types: { k: 'string' }, data: { n: ['x', 'y'], k: ['a', 'b'] }, params: { column: 'n', type: 'integer', where: "d.k == 'b'" }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 1, samples: [2] } },
  ],
  invalid: [
    { params: { column: 'n', type: 'number' }, errors: ['check.yaml:8:13: checks[0].type.type: column "n" is declared as integer'] },
    { types: { n: null }, params: { column: 'n', type: 'integer' }, errors: ['check.yaml:7:15: checks[0].type.column: column "n" has no declared type (declare it: columns: { n: { type: integer } })'] },
    { params: { column: 'n', type: 'int' }, errors: ['check.yaml:8:13: checks[0].type.type: invalid value "int" (did you mean "integer"?)'] },
  ],
});
