/**
 * Failing-row samples: the first few failing rows of a check, with the values
 * of the dataset's `key:` columns and of the columns the check reads. Values of classified columns never reach a
 * report in clear: without a principal they are redacted ("***"); with
 * `check --as P` the principal's access decision applies (access/samples.ts):
 * masked columns are masked, denied columns left out, and rows P's row
 * filters exclude are not shown.
 */
import { REDACTED } from '../access/masks.js';
import type { CheckResult } from '../evaluate.js';
import type { DatasetSpec } from '../policy/types.js';
import type { SampledRow } from '../engine/executor.js';
import type { ColumnType } from '../plan/plan.js';
import type { SampleRow } from './model.js';
import { limitSampleValue } from './sample-limit.js';

export { REDACTED };

/** Returned by a SampleView for a column the reader may not see: it is left out of the sample. */
export const OMIT = Symbol('omit');

/** What one report reader may see of one dataset's sampled rows. */
export interface SampleView {
  /** False when the reader may not see the row (dataset-wide index) at all. */
  showRow(index: number): boolean;
  /** The value as the reader may see it, or OMIT. */
  value(column: string, value: unknown): unknown;
}

/**
 * Decides, per dataset, what a report reader may see. Called once per check
 * with the same `sampled` map for every check of a dataset, so
 * implementations can memoize on it.
 */
export type SampleMasker = (dataset: DatasetSpec, data: SampleSource, sampled: Map<number, SampledRow>) => SampleView;

/** The default when no principal is given: classified columns are redacted. */
export const redactClassified: SampleMasker = (dataset) => ({
  showRow: () => true,
  value: (column, value) => (value !== null && (dataset.columns[column]?.classification?.length ?? 0) > 0 ? REDACTED : value),
});

/** What samples need to know about the data read. */
export interface SampleSource {
  columns: string[];
  types: Record<string, ColumnType | undefined>;
  files: string[];
}

export function buildSamples(result: CheckResult, sampled: Map<number, SampledRow>, data: SampleSource, dataset: DatasetSpec, mask: SampleMasker): SampleRow[] {
  // The dataset's key columns first, so every sample says which row it is, then the columns the check reads.
  const columns = [...new Set([...dataset.key, ...result.planned.columns])].filter((c) => data.columns.includes(c));
  const view = mask(dataset, data, sampled);
  return result.sampleIndexes.flatMap((index) => {
    const kept = sampled.get(index);
    if (!kept || !view.showRow(index)) return [];
    const values: Record<string, unknown> = {};
    for (const column of columns) {
      const shown = view.value(column, displayValue(kept.values[column], data.types[column]));
      if (shown !== OMIT) values[column] = limitSampleValue(shown);
    }
    const sample: SampleRow = { row: kept.row, values };
    if (data.files.length > 1) sample.file = data.files[kept.file];
    return [sample];
  });
}

/** A value as reports show it: dates as ISO text (a date without its time), big integers as text. */
export function displayValue(value: unknown, type: string | undefined): unknown {
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined) return null;
  return value;
}
