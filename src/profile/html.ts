/**
 * The profile as one self-contained HTML page: a summary, then one card per
 * column with its statistics and a small histogram (numbers: 20 equal-width
 * bins; other columns: their top values). Built like the check report
 * (src/report/formats/html.ts): inline SVG, no script, one inline style
 * allowed by its hash in a Content-Security-Policy that refuses every
 * request, and every value through escapeHtml.
 */
import { createHash } from 'node:crypto';
import { escapeHtml as esc } from '../report/formats/escape.js';
import type { ProfileReport } from './profile.js';
import { distinctText, number, percent, piiText, quantileText, typeText } from './render.js';
import type { ColumnProfile } from './summary.js';

const STYLE = `
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2329; margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 0 0 6px; }
.meta { color: #5f6b76; margin: 0; }
.pii { color: #8a5a00; font-weight: 600; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 16px; margin-top: 20px; }
.card { border: 1px solid #d8dde3; border-radius: 6px; padding: 12px 14px; overflow-wrap: anywhere; }
.card.flagged { border-left: 4px solid #e0a000; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 6px 0; }
dt { color: #5f6b76; } dd { margin: 0; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
svg { display: block; margin: 6px 0; } svg rect { fill: #4f6d8f; } svg text { font: 10px system-ui, sans-serif; fill: #5f6b76; }
`;
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'`;

export function renderProfileHtml(report: ProfileReport): string {
  const flagged = report.columns.filter((c) => c.pii.length > 0);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>assay profile: ${esc(report.dataset)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>Profile of ${esc(report.dataset)}</h1>`,
    `<p class="meta">${esc(number(report.rows))} rows · ${report.columns.length} columns · ${esc(report.format)} · ${esc(report.files.join(', '))} · assay ${esc(report.assay_version)}</p>`,
    flagged.length > 0
      ? `<p class="pii">PII candidates: ${esc(flagged.map((c) => c.name).join(', '))} (values shown masked)</p>`
      : '<p class="meta">No PII candidates found.</p>',
    `<p class="meta">Distinct counts: ${esc(report.sketches.distinct)}. Quantiles: ${esc(report.sketches.quantiles)}. Top values: ${esc(report.sketches.top_values)}.</p>`,
    '<div class="grid">',
    ...report.columns.map(columnCard),
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function columnCard(c: ColumnProfile): string {
  const rows: [string, string][] = [
    ['type', typeText(c)],
    ['nulls', `${number(c.nulls)} (${percent(c.null_percent / 100)})`],
    ['distinct', distinctText(c)],
  ];
  if (c.numeric)
    rows.push(
      ['range', `${number(c.numeric.min)} … ${number(c.numeric.max)}`],
      ['mean ± sd', `${number(c.numeric.mean)} ± ${number(c.numeric.stddev)}`],
      ['quantiles', quantileText(c) ?? ''],
    );
  if (c.temporal) rows.push(['range', `${c.temporal.min} … ${c.temporal.max}`]);
  if (c.length) rows.push(['length', c.length.min === c.length.max ? String(c.length.min) : `${c.length.min}–${c.length.max}`]);
  const nonNull = c.rows - c.nulls;
  if (c.top_values.length > 0) rows.push([c.masked ? 'top (masked)' : 'top', c.top_values.map((v) => `${v.value} ×${number(v.count)}`).join(', ')]);
  if (c.shapes.length > 0) rows.push(['shapes', c.shapes.map((s) => `${s.shape} ${percent(s.count / nonNull)}`).join(', ')]);
  if (c.formats.length > 0) rows.push(['formats', c.formats.map((f) => `${f.format} ${percent(f.share)}`).join(', ')]);
  const pii = c.pii.map((p) => `<p class="pii">PII candidate: ${esc(piiText(p))}</p>`).join('');
  return [
    `<section class="card${c.pii.length > 0 ? ' flagged' : ''}">`,
    `<h2><code>${esc(c.name)}</code></h2>`,
    pii,
    c.numeric ? numericChart(c) : topChart(c),
    `<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`,
    '</section>',
  ].join('');
}

const WIDTH = 340;
const HEIGHT = 70;

/** Equal-width bins between min and max (estimated from percentiles; see summary.ts). */
function numericChart(c: ColumnProfile): string {
  const bins = c.numeric!.histogram;
  const most = Math.max(1, ...bins);
  const w = WIDTH / bins.length;
  const bars = bins
    .map((b, i) => {
      const h = (b / most) * (HEIGHT - 14);
      return `<rect x="${(i * w + 1).toFixed(1)}" y="${(HEIGHT - 14 - h).toFixed(1)}" width="${(w - 2).toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(`≈${number(b)} values`)}</title></rect>`;
    })
    .join('');
  const axis = `<text x="0" y="${HEIGHT - 2}">${esc(number(c.numeric!.min))}</text><text x="${WIDTH}" y="${HEIGHT - 2}" text-anchor="end">${esc(number(c.numeric!.max))}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}"><title>${esc(`Histogram of ${c.name}`)}</title>${bars}${axis}</svg>`;
}

/** Horizontal bars for the most frequent values (masked for PII candidates). */
function topChart(c: ColumnProfile): string {
  const top = c.top_values.slice(0, 5);
  if (top.length === 0) return '';
  const most = Math.max(1, ...top.map((t) => t.count));
  const row = 14;
  const left = 120;
  const bars = top
    .map((t, i) => {
      const label = t.value.length > 18 ? `${t.value.slice(0, 17)}…` : t.value;
      const w = (t.count / most) * (WIDTH - left - 50);
      return `<text x="${left - 4}" y="${i * row + 10}" text-anchor="end">${esc(label)}</text><rect x="${left}" y="${i * row + 2}" width="${w.toFixed(1)}" height="${row - 4}"><title>${esc(`${t.value}: ${t.count}`)}</title></rect><text x="${(left + w + 4).toFixed(1)}" y="${i * row + 10}">${esc(number(t.count))}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${top.length * row + 4}" viewBox="0 0 ${WIDTH} ${top.length * row + 4}"><title>${esc(`Most frequent values of ${c.name}`)}</title>${bars}</svg>`;
}
