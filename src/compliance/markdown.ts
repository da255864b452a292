/**
 * The compliance report as GitHub-flavoured Markdown, rendered from the
 * model. Every value from a policy file or the log goes through escapeMarkdown.
 */
import { escapeMarkdown as md } from '../report/formats/escape.js';
import type { ComplianceReport, ControlReport, ControlStatus, EvidenceItem } from './model.js';

export const STATUS_ICON: Record<ControlStatus, string> = { satisfied: '✅', 'not-satisfied': '❌', 'no-evidence': '⚪', error: '❗' };

export function renderComplianceMarkdown(report: ComplianceReport): string {
  const lines: string[] = ['# Compliance report', ''];
  lines.push(...headerLines(report).map((l) => `${l}  `), '');
  const s = report.summary;
  lines.push(`**${s.satisfied} satisfied · ${s.not_satisfied} not satisfied · ${s.no_evidence} no evidence · ${s.error} error** (${s.controls} controls)`, '');
  lines.push('## Controls', '');
  if (report.controls.length === 0) {
    lines.push(`No controls are declared${report.framework ? ` for framework ${md(report.framework)}` : ''}: add a \`kind: controls\` document.`);
  } else {
    lines.push('| control | title | status | why |', '|---|---|---|---|');
    for (const c of report.controls) lines.push(`| ${md(c.id)} | ${md(c.title)} | ${STATUS_ICON[c.status]} ${c.status} | ${md(c.reason)} |`);
  }
  lines.push('');
  for (const c of report.controls) lines.push(...controlSection(c));
  lines.push('## Governance gaps', '', '| coverage | covered | not covered |', '|---|---|---|');
  for (const g of report.gaps) {
    const items = g.items.length === 0 ? '—' : g.items.map(md).join(', ');
    lines.push(`| ${md(g.title)} | ${g.coverage_percent}% (${g.covered}/${g.total} ${md(g.unit)}) | ${items} |`);
  }
  if (report.override_runs.length > 0) {
    lines.push('', '## Runs over other data (not evidence)', '', 'These check runs read a file given with `--data` instead of the declared source, so they evidence nothing about the dataset.', '');
    lines.push('| dataset | data read | outcome | audit event |', '|---|---|---|---|');
    for (const r of report.override_runs) lines.push(`| ${r.dataset ? md(r.dataset) : '—'} | ${r.source ? md(r.source) : 'not recorded'} | ${md(r.outcome)} | #${r.seq} \`${r.hash}\` |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Generation time, window, framework, audit log state, policy hash: one line each. */
export function headerLines(report: ComplianceReport): string[] {
  const log = report.audit_log;
  const window = report.window.since ? `${report.window.since} to ${report.window.until}` : `all events up to ${report.window.until}`;
  const lines = [
    `Generated ${report.generated_at} for ${report.framework ? `framework ${md(report.framework)}` : 'all frameworks'} · evidence window: ${window}`,
  ];
  if (!log.exists) {
    lines.push(`Audit log \`${md(log.path)}\`: not found, so no control has evidence (run \`assay check\` first)`);
  } else if (log.intact) {
    lines.push(`Audit log \`${md(log.path)}\`: intact, ${log.events} events (${log.keyed ? 'HMAC-SHA256' : 'SHA-256'}), head \`${log.head ?? 'none'}\``);
  } else {
    const p = log.problem!;
    lines.push(`**Audit log \`${md(log.path)}\` is NOT intact**: line ${p.line}: ${p.reason}: ${md(p.message)}. Only the ${log.events} events before it are used as evidence.`);
  }
  lines.push(`Policy files in force: \`${report.policy_hash}\``);
  return lines;
}

function controlSection(c: ControlReport): string[] {
  const lines = [`### ${STATUS_ICON[c.status]} ${md(c.id)}: ${md(c.title)}`, '', `**${c.status}**: ${md(c.reason)}`, ''];
  if (c.evidence.length > 0) {
    lines.push('| evidence | dataset | status | audit event |', '|---|---|---|---|');
    for (const e of c.evidence) lines.push(`| ${evidenceLabel(e)} | ${e.dataset ? md(e.dataset) : '—'} | ${md(e.status)} | #${e.seq} \`${e.hash}\` |`);
    lines.push('');
  }
  const cited: string[] = [];
  if (c.datasets.length > 0) cited.push(`datasets ${c.datasets.map(md).join(', ')}`);
  if (c.policies.length > 0) cited.push(`access policies ${c.policies.map(md).join(', ')}`);
  if (cited.length > 0) lines.push(`Cited by ${cited.join('; ')}.`, '');
  if (c.missing.length > 0) lines.push(`No evidence in the window: ${c.missing.map(md).join(', ')}.`, '');
  return lines;
}

export function evidenceLabel(e: EvidenceItem): string {
  const what = e.kind === 'check' ? 'check' : e.kind === 'policy' ? 'access policy' : 'applied policy';
  return `${what} ${md(e.subject)}`;
}
