/**
 * `check --failed-rows DIR`: every failing row of each row check, whole
 * rows, as CSV or Parquet (`--failed-rows-format`; like dbt's
 * store_failures), one file per check. Parquet is written by DuckDB
 * (failed-rows-parquet.ts, loaded only for it). Rows go
 * through the report's Reader, as samples do (report/samples.ts): classified
 * columns are redacted without a principal; with `--as P`, P's masks apply,
 * columns denied to P are left out and only rows P's row filters keep
 * (access/view.ts visibleRows) are there.
 *
 * Files are written through util/write-file.ts (atomic, only inside DIR,
 * never through a link): names are made from check ids with every character
 * outside [A-Za-z0-9._-] replaced.
 */
import { table } from 'arquero';
import { showThrough, type Reader } from '../access/reader.js';
import type { SampledRow } from '../engine/executor.js';
import type { CheckResult } from '../evaluate.js';
import type { DatasetSpec } from '../policy/types.js';
import { writeOutputFile } from '../util/write-file.js';
import type { ColumnType } from '../values/types.js';
import { cellAccess, displayValue, shownKey, type SampleSource } from './samples.js';

/** The 1-based data row of each failing row, as in samples; named so it cannot clash with a usual column. */
export const ROW_COLUMN = 'assay_row';
/** A table's row has no data row number: its key instead (JSON, as samples show it: `{"order_id":17}`, `{"ctid":"(0,9)"}`). */
export const KEY_COLUMN = 'assay_key';
export const FILE_COLUMN = 'assay_file';

export interface FailedRows {
  /** The check's id (`movies.Director.not_null`). */
  check: string;
  columns: string[];
  /** Per column, the type of the values shown: the data's for a column in clear, `string` for a masked or redacted one. */
  types: (ColumnType | undefined)[];
  rows: Record<string, unknown>[];
}

export const FAILED_ROWS_FORMATS = ['csv', 'parquet'] as const;
export type FailedRowsFormat = (typeof FAILED_ROWS_FORMATS)[number];

/** Every failing row `indexes` names, whole and shown as the reader may see it (as samples are). */
export function collectFailedRows(
  result: CheckResult,
  indexes: number[],
  sampled: Map<number, SampledRow>,
  data: SampleSource,
  dataset: DatasetSpec,
  reader: Reader,
  datasets: ReadonlyMap<string, DatasetSpec> = new Map([[dataset.name, dataset]]),
  showRow = reader.visibleSampleRows(dataset, data.columns, sampled),
): FailedRows {
  const accessOf = cellAccess(result, dataset, reader, datasets);
  const shown = data.columns.map((column) => ({ column, access: accessOf(column) })).filter((c) => c.access.access !== 'denied');
  // Rows read from a table are identified by their key, as samples are: their `row` is only an index of this run.
  const keyed = indexes.some((index) => sampled.get(index)?.key !== undefined);
  const columns = [keyed ? KEY_COLUMN : ROW_COLUMN, ...(data.files.length > 1 ? [FILE_COLUMN] : []), ...shown.map((c) => c.column)];
  const types: (ColumnType | undefined)[] = [keyed ? 'string' : 'integer', ...(data.files.length > 1 ? ['string' as const] : []), ...shown.map((c) => (c.access.access === 'clear' ? data.types[c.column] : 'string'))];
  const rows = indexes.flatMap((index) => {
    const kept = sampled.get(index);
    if (!kept || !showRow(index)) return [];
    const row: Record<string, unknown> = keyed ? { [KEY_COLUMN]: kept.key ? JSON.stringify(shownKey(kept.key, accessOf, reader, data)) : null } : { [ROW_COLUMN]: kept.row };
    if (data.files.length > 1) row[FILE_COLUMN] = data.files[kept.file];
    for (const { column, access } of shown) row[column] = showThrough(reader, access, displayValue(kept.values[column], data.types[column]), data.types[column]);
    return [row];
  });
  return { check: result.planned.spec.id, columns, types, rows };
}

/** `movies.IMDB Rating.range` → `movies.IMDB_Rating.range.csv`; never a path, never hidden. */
export function failedRowsFileName(check: string, format: FailedRowsFormat = 'csv'): string {
  return `${check.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_')}.${format}`;
}

/** Write one file per check into `dir` (created if missing; links refused by write-file.ts); returns the paths written. */
export async function writeFailedRows(dir: string, tables: FailedRows[], format: FailedRowsFormat = 'csv'): Promise<string[]> {
  const contents = format === 'parquet' ? await (await import('./failed-rows-parquet.js')).parquetFiles(tables) : tables.map(csvFile);
  const used = new Set<string>();
  return tables.map((t, i) => {
    let name = failedRowsFileName(t.check, format);
    for (let n = 2; used.has(name); n++) name = failedRowsFileName(`${t.check}.${n}`, format);
    used.add(name);
    return writeOutputFile(dir, name, contents[i]);
  });
}

/** arquero's CSV writer quotes what needs quoting; a null is an empty cell, as assay reads one. */
function csvFile(t: FailedRows): string {
  const csv = table(new Map(t.columns.map((c) => [c, t.rows.map((r) => r[c] ?? null)])), t.columns).toCSV();
  return csv.endsWith('\n') ? csv : `${csv}\n`;
}
