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
  if (format === 'csv' || format === 'tsv') return readDelimited(file, bytes, format === 'tsv' ? '\t' : ',', options);
  const table = await readTyped(file, bytes, format);
  return options.nullValues ? applyNullValues(table, new Set(options.nullValues)) : table;
}

async function readTyped(file: string, bytes: Buffer, format: Exclude<Format, 'csv' | 'tsv'>): Promise<ColumnTable> {
  switch (format) {
    case 'json':
      return readJson(file, bytes);
    case 'ndjson':
      return readNdjson(file, bytes);
    case 'arrow':
      // arquero reads dates and timestamps as Date (flechette's useDate) and
      // 64-bit integers as numbers (flechette's default).
      return guard(file, 'Arrow IPC', () => fromArrow(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    case 'parquet':
      return readParquet(file, bytes);
  }
}

/**
 * `null_values` in a format that has real nulls (JSON, Arrow, Parquet): a
 * string cell equal to one of them becomes null. Only applied when given.
 */
function applyNullValues(table: ColumnTable, nulls: Set<string>): ColumnTable {
  const columns: Record<string, unknown[]> = {};
  for (const name of table.columnNames()) {
    columns[name] = Array.from(table.array(name) as ArrayLike<unknown>, (v) => (typeof v === 'string' && nulls.has(v) ? null : v));
  }
  return columnTable(columns) as unknown as ColumnTable;
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
  const text = bytes.toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DataError(`${file}:${jsonErrorPosition(text, e)}: invalid JSON: ${jsonErrorReason(e)}`);
  }
  if (!Array.isArray(data)) throw new DataError(`${file}: expected a JSON array of objects, found ${jsonTypeName(data)}`);
  return fromRecords(file, data, (i) => `element ${i + 1} of the array`);
}

function readNdjson(file: string, bytes: Buffer): ColumnTable {
  const records: unknown[] = [];
  const lineOf: number[] = [];
  const lines = bytes.toString('utf8').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line));
      lineOf.push(i + 1);
    } catch (e) {
      throw new DataError(`${file}:${i + 1}: invalid JSON: ${jsonErrorReason(e)}`);
    }
  });
  return fromRecords(file, records, (i) => `line ${lineOf[i]}`, (i) => `${file}:${lineOf[i]}`);
}

/** `line:col` of a JSON.parse error, from the position V8 reports (1:1 when it gives none). */
function jsonErrorPosition(text: string, e: unknown): string {
  const match = /at position (\d+)/.exec(errorMessage(e));
  const offset = match ? Number(match[1]) : /Unexpected end of JSON input/.test(errorMessage(e)) ? text.length : 0;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${col}`;
}

/** V8's message without the position and the quoted snippet of the input. */
function jsonErrorReason(e: unknown): string {
  return errorMessage(e)
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/, "[^]*" is not valid JSON$/, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
}

function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
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
function fromRecords(file: string, records: unknown[], label: (i: number) => string, where: (i: number) => string = () => file): ColumnTable {
  const names: string[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new DataError(`${where(i)}: expected an object, found ${jsonTypeName(r)} (${label(i)})`);
    }
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

/**
 * Missing keys and undefined are null. Parquet INT64 arrives as bigint: it
 * becomes a number when that is exact, and stays a bigint otherwise (a
 * declared integer column then records it as a value that does not parse).
 */
function normalizeCell(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
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
