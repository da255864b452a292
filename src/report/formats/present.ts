/**
 * What every human-facing format shows the same way: the order of checks
 * (failing first), the text of a sample row, of an observed value and of the
 * run summary. Escaping is the format's business; these return plain text.
 */
import type { Status } from '../../evaluate.js';
import type { CheckReport, DatasetReport, RunReport, SampleRow } from '../model.js';
import { formatDuration } from '../../util/duration.js';

/** Failing and erroring checks first, then warnings, then passes; stable otherwise. */
export const STATUS_DISPLAY_ORDER: readonly Status[] = ['error', 'fail', 'warn', 'pass'];

export function checksInDisplayOrder(checks: readonly CheckReport[]): CheckReport[] {
  return [...checks].sort((a, b) => STATUS_DISPLAY_ORDER.indexOf(a.status) - STATUS_DISPLAY_ORDER.indexOf(b.status));
}

/** `row 18: email="***" amount=-3.2`, or for a table row `key order_id=42: …` (values as JSON, so strings are quoted and visible). */
export function sampleText(sample: SampleRow): string {
  const pairs = (record: Record<string, unknown>) =>
    Object.entries(record)
      .map(([column, value]) => `${column}=${JSON.stringify(value) ?? 'null'}`)
      .join(' ');
  const where = sample.key ? `key ${pairs(sample.key)}` : `row ${sample.row}${sample.file ? ` (${sample.file})` : ''}`;
  return `${where}: ${pairs(sample.values)}`;
}

/**
 * The observed value as a reader wants it: numbers plain, lists
 * comma-separated, none as "—", a freshness age (seconds in the JSON report)
 * as a duration ("3d 4h 5m old").
 */
export function observedText(check: Pick<CheckReport, 'observed' | 'type'>): string {
  const { observed } = check;
  if (observed === null || observed === undefined) return '—';
  if (check.type === 'freshness' && typeof observed === 'number') return observed < 0 ? `${formatDuration(-observed * 1000)} in the future` : `${formatDuration(observed * 1000)} old`;
  if (Array.isArray(observed)) return observed.map(String).join(', ');
  if (typeof observed === 'object') return JSON.stringify(observed);
  return String(observed);
}

/** `67 checks: 54 pass, 1 warn, 12 fail, 0 error` */
export function summaryText(report: RunReport): string {
  const s = report.summary;
  return `${s.checks} check${s.checks === 1 ? '' : 's'}: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.error} error`;
}

export function countByStatus(dataset: DatasetReport): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, warn: 0, fail: 0, error: 0 };
  for (const check of dataset.checks) counts[check.status]++;
  return counts;
}

/** Checks a reader must look at: not passing. */
export function isProblem(check: CheckReport): boolean {
  return check.status !== 'pass';
}
