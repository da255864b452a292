import missingPercent from '../../src/checks/missing-percent.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: observed = nulls as a percent of all rows (after `where`); 0 on no rows.
checkTester.run(missingPercent, {
  types: { email: 'string' },
  pass: [
    { name: 'exactly at max: 1 of 4 is 25%', data: { email: [null, 'a', 'b', 'c'] }, params: { column: 'email', max: 25 }, expected: { observed: 25, message: 'missing_percent(email) is 25' } },
    { name: 'empty table is 0%', data: { email: [] }, params: { column: 'email', max: 0 }, expected: { observed: 0 } },
    {
      name: '29 of 100 is exactly 29% (not 28.999999999999996), so min 29 passes',
      data: { email: Array.from({ length: 100 }, (_, i) => (i < 29 ? null : 'x')) },
      params: { column: 'email', min: 29, max: 29 },
      expected: { observed: 29 },
    },
  ],
  fail: [
    { name: 'just above max', data: { email: [null, 'a', 'b', 'c'] }, params: { column: 'email', max: 24.99 }, expected: { status: 'fail', observed: 25, message: 'missing_percent(email) is 25; expected <= 24.99' } },
    { name: 'all null is 100%', data: { email: [null, null] }, params: { column: 'email', max: 50 }, expected: { status: 'fail', observed: 100 } },
    { name: 'where: percent of rows in scope', types: { kind: 'string' }, data: { email: [null, null, 'a'], kind: ['x', 'y', 'y'] }, params: { column: 'email', max: 10, where: "d.kind == 'y'" }, expected: { status: 'fail', observed: 50 } },
    { name: 'nested warn', data: { email: [null, 'a', 'b', 'c'] }, params: { column: 'email', max: 50, warn: { max: 10 } }, expected: { status: 'warn', observed: 25, message: 'missing_percent(email) is 25; warn unless <= 10' } },
  ],
  invalid: [{ params: { column: 'email', fail_when: '> 5%' }, errors: ['check.yaml:8:18: checks[0].missing_percent.fail_when: a percent condition applies to row checks (percent of evaluated rows); aggregate checks compare the observed value'] }],
});
