import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendAuditEvents, type AuditLog } from '../../src/audit/append.js';
import type { AuditEventInput } from '../../src/audit/event.js';
import { readTrustedEvents } from '../../src/audit/trusted.js';
import { buildComplianceReport } from '../../src/compliance/build.js';
import type { ComplianceReport } from '../../src/compliance/model.js';
import { renderComplianceHtml } from '../../src/compliance/html.js';
import { renderComplianceMarkdown } from '../../src/compliance/markdown.js';
import { loadValidatedPolicies } from '../../src/pipeline.js';
import type { PolicySet } from '../../src/policy/types.js';
import { readLines, tempDir, writeLines } from '../helpers/audit-log.js';

const RULES = `
kind: controls
frameworks:
  soc2: { CC7.1: Detect changes, CC6.1: { title: Restrict access } }
  internal: { DQ-1: Keys are unique, DQ-2: Nobody cites this }
---
kind: dataset
name: orders
owner: team@example.com
tags: [sales]
source: { path: orders.csv }
columns:
  id:    { description: "no type, so no type check" }
  email: { classification: [pii.email] }
  card:  { classification: [pci] }
controls: [soc2.CC7.1]
checks:
  - row_count: { min: 1 }
  - unique: { column: id, controls: [internal.DQ-1] }
---
kind: dataset
name: stock
source: { path: stock.csv }
freshness: { column: at, fail_after: 24h }
columns:
  at: { description: the time of the stock count }
checks:
  - row_count: { min: 1, controls: [internal.DQ-1] }
---
kind: access
classifications: [pci]
roles: { analyst: {} }
policies:
  - { name: read-all, effect: allow, roles: [analyst], datasets: "*" }
  - { name: hash-pii, effect: mask, roles: [analyst], columns: { classification: pii }, mask: hash, controls: [soc2.CC6.1] }
`;

function loadRules(): PolicySet {
  const dir = tempDir('assay-compliance-');
  writeFileSync(join(dir, 'rules.yaml'), RULES);
  return loadValidatedPolicies([dir]).policy;
}

const at = (time: string) => () => new Date(`2026-01-05T${time}Z`);
const run = (dataset: string, results: Record<string, string>, details: Record<string, unknown> = { data_override: false }): AuditEventInput => ({
  action: 'check.run', dataset, outcome: 'pass', details: { results, ...details },
});

async function report(policy: PolicySet, appends: [string, AuditEventInput[]][], options: { now?: string; since?: string; framework?: string } = {}, edit?: (path: string) => void): Promise<ComplianceReport> {
  const path = join(tempDir(), 'audit.jsonl');
  for (const [time, inputs] of appends) {
    const log: AuditLog = { path, actor: 'ci', clock: at(time) };
    await appendAuditEvents(log, policy, inputs);
  }
  edit?.(path);
  return buildComplianceReport({
    policy,
    trusted: await readTrustedEvents(path, undefined),
    logPath: path,
    now: new Date(options.now ?? '2026-01-05T23:00:00Z'),
    since: options.since ? new Date(options.since) : undefined,
    framework: options.framework,
  });
}

const statusOf = (r: ComplianceReport) => Object.fromEntries(r.controls.map((c) => [c.id, c.status]));

describe('control status', () => {
  const policy = loadRules();

  test('every citing check passed and the access policy is recorded: satisfied', async () => {
    const r = await report(policy, [['10:00:00', [run('orders', { 'orders.row_count': 'pass', 'orders.id.unique': 'warn' }), run('stock', { 'stock.row_count': 'pass' })]]]);
    expect(statusOf(r)).toEqual({ 'soc2.CC7.1': 'satisfied', 'soc2.CC6.1': 'satisfied', 'internal.DQ-1': 'satisfied', 'internal.DQ-2': 'no-evidence' });
    const dq1 = r.controls.find((c) => c.id === 'internal.DQ-1')!;
    expect(dq1).toMatchObject({ checks: ['orders.id.unique', 'stock.row_count'], reason: '2 checks passed (1 with warnings)', missing: [] });
    expect(dq1.evidence).toEqual([
      { kind: 'check', subject: 'orders.id.unique', dataset: 'orders', status: 'warn', seq: 2, hash: expect.stringMatching(/^sha256:/), ts: '2026-01-05T10:00:00.000Z' },
      { kind: 'check', subject: 'stock.row_count', dataset: 'stock', status: 'pass', seq: 3, hash: expect.stringMatching(/^sha256:/), ts: '2026-01-05T10:00:00.000Z' },
    ]);
    const cc61 = r.controls.find((c) => c.id === 'soc2.CC6.1')!;
    expect(cc61).toMatchObject({ policies: ['hash-pii'], checks: [], evidence: [{ kind: 'policy', subject: 'hash-pii', status: 'recorded', seq: 1 }] });
    expect(r.controls.find((c) => c.id === 'soc2.CC7.1')).toMatchObject({ datasets: ['orders'], checks: ['orders.row_count', 'orders.id.unique'] });
    expect(r.summary).toEqual({ controls: 4, satisfied: 3, not_satisfied: 0, no_evidence: 1, error: 0 });
  });

  test('a failed check makes the control not-satisfied, an errored one error; failure outweighs error', async () => {
    const r = await report(policy, [['10:00:00', [run('orders', { 'orders.row_count': 'error', 'orders.id.unique': 'fail' }), run('stock', { 'stock.row_count': 'error' })]]]);
    expect(statusOf(r)).toMatchObject({ 'soc2.CC7.1': 'not-satisfied', 'internal.DQ-1': 'not-satisfied' });
    const r2 = await report(policy, [['10:00:00', [run('orders', { 'orders.row_count': 'error', 'orders.id.unique': 'pass' }), run('stock', { 'stock.row_count': 'pass' })]]]);
    expect(statusOf(r2)).toMatchObject({ 'soc2.CC7.1': 'error', 'internal.DQ-1': 'satisfied' });
    expect(r2.controls[0].reason).toBe('1 of 2 checks could not run: orders.row_count');
  });

  test('a run over a --data file is never evidence, and is listed as such (issue 12)', async () => {
    const r = await report(policy, [
      ['09:00:00', [run('orders', { 'orders.row_count': 'fail', 'orders.id.unique': 'fail' })]],
      ['10:00:00', [run('orders', { 'orders.row_count': 'pass', 'orders.id.unique': 'pass' }, { data_override: true, source: 'clean.csv' })]],
    ]);
    expect(statusOf(r)['soc2.CC7.1']).toBe('not-satisfied');
    expect(r.controls.find((c) => c.id === 'soc2.CC7.1')!.evidence.map((e) => e.seq)).toEqual([2, 2]);
    expect(r.override_runs).toEqual([{ seq: 3, hash: expect.stringMatching(/^sha256:/), ts: '2026-01-05T10:00:00.000Z', dataset: 'orders', source: 'clean.csv', outcome: 'pass' }]);
    const markdown = renderComplianceMarkdown(r);
    expect(markdown).toContain('## Runs over other data (not evidence)');
    expect(markdown).toMatch(/\| orders \| clean\.csv \| pass \| #3 `sha256:[0-9a-f]{64}` \|/);
    expect(renderComplianceHtml(r)).toContain('<h2>Runs over other data (not evidence)</h2>');
  });

  test('a run that does not record that it read the declared source is not evidence either (fail closed)', async () => {
    const r = await report(policy, [['10:00:00', [run('orders', { 'orders.row_count': 'pass', 'orders.id.unique': 'pass' }, {})]]]);
    expect(statusOf(r)['soc2.CC7.1']).toBe('no-evidence');
    expect(r.override_runs.map((o) => o.source)).toEqual([null]);
  });

  test('a citing check that did not run leaves the control without evidence', async () => {
    const r = await report(policy, [['10:00:00', [run('orders', { 'orders.row_count': 'pass', 'orders.id.unique': 'pass' })]]]);
    const dq1 = r.controls.find((c) => c.id === 'internal.DQ-1')!;
    expect(dq1).toMatchObject({ status: 'no-evidence', missing: ['stock.row_count'] });
    expect(dq1.reason).toBe('no evidence in the window for 1 of 2 citing checks and policies: stock.row_count');
  });

  test('the latest result in the window wins; --since and --now bound the window', async () => {
    const appends: [string, AuditEventInput[]][] = [
      ['08:00:00', [run('orders', { 'orders.row_count': 'fail', 'orders.id.unique': 'pass' })]],
      ['12:00:00', [run('orders', { 'orders.row_count': 'pass', 'orders.id.unique': 'pass' })]],
      ['16:00:00', [run('orders', { 'orders.row_count': 'fail', 'orders.id.unique': 'pass' })]],
    ];
    expect(statusOf(await report(policy, appends))['soc2.CC7.1']).toBe('not-satisfied');
    expect(statusOf(await report(policy, appends, { now: '2026-01-05T13:00:00Z' }))['soc2.CC7.1']).toBe('satisfied');
    expect(statusOf(await report(policy, appends, { now: '2026-01-05T13:00:00Z', since: '2026-01-05T09:00:00Z' }))['soc2.CC7.1']).toBe('satisfied');
    const none = await report(policy, appends, { now: '2026-01-05T13:00:00Z', since: '2026-01-05T12:30:00Z' });
    expect(statusOf(none)['soc2.CC7.1']).toBe('no-evidence');
    expect(none.window).toEqual({ since: '2026-01-05T12:30:00.000Z', until: '2026-01-05T13:00:00.000Z' });
  });

  test('access policies need the policy files in force to be the last recorded ones', async () => {
    const other = { ...policy, policyHash: `sha256:${'9'.repeat(64)}` };
    const path = join(tempDir(), 'audit.jsonl');
    await appendAuditEvents({ path, actor: 'ci', clock: at('09:00:00') }, policy, [run('orders', {})]);
    await appendAuditEvents({ path, actor: 'ci', clock: at('10:00:00') }, other, [run('orders', {})]);
    const r = buildComplianceReport({ policy, trusted: await readTrustedEvents(path, undefined), logPath: path, now: new Date('2026-01-05T23:00:00Z') });
    expect(r.controls.find((c) => c.id === 'soc2.CC6.1')).toMatchObject({ status: 'no-evidence', missing: ['hash-pii'] });
  });

  test('access decisions and exports that applied a policy are evidence too', async () => {
    const r = await report(policy, [['10:00:00', [{ action: 'access.decision', dataset: 'orders', outcome: 'allow', details: { principal: 'alice', policies: ['read-all', 'hash-pii'] } }]]]);
    expect(r.controls.find((c) => c.id === 'soc2.CC6.1')!.evidence.map((e) => [e.kind, e.status, e.seq])).toEqual([['policy', 'recorded', 1], ['access', 'access.decision: allow', 2]]);
  });

  test('--framework keeps that framework\'s controls only', async () => {
    const r = await report(policy, [], { framework: 'internal' });
    expect(r.controls.map((c) => c.id)).toEqual(['internal.DQ-1', 'internal.DQ-2']);
    expect(r.framework).toBe('internal');
    expect(r.gaps.find((g) => g.id === 'controls_without_checks')).toMatchObject({ total: 2, covered: 1, items: ['internal.DQ-2'] });
  });

  test('a broken log: only events before the first bad line are evidence', async () => {
    const r = await report(
      policy,
      [['10:00:00', [run('orders', { 'orders.row_count': 'fail', 'orders.id.unique': 'pass' })]], ['11:00:00', [run('orders', { 'orders.row_count': 'pass', 'orders.id.unique': 'pass' })]]],
      {},
      (path) => {
        const lines = readLines(path);
        lines[2] = lines[2].replace('"pass"', '"fail"');
        writeLines(path, lines);
      },
    );
    expect(r.audit_log).toMatchObject({ exists: true, intact: false, events: 2, problem: { line: 3, reason: 'edited' } });
    expect(statusOf(r)['soc2.CC7.1']).toBe('not-satisfied');
  });

  test('a torn last line is not evidence', async () => {
    const r = await report(policy, [['10:00:00', [run('orders', { 'orders.row_count': 'pass', 'orders.id.unique': 'pass' })]]], {}, (path) =>
      appendFileSync(path, '{"seq":3,"action":"check.run","details":{"results":{"orders.row_count":"fail"'),
    );
    expect(r.audit_log).toMatchObject({ intact: false, problem: { reason: 'torn' } });
    expect(statusOf(r)['soc2.CC7.1']).toBe('satisfied');
  });
});

describe('governance gaps', () => {
  test('coverage percentages and what is missing', async () => {
    const policy = loadRules();
    const r = await report(policy, [['10:00:00', [run('orders', { 'orders.row_count': 'pass' })]]]);
    expect(r.gaps).toEqual([
      { id: 'datasets_without_owner', title: 'Datasets with an owner', unit: 'datasets', total: 2, covered: 1, coverage_percent: 50, items: ['stock'] },
      { id: 'datasets_without_freshness', title: 'Datasets with a freshness SLA', unit: 'datasets', total: 2, covered: 1, coverage_percent: 50, items: ['orders'] },
      { id: 'classified_columns_uncovered', title: 'Classified columns covered by access policies', unit: 'classified columns', total: 2, covered: 1, coverage_percent: 50, items: ['orders.card'] },
      { id: 'controls_without_checks', title: 'Controls evidenced by at least one check', unit: 'controls', total: 4, covered: 2, coverage_percent: 50, items: ['internal.DQ-2', 'soc2.CC6.1'] },
      { id: 'checks_not_run', title: 'Checks run in the window', unit: 'checks', total: 4, covered: 1, coverage_percent: 25, items: ['orders.id.unique', 'stock.freshness', 'stock.row_count'] },
    ]);
  });

  test('no log at all: every cited control lacks evidence, nothing crashes', async () => {
    const policy = loadRules();
    const r = buildComplianceReport({ policy, trusted: { events: [] }, logPath: 'none.jsonl', now: new Date('2026-01-05T00:00:00Z') });
    expect(r.audit_log).toMatchObject({ exists: false, intact: true, events: 0 });
    expect(r.summary).toMatchObject({ satisfied: 0, no_evidence: 4 });
  });
});
