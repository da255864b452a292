/**
 * Failing-row samples: the first few failing rows of a check, with the values
 * of the dataset's `key:` columns and of the columns the check reads, each
 * shown through the report reader's view (access/reader.ts): without a
 * principal, values of classified columns are redacted ("***"); with
 * `check --as P`, P's access decision applies:
 * masked columns are masked, denied columns left out, and rows P's row
 * filters exclude (or that they cannot be applied to) are not shown.
 */
import { combinedAccess, showThrough, type Reader } from '../access/reader.js';
import { REDACTED } from '../access/masks.js';
import type { CheckResult } from '../evaluate.js';
import type { DatasetSpec } from '../policy/types.js';
import type { SampledRow } from '../engine/executor.js';
import type { ColumnType } from '../values/types.js';
import type { SampleRow } from './model.js';
import { limitSampleValue } from './sample-limit.js';

export { REDACTED };

/** What samples need to know about the data read. */
export interface SampleSource {
  columns: string[];
  types: Record<string, ColumnType | undefined>;
  files: string[];
}

/**
 * The sample rows of one check. Call once per check with the same `sampled`
 * map for every check of a dataset; the row visibility is computed per call.
 */
export function buildSamples(
  result: CheckResult,
  sampled: Map<number, SampledRow>,
  data: SampleSource,
  dataset: DatasetSpec,
  reader: Reader,
  datasets: ReadonlyMap<string, DatasetSpec> = new Map([[dataset.name, dataset]]),
  showRow = reader.visibleSampleRows(dataset, data.columns, sampled),
): SampleRow[] {
  // The dataset's key columns first, so every sample says which row it is, then the columns the check reads.
  const columns = [...new Set([...dataset.key, ...result.planned.columns])].filter((c) => data.columns.includes(c));
  const accessOf = cellAccess(result, dataset, reader, datasets);
  return result.sampleIndexes.flatMap((index) => {
    const kept = sampled.get(index);
    if (!kept || !showRow(index)) return [];
    const values: Record<string, unknown> = {};
    for (const column of columns) {
      const access = accessOf(column);
      if (access.access === 'denied') continue;
      values[column] = limitSampleValue(showThrough(reader, access, displayValue(kept.values[column], data.types[column]), data.types[column]));
    }
    const key = kept.key && shownKey(kept.key, accessOf, reader, data);
    const sample: SampleRow = key ? { key, values } : { row: kept.row, values };
    if (data.files.length > 1) sample.file = data.files[kept.file];
    return [sample];
  });
}

/** A table row's key, through the reader's access like any value: a key column may be classified. */
export function shownKey(key: Record<string, unknown>, accessOf: (column: string) => ReturnType<Reader['columnAccess']>, reader: Reader, data: SampleSource): Record<string, unknown> {
  return Object.fromEntries(Object.entries(key).map(([column, value]) => {
    const access = accessOf(column);
    return [column, access.access === 'denied' ? REDACTED : limitSampleValue(showThrough(reader, access, displayValue(value, data.types[column]), data.types[column]))];
  }));
}

/**
 * The access each column's cells of a failing row get: a row check's values
 * may also be values of the columns it refers to (a reference check's keys),
 * so each cell is shown as strictly as those too. Samples and failed-row files
 * both show cells through this.
 */
export function cellAccess(result: CheckResult, dataset: DatasetSpec, reader: Reader, datasets: ReadonlyMap<string, DatasetSpec>): (column: string) => ReturnType<Reader['columnAccess']> {
  const linked = result.planned.valueSources;
  return (column) => (linked.length === 0 ? reader.columnAccess(dataset, column) : combinedAccess(reader, datasets, [{ dataset: dataset.name, column }, ...linked], false));
}

/** A value as reports show it: dates as ISO text (a date without its time), big integers as text. */
export function displayValue(value: unknown, type: string | undefined): unknown {
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined) return null;
  return value;
}
