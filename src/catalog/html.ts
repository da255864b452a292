/**
 * The catalog's pages: index.html (every dataset: owner, tags, latest status,
 * freshness SLA, and the lineage graph) and one dataset-<name>.html per
 * dataset (description, columns, checks with their latest outcome,
 * freshness, who may see what, and its neighbourhood in the lineage graph).
 *
 * Self-contained like the HTML report: one inline style allowed by its hash
 * in a Content-Security-Policy with `default-src 'none'`, no script, no
 * network reference; every value goes through escapeHtml.
 */
import { createHash } from 'node:crypto';
import { escapeHtml as esc } from '../report/formats/escape.js';
import { ASSAY_VERSION } from '../version.js';
import { datasetPage, lineageSvg } from './lineage-svg.js';
import type { Catalog, CatalogDataset } from './model.js';

const STYLE = `
:root { --pass: #2e7d32; --warn: #e0a000; --fail: #c62828; --error: #6a1b9a; --line: #d8dde3; --muted: #5f6b76; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2329; margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
a { color: #1f5fa8; } .muted { color: var(--muted); }
.badge { display: inline-block; border-radius: 4px; padding: 1px 8px; color: #fff; font-weight: 600; font-size: 12px; text-transform: uppercase; }
.badge.pass { background: var(--pass); } .badge.warn { background: var(--warn); color: #1d2329; } .badge.fail { background: var(--fail); } .badge.error { background: var(--error); } .badge.none { background: #9aa5b1; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.tag { display: inline-block; background: #eef2f6; border-radius: 3px; padding: 0 6px; margin-right: 4px; font-size: 12px; }
.class { display: inline-block; background: #fdecea; color: #8e1c12; border-radius: 3px; padding: 0 6px; margin-right: 4px; font-size: 12px; }
td.clear { background: #e8f5e9; } td.denied { background: #fdecea; color: #8e1c12; } td.masked { background: #fff8e1; }
.table-wrap { overflow-x: auto; }
svg.lineage { max-width: 100%; height: auto; font: 13px system-ui, sans-serif; }
svg.lineage .node rect { fill: #fff; stroke: #9aa5b1; stroke-width: 1.5; }
svg.lineage .node.pass rect { stroke: var(--pass); } svg.lineage .node.warn rect { stroke: var(--warn); } svg.lineage .node.fail rect { stroke: var(--fail); } svg.lineage .node.error rect { stroke: var(--error); }
svg.lineage .node.current rect { fill: #eef2f6; stroke-width: 3; }
svg.lineage .edge { fill: none; stroke: #5f6b76; stroke-width: 1.5; } svg.lineage .arrowhead { fill: #5f6b76; }
svg.lineage text { fill: #1d2329; }
.legend { font-size: 12px; }
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'none'; base-uri 'none'; form-action 'none'`;

function page(title: string, body: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body>`,
    ...body,
    `<p class="muted">assay ${esc(ASSAY_VERSION)} catalog</p>`,
    '</body></html>',
    '',
  ].join('\n');
}

const badge = (status: string | undefined) => `<span class="badge ${esc(status ?? 'none')}">${esc(status ?? 'not run')}</span>`;
const tags = (list: string[]) => list.map((t) => `<span class="tag">${esc(t)}</span>`).join('');
const classes = (list: string[]) => list.map((c) => `<span class="class">${esc(c)}</span>`).join('');

function freshnessText(d: CatalogDataset): string {
  if (d.freshness.length === 0) return '<span class="muted">none</span>';
  return d.freshness
    .map(
      (f) =>
        `${f.column !== undefined ? `<code>${esc(f.column)}</code>` : esc(f.source ?? '')}: ${f.warnAfter ? `warn after ${esc(f.warnAfter)}, ` : ''}fail after ${esc(f.failAfter ?? '—')}`,
    )
    .join('<br>');
}

export function renderIndex(catalog: Catalog): string {
  const rows = catalog.datasets.map(
    (d) =>
      `<tr><td><a href="${esc(datasetPage(d.name))}">${esc(d.name)}</a></td><td>${esc(d.owner ?? '—')}</td><td>${tags(d.tags)}</td><td>${badge(d.status)}</td><td>${freshnessText(d)}</td><td>${esc(d.description ?? '')}</td></tr>`,
  );
  return page('assay catalog', [
    '<h1>Data catalog</h1>',
    `<p class="muted">${catalog.datasets.length} datasets${catalog.reportTime ? ` · latest status from the run that finished ${esc(catalog.reportTime)}` : ' · no report: run <code>assay check</code> for statuses'}</p>`,
    '<div class="table-wrap"><table><thead><tr><th>dataset</th><th>owner</th><th>tags</th><th>latest status</th><th>freshness SLA</th><th>description</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></div>',
    '<h2>Lineage</h2>',
    lineageSvg(catalog),
  ]);
}

export function renderDataset(catalog: Catalog, d: CatalogDataset): string {
  const columns = d.columns.map(
    (c) =>
      `<tr><td><code>${esc(c.name)}</code></td><td>${esc(c.type ?? '—')}</td><td>${c.required ? 'yes' : ''}</td><td>${classes(c.classification)}</td><td>${esc(c.description ?? '')}</td></tr>`,
  );
  const checks = d.checks.map(
    (c) =>
      `<tr><td><code>${esc(c.id)}</code></td><td>${esc(c.type)}</td><td>${c.column !== undefined ? `<code>${esc(c.column)}</code>` : ''}</td><td>${esc(c.severity)}</td><td>${badge(c.status)}</td><td class="num">${c.failedRows !== undefined ? `${c.failedRows} of ${c.evaluatedRows ?? '—'}` : ''}</td></tr>`,
  );
  const names = d.columns.map((c) => c.name);
  const access = d.access.map((a) => {
    const cells = names.map((n) => {
      const v = a.decision === 'deny' ? 'denied' : (a.columns[n] ?? 'denied');
      const kind = v === 'clear' || v === 'denied' ? v : 'masked';
      return `<td class="${kind}">${esc(kind === 'masked' ? `masked (${v})` : v)}</td>`;
    });
    return `<tr><th>${esc(a.role)}</th>${cells.join('')}<td>${a.decision === 'deny' ? 'none' : a.rowFilter ? `<code>${esc(a.rowFilter)}</code>` : 'all'}</td></tr>`;
  });
  return page(`${d.name} · assay catalog`, [
    `<p><a href="index.html">← all datasets</a></p>`,
    `<h1>${esc(d.name)} ${badge(d.status)}</h1>`,
    `<p>${esc(d.description ?? '')}</p>`,
    `<p class="muted">owner ${esc(d.owner ?? '— (none: a governance gap)')} · source <code>${esc(d.source)}</code>${d.rows !== undefined ? ` · ${d.rows} rows in the latest run` : ''} ${tags(d.tags)}</p>`,
    '<h2>Columns</h2>',
    '<div class="table-wrap"><table><thead><tr><th>column</th><th>type</th><th>required</th><th>classification</th><th>description</th></tr></thead><tbody>',
    ...columns,
    '</tbody></table></div>',
    '<h2>Freshness SLA</h2>',
    `<p>${freshnessText(d)}</p>`,
    '<h2>Checks</h2>',
    '<div class="table-wrap"><table><thead><tr><th>check</th><th>type</th><th>column</th><th>severity</th><th>latest outcome</th><th>failing rows</th></tr></thead><tbody>',
    ...checks,
    '</tbody></table></div>',
    '<h2>Who may see what</h2>',
    d.access.length === 0
      ? '<p class="muted">No roles are declared: by default no one may read this dataset.</p>'
      : `<div class="table-wrap"><table class="access"><thead><tr><th>role</th>${names.map((n) => `<th><code>${esc(n)}</code></th>`).join('')}<th>rows</th></tr></thead><tbody>${access.join('')}</tbody></table></div><p class="muted">From the access decision function, per role (a principal holding several roles may see otherwise: <code>assay access explain</code> tells).</p>`,
    '<h2>Lineage</h2>',
    lineageSvg({ ...catalog, edges: catalog.edges.filter((e) => e.from === d.name || e.to === d.name) }, d.name),
  ]);
}
