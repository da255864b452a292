/**
 * End to end: the built CLI as a subprocess. Runs of `assay check` with
 * --now build history; a change and an anomaly check fire on a planted drop;
 * `assay history show|import|verify|prune`; --no-history; concurrent runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/audit-log.js';

const CLI = join(process.cwd(), 'dist/cli/main.js');
const DAY = 86_400_000;
const START = Date.parse('2026-02-02T06:00:00Z'); // a Monday

function assay(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ASSAY_AUDIT_KEY: '', ASSAY_AUDIT_LOG: '', ASSAY_NOW: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assayAsync(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ASSAY_AUDIT_KEY: '' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** A project: orders with email (classified) and amount, a change and an anomaly check. */
function project(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'rules'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'rules', 'orders.yaml'), `kind: dataset
name: orders
source: { path: ../data/orders.csv }
columns:
  id: { type: integer, required: true }
  email: { type: string, format: email, classification: [pii.email] }
  amount: { type: number }
checks:
  - metric: { column: amount, stat: max, max: 1000000 }
  - aggregate: { name: email_length, expr: "op.max(op.length(d.email))", max: 100 }
  - change: { metric: row_count, vs: last, min_percent: -30 }
  - anomaly: { metric: row_count, seasonality: none }
  - change: { metric: "failed_rows(orders.email.format)", max_delta: 5 }
`);
  return dir;
}

function writeDay(dir: string, rows: number, badEmails = 0): void {
  const lines = ['id,email,amount'];
  for (let i = 1; i <= rows; i++) lines.push(`${i},${i <= badEmails ? 'not-an-email' : `u${i}@example.com`},${(i * 7) % 500}`);
  writeFileSync(join(dir, 'data', 'orders.csv'), `${lines.join('\n')}\n`);
}

const now = (day: number) => new Date(START + day * DAY).toISOString();
/** Row counts of 20 ordinary days: 100 ± a little. */
const ordinary = (day: number) => 100 + ((day * 37) % 11) - 5;

describe('history across runs', () => {
  const dir = project();
  const runs: { code: number | null; stdout: string }[] = [];

  beforeAll(() => {
    for (let day = 0; day < 20; day++) {
      writeDay(dir, ordinary(day));
      runs.push(assay(['check', '--now', now(day), '--format', 'json'], dir));
    }
    // Day 20: half the rows, and 9 bad emails.
    writeDay(dir, 48, 9);
    runs.push(assay(['check', '--now', now(20), '--format', 'json'], dir));
  }, 120_000);

  const report = () => JSON.parse(readFileSync(join(dir, 'reports', 'assay-report.json'), 'utf8'));
  const check = (id: string) => report().datasets[0].checks.find((c: { id: string }) => c.id === id);

  test('ordinary days pass: first "no baseline yet" and "learning", later inside the band', () => {
    expect(runs.slice(0, 20).map((r) => r.code)).toEqual(Array(20).fill(0));
  });

  test('the drop fires the change and the anomaly check, with the band, training window and points in the report', () => {
    expect(runs[20].code).toBe(1);
    expect(check('orders.change.row_count')).toMatchObject({ status: 'fail', history: { metric: 'row_count', value: 48, vs: 'last', baseline: ordinary(19) } });
    const anomaly = check('orders.anomaly.row_count');
    expect(anomaly.status).toBe('fail');
    expect(anomaly.history).toMatchObject({ metric: 'row_count', value: 48, season: null, training: { from: now(0), to: now(19), points: 20 } });
    expect(anomaly.history.band.low).toBeGreaterThan(48);
    expect(anomaly.history.series).toHaveLength(20);
    expect(anomaly.message).toMatch(/^row_count is 48, outside the expected [\d.]+ to [\d.]+ \(median [\d.]+ of 20 points from 2026-02-02 to 2026-02-21\)$/);
    expect(check('orders.change.failed_rows_orders_email_format')).toMatchObject({ status: 'fail', observed: 9 });
  });

  test('history show --json: one object per point, with the run time given by --now and the audit hash', () => {
    const r = assay(['history', 'show', '--dataset', 'orders', '--metric', 'row_count', '--json'], dir);
    expect(r.code).toBe(0);
    const points = JSON.parse(r.stdout);
    expect(points).toHaveLength(21);
    expect(Object.keys(points[0])).toEqual(['dataset', 'metric', 'value', 'run_id', 'time', 'fingerprint', 'audit_hash']);
    expect(points.map((p: { time: string }) => p.time)).toEqual(Array.from({ length: 21 }, (_, d) => now(d)));
    expect(points[20]).toMatchObject({ dataset: 'orders', metric: 'row_count', value: 48 });
    expect(points[20].audit_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('a classified column\'s values never enter the store; its counts do', () => {
    const metrics = JSON.parse(assay(['history', 'show', '--dataset', 'orders', '--json'], dir).stdout).map((p: { metric: string }) => p.metric);
    expect(metrics).toContain('max(amount)');
    expect(metrics).toContain('missing_count(email)');
    expect(metrics.filter((m: string) => m.includes('email') && !/^(missing_count|missing_percent|failed_rows)\(/.test(m))).toEqual([]);
    // The report's metrics section follows the same rule.
    expect(Object.keys(report().datasets[0].metrics).filter((m) => m.includes('d.email'))).toEqual([]);
    expect(check('orders.email_length').status).toBe('pass');
  });

  test('history verify: every point matches an intact audit event; a changed value is found', () => {
    const ok = assay(['history', 'verify'], dir);
    expect(ok.stdout).toMatch(/^history verified: \d+ points of 21 runs match intact audit events in reports\/audit\.jsonl\n$/);
    expect(ok.code).toBe(0);
  });

  test('history verify fails on a broken audit log, exit 1', () => {
    const copy = tempDir();
    const log = readFileSync(join(dir, 'reports', 'audit.jsonl'), 'utf8').split('\n');
    log[3] = log[3].replace('"outcome":"pass"', '"outcome":"fail"');
    writeFileSync(join(copy, 'audit.jsonl'), log.join('\n'));
    const r = assay(['history', 'verify', '--log', join(copy, 'audit.jsonl')], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/history NOT verified: the audit log is not intact/);
  });

  test('history import backfills from JSON reports, keeping each report\'s run time; points without their audit event do not verify', () => {
    const other = tempDir();
    const reportFile = join(other, 'old-report.json');
    const old = report();
    old.run.id = 'imported-run';
    old.run.now = '2025-12-01T06:00:00.000Z';
    delete old.datasets[0].metrics; // as an older assay wrote it: derived from rows, columns and row checks
    writeFileSync(reportFile, JSON.stringify(old));
    const r = assay(['history', 'import', reportFile, '--out', join(other, 'store')], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^imported \d+ points from 1 report \(0 already stored\); \d+ without an audit event/);
    const points = JSON.parse(assay(['history', 'show', '--dataset', 'orders', '--json', '--out', join(other, 'store')], dir).stdout);
    expect(points.find((p: { metric: string }) => p.metric === 'row_count')).toMatchObject({ value: 48, time: '2025-12-01T06:00:00.000Z', run_id: 'imported-run', audit_hash: null });
    expect(points.map((p: { metric: string }) => p.metric)).toContain('failed_rows(orders.email.format)');
    // Importing again adds nothing.
    expect(assay(['history', 'import', reportFile, '--out', join(other, 'store')], dir).stderr).toMatch(/^imported 0 points/);
    writeFileSync(join(other, 'store', 'audit.jsonl'), readFileSync(join(dir, 'reports', 'audit.jsonl')));
    const verify = assay(['history', 'verify', '--out', join(other, 'store')], dir);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/^orders run imported-run: \d+ points: no audit hash/);
  });

  test('history import: a file that is not a report is a usage error naming the file', () => {
    const bad = join(tempDir(), 'x.json');
    writeFileSync(bad, '{"run": 1}');
    const r = assay(['history', 'import', bad], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: not an assay JSON report: expected "run" and "datasets"`);
  });

  test('history prune --before removes older points', () => {
    const copy = tempDir();
    const r0 = assay(['history', 'import', join(dir, 'reports', 'assay-report.json'), '--out', copy], dir);
    expect(r0.code).toBe(0);
    const r = assay(['history', 'prune', '--before', '2030-01-01T00:00:00Z', '--out', copy], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^removed \d+ points before 2030-01-01T00:00:00.000Z/);
    expect(JSON.parse(assay(['history', 'show', '--json', '--out', copy], dir).stdout)).toEqual([]);
    expect(assay(['history', 'prune', '--before', 'yesterday', '--out', copy], dir)).toMatchObject({ code: 2 });
  });
});

describe('--no-history', () => {
  test('neither reads nor writes the store: change and anomaly have no baseline', () => {
    const dir = project();
    writeDay(dir, 100);
    expect(assay(['check', '--now', now(0), '--no-history', '--format', 'json'], dir).code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'reports', 'assay-report.json'), 'utf8'));
    expect(report.datasets[0].checks.find((c: { id: string }) => c.id === 'orders.change.row_count').message).toBe('row_count is 100; no baseline yet (history is off)');
    expect(assay(['history', 'show', '--json'], dir).stdout).toBe('[]\n');
  });
});

describe('concurrent runs', () => {
  test('parallel checks writing one store lose no point and corrupt nothing', async () => {
    const dir = project();
    writeDay(dir, 100);
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => assayAsync(['check', '--now', now(i), '--format', 'json'], dir)));
    expect(results.map((r) => [r.code, r.stderr.includes('internal error')])).toEqual(Array(4).fill([0, false]));
    const points = JSON.parse(assay(['history', 'show', '--dataset', 'orders', '--metric', 'row_count', '--json'], dir).stdout);
    expect(points.map((p: { time: string }) => p.time).sort()).toEqual([now(0), now(1), now(2), now(3)]);
    expect(assay(['history', 'verify'], dir).code).toBe(0);
  }, 60_000);
});
