/**
 * `--failed-rows DIR --failed-rows-format parquet`: the tables of
 * failed-rows.ts as Parquet files, written by DuckDB (loaded only here).
 *
 * Columns are typed when every value in them is exactly what assay shows for
 * a value of the column's type (failed-rows.ts `types`: a column shown in
 * clear has its data's type, a masked or redacted one is text): integers as
 * BIGINT, numbers as DOUBLE, booleans, dates as DATE, timestamps as
 * TIMESTAMPTZ. Anything else (a mask's text, the raw text of a value the
 * `type` check rejected) makes the column text, so no value is ever coerced.
 *
 * DuckDB writes into a private temporary folder; the bytes then go through
 * util/write-file.ts like every output, so the same guarantees hold (only
 * inside DIR, atomic, never through a link).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { standardIdentifier, standardString } from '../engine/sql/sql.js';
import { INVALID, PARSERS } from '../values/grammar.js';
import type { ColumnType } from '../values/types.js';
import type { FailedRows } from './failed-rows.js';

const SQL_TYPES: Record<Exclude<ColumnType, 'string'>, string> = {
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMPTZ',
};

/** Years DuckDB reads from ISO text as assay writes it. */
const FOUR_DIGIT_YEAR = /^\d{4}-/;

/** True when `value` is exactly how assay shows a value of `type` (samples.ts displayValue). */
function isShownAs(value: unknown, type: ColumnType): boolean {
  switch (type) {
    case 'integer':
      if (typeof value === 'number') return Number.isSafeInteger(value);
      return typeof value === 'string' && PARSERS.integer(value) !== INVALID && String(PARSERS.integer(value)) === value;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date': {
      const parsed = typeof value === 'string' ? PARSERS.date(value) : INVALID;
      return parsed instanceof Date && FOUR_DIGIT_YEAR.test(value as string) && parsed.toISOString().slice(0, 10) === value;
    }
    case 'timestamp': {
      const parsed = typeof value === 'string' ? PARSERS.timestamp(value) : INVALID;
      return parsed instanceof Date && FOUR_DIGIT_YEAR.test(value as string) && parsed.toISOString() === value;
    }
    case 'string':
      return typeof value === 'string';
  }
}

/** The SQL type of each column: its type when every value is shown as that type, else text. */
export function parquetTypes(table: FailedRows): string[] {
  return table.columns.map((column, i) => {
    const type = table.types[i];
    if (type === undefined || type === 'string') return 'VARCHAR';
    const typed = table.rows.every((row) => row[column] === null || row[column] === undefined || isShownAs(row[column], type));
    return typed ? SQL_TYPES[type] : 'VARCHAR';
  });
}

/** One Parquet file's bytes for each table, in order. */
export async function parquetFiles(tables: FailedRows[]): Promise<Uint8Array[]> {
  if (tables.length === 0) return [];
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const temp = mkdtempSync(join(tmpdir(), 'assay-failed-rows-'));
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: temp });
  const db = await instance.connect();
  try {
    const files: Uint8Array[] = [];
    for (const [n, table] of tables.entries()) {
      // Loaded as text under neutral names (c0, c1…); typed and named in the COPY's SELECT.
      const names = table.columns.map((_, i) => `c${i}`);
      await db.run(`CREATE OR REPLACE TABLE rows (${names.map((c) => `${c} VARCHAR`).join(', ')})`);
      const appender = await db.createAppender('rows');
      for (const row of table.rows) {
        for (const column of table.columns) {
          const value = row[column];
          if (value === null || value === undefined) appender.appendNull();
          else appender.appendVarchar(String(value));
        }
        appender.endRow();
      }
      appender.closeSync();
      const types = parquetTypes(table);
      const select = table.columns.map((column, i) => `CAST(${names[i]} AS ${types[i]}) AS ${standardIdentifier(column)}`).join(', ');
      const path = join(temp, `${n}.parquet`);
      await db.run(`COPY (SELECT ${select} FROM rows) TO ${standardString(path)} (FORMAT parquet)`);
      files.push(readFileSync(path));
    }
    return files;
  } finally {
    db.closeSync();
    instance.closeSync();
    rmSync(temp, { recursive: true, force: true });
  }
}
