/**
 * The console report: per dataset, failing and erroring checks first with
 * their messages and a few samples, then warnings; passing checks are
 * counted, not listed. A one-line summary comes last, where a CI log reader
 * looks.
 */
import { Chalk } from 'chalk';
import type { Status } from '../../evaluate.js';
import type { CheckReport, RunReport } from '../model.js';
import { oneLine } from '../../util/one-line.js';
import type { RenderOptions, ReportFormat } from './index.js';
import { checksInDisplayOrder, isProblem, sampleText, summaryText } from './present.js';
import { truncationText } from '../bounds.js';

const SYMBOL: Record<Status, string> = { error: '!', fail: '✗', warn: '▲', pass: '✓' };
/** Samples per check on the console; the file reports keep them all. */
const MAX_SAMPLES = 3;

export const consoleFormat: ReportFormat = {
  name: 'console',
  render(report: RunReport, options: RenderOptions = {}): string {
    const c = new Chalk({ level: options.color ? 1 : 0 });
    const paint: Record<Status, (s: string) => string> = { error: c.magenta, fail: c.red, warn: c.yellow, pass: c.green };
    const lines: string[] = [];
    for (const dataset of report.datasets) {
      const rows = dataset.rows === null ? '' : `  ${dataset.rows} rows`;
      lines.push(`${c.bold(dataset.name)}  ${c.dim(oneLine(dataset.source))}${rows}  ${paint[dataset.status](dataset.status.toUpperCase())}`);
      if (dataset.error) {
        // Every check of an unreadable dataset repeats the same reason: say it once.
        const n = dataset.checks.filter((ch) => ch.type !== 'read').length; // the read case is the error line itself
        lines.push(`  ${paint.error(SYMBOL.error)} ${oneLine(dataset.error)}`, ...(n > 0 ? [`  ${c.dim(`${n} check${n === 1 ? '' : 's'} not run`)}`] : []), '');
        continue;
      }
      for (const check of checksInDisplayOrder(dataset.checks).filter(isProblem)) lines.push(...checkLines(check, paint, c.dim));
      const passed = dataset.checks.filter((ch) => ch.status === 'pass').length;
      if (passed > 0) lines.push(`  ${paint.pass(SYMBOL.pass)} ${passed} check${passed === 1 ? '' : 's'} passed`);
      lines.push('');
    }
    const truncated = truncationText(report);
    if (truncated) lines.push(c.dim(truncated), '');
    lines.push(`${paint[report.status](report.status.toUpperCase())}  ${summaryText(report)}`);
    return `${lines.join('\n')}\n`;
  },
};

function checkLines(check: CheckReport, paint: Record<Status, (s: string) => string>, dim: (s: string) => string): string[] {
  const lines = [`  ${paint[check.status](SYMBOL[check.status])} ${oneLine(check.id)}: ${oneLine(check.message)}`];
  for (const sample of check.samples.slice(0, MAX_SAMPLES)) lines.push(dim(`      ${oneLine(sampleText(sample))}`));
  if (check.samples.length > MAX_SAMPLES) lines.push(dim(`      … ${check.samples.length - MAX_SAMPLES} more samples in the report files`));
  return lines;
}
