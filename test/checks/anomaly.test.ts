import anomaly from '../../src/checks/anomaly.js';
import { checkTester } from '../helpers/check-tester.js';

const NOW = '2026-03-09T06:00:00Z'; // a Monday
const DAY = 86_400_000;
/** `days` daily points before NOW: 100 ± a little, never the same pattern twice. */
const steady = (days: number, level = 100): [string, number][] =>
  Array.from({ length: days }, (_, i) => [new Date(Date.parse(NOW) - (days - i) * DAY).toISOString(), level + ((i * 37) % 11) - 5]);
const rows = (n: number) => ({ id: Array.from({ length: n }, (_, i) => i + 1) });

checkTester.run(anomaly, {
  types: { id: 'integer' },
  pass: [
    { name: 'inside the band', params: { metric: 'row_count' }, data: rows(101), now: NOW, history: { row_count: steady(28) }, expected: { observed: 101 } },
    {
      name: 'learning: fewer than min_history points',
      params: { metric: 'row_count', min_history: 14 },
      data: rows(3),
      now: NOW,
      history: { row_count: steady(5) },
      expected: { observed: 3, message: 'row_count is 3; learning (5 of 14 points)' },
    },
    { name: 'history off: learning', params: { metric: 'row_count' }, data: rows(0), now: NOW, expected: { observed: 0, message: 'row_count is 0; learning (0 of 14 points; history is off)' } },
    {
      name: 'missing_count, with a null',
      params: { metric: 'missing_count(id)', seasonality: 'none' },
      data: { id: [1, null, 3] },
      now: NOW,
      history: { 'missing_count(id)': steady(20, 1).map(([t]) => [t, 1]) },
      expected: { observed: 1 },
    },
  ],
  fail: [
    {
      name: 'a drop far below the band',
      params: { metric: 'row_count', seasonality: 'none' },
      data: rows(40),
      now: NOW,
      history: { row_count: steady(28) },
      expected: {
        status: 'fail',
        observed: 40,
        message: 'row_count is 40, outside the expected 86.6068 to 113.929 (median 100.2679 of 28 points from 2026-02-09 to 2026-03-08)',
        threshold: 'outside median ± 3 × 1.4826 × MAD of the last 56d',
      },
    },
    {
      name: 'a weekly season: a Monday is compared with Mondays',
      params: { metric: 'row_count', seasonality: 'weekly', min_history: 14 },
      data: rows(100),
      now: NOW,
      // Mondays hold 40 rows, other days 100: 100 on a Monday is anomalous.
      history: { row_count: steady(28).map(([t, v]) => [t, new Date(t).getUTCDay() === 1 ? v - 60 : v]) },
      expected: { status: 'fail', observed: 100 },
    },
    { name: 'severity warn', params: { metric: 'row_count', severity: 'warn', sensitivity: 2 }, data: rows(150), now: NOW, history: { row_count: steady(20) }, expected: { status: 'warn', observed: 150 } },
    { name: 'no value: fails', params: { metric: 'max(id)' }, data: { id: [null, null] }, now: NOW, history: {}, expected: { status: 'fail', observed: null, message: 'max(id) cannot be computed: no non-null values' } },
  ],
  invalid: [
    { params: { metric: 'row_count', window: '3 weeks' }, errors: ['check.yaml:8:15: checks[0].anomaly.window: invalid duration "3 weeks" (e.g. 30s, 15m, 24h, 7d or PT24H)'] },
    { params: { metric: 'row_count', sensitivity: 0 }, errors: ['check.yaml:8:20: checks[0].anomaly.sensitivity: must be > 0'] },
  ],
});
