/**
 * The compliance report as one self-contained HTML file (inline styles, no
 * scripts, no network), rendered from the model; every value is escaped.
 */
import { escapeHtml as h } from '../report/formats/escape.js';
import type { ComplianceReport, ControlReport, ControlStatus, GovernanceGap } from './model.js';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1f2328}
h1{margin-bottom:.2rem}table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{font-size:12px;word-break:break-all}.meta{color:#57606a}.warn{background:#fff1f0;border:1px solid #cf222e;padding:.5rem}
.status{border-radius:1rem;padding:0 .6rem;white-space:nowrap;font-weight:600}.satisfied{background:#dafbe1;color:#116329}.not-satisfied{background:#ffebe9;color:#a40e26}
.no-evidence{background:#eaeef2;color:#57606a}.error{background:#fbefff;color:#8250df}.bar{background:#eaeef2;height:.6rem;width:10rem;display:inline-block;vertical-align:middle}
.bar>span{background:#2da44e;display:block;height:100%}details{margin:.3rem 0}summary{cursor:pointer}`;

export function renderComplianceHtml(report: ComplianceReport): string {
  const s = report.summary;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>assay compliance report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Compliance report</h1>
${header(report)}
<p><strong>${s.satisfied} satisfied · ${s.not_satisfied} not satisfied · ${s.no_evidence} no evidence · ${s.error} error</strong> (${s.controls} controls)</p>
<h2>Controls</h2>
${report.controls.length === 0 ? '<p>No controls are declared: add a <code>kind: controls</code> document.</p>' : ''}
<table>
<thead><tr><th>control</th><th>title</th><th>status</th><th>why</th></tr></thead>
<tbody>
${report.controls.map((c) => `<tr><td><a href="#${h(anchor(c.id))}">${h(c.id)}</a></td><td>${h(c.title)}</td><td>${badge(c.status)}</td><td>${h(c.reason)}</td></tr>`).join('\n')}
</tbody>
</table>
${report.controls.map(controlSection).join('\n')}
<h2>Governance gaps</h2>
<table>
<thead><tr><th>coverage</th><th>covered</th><th></th><th>not covered</th></tr></thead>
<tbody>
${report.gaps.map(gapRow).join('\n')}
</tbody>
</table>
${overrideRuns(report)}
</body>
</html>
`;
}

/** Check runs over `--data` files: shown as such, apart from the evidence. */
function overrideRuns(report: ComplianceReport): string {
  if (report.override_runs.length === 0) return '';
  const rows = report.override_runs.map((r) => `<tr><td>${h(r.dataset ?? '—')}</td><td>${h(r.source ?? 'not recorded')}</td><td>${h(r.outcome)}</td><td>#${r.seq} <code>${h(r.hash)}</code></td></tr>`);
  return `<h2>Runs over other data (not evidence)</h2>
<p>These check runs read a file given with <code>--data</code> instead of the declared source, so they evidence nothing about the dataset.</p>
<table>
<thead><tr><th>dataset</th><th>data read</th><th>outcome</th><th>audit event</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function header(report: ComplianceReport): string {
  const log = report.audit_log;
  const window = report.window.since ? `${report.window.since} to ${report.window.until}` : `all events up to ${report.window.until}`;
  const lines = [`<p class="meta">Generated ${h(report.generated_at)} for ${report.framework ? `framework ${h(report.framework)}` : 'all frameworks'} · evidence window: ${h(window)}<br>`];
  if (!log.exists) {
    lines.push(`Audit log <code>${h(log.path)}</code>: not found, so no control has evidence (run <code>assay check</code> first)<br>`);
  } else if (log.intact) {
    lines.push(`Audit log <code>${h(log.path)}</code>: intact, ${log.events} events (${log.keyed ? 'HMAC-SHA256' : 'SHA-256'}), head <code>${h(log.head ?? 'none')}</code><br>`);
  }
  lines.push(`Policy files in force: <code>${h(report.policy_hash)}</code></p>`);
  if (log.exists && !log.intact) {
    const p = log.problem!;
    lines.push(`<p class="warn"><strong>The audit log <code>${h(log.path)}</code> is NOT intact</strong>: line ${p.line}: ${h(p.reason)}: ${h(p.message)}. Only the ${log.events} events before it are used as evidence.</p>`);
  }
  return lines.join('\n');
}

function badge(status: ControlStatus): string {
  return `<span class="status ${status}">${status}</span>`;
}

function anchor(id: string): string {
  return `control-${id.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

function controlSection(c: ControlReport): string {
  const rows = c.evidence
    .map((e) => `<tr><td>${e.kind === 'check' ? 'check' : e.kind === 'policy' ? 'access policy' : 'applied policy'} ${h(e.subject)}</td><td>${h(e.dataset ?? '—')}</td><td>${h(e.status)}</td><td>#${e.seq} <code>${h(e.hash)}</code></td></tr>`)
    .join('\n');
  const parts = [`<h3 id="${h(anchor(c.id))}">${h(c.id)}: ${h(c.title)} ${badge(c.status)}</h3>`, `<p>${h(c.reason)}</p>`];
  if (rows) parts.push(`<details${c.status === 'satisfied' ? '' : ' open'}><summary>${c.evidence.length} evidence item${c.evidence.length === 1 ? '' : 's'}</summary>\n<table>\n<thead><tr><th>evidence</th><th>dataset</th><th>status</th><th>audit event</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table></details>`);
  if (c.datasets.length > 0 || c.policies.length > 0) {
    const cited = [c.datasets.length > 0 ? `datasets ${c.datasets.map(h).join(', ')}` : '', c.policies.length > 0 ? `access policies ${c.policies.map(h).join(', ')}` : ''].filter(Boolean);
    parts.push(`<p class="meta">Cited by ${cited.join('; ')}.</p>`);
  }
  if (c.missing.length > 0) parts.push(`<p class="meta">No evidence in the window: ${c.missing.map(h).join(', ')}.</p>`);
  return parts.join('\n');
}

function gapRow(g: GovernanceGap): string {
  return `<tr><td>${h(g.title)}</td><td>${g.coverage_percent}% (${g.covered}/${g.total} ${h(g.unit)})</td><td><span class="bar" role="img" aria-label="${g.coverage_percent}%"><span style="width:${g.coverage_percent}%"></span></span></td><td>${g.items.length === 0 ? '—' : g.items.map(h).join(', ')}</td></tr>`;
}
