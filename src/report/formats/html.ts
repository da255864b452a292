/**
 * The HTML report (report.html) for people: one self-contained file. Run
 * status first, then a chart of outcomes per dataset, every check that did
 * not pass (with its samples), and per dataset a chart and table of missing
 * and failing rows per column and all its checks, failing first.
 *
 * Self-contained by construction: the only style is the inline <style>
 * below, there is no script, charts are inline SVG (html-charts.ts), and a
 * Content-Security-Policy (`default-src 'none'`, the style allowed by its
 * hash) makes the browser refuse any request even if markup slipped in.
 * Every value goes through escapeHtml.
 */
import { createHash } from 'node:crypto';
import type { Status } from '../../evaluate.js';
import type { CheckReport, DatasetReport, RunReport } from '../model.js';
import { escapeHtml as esc } from './escape.js';
import { columnsChart, outcomesChart } from './html-charts.js';
import type { ReportFormat } from './index.js';
import { checksInDisplayOrder, countByStatus, isProblem, observedText, sampleText, summaryText } from './present.js';
import { truncationText } from '../bounds.js';

const STYLE = `
:root { --pass: #2e7d32; --warn: #e0a000; --fail: #c62828; --error: #6a1b9a; --line: #d8dde3; --muted: #5f6b76; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2329; margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; } h3 { font-size: 15px; margin: 20px 0 6px; }
.muted, .meta { color: var(--muted); } .meta { margin: 0; }
.badge { display: inline-block; border-radius: 4px; padding: 1px 8px; color: #fff; font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.badge.pass { background: var(--pass); } .badge.warn { background: var(--warn); color: #1d2329; } .badge.fail { background: var(--fail); } .badge.error { background: var(--error); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td:first-child { border-left: 3px solid var(--fail); } tr.error td:first-child { border-left: 3px solid var(--error); } tr.warn td:first-child { border-left: 3px solid var(--warn); }
code, .samples { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.samples { margin: 0; padding: 0; list-style: none; white-space: pre-wrap; overflow-wrap: anywhere; }
td.samples-cell { min-width: 200px; }
td code { overflow-wrap: break-word; }
.table-wrap { overflow-x: auto; }
.why { color: var(--muted); font-style: italic; }
.chart { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; fill: #1d2329; }
.chart .grid { stroke: var(--line); } .chart .tick, .chart .value { fill: var(--muted); font-size: 11px; }
.dataset { border-top: 2px solid var(--line); margin-top: 32px; }
label.toggle { font-size: 13px; color: var(--muted); }
.dataset:has(.hide-passing:checked) tr.pass { display: none; }
@media print { label.toggle { display: none; } }
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'`;

export const html: ReportFormat = {
  name: 'html',
  file: 'report.html',
  render: renderHtml,
};

function renderHtml(report: RunReport): string {
  const problems = report.datasets.flatMap((dataset, i) => checksInDisplayOrder(dataset.checks.filter(isProblem)).map((check) => ({ check, dataset, i })));
  const body = [
    '<header>',
    `<h1>assay report ${badge(report.status)}</h1>`,
    `<p class="meta">${esc(summaryText(report))}</p>`,
    ...(truncationText(report) ? [`<p class="meta"><strong>${esc(truncationText(report)!)}</strong></p>`] : []),
    `<p class="meta">now ${esc(report.run.now)} · started ${esc(report.run.started_at)} · finished ${esc(report.run.finished_at)} · run ${esc(report.run.id)}${report.run.principal !== null ? ` · samples as <strong>${esc(report.run.principal)}</strong>` : ' · classified values redacted'} · assay ${esc(report.assay_version)}</p>`,
    '</header>',
    '<h2>Datasets</h2>',
    outcomesChart(report.datasets),
    datasetsTable(report.datasets),
    `<h2>Checks that did not pass (${problems.length})</h2>`,
    problems.length === 0
      ? `<p>All ${report.summary.checks} checks passed.</p>`
      : checksTable(problems.map((p) => ({ check: p.check, dataset: `<a href="#dataset-${p.i}">${esc(p.dataset.name)}</a>` }))),
    ...report.datasets.map(datasetSection),
  ];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>assay report: ${esc(report.status.toUpperCase())}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function badge(status: Status): string {
  return `<span class="badge ${status}">${status}</span>`;
}

function datasetsTable(datasets: readonly DatasetReport[]): string {
  const rows = datasets.map((d, i) => {
    const n = countByStatus(d);
    return `<tr class="${d.status}"><td>${badge(d.status)}</td><td><a href="#dataset-${i}">${esc(d.name)}</a></td><td><code>${esc(d.source)}</code></td><td class="num">${d.rows ?? '—'}</td><td class="num">${d.checks.length}</td><td class="num">${n.pass}</td><td class="num">${n.warn}</td><td class="num">${n.fail}</td><td class="num">${n.error}</td></tr>`;
  });
  return `<table class="datasets"><thead><tr><th>status</th><th>dataset</th><th>source</th><th class="num">rows</th><th class="num">checks</th><th class="num">pass</th><th class="num">warn</th><th class="num">fail</th><th class="num">error</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** A table of checks; `dataset` is a ready-made cell (a link) when checks of several datasets are mixed. */
function checksTable(rows: { check: CheckReport; dataset?: string }[]): string {
  const withDataset = rows.some((r) => r.dataset !== undefined);
  const body = rows.map(({ check, dataset }) => {
    const samples = check.samples.length === 0 ? '' : `<ul class="samples">${check.samples.map((s) => `<li>${esc(sampleText(s))}</li>`).join('')}</ul>`;
    const why = check.description ? `<div class="why">${esc(check.description)}</div>` : '';
    return (
      `<tr class="check ${check.status}"><td>${badge(check.status)}</td>${withDataset ? `<td>${dataset ?? ''}</td>` : ''}` +
      `<td><code>${breakable(check.id)}</code><div class="muted">${esc(check.type)}${check.severity === 'warn' ? ' · severity warn' : ''}</div></td>` +
      `<td>${esc(check.message)}${why}</td><td class="num">${esc(observedText(check))}</td><td><code>${esc(check.threshold || '—')}</code></td><td class="samples-cell">${samples}</td></tr>`
    );
  });
  const head = `<tr><th>status</th>${withDataset ? '<th>dataset</th>' : ''}<th>check</th><th>message</th><th class="num">observed</th><th>threshold</th><th>failing rows (samples)</th></tr>`;
  return `<div class="table-wrap"><table class="checks"><thead>${head}</thead><tbody>${body.join('')}</tbody></table></div>`;
}

function datasetSection(dataset: DatasetReport, index: number): string {
  const parts = [
    `<section class="dataset" id="dataset-${index}">`,
    `<h2>${esc(dataset.name)} ${badge(dataset.status)}</h2>`,
    `<p class="meta"><code>${esc(dataset.source)}</code> · ${dataset.rows ?? '—'} rows${dataset.fingerprint ? ` · <code>${esc(dataset.fingerprint)}</code>` : ''}</p>`,
  ];
  if (dataset.error) parts.push(`<p><strong>Could not be checked:</strong> ${esc(dataset.error)}</p>`);
  const columns = dataset.columns ?? {};
  if (Object.keys(columns).length > 0) {
    parts.push('<h3>Columns</h3>', columnsChart(dataset.name, columns));
    const rows = Object.entries(columns).map(
      ([name, c]) => `<tr><td><code>${esc(name)}</code></td><td class="num">${c.missing}</td><td class="num">${c.missing_percent}%</td><td class="num">${c.failed_rows}</td><td class="num">${c.failed_percent}%</td></tr>`,
    );
    parts.push(`<table class="columns"><thead><tr><th>column</th><th class="num">missing</th><th class="num">missing %</th><th class="num">failing rows</th><th class="num">failing %</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  parts.push(
    `<h3>Checks (${dataset.checks.length})</h3>`,
    `<label class="toggle"><input type="checkbox" id="hide-passing-${index}" class="hide-passing"> hide passing checks</label>`,
    checksTable(checksInDisplayOrder(dataset.checks).map((check) => ({ check }))),
    '</section>',
  );
  return parts.join('\n');
}

/** A check id that may wrap after its dots (`orders.<wbr>email.<wbr>format`), not inside its words. */
function breakable(id: string): string {
  return esc(id).replace(/\./g, '.<wbr>');
}
