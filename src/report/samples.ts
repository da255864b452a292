/**
 * Failing-row samples: the first few failing rows of a check, with the values
 * of the columns the check reads. Values of classified columns never reach a
 * report in clear: without a principal they are redacted ("***"); access
 * policies refine this per principal.
 */
import type { CheckResult } from '../evaluate.js';
import type { DatasetSpec } from '../policy/types.js';
import type { SampledRow } from '../engine/executor.js';
import type { ColumnType } from '../plan/plan.js';
import type { SampleRow } from './model.js';

export const REDACTED = '***';

/** Decides what a report reader may see of one column's value. */
export type SampleMasker = (dataset: DatasetSpec, column: string, value: unknown) => unknown;

/** The default when no principal is given: classified columns are redacted. */
export const redactClassified: SampleMasker = (dataset, column, value) =>
  value !== null && (dataset.columns[column]?.classification?.length ?? 0) > 0 ? REDACTED : value;

/** What samples need to know about the data read. */
export interface SampleSource {
  columns: string[];
  types: Record<string, ColumnType | undefined>;
  files: string[];
}

export function buildSamples(result: CheckResult, sampled: Map<number, SampledRow>, data: SampleSource, dataset: DatasetSpec, mask: SampleMasker): SampleRow[] {
  const columns = result.planned.columns.filter((c) => data.columns.includes(c));
  return result.sampleIndexes.flatMap((index) => {
    const kept = sampled.get(index);
    if (!kept) return [];
    const values: Record<string, unknown> = {};
    for (const column of columns) values[column] = mask(dataset, column, displayValue(kept.values[column], data.types[column]));
    const sample: SampleRow = { row: kept.row, values };
    if (data.files.length > 1) sample.file = data.files[kept.file];
    return [sample];
  });
}

function displayValue(value: unknown, type: string | undefined): unknown {
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined) return null;
  return value;
}
