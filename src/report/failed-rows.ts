/**
 * `check --failed-rows DIR`: every failing row of each row check, whole
 * rows, as CSV (like dbt's store_failures), one file per check. Rows go
 * through the same SampleMasker as report samples: classified columns are
 * redacted without a principal; with `--as P`, P's masks apply, columns
 * denied to P are left out and only rows P's row filters keep are there.
 *
 * Writing is one function (writeFailedRows) so the files land only inside
 * DIR: names are made from check ids with every character outside
 * [A-Za-z0-9._-] replaced, and a symbolic link is never written through.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { table } from 'arquero';
import type { SampledRow } from '../engine/executor.js';
import type { CheckResult } from '../evaluate.js';
import type { DatasetSpec } from '../policy/types.js';
import { AssayError } from '../util/diagnostics.js';
import { displayValue, OMIT, type SampleMasker, type SampleSource } from './samples.js';
import { writeReportFile } from './write.js';

/** The 1-based data row of each failing row, as in samples; named so it cannot clash with a usual column. */
export const ROW_COLUMN = 'assay_row';
export const FILE_COLUMN = 'assay_file';

export interface FailedRows {
  /** The check's id (`movies.Director.not_null`). */
  check: string;
  columns: string[];
  rows: Record<string, unknown>[];
}

/** Every failing row `indexes` names, whole and masked for the reader. */
export function collectFailedRows(result: CheckResult, indexes: number[], sampled: Map<number, SampledRow>, data: SampleSource, dataset: DatasetSpec, mask: SampleMasker): FailedRows {
  const view = mask(dataset, data, sampled);
  const shown = data.columns.filter((c) => view.value(c, null) !== OMIT);
  const columns = [ROW_COLUMN, ...(data.files.length > 1 ? [FILE_COLUMN] : []), ...shown];
  const rows = indexes.flatMap((index) => {
    const kept = sampled.get(index);
    if (!kept || !view.showRow(index)) return [];
    const row: Record<string, unknown> = { [ROW_COLUMN]: kept.row };
    if (data.files.length > 1) row[FILE_COLUMN] = data.files[kept.file];
    for (const column of shown) row[column] = view.value(column, displayValue(kept.values[column], data.types[column]));
    return [row];
  });
  return { check: result.planned.spec.id, columns, rows };
}

/** `movies.IMDB Rating.range` → `movies.IMDB_Rating.range.csv`; never a path, never hidden. */
export function failedRowsFileName(check: string): string {
  return `${check.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_')}.csv`;
}

/** Write one CSV per check into `dir`; returns the paths written. */
export function writeFailedRows(dir: string, tables: FailedRows[]): string[] {
  mkdirSync(dir, { recursive: true });
  refuseLink(dir);
  const used = new Set<string>();
  return tables.map((t) => {
    let name = failedRowsFileName(t.check);
    for (let n = 2; used.has(name); n++) name = failedRowsFileName(`${t.check}.${n}`);
    used.add(name);
    refuseLink(join(dir, name));
    // arquero's CSV writer quotes what needs quoting; a null is an empty cell, as assay reads one.
    const csv = table(new Map(t.columns.map((c) => [c, t.rows.map((r) => r[c] ?? null)])), t.columns).toCSV();
    return writeReportFile(dir, name, csv.endsWith('\n') ? csv : `${csv}\n`);
  });
}

/** A symbolic link at `path` would send the write elsewhere (write-file-atomic writes a link's target). */
function refuseLink(path: string): void {
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    return; // absent: written fresh
  }
  if (isLink) throw new AssayError('usage', `--failed-rows: ${path} is a symbolic link; refusing to write through it`, 'give a folder of its own, or remove the link');
}
