/**
 * Load a dataset's data: resolve its source (a path or glob relative to the
 * policy file, or a `--data` override), read every file, type the declared
 * columns, and record values that do not parse for the `type` check.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import fg from 'fast-glob';
import { table as columnTable, type ColumnTable } from 'arquero';
import type { ColumnType } from '../plan/plan.js';
import type { ColumnSpec, DatasetSource } from '../policy/types.js';
import { DataError, errorMessage } from '../util/diagnostics.js';
import { formatFromPath, readTable } from './readers.js';
import { inferType, INVALID, PARSERS } from './types.js';

/** Per-row state of a declared column's raw value. */
export const RAW_NULL = 0;
export const RAW_VALID = 1;
export const RAW_INVALID = 2;

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

export interface LoadRequest {
  dataset: string;
  source: DatasetSource;
  /** The policy file that declares the dataset; source paths are relative to it. */
  policyFile: string;
  columns: Record<string, ColumnSpec>;
  /** `--data NAME=PATH`: a path relative to the working directory. */
  overridePath?: string;
}

export async function loadDataset(request: LoadRequest): Promise<LoadedData> {
  const files = resolveFiles(request);
  const hash = createHash('sha256');
  const parts: ColumnTable[] = [];
  const rowCounts: number[] = [];
  for (const file of files) {
    const format = request.source.format && !request.overridePath ? request.source.format : formatFromPath(file) ?? request.source.format;
    if (!format) throw new DataError(`${file}: cannot tell the format from the extension`, 'set source.format (csv, tsv, json, ndjson, arrow, parquet)');
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new DataError(`cannot read data for dataset "${request.dataset}": ${file}: ${describeFsError(e)}`);
    }
    hash.update(bytes);
    const opts = request.source.options ?? {};
    const raw = await readTable(file, bytes, format, { delimiter: opts.delimiter, nullValues: opts.null_values, header: opts.header });
    parts.push(raw);
    rowCounts.push(raw.numRows());
  }
  const raw = parts.length === 1 ? parts[0] : concatByName(parts);
  const typed = applyTypes(raw, request.columns);
  const rowNumbers = new Int32Array(typed.rows);
  const fileOfRow = files.length > 1 ? new Uint16Array(typed.rows) : undefined;
  let offset = 0;
  rowCounts.forEach((count, fileIndex) => {
    for (let i = 0; i < count; i++) {
      rowNumbers[offset + i] = i + 1;
      if (fileOfRow) fileOfRow[offset + i] = fileIndex;
    }
    offset += count;
  });
  return {
    ...typed,
    table: typed.table.assign({ [ROW_COLUMN]: rowNumbers }) as unknown as ColumnTable,
    files,
    fileOfRow,
    fingerprint: `sha256:${hash.digest('hex')}`,
  };
}

/**
 * Stack the tables of a glob's files. Columns are matched by name and
 * unioned in first-seen order; a file without a column gets nulls there
 * (arquero's concat keeps only the first table's columns, which would drop data).
 */
function concatByName(parts: ColumnTable[]): ColumnTable {
  const names = [...new Set(parts.flatMap((t) => t.columnNames()))];
  const columns: Record<string, unknown[]> = {};
  for (const name of names) {
    const values: unknown[] = [];
    for (const part of parts) {
      if (part.columnNames().includes(name)) {
        const column = part.array(name) as ArrayLike<unknown>;
        for (let i = 0; i < column.length; i++) values.push(column[i]);
      } else {
        for (let i = 0; i < part.numRows(); i++) values.push(null);
      }
    }
    columns[name] = values;
  }
  return columnTable(columns) as unknown as ColumnTable;
}

function resolveFiles(request: LoadRequest): string[] {
  const { path } = request.source;
  const pattern = request.overridePath ?? (isAbsolute(path) ? path : join(dirname(request.policyFile), path));
  const where = request.overridePath ? '--data' : `${request.policyFile}: source.path`;
  if (!fg.isDynamicPattern(pattern)) return [relativeToCwd(pattern)];
  const matches = fg.sync(pattern.replace(/\\/g, '/'), { onlyFiles: true, dot: false }).sort();
  if (matches.length === 0) {
    throw new DataError(`cannot read data for dataset "${request.dataset}": ${pattern}: no files match (${where})`);
  }
  if (matches.length > 65535) throw new DataError(`${pattern}: matches ${matches.length} files; the limit is 65535`);
  return matches.map(relativeToCwd);
}

function relativeToCwd(path: string): string {
  return isAbsolute(path) ? path : relative(process.cwd(), path) || path;
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return errorMessage(e);
}

interface Typed {
  table: ColumnTable;
  columns: string[];
  types: Record<string, ColumnType | undefined>;
  rawStatus: Map<string, Uint8Array>;
  invalidRaw: Map<string, Map<number, unknown>>;
  rows: number;
}

/**
 * Parse declared columns as their type. Undeclared columns whose values are
 * all text (CSV) get an inferred type; other undeclared columns are kept as
 * read. A declared column absent from the data is left absent: checks on it
 * end in `error`, and the schema check reports it.
 */
export function applyTypes(raw: ColumnTable, declared: Record<string, ColumnSpec>): Typed {
  const rows = raw.numRows();
  const columns = raw.columnNames();
  const out: Record<string, unknown[] | ArrayLike<unknown>> = {};
  const types: Record<string, ColumnType | undefined> = {};
  const rawStatus = new Map<string, Uint8Array>();
  const invalidRaw = new Map<string, Map<number, unknown>>();
  for (const name of columns) {
    const values = raw.array(name) as ArrayLike<unknown>;
    const declaredType = declared[name]?.type;
    const type = declaredType ?? (allText(values) ? inferType(values) : undefined);
    types[name] = type;
    if (!type || (type === 'string' && !declaredType)) {
      out[name] = values;
      continue;
    }
    const parse = PARSERS[type];
    const typed = new Array<unknown>(rows);
    const status = new Uint8Array(rows);
    const invalid = new Map<number, unknown>();
    for (let i = 0; i < rows; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        typed[i] = null;
        continue;
      }
      const parsed = parse(v);
      if (parsed === INVALID) {
        typed[i] = null;
        status[i] = RAW_INVALID;
        invalid.set(i, v);
      } else {
        typed[i] = parsed;
        status[i] = RAW_VALID;
      }
    }
    out[name] = typed;
    if (declaredType) {
      rawStatus.set(name, status);
      invalidRaw.set(name, invalid);
    }
  }
  return { table: columnTable(out as Record<string, unknown[]>) as unknown as ColumnTable, columns, types, rawStatus, invalidRaw, rows };
}

function allText(values: ArrayLike<unknown>): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && typeof v !== 'string') return false;
  }
  return true;
}
