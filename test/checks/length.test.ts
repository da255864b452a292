import length from '../../src/checks/length.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: a row fails when the string length is outside the bounds; nulls are not evaluated.
checkTester.run(length, {
  types: { code: 'string' },
  pass: [
    { name: 'lengths exactly at both bounds', data: { code: ['ab', 'abcd'] }, params: { column: 'code', min: 2, max: 4 }, expected: { observed: 0, evaluated_rows: 2 } },
    { name: 'nulls are not evaluated', data: { code: [null, 'ab'] }, params: { column: 'code', min: 2 }, expected: { failed_rows: 0, evaluated_rows: 1 } },
    { name: 'empty table', data: { code: [] }, params: { column: 'code', max: 2 }, expected: { failed_rows: 0, evaluated_rows: 0 } },
    { name: 'length counts characters, not UTF-16 units', data: { code: ['é', '😀😀', '日本'] }, params: { column: 'code', max: 2 }, expected: { failed_rows: 0, evaluated_rows: 3 } },
    { name: 'an empty string has length 0', data: { code: [''] }, params: { column: 'code', min: 0, max: 0 }, expected: { failed_rows: 0, evaluated_rows: 1 } },
  ],
  fail: [
    {
      name: 'one too short, one too long',
      data: { code: ['US', 'G', 'GBR', null] },
      params: { column: 'code', min: 2, max: 2 },
      expected: { status: 'fail', observed: 2, failed_rows: 2, evaluated_rows: 3, samples: [2, 3], message: '2 of 3 non-null values have a length outside [2, 2]' },
    },
    { name: 'min only', data: { code: ['', 'a'] }, params: { column: 'code', min: 1 }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [1], message: '1 of 2 non-null values are shorter than 1' } },
    { name: 'max only: three emoji are three characters', data: { code: ['😀😀😀'] }, params: { column: 'code', max: 2 }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 1, message: '1 of 1 non-null values are longer than 2' } },
    { name: 'a number column is measured as text', types: { n: 'integer' }, data: { n: ['5', '12345'] }, params: { column: 'n', max: 4 }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [2] } },
    { name: 'severity warn', data: { code: ['toolong'] }, params: { column: 'code', max: 3, severity: 'warn' }, expected: { status: 'warn', failed_rows: 1, evaluated_rows: 1 } },
  ],
  invalid: [
    { params: { column: 'code' }, errors: ['check.yaml:7:7: checks[0].length: length needs "min", "max" or both'] },
    { params: { column: 'code', min: 3, max: 2 }, errors: ['check.yaml:8:12: checks[0].length.min: min 3 is greater than max 2'] },
    { params: { column: 'code', min: -1 }, errors: ['check.yaml:8:12: checks[0].length.min: must be >= 0'] },
    { params: { column: 'code', max: 2.5 }, errors: ['check.yaml:8:12: checks[0].length.max: expected integer, found number'] },
  ],
});
