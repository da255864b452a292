import reconcile, { parseTolerance } from '../../src/checks/reconcile.js';
import type { Verdict } from '../../src/checks/define.js';
import { renderMessage } from '../../src/checks/message.js';
import { checkById, workspace, type Workspace } from '../helpers/policy-run.js';

type ReconcileSpec = Parameters<NonNullable<typeof reconcile.judge>>[1];

function spec(params: { tolerance?: string | number }): ReconcileSpec {
  return { id: 'a.reconcile.b', name: 'reconcile.b', type: 'reconcile', dataset: 'a', params: { with: 'b', metric: 'row_count', ...params }, severity: 'error', samples: 5, controls: [], location: { file: 'x', line: 1, col: 1 }, path: ['checks', 0, 'reconcile'], docIndex: 0 };
}
/** The verdict, its message rendered for a reader who sees the metric's columns in clear. */
const judge = (mine: unknown, theirs: unknown, tolerance?: string | number) => clear(
  reconcile.judge!({ value: mine as number, other: theirs as number }, spec(tolerance === undefined ? {} : { tolerance }), { now: new Date(0), columns: {} }),
);
const clear = (verdict: Verdict) => ({ ...verdict, message: renderMessage(verdict.message, (v) => v) });

describe('reconcile: tolerance', () => {
  test('parses absolute and percent tolerances; default 0', () => {
    expect(parseTolerance(undefined)).toEqual({ absolute: 0, text: '0' });
    expect(parseTolerance(5)).toEqual({ absolute: 5, text: '5' });
    expect(parseTolerance('0.5%')).toEqual({ percent: 0.5, text: '0.5%' });
  });
  test('absolute tolerance: the boundary is inclusive, on both sides', () => {
    expect(judge(105, 100, 5)).toMatchObject({ outcome: 'pass', observed: 5 });
    expect(judge(95, 100, 5)).toMatchObject({ outcome: 'pass', observed: -5 });
    expect(judge(105.01, 100, 5).outcome).toBe('fail');
    expect(judge(94.99, 100, 5)).toMatchObject({ outcome: 'fail', threshold: '|difference| > 5' });
  });
  test('tolerance 0 (the default) needs equality, up to floating-point rounding of sums', () => {
    expect(judge(100, 100).outcome).toBe('pass');
    expect(judge(101, 100).outcome).toBe('fail');
    expect(judge(0.1 + 0.2, 0.3).outcome).toBe('pass');
  });
  test('percent tolerance is a share of the other dataset\'s value; inclusive', () => {
    expect(judge(1005, 1000, '0.5%')).toMatchObject({ outcome: 'pass', observed: 5 });
    expect(judge(995, 1000, '0.5%').outcome).toBe('pass');
    expect(judge(1005.5, 1000, '0.5%').outcome).toBe('fail');
    expect(judge(1, 0, '10%').outcome).toBe('fail');
    expect(judge(0, 0, '10%').outcome).toBe('pass');
  });
  test('the message gives both values, the difference and its percent', () => {
    expect(judge(1006, 1000, '0.5%').message).toBe('row_count is 1006 here and 1000 in b: difference 6 (0.6%); tolerance 0.5%');
  });
  test('a value that cannot be computed fails, saying on which side', () => {
    expect(judge(null, 100)).toMatchObject({ outcome: 'fail', observed: null, message: 'row_count cannot be computed here (no non-null values)' });
    expect(judge(1, Number.NaN)).toMatchObject({ outcome: 'fail', observed: null, message: 'row_count cannot be computed in b (no non-null values)' });
  });
  test('like with like only: text or a date on either side is an error, never a pass (SPEC §1.2)', () => {
    expect(judge('N/A', 'N/A')).toMatchObject({ outcome: 'error', observed: null, message: 'row_count is not numeric here: the value is text' });
    expect(judge(3, new Date(0))).toMatchObject({ outcome: 'error', observed: null, message: 'row_count is not numeric in b: the value is a date' });
  });
  test('integers beyond 2^53 are reconciled exactly', () => {
    expect(judge(9007199254740993n, 9007199254740992, '0')).toMatchObject({ outcome: 'fail', observed: 1 });
    expect(judge(9007199254740993n, 9007199254740993n, '0')).toMatchObject({ outcome: 'pass', observed: 0 });
    expect(judge(18014398509481985n, 9007199254740993n, 0)).toMatchObject({ outcome: 'fail', observed: 9007199254740992n });
    expect(judge(18014398509481987n, 1n, 0)).toMatchObject({ outcome: 'fail', observed: 18014398509481986n });
  });
});

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.write('orders.csv', 'id,amount,status\n1,10.5,paid\n2,20,paid\n3,5.25,void\n4,,paid\n');
  ws.write('daily.csv', 'day,amount\n2026-01-01,30.5\n2026-01-02,5.25\n');
  ws.write('daily.yaml', 'kind: dataset\nname: daily\nsource: { path: daily.csv }\ncolumns:\n  day: { type: date }\n  amount: { type: number }\n');
});
afterEach(() => ws.cleanup());

const ORDERS = (checks: string) => `kind: dataset
name: orders
source: { path: orders.csv }
columns:
  id: { type: integer }
  amount: { type: number }
  status: { type: string }
checks:
${checks}`;

describe('reconcile over data', () => {
  test('an aggregate metric on both datasets; where filters this side only', async () => {
    ws.write(
      'orders.yaml',
      ORDERS(`  - reconcile: { with: daily, metric: "op.sum(d.amount)", name: revenue }
  - reconcile: { with: daily, metric: "op.sum(d.amount)", where: "d.status == 'paid'", tolerance: 5.25, name: paid_revenue }
  - reconcile: { with: daily, metric: "op.sum(d.amount)", where: "d.status == 'paid'", tolerance: "17%", name: paid_pct }
  - reconcile: { with: daily, metric: row_count, tolerance: 1 }
`),
    );
    const run = await ws.check({ datasets: ['orders'] });
    expect(checkById(run, 'orders.revenue')).toMatchObject({ status: 'pass', observed: 0 });
    // paid: 30.5 vs 35.75 → −5.25, exactly the tolerance
    expect(checkById(run, 'orders.paid_revenue')).toMatchObject({ status: 'pass', observed: -5.25 });
    // 5.25 / 35.75 = 14.7% ≤ 17%
    expect(checkById(run, 'orders.paid_pct')).toMatchObject({ status: 'pass' });
    // 4 rows vs 2 rows
    expect(checkById(run, 'orders.reconcile.daily')).toMatchObject({ status: 'fail', observed: 2, message: 'row_count is 4 here and 2 in daily: difference 2 (100%); tolerance 1' });
    expect(run.plan.referenced.map((p) => p.name)).toEqual(['daily']);
  });

  test('the other dataset measures the metric in its own pass when it is checked too', async () => {
    ws.write('orders.yaml', ORDERS('  - reconcile: { with: daily, metric: row_count, tolerance: 2 }\n'));
    ws.write('daily.yaml', 'kind: dataset\nname: daily\nsource: { path: daily.csv }\ncolumns:\n  day: { type: date }\n  amount: { type: number }\nchecks:\n  - row_count: { min: 1 }\n');
    const run = await ws.check();
    expect(checkById(run, 'orders.reconcile.daily')).toMatchObject({ status: 'pass', observed: 2 });
    expect(run.plan.referenced).toEqual([]);
    const daily = run.plan.datasets.find((d) => d.name === 'daily')!;
    expect(Object.keys(daily.measures)).toContain('{"kind":"row_count"}');
    expect(run.passes.daily).toBe(1);
  });

  test('an unreadable other dataset makes the check error', async () => {
    ws.write('daily.yaml', 'kind: dataset\nname: daily\nsource: { path: gone.csv }\n');
    ws.write('orders.yaml', ORDERS('  - reconcile: { with: daily, metric: row_count }\n  - row_count: { min: 1 }\n'));
    const run = await ws.check({ datasets: ['orders'] });
    expect(checkById(run, 'orders.reconcile.daily').status).toBe('error');
    expect(checkById(run, 'orders.reconcile.daily').message).toMatch(/^check could not run: cannot read data for dataset "daily": .*gone\.csv: no such file$/);
    expect(checkById(run, 'orders.row_count').status).toBe('pass');
    expect(run.unreadable).toEqual(['daily']);
  });

  test('--data gives either side a new batch', async () => {
    ws.write('orders.yaml', ORDERS('  - reconcile: { with: daily, metric: "op.sum(d.amount)" }\n'));
    const batch = ws.write('daily-new.csv', 'day,amount\n2026-01-01,35.75\n');
    const run = await ws.check({ datasets: ['orders'], data: { daily: batch } });
    expect(checkById(run, 'orders.reconcile.daily')).toMatchObject({ status: 'pass', observed: 0 });
  });
});

describe('reconcile validation', () => {
  test('unknown dataset, unsafe metric, a metric column the other dataset lacks, a bad tolerance', () => {
    ws.write('daily.yaml', 'kind: dataset\nname: daily\nsource: { path: daily.csv }\ncolumns:\n  day: { type: date }\n  total: { type: number }\n');
    ws.write(
      'orders.yaml',
      ORDERS(`  - reconcile: { with: dayly, metric: row_count }
  - reconcile: { with: daily, metric: "d.amount.constructor", name: evil }
  - reconcile: { with: daily, metric: "op.sum(d.amount)", name: cols }
`),
    );
    expect(ws.diagnostics()).toEqual([
      'orders.yaml:9:24: checks[0].reconcile.with: unknown dataset "dayly" (did you mean "daily"?)',
      'orders.yaml:10:39: checks[1].reconcile.metric: "constructor" is not allowed (use d.<column>, op.<function>, literals and operators)',
      'orders.yaml:11:39: checks[2].reconcile.metric: unknown column "amount" in dataset "daily" (the metric is computed on both) (expected one of "day", "total")',
    ]);
    ws.write('orders.yaml', ORDERS('  - reconcile: { with: daily, metric: row_count, tolerance: "5 percent" }\n'));
    expect(ws.diagnostics()).toEqual(['orders.yaml:9:61: checks[0].reconcile.tolerance: invalid tolerance "5 percent" (an absolute number such as 5, or a percent such as "0.5%")']);
    ws.write('orders.yaml', ORDERS('  - reconcile: { with: daily, metric: row_count, tolerance: -1 }\n'));
    expect(ws.diagnostics()).toEqual([expect.stringMatching(/^orders\.yaml:9:61: checks\[0\]\.reconcile\.tolerance: .*>= 0/)]);
  });
});
