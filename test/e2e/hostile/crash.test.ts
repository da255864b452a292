/**
 * A run killed with SIGKILL (no handler can run) while it writes a large
 * report never leaves a half-written report: each report file is absent,
 * the previous complete one, or the new complete one. The test watches the
 * output folder and kills the process the moment a file named like the
 * report appears (the atomic write's temporary file, or the report itself
 * if writes were not atomic: with a plain writeFileSync this test fails with
 * a torn JSON file), i.e. mid-write; then at spread-out moments.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli, scratchProject } from './cli.js';

const COLUMNS = 150;
const ROWS = 150;

/** ~10 MB of JSON report: every check fails on every row and keeps every sample. */
function bigProject() {
  const cols = Array.from({ length: COLUMNS }, (_, i) => `c${i}`);
  const rows = Array.from({ length: ROWS }, (_, r) => cols.map((_c, i) => `v${r}_${i}_`.padEnd(150, 'x')).join(','));
  return scratchProject({
    'data.csv': `${cols.join(',')}\n${rows.join('\n')}\n`,
    'rules/t.yaml': [
      'kind: dataset',
      'name: t',
      'source: { path: ../data.csv }',
      'checks:',
      ...cols.map((c) => `  - length: { column: ${c}, max: 3, samples: ${ROWS} }`),
    ].join('\n'),
  });
}

/** Start a run; kill it with SIGKILL when `when` says so (polled every millisecond). */
function runAndKill(dir: string, when: (elapsedMs: number, outFiles: string[]) => boolean): Promise<{ killed: boolean; outFiles: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'check', 'rules', '--format', 'json', '--out', 'out'], { cwd: dir, stdio: 'ignore' });
    const started = Date.now();
    let killed = false;
    let seen: string[] = [];
    const timer = setInterval(() => {
      seen = existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : [];
      if (!killed && when(Date.now() - started, seen)) {
        killed = child.kill('SIGKILL');
      }
    }, 1);
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(timer);
      resolve({ killed, outFiles: seen });
    });
  });
}

/** Every file named like a report is complete JSON; returns the run id found, if any. */
function reportState(dir: string): string | null {
  const path = join(dir, 'out/assay-report.json');
  if (!existsSync(path)) return null;
  const report = JSON.parse(readFileSync(path, 'utf8')); // throws on a torn file
  expect(report.datasets[0].checks).toHaveLength(COLUMNS);
  return report.run.id as string;
}

test('SIGKILL while the report is being written leaves no torn report', async () => {
  const p = bigProject();
  try {
    // First run, killed when the temporary file appears: no report yet, or a complete one.
    const first = await runAndKill(p.dir, (_ms, files) => files.some((f) => f.startsWith('assay-report.json')));
    expect(first.killed).toBe(true);
    reportState(p.dir);

    // A complete run, then runs killed mid-write: the complete report survives, or a new complete one replaces it.
    expect(runCli(['check', 'rules', '--format', 'json', '--out', 'out'], p.dir, 120_000).status).toBe(1);
    const before = reportState(p.dir);
    expect(before).not.toBeNull();
    for (let i = 0; i < 3; i++) {
      const r = await runAndKill(p.dir, (_ms, files) => files.some((f) => f.startsWith('assay-report.json')));
      expect(r.killed).toBe(true);
      expect(reportState(p.dir)).not.toBeNull();
    }
  } finally {
    p.cleanup();
  }
}, 240_000);

test('SIGKILL at spread-out moments of a run never leaves a torn report', async () => {
  const p = bigProject();
  try {
    for (const ms of [50, 300, 800, 1500, 2500]) {
      const r = await runAndKill(p.dir, (elapsed) => elapsed >= ms);
      if (r.killed) reportState(p.dir);
      else expect(reportState(p.dir)).not.toBeNull(); // the run finished before the kill: complete
    }
  } finally {
    p.cleanup();
  }
}, 240_000);

/** `assay audit verify --json` on the scratch project's log. */
function verifyLog(dir: string): { ok: boolean; events: number; problem?: { reason: string } } {
  const r = runCli(['audit', 'verify', '--log', 'out/audit.jsonl', '--json'], dir);
  expect(r.stderr).not.toMatch(/internal error/);
  return JSON.parse(r.stdout);
}

test('SIGKILL at spread-out moments never breaks the audit log: intact, or at most a torn last line that the next run records', async () => {
  const p = scratchProject({
    'data.csv': `a,b\n${Array.from({ length: 2000 }, (_, i) => `${i},x${i}`).join('\n')}\n`,
    'rules/t.yaml': ['kind: dataset', 'name: t', 'source: { path: ../data.csv }', 'columns:', '  a: { type: integer, unique: true }', 'checks:', '  - row_count: { min: 1 }'].join('\n'),
    'rules/u.yaml': ['kind: dataset', 'name: u', 'source: { path: ../data.csv }', 'checks:', '  - row_count: { min: 1 }'].join('\n'),
  });
  try {
    let killedAfterStart = 0;
    for (const ms of [100, 400, 700, 900, 1100, 1300, 1600, 2000]) {
      const r = await runAndKill(p.dir, (elapsed) => elapsed >= ms);
      if (r.killed) killedAfterStart++;
      if (!existsSync(join(p.dir, 'out/audit.jsonl'))) continue;
      const result = verifyLog(p.dir);
      if (!result.ok) expect(result.problem?.reason).toBe('torn');
    }
    expect(killedAfterStart).toBeGreaterThan(0);
    expect(runCli(['check', 'rules', '--format', 'json', '--out', 'out'], p.dir, 120_000).status).toBe(0);
    const final = verifyLog(p.dir);
    expect(final.ok).toBe(true);
    expect(final.events).toBeGreaterThanOrEqual(2);
  } finally {
    p.cleanup();
  }
}, 240_000);
