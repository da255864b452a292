/**
 * Load a dataset whole into one arquero table, for commands that need every
 * row at once (export, profile, tests). `assay check` does not: it streams
 * batches (./stream.ts). Both go through the same readers and typing, so a
 * loaded table holds exactly what the batches hold.
 */
import { table as columnTable, type ColumnTable } from 'arquero';
import type { ColumnType } from '../values/types.js';
import { RAW_INVALID, RAW_NULL, RAW_VALID, streamDataset, type Batch, type DataStream, type LoadRequest } from './stream.js';

export { RAW_INVALID, RAW_NULL, RAW_VALID, type LoadRequest };

/** Hidden column holding each row's 1-based number in its source file. */
export const ROW_COLUMN = '__assay_row';

export interface LoadedData {
  /** Typed values; declared columns hold null where the raw value did not parse. */
  table: ColumnTable;
  /** Data columns in file order (hidden columns excluded). */
  columns: string[];
  /** Type of each column: declared, or inferred for undeclared text columns. */
  types: Record<string, ColumnType | undefined>;
  /** For declared columns: RAW_NULL / RAW_VALID / RAW_INVALID per row. */
  rawStatus: Map<string, Uint8Array>;
  /** The raw text of values that did not parse, by column and row index, for samples. */
  invalidRaw: Map<string, Map<number, unknown>>;
  /** Files read, relative to the working directory; a glob may give several. */
  files: string[];
  /** Index of the file each row comes from, when there are several. */
  fileOfRow?: Uint16Array;
  /** `sha256:` over the files' bytes (in order), for reports and the audit log. */
  fingerprint: string;
  rows: number;
}

export async function loadDataset(request: LoadRequest): Promise<LoadedData> {
  const stream = streamDataset(request, Number.POSITIVE_INFINITY);
  const batches: Batch[] = [];
  for await (const batch of stream.batches()) batches.push(batch);
  return concatBatches(stream, batches);
}

/** Batches of a fully read stream → one table. */
export function concatBatches(stream: DataStream, batches: Batch[]): LoadedData {
  const n = stream.rows;
  const data: Record<string, unknown[]> = {};
  const rawStatus = new Map<string, Uint8Array>();
  const invalidRaw = new Map<string, Map<number, unknown>>();
  for (const name of stream.columns) {
    const values = new Array<unknown>(n).fill(null);
    let status: Uint8Array | undefined;
    for (const batch of batches) {
      const column = batch.columns.get(name);
      if (column) for (let i = 0; i < batch.rows; i++) values[batch.offset + i] = column[i];
      const batchStatus = batch.rawStatus.get(name);
      if (batchStatus) {
        status ??= new Uint8Array(n);
        status.set(batchStatus, batch.offset);
        const invalid = invalidRaw.get(name) ?? new Map<number, unknown>();
        for (const [i, raw] of batch.invalidRaw.get(name) ?? []) invalid.set(batch.offset + i, raw);
        invalidRaw.set(name, invalid);
      }
    }
    data[name] = values;
    if (status) rawStatus.set(name, status);
  }
  const rowNumbers = new Int32Array(n);
  const fileOfRow = stream.files.length > 1 ? new Uint16Array(n) : undefined;
  for (const batch of batches) {
    for (let i = 0; i < batch.rows; i++) {
      rowNumbers[batch.offset + i] = batch.firstRow + i;
      if (fileOfRow) fileOfRow[batch.offset + i] = batch.file;
    }
  }
  return {
    table: columnTable({ ...data, [ROW_COLUMN]: rowNumbers as unknown as unknown[] }) as unknown as ColumnTable,
    columns: stream.columns,
    types: stream.types,
    rawStatus,
    invalidRaw,
    files: stream.files,
    fileOfRow,
    fingerprint: stream.fingerprint ?? '',
    rows: n,
  };
}
