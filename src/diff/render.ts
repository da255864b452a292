/**
 * `assay diff` output: console (grouped by class), JSON (the DiffResult as
 * is) and Markdown for a pull-request comment. Pure functions of the result.
 */
import { Chalk } from 'chalk';
import { escapeMarkdown as md } from '../report/formats/escape.js';
import { oneLine } from '../util/one-line.js';
import { CHANGE_CLASSES, GATING_CLASSES, type ChangeClass, type DiffResult } from './model.js';

export const DIFF_FORMATS = ['console', 'json', 'markdown'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

const TITLE: Record<ChangeClass, string> = {
  breaking: 'Breaking for consumers',
  loosened: 'Loosened quality',
  weakened: 'Weakened governance',
  widened: 'Access widened',
  tightened: 'Tightened',
  added: 'Added',
  other: 'Other changes',
};

export function renderDiff(result: DiffResult, format: DiffFormat, color = false): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  return format === 'markdown' ? renderMarkdown(result) : renderConsole(result, color);
}

function counts(result: DiffResult): string {
  return (
    CHANGE_CLASSES.filter((c) => result.summary[c] > 0)
      .map((c) => `${result.summary[c]} ${c}`)
      .join(', ') || 'no changes'
  );
}

function renderConsole(result: DiffResult, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const lines = [`assay diff ${oneLine(result.base)} → ${oneLine(result.head)}`, ''];
  for (const klass of CHANGE_CLASSES) {
    const changes = result.changes.filter((ch) => ch.class === klass);
    if (changes.length === 0) continue;
    const gating = GATING_CLASSES.includes(klass);
    lines.push((gating ? c.red.bold : c.bold)(`${TITLE[klass]} (${changes.length})`));
    for (const change of changes)
      lines.push(
        `  ${gating ? c.red('✗') : c.dim('·')} ${oneLine(change.dataset && !change.message.includes(change.dataset) ? `${change.dataset}: ${change.message}` : change.message)}`,
      );
    lines.push('');
  }
  const verdict = result.status === 'fail' ? c.red.bold('FAIL') : c.green.bold('PASS');
  lines.push(`${verdict}: ${counts(result)}`);
  return `${lines.join('\n')}\n`;
}

function renderMarkdown(result: DiffResult): string {
  const icon = result.status === 'fail' ? '❌' : '✅';
  const lines = [`## ${icon} assay diff: ${result.status.toUpperCase()}`, '', `${md(result.base)} → ${md(result.head)}: ${md(counts(result))}`, ''];
  for (const klass of CHANGE_CLASSES) {
    const changes = result.changes.filter((ch) => ch.class === klass);
    if (changes.length === 0) continue;
    lines.push(`### ${GATING_CLASSES.includes(klass) ? '❌ ' : ''}${TITLE[klass]} (${changes.length})`, '', '| dataset | subject | change |', '|---|---|---|');
    for (const change of changes)
      lines.push(`| ${md(change.dataset ?? '')} | ${md(change.subject ?? change.column ?? change.check ?? '')} | ${md(change.message)} |`);
    lines.push('');
  }
  if (result.changes.length === 0) lines.push('No changes to datasets, checks or access.', '');
  return lines.join('\n');
}
