/** End to end: `assay report compliance` as a subprocess over the bundled examples and a real audit log. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLines, tempDir, writeLines } from '../helpers/audit-log.js';

const CLI = join(process.cwd(), 'dist/cli/bin.cjs');

function assay(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ASSAY_AUDIT_KEY: '', ASSAY_NOW: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const out = tempDir();
const log = join(out, 'audit.jsonl');

beforeAll(() => {
  expect(assay(['check', '--out', out, '--format', 'json']).code).toBe(1);
}, 60_000);

test('markdown on stdout by default, exit 0', () => {
  const r = assay(['report', 'compliance', '--audit-log', log]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^# Compliance report\n/);
  expect(r.stdout).toContain(`Audit log \`${log}\`: intact, 4 events (SHA-256)`);
  expect(r.stdout).toMatch(/\| soc2\.PI1\.2 \| .* \| ❌ not-satisfied \| 9 of 33 checks failed/);
  expect(r.stdout).toMatch(/\| check orders\.email\.format \| orders \| fail \| #3 `sha256:[0-9a-f]{64}` \|/);
});

test('json: statuses, evidence pointing at audit events, gaps', () => {
  const r = assay(['report', 'compliance', '--audit-log', log, '--format', 'json']);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report.summary).toEqual({ controls: 13, satisfied: 8, not_satisfied: 3, no_evidence: 2, error: 0 });
  const events = readLines(log).map((l) => JSON.parse(l));
  for (const control of report.controls) {
    for (const e of control.evidence) expect(events[e.seq - 1].hash).toBe(e.hash);
  }
  expect(report.gaps.find((g: { id: string }) => g.id === 'checks_not_run')).toMatchObject({ coverage_percent: 100, items: [] });
});

test('html --out: one self-contained file', () => {
  const file = join(tempDir(), 'compliance.html');
  const r = assay(['report', 'compliance', '--audit-log', log, '--format', 'html', '--out', file]);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`report written: ${file}`);
  const html = readFileSync(file, 'utf8');
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(html).toContain('<span class="status not-satisfied">not-satisfied</span>');
  expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
});

test('--framework filters; an unknown framework is a usage error', () => {
  const gdpr = JSON.parse(assay(['report', 'compliance', '--audit-log', log, '--format', 'json', '--framework', 'gdpr']).stdout);
  expect(gdpr.controls.map((c: { framework: string }) => c.framework)).toEqual(['gdpr', 'gdpr', 'gdpr', 'gdpr']);
  const bad = assay(['report', 'compliance', '--audit-log', log, '--framework', 'soc']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('assay: --framework: unknown framework "soc"\nhint: did you mean "soc2"?');
});

test('--since after the runs: checks have no evidence; access policies still in force do', () => {
  const r = JSON.parse(assay(['report', 'compliance', '--audit-log', log, '--format', 'json', '--since', '2999-01-01', '--now', '2999-02-01T00:00:00Z']).stdout);
  for (const c of r.controls) {
    if (c.checks.length > 0) expect(c.status).toBe('no-evidence');
    else if (c.status === 'satisfied') expect(c.evidence.every((e: { kind: string }) => e.kind === 'policy')).toBe(true);
  }
  expect(r.summary.satisfied).toBe(r.controls.filter((c: { checks: string[]; policies: string[] }) => c.checks.length === 0 && c.policies.length > 0).length);
  expect(r.gaps.find((g: { id: string }) => g.id === 'checks_not_run')).toMatchObject({ coverage_percent: 0, covered: 0 });
});

test('a tampered log: exit 1, the report says so and uses only the intact events', () => {
  const copy = join(tempDir(), 'audit.jsonl');
  const lines = readLines(log);
  lines[2] = lines[2].replace('"outcome":"fail"', '"outcome":"pass"');
  writeLines(copy, lines);
  const r = assay(['report', 'compliance', '--audit-log', copy, '--format', 'json']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('is not intact (line 3: edited); evidence stops before that line');
  expect(JSON.parse(r.stdout).audit_log).toMatchObject({ intact: false, events: 2, problem: { line: 3, reason: 'edited' } });
});

test('no audit log: exit 0, nothing has evidence', () => {
  const r = assay(['report', 'compliance', '--audit-log', join(tempDir(), 'none.jsonl')]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('not found, so no control has evidence');
  expect(r.stdout).toContain('**0 satisfied');
});
