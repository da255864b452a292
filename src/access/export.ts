/**
 * Serialise a governed view as CSV (arquero's writer), NDJSON, or Arrow IPC
 * (arquero/flechette). Dates of `date` columns are written as YYYY-MM-DD,
 * timestamps in ISO 8601 UTC. A value that did not parse as its column's
 * declared type is written as its original text; in Arrow such a column
 * becomes a text column (Arrow columns have one type).
 */
import { table as columnTable, toArrowIPC, toCSV, type ColumnTable } from 'arquero';
import { stringify as stringifyExact } from 'lossless-json';
import type { ColumnType } from '../values/types.js';
import type { LoadedData } from '../sources/load.js';
import { valueText } from './masks.js';
import type { GovernedView } from './view.js';

export const EXPORT_FORMATS = ['csv', 'ndjson', 'arrow'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `--format`, else the output file's extension, else CSV. */
export function exportFormatFor(out: string, flag: string | undefined): ExportFormat | undefined {
  if (flag !== undefined) return (EXPORT_FORMATS as readonly string[]).includes(flag) ? (flag as ExportFormat) : undefined;
  const ext = /\.([a-z0-9]+)$/i.exec(out)?.[1]?.toLowerCase();
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  if (ext === 'arrow' || ext === 'feather' || ext === 'ipc') return 'arrow';
  return 'csv';
}

export function renderExport(view: GovernedView, data: LoadedData, format: ExportFormat): string | Uint8Array {
  // Built with fromEntries: column names come from data files and may be "__proto__".
  const columns: [string, unknown[]][] = view.columns.map((column) => {
    const values = Array.from(view.rows, (i) => view.value(column, i));
    return [column, format === 'arrow' ? oneType(values, data.types[column]) : values.map((v) => plain(v, data.types[column]))];
  });
  if (format === 'ndjson') return ndjson(columns, view.rows.length);
  const table = columnTable(Object.fromEntries(columns)) as unknown as ColumnTable;
  if (format === 'csv') return toCSV(table);
  return toArrowIPC(table);
}

/**
 * One batch of an export streamed from where a table lives (CSV or NDJSON;
 * the CSV header with the first batch). `rows` are values by `columns`,
 * already masked.
 */
export function renderRows(columns: string[], types: (ColumnType | undefined)[], rows: unknown[][], format: 'csv' | 'ndjson', first: boolean): string {
  const values: [string, unknown[]][] = columns.map((column, j) => [column, rows.map((row) => plain(row[j], types[j]))]);
  if (format === 'ndjson') return ndjson(values, rows.length);
  const text = toCSV(columnTable(Object.fromEntries(values)) as unknown as ColumnTable, { header: first });
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/** Batches of rows as one Arrow IPC file (Arrow columns have one type, known only at the end: built in memory). */
export function renderArrowRows(columns: string[], types: (ColumnType | undefined)[], rows: unknown[][]): Uint8Array {
  const table = columnTable(Object.fromEntries(columns.map((column, j) => [column, oneType(rows.map((row) => row[j]), types[j])]))) as unknown as ColumnTable;
  return toArrowIPC(table);
}

/** Dates as text in the column's shape; other values as they are. */
function plain(value: unknown, type: ColumnType | undefined): unknown {
  return value instanceof Date ? valueText(value, type) : value;
}

/**
 * Arrow needs one type per column: integers beyond 2^53 (bigints) make their
 * column int64, with the other integers; any other mix is written as text.
 */
function oneType(values: unknown[], type: ColumnType | undefined): unknown[] {
  const kinds = new Set(values.filter((v) => v !== null).map((v) => (v instanceof Date ? 'date' : typeof v)));
  if (kinds.size === 2 && kinds.has('bigint') && kinds.has('number') && values.every((v) => typeof v !== 'number' || Number.isInteger(v))) {
    return values.map((v) => (typeof v === 'number' ? BigInt(v) : v));
  }
  return kinds.size > 1 ? values.map((v) => (v === null ? null : valueText(v, type))) : values;
}

/** One JSON object per row; integers beyond 2^53 as their exact digits (lossless-json; JSON.stringify refuses bigints). */
function ndjson(columns: [string, unknown[]][], rows: number): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) lines.push(stringifyExact(Object.fromEntries(columns.map(([name, values]) => [name, values[i]])))!);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
