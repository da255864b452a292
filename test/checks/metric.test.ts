import metric from '../../src/checks/metric.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: the statistic over non-null values (after `where`); stddev is
// the sample standard deviation; median/quantile interpolate linearly
// (numpy's and pandas' default).
checkTester.run(metric, {
  types: { amount: 'number', at: 'timestamp' },
  pass: [
    { name: 'mean ignores nulls; between exactly at the value', data: { amount: [1, 2, 3, null] }, params: { column: 'amount', stat: 'mean', between: [2, 2] }, expected: { observed: 2, threshold: 'mean(amount) outside [2, 2]' } },
    { name: 'median interpolates between the middle values', data: { amount: [4, 1, 3, 2] }, params: { column: 'amount', stat: 'median', min: 2.5, max: 2.5 }, expected: { observed: 2.5 } },
    { name: 'quantile 0.95 as numpy: 1 + 0.95 * 3', data: { amount: [1, 2, 3, 4, null] }, params: { column: 'amount', stat: 'quantile', q: 0.95, max: 3.85 }, expected: { observed: expect.closeTo(3.85, 12) } },
    { name: 'quantile 0 is the minimum', data: { amount: [7, 3, 5] }, params: { column: 'amount', stat: 'quantile', q: 0, min: 3 }, expected: { observed: 3 } },
    { name: 'sum exactly at max', data: { amount: [0.1, 0.2] }, params: { column: 'amount', stat: 'sum', max: 0.3 }, expected: { observed: expect.closeTo(0.3, 12) } },
    { name: 'min and max', data: { amount: [-1, 5] }, params: { column: 'amount', stat: 'min', min: -1 }, expected: { observed: -1 } },
    { name: 'max of a timestamp column against an ISO bound', data: { at: ['2026-01-01T00:00:00Z', '2026-01-05T10:00:00Z'] }, params: { column: 'at', stat: 'max', max: '2026-01-05T10:00:00' }, expected: { observed: new Date('2026-01-05T10:00:00Z') } },
    { name: 'stddev is the sample standard deviation', data: { amount: [2, 4, 4, 4, 5, 5, 7, 9] }, params: { column: 'amount', stat: 'stddev', max: 2.14 }, expected: { observed: expect.closeTo(2.138089935, 8) } },
  ],
  fail: [
    { name: 'mean just above max', data: { amount: [10, 20] }, params: { column: 'amount', stat: 'mean', max: 14.99 }, expected: { status: 'fail', observed: 15, message: 'mean(amount) is 15; expected <= 14.99' } },
    { name: 'all null: the statistic cannot be computed', data: { amount: [null, null] }, params: { column: 'amount', stat: 'mean', min: 0 }, expected: { status: 'fail', observed: null, message: 'mean(amount) cannot be computed: no non-null values' } },
    { name: 'empty table: sum of no values cannot be computed', data: { amount: [] }, params: { column: 'amount', stat: 'sum', min: 0 }, expected: { status: 'fail', observed: null } },
    { name: 'uncomputable with warn bounds only warns', data: { amount: [null] }, params: { column: 'amount', stat: 'max', warn: { max: 5 } }, expected: { status: 'warn', observed: null } },
    { name: 'stddev of one value cannot be computed', data: { amount: [3] }, params: { column: 'amount', stat: 'stddev', max: 1 }, expected: { status: 'fail', observed: null } },
    {
      name: 'timestamp one millisecond after the bound',
      data: { at: ['2026-01-05T10:00:00.001Z'] },
      params: { column: 'at', stat: 'max', max: '2026-01-05T10:00:00Z' },
      expected: { status: 'fail', observed: new Date('2026-01-05T10:00:00.001Z'), message: 'max(at) is 2026-01-05T10:00:00.001Z; expected <= 2026-01-05T10:00:00Z' },
    },
    { name: 'where, nested warn', types: { kind: 'string' }, data: { amount: [100, 1], kind: ['a', 'b'] }, params: { column: 'amount', stat: 'mean', where: "d.kind == 'a'", between: [0, 1000], warn: { max: 50 } }, expected: { status: 'warn', observed: 100 } },
    { name: 'fail_when on the value', data: { amount: [1, 2] }, params: { column: 'amount', stat: 'sum', fail_when: '>= 3' }, expected: { status: 'fail', observed: 3 } },
    // SPEC §1.2, like with like: a column with one non-numeric value is text (inference is unchanged), and its max is never within a numeric bound.
    {
      name: 'max of a text column against a numeric bound is an error, never a pass',
      types: { note: null },
      data: { note: ['5', 'N/A', '1000000', null] },
      params: { column: 'note', stat: 'max', max: 1000 },
      expected: { status: 'error', observed: null, message: 'max(note) is not numeric: the column holds text', threshold: 'max(note) > 1000' },
    },
    { name: 'text against a numeric warn bound is an error too', types: { note: null }, data: { note: ['N/A'] }, params: { column: 'note', stat: 'min', warn: { min: 0 } }, expected: { status: 'error', observed: null } },
    { name: 'a timestamp against a numeric bound is an error', data: { at: ['2026-01-05T10:00:00Z'] }, params: { column: 'at', stat: 'max', max: 1000 }, expected: { status: 'error', observed: null, message: 'max(at) is not numeric: the column holds a date' } },
    { name: 'a timestamp against fail_when is an error', data: { at: ['2026-01-05T10:00:00Z'] }, params: { column: 'at', stat: 'min', fail_when: '> 0' }, expected: { status: 'error', observed: null } },
    { name: 'a number against an ISO bound is an error', data: { amount: [1, 2] }, params: { column: 'amount', stat: 'max', max: '2026-01-05' }, expected: { status: 'error', observed: null, message: 'max(amount) is not a date: the column holds a number' } },
  ],
  invalid: [
    { params: { column: 'amount', stat: 'mean', min: 5, max: 1 }, errors: ['check.yaml:9:12: checks[0].metric.min: min 5 is greater than max 1'] },
    { params: { column: 'amount', stat: 'mean', min: 0, warn: { min: 5, max: 1 } }, errors: ['check.yaml:11:14: checks[0].metric.warn.min: min 5 is greater than max 1'] },
    { params: { column: 'amount', stat: 'mean', warn: { between: [5, 1] } }, errors: ['check.yaml:11:11: checks[0].metric.warn.between: between [5, 1] is empty'] },
    { params: { column: 'at', stat: 'max', between: ['2026-02-01', '2026-01-31T23:00:00Z'] }, errors: ['check.yaml:10:9: checks[0].metric.between: between [2026-02-01, 2026-01-31T23:00:00Z] is empty'] },
    { params: { column: 'amount', stat: 'quantile', max: 1 }, errors: ['check.yaml:7:7: checks[0].metric.q: quantile needs "q" (0 to 1)'] },
    { params: { column: 'amount', stat: 'mean', q: 0.5, max: 1 }, errors: ['check.yaml:9:10: checks[0].metric.q: "q" applies only to stat: quantile'] },
    { params: { column: 'amount', stat: 'quantile', q: 1.5, max: 1 }, errors: ['check.yaml:9:10: checks[0].metric.q: must be <= 1'] },
    { types: { s: 'string' }, params: { column: 's', stat: 'mean', max: 1 }, errors: ['check.yaml:8:13: checks[0].metric.stat: mean needs a numeric column; "s" is string'] },
    {
      params: { column: 'amount', stat: 'avg', max: 1 },
      errors: ['check.yaml:8:13: checks[0].metric.stat: invalid value "avg" (did you mean "mean"?)'],
    },
  ],
});
