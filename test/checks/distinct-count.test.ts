import distinctCount from '../../src/checks/distinct-count.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: observed = distinct non-null values (after `where`).
checkTester.run(distinctCount, {
  types: { status: 'string' },
  pass: [
    { name: 'null is not a value', data: { status: ['a', 'b', 'a', null] }, params: { column: 'status', min: 2 }, expected: { observed: 2, threshold: 'distinct_count(status) < 2' } },
    { name: 'exactly at max', data: { status: ['a', 'b', 'c'] }, params: { column: 'status', max: 3 }, expected: { observed: 3 } },
    { name: 'empty table has none', data: { status: [] }, params: { column: 'status', max: 0 }, expected: { observed: 0 } },
    { name: 'dates are distinct by day', types: { day: 'date' }, data: { day: ['2026-01-05', '2026-01-05', '2026-01-06'] }, params: { column: 'day', between: [2, 2] }, expected: { observed: 2 } },
  ],
  fail: [
    { name: 'one below min', data: { status: ['a', 'a', null, null] }, params: { column: 'status', min: 2 }, expected: { status: 'fail', observed: 1, message: 'distinct_count(status) is 1; expected >= 2' } },
    { name: 'all null: zero distinct values', data: { status: [null, null] }, params: { column: 'status', min: 1 }, expected: { status: 'fail', observed: 0 } },
    { name: 'where', types: { n: 'integer' }, data: { status: ['a', 'b', 'c'], n: ['1', '2', '2'] }, params: { column: 'status', max: 1, where: 'd.n == 2' }, expected: { status: 'fail', observed: 2 } },
    { name: 'case matters', data: { status: ['Paid', 'paid'] }, params: { column: 'status', max: 1, severity: 'warn' }, expected: { status: 'warn', observed: 2 } },
  ],
});
