/**
 * Markdown (summary.md) for a CI job summary or a pull-request comment: a
 * status line, a table of datasets, then every check that did not pass, with
 * its message and its (already masked) failing-row samples. GitHub-flavoured
 * Markdown; every value goes through escapeMarkdown, so a `|` or `<script>`
 * in the data renders as text and cannot break the tables.
 */
import type { Status } from '../../evaluate.js';
import type { CheckReport, DatasetReport, RunReport } from '../model.js';
import { escapeMarkdown as md } from './escape.js';
import type { ReportFormat } from './index.js';
import { checksInDisplayOrder, countByStatus, isProblem, observedText, sampleText, summaryText } from './present.js';
import { truncationText } from '../bounds.js';

/** Samples per check in the summary; the HTML and JSON reports keep them all. */
const MAX_SAMPLES = 5;

const ICON: Record<Status, string> = { pass: '✅', warn: '⚠️', fail: '❌', error: '❗' };

export const markdown: ReportFormat = {
  name: 'markdown',
  file: 'summary.md',
  render: renderMarkdown,
};

function renderMarkdown(report: RunReport): string {
  const lines = [
    `## ${ICON[report.status]} assay: ${report.status.toUpperCase()}`,
    '',
    `${md(summaryText(report))} · now ${md(report.run.now)}${report.run.principal !== null ? ` · samples as ${md(report.run.principal)}` : ''}`,
    '',
    ...(truncationText(report) ? [`> ${md(truncationText(report)!)}`, ''] : []),
    '| | dataset | source | rows | checks | pass | warn | fail | error |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|',
    ...report.datasets.map(datasetRow),
    '',
  ];
  const troubled = report.datasets.filter((d) => d.error || d.checks.some(isProblem));
  if (troubled.length === 0) {
    lines.push(`All ${report.summary.checks} checks passed.`, '');
  } else {
    lines.push('### Checks that did not pass', '');
    for (const dataset of troubled) lines.push(...datasetSection(dataset));
  }
  lines.push(`<sub>assay ${md(report.assay_version)} · run ${md(report.run.id)}</sub>`, '');
  return lines.join('\n');
}

function datasetRow(dataset: DatasetReport): string {
  const n = countByStatus(dataset);
  const cells = [ICON[dataset.status], md(dataset.name), md(dataset.source), dataset.rows ?? '—', dataset.checks.length, n.pass, n.warn, n.fail, n.error];
  return `| ${cells.join(' | ')} |`;
}

function datasetSection(dataset: DatasetReport): string[] {
  const lines = [`#### ${ICON[dataset.status]} ${md(dataset.name)}`, ''];
  if (dataset.error) lines.push(`Could not be checked: ${md(dataset.error)}`, '');
  const problems = checksInDisplayOrder(dataset.checks).filter(isProblem);
  // An unreadable dataset's checks all repeat its error; the line above says it once.
  if (problems.length === 0 || dataset.error) return lines;
  lines.push('| | check | message | observed | threshold | samples |', '|---|---|---|---|---|---|');
  for (const check of problems) lines.push(checkRow(check));
  lines.push('');
  return lines;
}

function checkRow(check: CheckReport): string {
  const shown = check.samples.slice(0, MAX_SAMPLES).map((s) => md(sampleText(s)));
  if (check.samples.length > MAX_SAMPLES) shown.push(`… ${check.samples.length - MAX_SAMPLES} more in the HTML and JSON reports`);
  const cells = [
    `${ICON[check.status]} ${check.status}`,
    `**${md(check.id)}**`,
    md(check.message) + (check.description ? `<br>why: ${md(check.description)}` : ''),
    md(observedText(check)),
    md(check.threshold || '—'),
    shown.join('<br>') || '—',
  ];
  return `| ${cells.join(' | ')} |`;
}
