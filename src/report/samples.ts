/**
 * Failing-row samples: the first few failing rows of a check, with the values
 * of the columns the check reads. Values of classified columns never reach a
 * report in clear: without a principal they are redacted ("***"); access
 * policies refine this per principal.
 */
import type { CheckResult } from '../evaluate.js';
import type { DatasetSpec } from '../policy/types.js';
import { ROW_COLUMN, type LoadedData } from '../sources/load.js';
import type { SampleRow } from './model.js';

export const REDACTED = '***';

/** Decides what a report reader may see of one column's value. */
export type SampleMasker = (dataset: DatasetSpec, column: string, value: unknown) => unknown;

/** The default when no principal is given: classified columns are redacted. */
export const redactClassified: SampleMasker = (dataset, column, value) =>
  value !== null && (dataset.columns[column]?.classification?.length ?? 0) > 0 ? REDACTED : value;

export function buildSamples(result: CheckResult, data: LoadedData, dataset: DatasetSpec, mask: SampleMasker): SampleRow[] {
  const columns = result.planned.columns.filter((c) => data.columns.includes(c));
  const rowNumbers = data.table.array(ROW_COLUMN) as ArrayLike<number>;
  return result.sampleIndexes.map((index) => {
    const values: Record<string, unknown> = {};
    for (const column of columns) {
      const invalid = data.invalidRaw.get(column)?.get(index);
      const value = invalid !== undefined ? invalid : (data.table.array(column) as ArrayLike<unknown>)[index];
      values[column] = mask(dataset, column, displayValue(value, data.types[column]));
    }
    const sample: SampleRow = { row: rowNumbers[index], values };
    if (data.fileOfRow) sample.file = data.files[data.fileOfRow[index]];
    return sample;
  });
}

function displayValue(value: unknown, type: string | undefined): unknown {
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined) return null;
  return value;
}
