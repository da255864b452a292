/**
 * The console report: per dataset, failing and erroring checks first with
 * their messages, then warnings; passing checks are counted, not listed.
 * A one-line summary comes last, where a CI log reader looks.
 */
import { Chalk } from 'chalk';
import type { Status } from '../../evaluate.js';
import type { CheckReport, RunReport } from '../model.js';
import type { RenderOptions, ReportFormat } from './index.js';

const ORDER: Status[] = ['error', 'fail', 'warn', 'pass'];
const SYMBOL: Record<Status, string> = { error: '!', fail: '✗', warn: '▲', pass: '✓' };

export const consoleFormat: ReportFormat = {
  name: 'console',
  render(report: RunReport, options: RenderOptions = {}): string {
    const c = new Chalk({ level: options.color ? 1 : 0 });
    const paint: Record<Status, (s: string) => string> = { error: c.magenta, fail: c.red, warn: c.yellow, pass: c.green };
    const lines: string[] = [];
    for (const dataset of report.datasets) {
      const rows = dataset.rows === null ? '' : `  ${dataset.rows} rows`;
      lines.push(`${c.bold(dataset.name)}  ${c.dim(dataset.source)}${rows}  ${paint[dataset.status](dataset.status.toUpperCase())}`);
      if (dataset.error) lines.push(`  ${paint.error(SYMBOL.error)} ${dataset.error}`);
      const sorted = [...dataset.checks].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
      for (const check of sorted.filter((ch) => ch.status !== 'pass')) lines.push(...checkLines(check, paint, c.dim));
      const passed = dataset.checks.filter((ch) => ch.status === 'pass').length;
      if (passed > 0) lines.push(`  ${paint.pass(SYMBOL.pass)} ${passed} check${passed === 1 ? '' : 's'} passed`);
      lines.push('');
    }
    const s = report.summary;
    lines.push(
      `${paint[report.status](report.status.toUpperCase())}  ${s.checks} checks: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.error} error`,
    );
    return `${lines.join('\n')}\n`;
  },
};

function checkLines(check: CheckReport, paint: Record<Status, (s: string) => string>, dim: (s: string) => string): string[] {
  const lines = [`  ${paint[check.status](SYMBOL[check.status])} ${check.id}: ${check.message}`];
  for (const sample of check.samples.slice(0, 3)) {
    const values = Object.entries(sample.values)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
    lines.push(dim(`      row ${sample.row}${sample.file ? ` (${sample.file})` : ''}: ${values}`));
  }
  return lines;
}
