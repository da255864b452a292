/**
 * JUnit XML (junit.xml) for CI systems: one <testsuite> per dataset, one
 * <testcase> per check. `fail` is a <failure>, `error` an <error>, `warn`
 * passes with a <system-out> note (SPEC §3). The output follows the JUnit
 * schema Jenkins reads (jenkins-junit.xsd), which GitLab, GitHub test
 * reporters and Azure accept too; test/report/junit.test.ts validates it.
 *
 * Every value is escaped by escapeXml / escapeXmlText; nothing else writes markup.
 */
import { truncationText } from '../bounds.js';
import type { CheckReport, DatasetReport, RunReport } from '../model.js';
import { escapeXml, escapeXmlText } from './escape.js';
import type { ReportFormat } from './index.js';
import { observedText, sampleText } from './present.js';

export const junit: ReportFormat = {
  name: 'junit',
  file: 'junit.xml',
  render: renderJunit,
};

function renderJunit(report: RunReport): string {
  const s = report.summary;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'assay', tests: s.checks, failures: s.fail, errors: s.error, time: seconds(report) })}>`,
    ...report.datasets.flatMap((dataset) => suiteLines(dataset, report)),
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function suiteLines(dataset: DatasetReport, report: RunReport): string[] {
  const count = (status: string) => dataset.checks.filter((c) => c.status === status).length;
  const properties: Record<string, unknown> = {
    source: dataset.source,
    rows: dataset.rows ?? '',
    fingerprint: dataset.fingerprint ?? '',
    status: dataset.status,
    run_id: report.run.id,
    now: report.run.now,
    assay_version: report.assay_version,
  };
  if (report.run.principal !== null) properties.principal = report.run.principal;
  const truncated = truncationText(report);
  if (truncated) properties.truncated = truncated;
  const lines = [
    `  <testsuite${attrs({
      name: dataset.name,
      tests: dataset.checks.length,
      failures: count('fail'),
      errors: count('error'),
      skipped: 0,
      timestamp: report.run.started_at,
    })}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property${attrs({ name, value })}/>`),
    '    </properties>',
    ...dataset.checks.flatMap((check) => caseLines(check, dataset.name)),
  ];
  if (dataset.error) lines.push(`    <system-err>${escapeXmlText(`dataset could not be checked: ${dataset.error}`)}</system-err>`);
  lines.push('  </testsuite>');
  return lines;
}

function caseLines(check: CheckReport, dataset: string): string[] {
  const open = `    <testcase${attrs({ name: check.id, classname: dataset })}`;
  switch (check.status) {
    case 'pass':
      return [`${open}/>`];
    case 'fail':
    case 'error': {
      const tag = check.status === 'fail' ? 'failure' : 'error';
      return [`${open}>`, `      <${tag}${attrs({ message: check.message, type: check.type })}>${escapeXmlText(details(check))}</${tag}>`, '    </testcase>'];
    }
    case 'warn':
      return [`${open}>`, `      <system-out>${escapeXmlText(`warning: ${details(check)}`)}</system-out>`, '    </testcase>'];
  }
}

/** The body of a failure, error or warning: what a CI reader needs to act. */
function details(check: CheckReport): string {
  const lines = [check.message];
  if (check.description) lines.push(`why: ${check.description}`);
  lines.push(`observed: ${observedText(check)}`);
  if (check.threshold) lines.push(`threshold: ${check.threshold}`);
  lines.push(`severity: ${check.severity}`);
  if (check.controls.length > 0) lines.push(`controls: ${check.controls.join(', ')}`);
  if (check.samples.length > 0) lines.push('samples:', ...check.samples.map((s) => `  ${sampleText(s)}`));
  return lines.join('\n');
}

function attrs(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
}

/** Run duration in seconds, as JUnit wants it; 0 when the timestamps are unusable. */
function seconds(report: RunReport): string {
  const ms = Date.parse(report.run.finished_at) - Date.parse(report.run.started_at);
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0';
}
