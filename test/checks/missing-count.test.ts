import missingCount from '../../src/checks/missing-count.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: observed = number of nulls in the column (after `where`).
checkTester.run(missingCount, {
  types: { phone: 'string', n: 'integer' },
  pass: [
    { name: 'exactly at max', data: { phone: [null, '+1', null] }, params: { column: 'phone', max: 2 }, expected: { observed: 2, threshold: 'missing_count(phone) > 2' } },
    { name: 'empty table has no nulls', data: { phone: [] }, params: { column: 'phone', max: 0 }, expected: { observed: 0 } },
    { name: 'an empty string is a value, not a null (CSV empty cells are null at load)', data: { phone: [''] }, params: { column: 'phone', max: 0 }, expected: { observed: 0 } },
    { name: 'a value that does not parse is not missing', data: { n: ['x', '1'] }, params: { column: 'n', max: 0 }, expected: { observed: 0 } },
  ],
  fail: [
    { name: 'one above max', data: { phone: [null, null, null, '+1'] }, params: { column: 'phone', max: 2 }, expected: { status: 'fail', observed: 3, message: 'missing_count(phone) is 3; expected <= 2' } },
    { name: 'severity warn', data: { phone: [null] }, params: { column: 'phone', max: 0, severity: 'warn' }, expected: { status: 'warn', observed: 1 } },
    { name: 'where', types: { kind: 'string' }, data: { phone: [null, null], kind: ['a', 'b'] }, params: { column: 'phone', max: 0, where: "d.kind == 'b'" }, expected: { status: 'fail', observed: 1 } },
    { name: 'warn bound', data: { phone: [null, '+1'] }, params: { column: 'phone', max: 5, warn: { max: 0 } }, expected: { status: 'warn', observed: 1 } },
    { name: 'column absent from the data', types: { other: 'string' }, data: { other: ['x'] }, params: { column: 'phone', max: 0 }, expected: { status: 'error', observed: null } },
  ],
  invalid: [{ params: { column: 'phone' }, errors: ['check.yaml:7:7: checks[0].missing_count: missing_count needs a threshold: "min", "max", "between", "warn" or "fail_when"'] }],
});
