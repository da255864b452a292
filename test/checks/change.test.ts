import change from '../../src/checks/change.js';
import { checkTester } from '../helpers/check-tester.js';

const NOW = '2026-03-09T06:00:00Z'; // a Monday
const day = (d: number) => new Date(Date.parse(NOW) - d * 86_400_000).toISOString();
const rows = (n: number) => ({ id: Array.from({ length: n }, (_, i) => i + 1) });

checkTester.run(change, {
  types: { id: 'integer' },
  pass: [
    { name: 'from a baseline of 0, growth is +∞%: within a min_percent (it limits drops only)', params: { metric: 'max(id)', min_percent: -20 }, data: { id: [5] }, now: NOW, history: { 'max(id)': [[day(1), 0]] }, expected: { observed: null } },
    { name: 'within +-20% of the last point', params: { metric: 'row_count', max_percent: 20, min_percent: -20 }, data: rows(11), now: NOW, history: { row_count: [[day(1), 10]] }, expected: { observed: 10 } },
    { name: 'exactly at max_percent passes (inclusive)', params: { metric: 'row_count', max_percent: 20 }, data: rows(12), now: NOW, history: { row_count: [[day(2), 9], [day(1), 10]] }, expected: { observed: 20 } },
    { name: 'no baseline yet', params: { metric: 'row_count', max_percent: 20 }, data: rows(3), now: NOW, history: {}, expected: { observed: null, message: 'row_count is 3; no baseline yet' } },
    { name: 'history off (--no-history)', params: { metric: 'row_count', max_percent: 20 }, data: rows(0), now: NOW, expected: { observed: null, message: 'row_count is 0; no baseline yet (history is off)' } },
    { name: 'a point at the same time (a rerun with the same now) is not the baseline', params: { metric: 'row_count', min_percent: -10 }, data: rows(10), now: NOW, history: { row_count: [[day(1), 10], [NOW, 1000]] }, expected: { observed: 0 } },
    {
      name: 'missing_percent delta vs the 7-day average; a null in the column',
      params: { metric: 'missing_percent(email)', vs: 'avg_7d', max_delta: 10 },
      types: { email: 'string' },
      data: { email: ['a@x', null, 'c@x', 'd@x'] },
      now: NOW,
      history: { 'missing_percent(email)': [[day(9), 90], [day(3), 20], [day(1), 30]] },
      expected: { observed: 0, message: 'missing_percent(email) is 25, 0 (0%) against the 7-day average of 2 points (25)' },
    },
  ],
  fail: [
    {
      name: 'a drop beyond min_percent vs the last point',
      params: { metric: 'row_count', min_percent: -20 },
      data: rows(5),
      now: NOW,
      history: { row_count: [[day(2), 100], [day(1), 10]] },
      expected: { status: 'fail', observed: -50, message: 'row_count is 5, -5 (-50%) against the last point (10)', threshold: 'change < -20% (vs last)' },
    },
    {
      name: 'same_weekday: a week earlier ± 12 h',
      params: { metric: 'row_count', vs: 'same_weekday', max_percent: 10 },
      data: rows(12),
      now: NOW,
      history: { row_count: [[day(7), 10], [day(1), 12]] },
      expected: { status: 'fail', observed: 20 },
    },
    {
      name: 'warn bounds only warn',
      params: { metric: 'row_count', min_percent: -50, warn: { min_percent: -10 } },
      data: rows(8),
      now: NOW,
      history: { row_count: [[day(1), 10]] },
      expected: { status: 'warn', observed: -20, threshold: 'change < -50%; warn when change < -10% (vs last)' },
    },
    {
      name: 'from a baseline of 0, any growth fails a percent bound',
      params: { metric: 'row_count', max_percent: 100 },
      data: rows(1),
      now: NOW,
      history: { row_count: [[day(1), 0]] },
      expected: { status: 'fail', observed: null, message: 'row_count is 1, +1 (from 0) against the last point (0)' },
    },
    {
      name: 'from a baseline of 0, a drop is −∞%: it fails a min_percent, not a max_percent',
      params: { metric: 'min(id)', min_percent: -20, warn: { max_percent: 10 } },
      data: { id: [-5] },
      now: NOW,
      history: { 'min(id)': [[day(1), 0]] },
      expected: { status: 'fail', observed: null, message: 'min(id) is -5, -5 (from 0) against the last point (0)' },
    },
    {
      name: 'a metric with no value fails',
      params: { metric: 'max(id)', max_delta: 5 },
      data: { id: [null] },
      now: NOW,
      history: { 'max(id)': [[day(1), 3]] },
      expected: { status: 'fail', observed: null, message: 'max(id) cannot be computed: no non-null values' },
    },
  ],
  invalid: [
    { params: { metric: 'row_count' }, errors: ['check.yaml:7:7: checks[0].change: change needs a bound: max_percent, min_percent, max_delta or min_delta (or under warn)'] },
    { params: { metric: 'rowcount(', max_delta: 1 }, errors: ['check.yaml:7:15: checks[0].change.metric: syntax error: Unexpected token (a metric is row_count, missing_count(c), missing_percent(c), distinct_count(c), duplicate_count(c), min|max|mean|median|stddev|sum(c), quantile(c, q), failed_rows(check) or an aggregate expression)'] },
    { params: { metric: 'max(nope)', max_delta: 1 }, errors: ['check.yaml:7:15: checks[0].change.metric: unknown column "nope" in dataset "t" (expected one of "id")'] },
    { params: { metric: 'row_count', min_percent: 10, max_percent: -10 }, errors: ['check.yaml:8:20: checks[0].change.min_percent: min_percent 10 is greater than max_percent -10'] },
    { params: { metric: 'failed_rows(nope)', max_delta: 1 }, errors: ['check.yaml:7:15: checks[0].change.metric: no check "nope" in dataset "t" (row checks: t.id.type)'] },
  ],
});
