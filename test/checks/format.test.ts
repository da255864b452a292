import format from '../../src/checks/format.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: a row fails when the value is not a valid <format>; nulls are
// not evaluated. Every format's valid and invalid values: formats.test.ts.
checkTester.run(format, {
  types: { v: 'string' },
  pass: [
    { name: 'valid emails', data: { v: ['a@example.com', 'first.last+tag@sub.example.org'] }, params: { column: 'v', format: 'email' }, expected: { observed: 0, evaluated_rows: 2 } },
    { name: 'nulls are not evaluated', data: { v: [null, 'a@example.com', null] }, params: { column: 'v', format: 'email' }, expected: { failed_rows: 0, evaluated_rows: 1 } },
    { name: 'empty table', data: { v: [] }, params: { column: 'v', format: 'uuid' }, expected: { failed_rows: 0, evaluated_rows: 0 } },
    { name: 'card numbers in an integer column', types: { card: 'integer' }, data: { card: ['4111111111111111'] }, params: { column: 'card', format: 'credit_card' }, expected: { failed_rows: 0, evaluated_rows: 1 } },
    { name: 'mostly 50: one invalid of two', data: { v: ['a@example.com', 'a@'] }, params: { column: 'v', format: 'email', mostly: 50 }, expected: { failed_rows: 1 } },
  ],
  fail: [
    {
      name: 'invalid emails',
      data: { v: ['a@example.com', 'jane.doe@', 'two@@example.com', null, 'sp ace@example.com'] },
      params: { column: 'v', format: 'email' },
      expected: { status: 'fail', observed: 3, failed_rows: 3, evaluated_rows: 4, samples: [2, 3, 5], message: '3 of 4 non-null values are not valid emails' },
    },
    { name: 'IBAN with a wrong check digit', data: { v: ['GB82 WEST 1234 5698 7654 32', 'GB83 WEST 1234 5698 7654 32'] }, params: { column: 'v', format: 'iban' }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [2], message: '1 of 2 non-null values are not valid IBANs' } },
    { name: 'card number failing Luhn', data: { v: ['4111 1111 1111 1111', '4111 1111 1111 1112'] }, params: { column: 'v', format: 'credit_card' }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [2], message: '1 of 2 non-null values are not valid card numbers' } },
    { name: 'E.164 needs the plus sign', data: { v: ['+442079460958', '00442079460958'] }, params: { column: 'v', format: 'e164_phone' }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [2] } },
    { name: 'where and severity warn', types: { kind: 'string' }, data: { v: ['x', 'y'], kind: ['a', 'b'] }, params: { column: 'v', format: 'ipv4', where: "d.kind == 'b'", severity: 'warn' }, expected: { status: 'warn', failed_rows: 1, evaluated_rows: 1, samples: [2] } },
  ],
  invalid: [
    { params: { column: 'v', format: 'emial' }, errors: ['check.yaml:8:15: checks[0].format.format: invalid value "emial" (did you mean "email"?)'] },
    { params: { column: 'v' }, errors: ['check.yaml:7:7: checks[0].format: missing required key "format"'] },
  ],
});
