import { utimesSync } from 'node:fs';
import freshness from '../../src/checks/freshness.js';
import { renderMessage } from '../../src/checks/message.js';
import type { CheckSpec } from '../../src/policy/types.js';
import { resolveNow } from '../../src/cli/options.js';
import { checkById, workspace, type Workspace } from '../helpers/policy-run.js';

const NOW = new Date('2026-01-05T12:00:00Z');
const HOUR = 3600_000;

function spec(params: Record<string, unknown>): CheckSpec {
  return { id: 'd.freshness', name: 'freshness', type: 'freshness', dataset: 'd', column: 'ts', params: { column: 'ts', ...params }, severity: 'error', samples: 5, controls: [], location: { file: 'x', line: 1, col: 1 }, path: ['freshness'], docIndex: 0 };
}
/** The verdict, its message rendered for a reader who sees the column in clear. */
const judge = (newest: Date | null, params: Record<string, unknown>, rows = 10) => {
  const verdict = freshness.judge!({ newest, rows }, spec(params), { now: NOW, columns: {} });
  return { ...verdict, message: renderMessage(verdict.message, (v) => v) };
};

describe('freshness: thresholds', () => {
  const params = { warn_after: '24h', fail_after: '48h' };
  test('age exactly equal to fail_after passes the fail threshold (and warns); one millisecond more fails', () => {
    expect(judge(new Date(NOW.getTime() - 48 * HOUR), params)).toMatchObject({ outcome: 'warn', observed: 48 * 3600 });
    expect(judge(new Date(NOW.getTime() - 48 * HOUR - 1), params)).toMatchObject({ outcome: 'fail', observed: 48 * 3600 + 0.001 });
  });
  test('age exactly equal to warn_after passes; one millisecond more warns', () => {
    expect(judge(new Date(NOW.getTime() - 24 * HOUR), params).outcome).toBe('pass');
    expect(judge(new Date(NOW.getTime() - 24 * HOUR - 1), params).outcome).toBe('warn');
  });
  test('ISO 8601 and short durations mean the same', () => {
    const at = new Date(NOW.getTime() - 36 * HOUR);
    expect(judge(at, { fail_after: 'PT36H' }).outcome).toBe('pass');
    expect(judge(at, { fail_after: '1.5d' }).outcome).toBe('pass');
    expect(judge(new Date(at.getTime() - 1000), { fail_after: 'PT36H' }).outcome).toBe('fail');
    expect(judge(new Date(NOW.getTime() - 30_001), { fail_after: '30s' }).outcome).toBe('fail');
    expect(judge(new Date(NOW.getTime() - 15 * 60_000), { fail_after: '15m' }).outcome).toBe('pass');
    expect(judge(new Date(NOW.getTime() - 7 * 24 * HOUR - 1), { fail_after: '7d' }).outcome).toBe('fail');
  });
  test('timestamps in the future pass and say so', () => {
    const verdict = judge(new Date(NOW.getTime() + 2 * HOUR), params);
    expect(verdict).toMatchObject({ outcome: 'pass', observed: -7200 });
    expect(verdict.message).toContain('2h in the future');
  });
  test('no rows, or no non-null values, fail with "no timestamps"', () => {
    expect(judge(null, params, 0)).toMatchObject({ outcome: 'fail', observed: null, message: 'no timestamps: the dataset has no rows' });
    expect(judge(null, params, 3)).toMatchObject({ outcome: 'fail', message: 'no timestamps: "ts" has only null values' });
  });
  test('a column that holds no timestamps at all is an error, not a pass', () => {
    expect(judge('2026-01-01' as unknown as Date, params).outcome).toBe('error');
  });
});

describe('freshness: --now and ASSAY_NOW', () => {
  test('a timestamp without a zone is UTC, whatever the machine zone', () => {
    expect(resolveNow('2026-01-05T12:00:00', {}).toISOString()).toBe('2026-01-05T12:00:00.000Z');
    expect(resolveNow(undefined, { ASSAY_NOW: '2026-01-05T14:00:00+02:00' }).toISOString()).toBe('2026-01-05T12:00:00.000Z');
    expect(resolveNow('2026-01-05', {}).toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(() => resolveNow('yesterday', {})).toThrow('--now: invalid timestamp "yesterday"');
  });
});

let ws: Workspace;
beforeEach(() => (ws = workspace()));
afterEach(() => ws.cleanup());

const POLICY = (freshnessBlock: string, type = 'timestamp') => `kind: dataset
name: events
source: { path: events.csv }
columns:
  id: { type: integer }
  ts: { type: ${type} }
freshness: ${freshnessBlock}
`;

describe('freshness: over data', () => {
  test('timestamps with and without zones: the newest instant wins, no zone means UTC', async () => {
    // 10:00+02:00 = 08:00Z; 09:00 (no zone) = 09:00Z; 08:30Z
    ws.write('events.csv', 'id,ts\n1,2026-01-05T10:00:00+02:00\n2,2026-01-05 09:00:00\n3,2026-01-05T08:30:00Z\n4,\n');
    ws.write('events.yaml', POLICY('{ column: ts, fail_after: 3h }'));
    let run = await ws.check({ now: '2026-01-05T12:00:00Z' });
    expect(checkById(run, 'events.freshness')).toMatchObject({ status: 'pass', observed: 3 * 3600, column: 'ts', threshold: 'age > 3h' });
    expect(checkById(run, 'events.freshness').message).toBe('newest ts is 2026-01-05T09:00:00.000Z, 3h old at 2026-01-05T12:00:00.000Z');
    run = await ws.check({ now: '2026-01-05T12:00:01Z' });
    expect(checkById(run, 'events.freshness')).toMatchObject({ status: 'fail', observed: 3 * 3600 + 1 });
  });

  test('a date column is measured from midnight UTC of its newest day', async () => {
    ws.write('events.csv', 'id,ts\n1,2026-01-03\n2,2026-01-04\n');
    ws.write('events.yaml', POLICY('{ column: ts, fail_after: 36h }', 'date'));
    const run = await ws.check({ now: '2026-01-05T12:00:00Z' });
    expect(checkById(run, 'events.freshness')).toMatchObject({ status: 'pass', observed: 36 * 3600 });
  });

  test('an all-null column and an empty file fail with "no timestamps"', async () => {
    ws.write('events.csv', 'id,ts\n1,\n2,\n');
    ws.write('events.yaml', POLICY('{ column: ts, fail_after: 1d }'));
    let run = await ws.check();
    expect(checkById(run, 'events.freshness')).toMatchObject({ status: 'fail', observed: null, message: 'no timestamps: "ts" has only null values' });
    ws.write('events.csv', 'id,ts\n');
    run = await ws.check();
    expect(checkById(run, 'events.freshness')).toMatchObject({ status: 'fail', message: 'no timestamps: the dataset has no rows' });
  });

  test('source: mtime uses the newest modification time of the files', async () => {
    const file = ws.write('events.csv', 'id,ts\n1,2020-01-01T00:00:00Z\n');
    utimesSync(file, new Date('2026-01-04T12:00:00Z'), new Date('2026-01-04T12:00:00Z'));
    ws.write('events.yaml', POLICY('{ source: mtime, warn_after: 12h, fail_after: 24h }'));
    let run = await ws.check({ now: '2026-01-05T12:00:00Z' });
    expect(checkById(run, 'events.freshness')).toMatchObject({ status: 'warn', observed: 86400, message: 'newest file modification is 2026-01-04T12:00:00.000Z, 1d old at 2026-01-05T12:00:00.000Z; warns after 12h' });
    expect(checkById(run, 'events.freshness').column).toBeUndefined();
    run = await ws.check({ now: '2026-01-05T12:00:00.001Z' });
    expect(checkById(run, 'events.freshness').status).toBe('fail');
  });

  test('source: mtime on an empty file fails with "no timestamps"', async () => {
    ws.write('events.csv', 'id,ts\n');
    ws.write('events.yaml', POLICY('{ source: mtime, fail_after: 24h }'));
    const run = await ws.check({ now: new Date().toISOString() });
    expect(checkById(run, 'events.freshness')).toMatchObject({ status: 'fail', message: 'no timestamps: the dataset has no rows' });
  });

  test('severity warn turns a failing freshness check into a warning', async () => {
    ws.write('events.csv', 'id,ts\n1,2025-01-01T00:00:00Z\n');
    ws.write('events.yaml', POLICY('{ column: ts, fail_after: 1d }') + 'checks:\n  - freshness: { column: ts, fail_after: 1d, severity: warn, name: soft }\n');
    const run = await ws.check();
    expect(checkById(run, 'events.freshness').status).toBe('fail');
    expect(checkById(run, 'events.soft').status).toBe('warn');
  });
});

describe('freshness: validation', () => {
  test('bad durations, a non-timestamp column, column and source together, warn after fail', () => {
    ws.write(
      'events.yaml',
      `kind: dataset
name: events
source: { path: events.csv }
columns:
  id: { type: integer }
  ts: { type: timestamp }
freshness: { column: ts, warn_after: 2 days, fail_after: PT }
checks:
  - freshness: { column: id, fail_after: 1h }
  - freshness: { column: ts, source: mtime, fail_after: 1h, name: both }
  - freshness: { column: ts, warn_after: 2d, fail_after: 1d, name: inverted }
  - freshness: { column: ts, name: none }
`,
    );
    expect(ws.diagnostics()).toEqual([
      'events.yaml:7:38: freshness.warn_after: invalid duration "2 days" (e.g. 30s, 15m, 24h, 7d or PT24H)',
      'events.yaml:7:58: freshness.fail_after: invalid duration "PT" (e.g. 30s, 15m, 24h, 7d or PT24H)',
      'events.yaml:9:26: checks[0].freshness.column: freshness needs a date or timestamp column; "id" is declared as integer (declare it with type: timestamp (or date))',
      'events.yaml:10:16: checks[1].freshness: give exactly one of "column" or "source"',
      'events.yaml:11:42: checks[2].freshness.warn_after: warn_after 2d is longer than fail_after 1d; it would never warn',
      'events.yaml:12:16: checks[3].freshness: freshness needs "fail_after", "warn_after" or both',
    ]);
  });

  test('the generic bounds and fail_when do not apply (its thresholds are warn_after and fail_after)', () => {
    ws.write('events.yaml', POLICY('{ column: ts, fail_after: 1h, max: 3 }') + 'checks:\n  - freshness: { column: ts, fail_after: 1h, fail_when: "> 0" }\n');
    expect(ws.diagnostics()).toEqual([
      'events.yaml:7:42: freshness: unknown key "max" (expected one of "column", "source", "warn_after", "fail_after")',
      'events.yaml:9:46: checks[0].freshness: unknown key "fail_when" (expected one of "name", "severity", "where", "controls", "description", "column", "source", "warn_after", "fail_after")',
    ]);
  });
});
