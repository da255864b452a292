import duplicateCount from '../../src/checks/duplicate-count.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: observed = rows whose non-null key repeats (every occurrence counts).
checkTester.run(duplicateCount, {
  types: { email: 'string', region: 'string' },
  pass: [
    { name: 'exactly at max: one key twice is 2 rows', data: { email: ['a', 'a', 'b'] }, params: { column: 'email', max: 2 }, expected: { observed: 2, threshold: 'duplicate_count(email) > 2' } },
    { name: 'repeated nulls are not duplicates', data: { email: [null, null, 'a'] }, params: { column: 'email', max: 0 }, expected: { observed: 0 } },
    { name: 'empty table', data: { email: [] }, params: { column: 'email', max: 0 }, expected: { observed: 0 } },
    { name: 'composite key', data: { email: ['a', 'a'], region: ['eu', 'us'] }, params: { columns: ['email', 'region'], max: 0 }, expected: { observed: 0 } },
    { name: 'composite key with a null part is not a key', data: { email: ['a', 'a'], region: [null, null] }, params: { columns: ['email', 'region'], max: 0 }, expected: { observed: 0 } },
  ],
  fail: [
    { name: 'three occurrences are three rows', data: { email: ['a', 'a', 'a', 'b', null, null] }, params: { column: 'email', max: 2 }, expected: { status: 'fail', observed: 3, message: 'duplicate_count(email) is 3; expected <= 2' } },
    { name: 'composite key repeated', data: { email: ['a', 'a', 'a'], region: ['eu', 'eu', 'us'] }, params: { columns: ['email', 'region'], max: 0 }, expected: { status: 'fail', observed: 2, message: 'duplicate_count(email, region) is 2; expected <= 0' } },
    { name: 'where: only rows in scope count', data: { email: ['a', 'a', 'a'], region: ['eu', 'us', 'us'] }, params: { column: 'email', max: 0, where: "d.region == 'us'" }, expected: { status: 'fail', observed: 2 } },
    { name: 'warn bound', data: { email: ['a', 'a'] }, params: { column: 'email', max: 10, warn: { max: 0 } }, expected: { status: 'warn', observed: 2 } },
  ],
  invalid: [{ params: { column: 'email', columns: ['email'], max: 0 }, errors: ['check.yaml:7:7: checks[0].duplicate_count: give exactly one of "column" or "columns"'] }],
});
