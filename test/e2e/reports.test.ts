/** The built CLI writes every requested report format; run as a subprocess. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(process.cwd(), 'dist', 'cli', 'bin.cjs');

function assay(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('check --format html --format junit --format markdown writes all three, rendered from the same report as the JSON', () => {
  const out = mkdtempSync(join(tmpdir(), 'assay-reports-'));
  const { code, stdout, stderr } = assay(['check', '--format', 'json', '--format', 'html', '--format', 'junit', '--format', 'markdown', '--out', out, '--now', '2026-01-05T10:00:00Z']);
  expect(code).toBe(1);
  expect(readdirSync(out).sort()).toEqual(['assay-report.json', 'audit.jsonl', 'history.duckdb', 'junit.xml', 'report.html', 'summary.md']);
  expect(stderr).toContain('junit.xml');
  // Not a terminal: no progress bar, and no console report unless asked for.
  expect(stderr).not.toContain('\u001b[');
  expect(stdout).toBe('');
  const report = JSON.parse(readFileSync(join(out, 'assay-report.json'), 'utf8'));
  expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`run ${report.run.id}`);
  const junitXml = readFileSync(join(out, 'junit.xml'), 'utf8');
  expect(junitXml).toContain(`tests="${report.summary.checks}" failures="${report.summary.fail}"`);
  expect(junitXml).toContain(`<property name="run_id" value="${report.run.id}"/>`);
  expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(`run ${report.run.id.replace(/_/g, '\\_')}`);
});

test('with GITHUB_STEP_SUMMARY set, the markdown summary is appended to that file too', () => {
  const out = mkdtempSync(join(tmpdir(), 'assay-reports-'));
  const summary = join(out, 'step-summary.md');
  writeFileSync(summary, '# build\n');
  const { code } = assay(['check', '--format', 'markdown', '--out', out, '--now', '2026-01-05T10:00:00Z'], { GITHUB_STEP_SUMMARY: summary });
  expect(code).toBe(1);
  const written = readFileSync(join(out, 'summary.md'), 'utf8');
  expect(readFileSync(summary, 'utf8')).toBe(`# build\n${written}`);
});

test('GITHUB_STEP_SUMMARY is left alone unless markdown is asked for', () => {
  const out = mkdtempSync(join(tmpdir(), 'assay-reports-'));
  const summary = join(out, 'step-summary.md');
  assay(['check', '--format', 'json', '--out', out], { GITHUB_STEP_SUMMARY: summary });
  expect(existsSync(summary)).toBe(false);
});

test('an unwritable GITHUB_STEP_SUMMARY is a one-line error, not a stack trace', () => {
  const out = mkdtempSync(join(tmpdir(), 'assay-reports-'));
  const { code, stderr } = assay(['check', '--format', 'markdown', '--out', out], { GITHUB_STEP_SUMMARY: join(out, 'no', 'such', 'dir', 'x.md') });
  expect(code).toBe(2);
  expect(stderr).toMatch(/^assay: GITHUB_STEP_SUMMARY: cannot append to ".*x\.md": /m);
  expect(stderr).not.toMatch(/\n\s+at /);
});

test('the console report ends with the one-line summary, after the list of files written', () => {
  const out = mkdtempSync(join(tmpdir(), 'assay-reports-'));
  const result = spawnSync(process.execPath, [CLI, 'check', '--format', 'console', '--format', 'json', '--out', out, '--now', '2026-01-05T10:00:00Z'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines.at(-1)).toMatch(/^FAIL {2}\d+ checks: \d+ pass, \d+ warn, \d+ fail, \d+ error$/);
  expect(result.stderr).toBe(`reports written: ${join(out, 'assay-report.json')}\n`);
});
