/**
 * The compliance report on the bundled examples (rules/, fixtures/), in every
 * format, against golden files. The audit log is made by a real check run
 * with a fixed --now, run id, actor and clock, so hashes are reproducible.
 * After changing rules/, regenerate with UPDATE_GOLDEN=1 and review the diff.
 */
import { join } from 'node:path';
import { decideAccess } from '../../src/access/decide.js';
import { buildAccessModel } from '../../src/access/model.js';
import { accessDecisionEvent } from '../../src/access/audit-events.js';
import { appendAuditEvents } from '../../src/audit/append.js';
import { checkRunEvents } from '../../src/audit/check-events.js';
import { readTrustedEvents } from '../../src/audit/trusted.js';
import { buildComplianceReport } from '../../src/compliance/build.js';
import { renderComplianceHtml } from '../../src/compliance/html.js';
import { renderComplianceMarkdown } from '../../src/compliance/markdown.js';
import type { ComplianceReport } from '../../src/compliance/model.js';
import { runChecks } from '../../src/pipeline.js';
import { tempDir } from '../helpers/audit-log.js';
import { expectGolden } from '../helpers/golden.js';

const NOW = new Date('2026-01-05T12:00:00Z');
let report: ComplianceReport;
let soc2: ComplianceReport;

beforeAll(async () => {
  const run = await runChecks({ paths: ['rules'], now: NOW, runId: '00000000-0000-4000-8000-000000000001' });
  const path = join(tempDir(), 'audit.jsonl');
  await appendAuditEvents({ path, actor: 'ci@example.com', clock: () => new Date('2026-01-05T11:00:00Z') }, run.policy, checkRunEvents(run.report));
  const model = buildAccessModel(run.policy);
  const decision = decideAccess(model, model.principals.get('alice')!, run.policy.datasets.find((d) => d.name === 'customers')!);
  await appendAuditEvents({ path, actor: 'alice@example.com', clock: () => new Date('2026-01-05T11:30:00Z') }, run.policy, [accessDecisionEvent('access check', decision, decision, [])]);
  const trusted = await readTrustedEvents(path, undefined);
  const input = { policy: run.policy, trusted, logPath: 'reports/audit.jsonl', now: NOW, since: new Date('2026-01-01T00:00:00Z') };
  report = buildComplianceReport(input);
  soc2 = buildComplianceReport({ ...input, framework: 'soc2' });
}, 60_000);

test('json', () => expectGolden('compliance/report.json', `${JSON.stringify(report, null, 2)}\n`));
test('markdown', () => expectGolden('compliance/report.md', renderComplianceMarkdown(report)));
test('html', () => expectGolden('compliance/report.html', renderComplianceHtml(report)));
test('markdown, --framework soc2', () => expectGolden('compliance/report-soc2.md', renderComplianceMarkdown(soc2)));

test('the examples show every status but error, and every gap kind', () => {
  expect(report.summary.satisfied).toBeGreaterThan(0);
  expect(report.summary.not_satisfied).toBeGreaterThan(0);
  expect(report.summary.no_evidence).toBeGreaterThan(0);
  expect(report.gaps.map((g) => g.id)).toEqual(['datasets_without_owner', 'datasets_without_freshness', 'classified_columns_uncovered', 'controls_without_checks', 'checks_not_run']);
  for (const c of report.controls) for (const e of c.evidence) expect(e.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  const kinds = new Set(report.controls.flatMap((c) => c.evidence.map((e) => e.kind)));
  expect([...kinds].sort()).toEqual(['access', 'check', 'policy']);
});
