/**
 * Data formats: names, extensions and read options, and `readTable` for
 * bytes already in memory. The readers themselves stream batches
 * (./raw-batches.ts); `readTable` runs the same readers, so a table read here
 * holds exactly what a batched read yields.
 */
import { table as columnTable, type ColumnTable } from 'arquero';
import type { DatasetSource } from '../policy/types.js';
import { readRawBatches } from './raw-batches.js';

export type Format = NonNullable<DatasetSource['format']>;
export const FORMATS: Format[] = ['csv', 'tsv', 'json', 'ndjson', 'arrow', 'parquet'];

const EXTENSIONS: Record<string, Format> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  arrow: 'arrow',
  feather: 'arrow',
  ipc: 'arrow',
  parquet: 'parquet',
  pq: 'parquet',
};

export function formatFromPath(path: string): Format | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext ? EXTENSIONS[ext] : undefined;
}

export interface ReadOptions {
  delimiter?: string;
  nullValues?: string[];
  header?: boolean;
  /** Longest NDJSON line, in characters (default MAX_LINE_CHARS); tests set a small one. */
  maxLineChars?: number;
}

/** Text formats are typed by assay; binary and JSON formats carry their own types. */
export const isTextFormat = (format: Format): boolean => format === 'csv' || format === 'tsv';

/** Read bytes of one file (named `file` in errors) into a table of raw values (no typing). */
export async function readTable(file: string, bytes: Buffer, format: Format, options: ReadOptions): Promise<ColumnTable> {
  const names: string[] = [];
  const columns = new Map<string, unknown[]>();
  let rows = 0;
  for await (const batch of readRawBatches({ file, bytes }, format, options, Number.POSITIVE_INFINITY)) {
    batch.names.forEach((name, c) => {
      if (!columns.has(name)) {
        names.push(name);
        columns.set(name, new Array(rows).fill(null));
      }
      columns.get(name)!.push(...batch.values[c]);
    });
    rows += batch.rows;
    for (const values of columns.values()) while (values.length < rows) values.push(null);
  }
  return columnTable(Object.fromEntries(names.map((n) => [n, columns.get(n)!]))) as unknown as ColumnTable;
}
