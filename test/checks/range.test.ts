import range from '../../src/checks/range.js';
import { execFileSync } from 'node:child_process';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: a row fails when the value is outside [min, max] (inclusive
// unless `exclusive`); nulls are not evaluated.
checkTester.run(range, {
  types: { amount: 'number' },
  pass: [
    { name: 'values exactly at both bounds pass (inclusive)', data: { amount: [0, 50, 100] }, params: { column: 'amount', min: 0, max: 100 }, expected: { observed: 0, evaluated_rows: 3 } },
    { name: 'nulls are not evaluated', data: { amount: [null, 5, null] }, params: { column: 'amount', min: 0 }, expected: { failed_rows: 0, evaluated_rows: 1 } },
    { name: 'empty table', data: { amount: [] }, params: { column: 'amount', max: 10 }, expected: { failed_rows: 0, evaluated_rows: 0 } },
    { name: 'a value that does not parse is not evaluated', data: { amount: ['12,50', '3'] }, params: { column: 'amount', min: 0 }, expected: { failed_rows: 0, evaluated_rows: 1 } },
    { name: 'exclusive: values strictly inside pass', data: { amount: [0.001, 99.999] }, params: { column: 'amount', min: 0, max: 100, exclusive: true }, expected: { evaluated_rows: 2 } },
    {
      name: 'timestamp bound without a zone is UTC: the instant itself passes',
      types: { at: 'timestamp' },
      data: { at: ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00+01:00'] },
      params: { column: 'at', min: '2026-01-01T00:00' },
      expected: { failed_rows: 0, evaluated_rows: 2 },
    },
    { name: 'date column, bound on the day itself', types: { day: 'date' }, data: { day: ['2020-01-01', '2024-02-29'] }, params: { column: 'day', min: '2020-01-01', max: '2024-02-29' }, expected: { failed_rows: 0, evaluated_rows: 2 } },
    { name: 'mostly 50: one of two outside passes', data: { amount: [-1, 1] }, params: { column: 'amount', min: 0, mostly: 50 }, expected: { failed_rows: 1, evaluated_rows: 2 } },
  ],
  fail: [
    {
      name: 'one below min, one above max',
      data: { amount: [-0.01, 0, 100, 100.01] },
      params: { column: 'amount', min: 0, max: 100 },
      expected: { status: 'fail', observed: 2, failed_rows: 2, evaluated_rows: 4, samples: [1, 4], message: '2 of 4 non-null values are outside [0, 100]', threshold: 'failed_rows > 0' },
    },
    {
      name: 'exclusive: a value equal to a bound fails',
      data: { amount: [0, 50, 100] },
      params: { column: 'amount', min: 0, max: 100, exclusive: true },
      expected: { status: 'fail', failed_rows: 2, evaluated_rows: 3, samples: [1, 3], message: '2 of 3 non-null values are outside (0, 100)' },
    },
    { name: 'min only', data: { amount: [-5, 5] }, params: { column: 'amount', min: 0 }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, message: '1 of 2 non-null values are < 0' } },
    { name: 'max only, exclusive', data: { amount: [5, 10] }, params: { column: 'amount', max: 10, exclusive: true }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, message: '1 of 2 non-null values are >= 10' } },
    {
      name: 'timestamp one second before the bound fails',
      types: { at: 'timestamp' },
      data: { at: ['2025-12-31T23:59:59Z', '2026-01-01T00:00:00Z'] },
      params: { column: 'at', min: '2026-01-01T00:00:00' },
      expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [1] },
    },
    { name: 'a string column compares as text', types: { code: 'string' }, data: { code: ['b', 'c', 'a', 'd'] }, params: { column: 'code', min: 'b', max: 'c' }, expected: { status: 'fail', failed_rows: 2, evaluated_rows: 4, samples: [3, 4] } },
    { name: 'where', types: { kind: 'string' }, data: { amount: [-1, -1], kind: ['x', 'y'] }, params: { column: 'amount', min: 0, where: "d.kind == 'y'" }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 1, samples: [2] } },
    { name: 'fail_when ">= 50%"', data: { amount: [-1, 1] }, params: { column: 'amount', min: 0, fail_when: '>= 50%' }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, threshold: 'failed_rows >= 50%' } },
  ],
  invalid: [
    { params: { column: 'amount', min: 5, max: 1 }, errors: ['check.yaml:8:12: checks[0].range.min: min 5 is greater than max 1'] },
    { params: { column: 'amount' }, errors: ['check.yaml:7:7: checks[0].range: range needs "min", "max" or both'] },
    { params: { column: 'amount', min: '0' }, errors: ['check.yaml:8:12: checks[0].range.min: must be a number for a number column'] },
    { types: { day: 'date' }, params: { column: 'day', min: 20200101 }, errors: ['check.yaml:8:12: checks[0].range.min: must be an ISO date for a date column'] },
    { types: { day: 'date' }, params: { column: 'day', max: '2020-02-30' }, errors: ['check.yaml:8:12: checks[0].range.max: must be an ISO date for a date column'] },
    { params: { column: 'amount', min: 0, maxx: 1 }, errors: ['check.yaml:9:7: checks[0].range: unknown key "maxx" (did you mean "max"?)'] },
  ],
});

// Jest cannot change the time zone of its own process, so this runs the built
// code (npm test builds first) in a child process whose zone is not UTC.
test('a timestamp bound without a zone is UTC even when the machine is not', () => {
  const script = [
    "import range from './dist/checks/range.js';",
    "const ctx = { column: () => ({ type: 'timestamp' }) };",
    "const p = range.predicate({ column: 'at', params: { min: '2026-01-01T00:00' } }, ctx);",
    'console.log(p.min.toISOString());',
  ].join('\n');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: 'Asia/Tokyo' } });
  expect(out.toString().trim()).toBe('2026-01-01T00:00:00.000Z');
});
