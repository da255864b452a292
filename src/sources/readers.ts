/**
 * One reader per format: bytes → a table of raw values (no typing yet).
 * CSV/TSV through arquero's parser with type inference off (every cell stays
 * text so typing is ours), JSON and NDJSON through JSON.parse, Arrow IPC
 * through arquero (flechette), Parquet through hyparquet.
 */
import { fromArrow, fromCSV, table as columnTable, type ColumnTable } from 'arquero';
import { parquetReadObjects } from 'hyparquet';
import { DataError, errorMessage } from '../util/diagnostics.js';
import type { DatasetSource } from '../policy/types.js';

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
}

/** Text formats are typed by assay; binary and JSON formats carry their own types. */
export const isTextFormat = (format: Format): boolean => format === 'csv' || format === 'tsv';

export async function readTable(file: string, bytes: Buffer, format: Format, options: ReadOptions): Promise<ColumnTable> {
  switch (format) {
    case 'csv':
    case 'tsv':
      return readDelimited(file, bytes, format === 'tsv' ? '\t' : ',', options);
    case 'json':
      return readJson(file, bytes);
    case 'ndjson':
      return readNdjson(file, bytes);
    case 'arrow':
      return guard(file, 'Arrow IPC', () => fromArrow(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    case 'parquet':
      return readParquet(file, bytes);
  }
}

function readDelimited(file: string, bytes: Buffer, defaultDelimiter: string, options: ReadOptions): ColumnTable {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
  if (text.trim() === '') throw new DataError(`${file}: file is empty (no header row)`);
  const table = guard(file, 'CSV', () =>
    fromCSV(text, { delimiter: options.delimiter ?? defaultDelimiter, autoType: false, header: options.header ?? true }),
  );
  checkDuplicateNames(file, table.columnNames());
  const nulls = new Set(options.nullValues ?? ['']);
  if (nulls.size === 1 && nulls.has('')) return table; // arquero already reads empty cells as null
  const columns: Record<string, unknown[]> = {};
  for (const name of table.columnNames()) {
    columns[name] = Array.from(table.array(name) as ArrayLike<unknown>, (v) => (v === null || nulls.has(v as string) ? null : v));
  }
  return columnTable(columns) as unknown as ColumnTable;
}

function readJson(file: string, bytes: Buffer): ColumnTable {
  const data = guard(file, 'JSON', () => JSON.parse(bytes.toString('utf8')) as unknown);
  if (!Array.isArray(data)) throw new DataError(`${file}: expected a JSON array of objects, found ${typeof data}`);
  return fromRecords(file, data, (i) => `element ${i + 1}`);
}

function readNdjson(file: string, bytes: Buffer): ColumnTable {
  const records: unknown[] = [];
  const lines = bytes.toString('utf8').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line));
    } catch (e) {
      throw new DataError(`${file}:${i + 1}: invalid JSON: ${errorMessage(e)}`);
    }
  });
  return fromRecords(file, records, (i) => `record ${i + 1}`);
}

async function readParquet(file: string, bytes: Buffer): Promise<ColumnTable> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: buffer });
  } catch (e) {
    throw new DataError(`${file}: not a readable Parquet file: ${errorMessage(e)}`);
  }
  return fromRecords(file, rows, (i) => `row ${i + 1}`);
}

/** Rows of objects → columns; the column set is the union of keys, in first-seen order. */
function fromRecords(file: string, records: unknown[], label: (i: number) => string): ColumnTable {
  const names: string[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new DataError(`${file}: ${label(i)} is not an object`);
    for (const key of Object.keys(r)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  });
  const columns: Record<string, unknown[]> = {};
  for (const name of names) columns[name] = records.map((r) => normalizeCell((r as Record<string, unknown>)[name]));
  return columnTable(columns) as unknown as ColumnTable;
}

/** Missing keys and undefined are null; bigint from Parquet is kept for typing. */
function normalizeCell(value: unknown): unknown {
  return value === undefined ? null : value;
}

function checkDuplicateNames(file: string, names: string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new DataError(`${file}: duplicate column name "${name}" in the header`);
    seen.add(name);
  }
}

function guard<T>(file: string, what: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${file}: not a readable ${what} file: ${errorMessage(e)}`);
  }
}
