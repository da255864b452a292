/**
 * The DuckDB executor (SPEC §5, `check --engine duckdb`): the same plan, the
 * same measure results, computed by DuckDB's vectorised engine instead of
 * JavaScript loops. The file is loaded once into a temporary table (raw text
 * and typed values, ./typing.ts); every measure of the dataset is then one
 * column of a single aggregate query, plus one grouping query per uniqueness
 * key. Failing-row samples come from the same table (`min(rowid, N)`: rows keep
 * the file's order, preserved by DuckDB's parallel load), their
 * values typed again by assay's own parsers, so reports are identical.
 *
 * Scope: one CSV or TSV file whose columns are all declared, and measures
 * whose semantics SQL reproduces exactly (./plan-sql.ts). Anything else
 * throws Unsupported and the store runs the dataset on the arquero engine.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';
import type { ColumnType, ObservedType } from '../../values/types.js';
import { readRawBatches } from '../../sources/raw-batches.js';
import { resolveFiles } from '../../sources/resolve.js';
import { checkDataFile } from '../../sources/guard.js';
import { DEFAULT_BATCH_ROWS, formatOf, INFER_ROWS, newestModification, streamDataset, type DataStream, type LoadRequest } from '../../sources/stream.js';
import { columnParser, INVALID } from '../../values/grammar.js';
import { DataError, errorMessage } from '../../util/diagnostics.js';
import type { ExecuteRequest, Measured, MeasureResult, SampledRow } from '../executor.js';
import { planSql, type KeyTable, type SqlPlan, type SqlPlanOptions } from '../sql/plan-sql.js';
import { NOT_TRANSLATED, runSqlPlan, type SqlSession } from '../sql/run.js';
import { reportColumnErrors } from '../in-process/execute.js';
import { standardString as sqlString, Unsupported } from '../sql/sql.js';
import { blankSql, duckdb, integerOverflowSql, MAX_EXACT_DOUBLE_INTEGER, typedSql, TYPING_MACROS } from './dialect.js';

/** The loaded file as the SQL compiler reads it: `__row` is the 0-based data row. */
const SQL_OPTIONS: SqlPlanOptions = { dialect: duckdb, relation: '(SELECT rowid AS __row, * FROM assay_t) AS assay_t', observesColumns: true };

/**
 * DuckDB worker threads (`ASSAY_DUCKDB_THREADS`). Pinned to one by default: on
 * a shared machine DuckDB's threads spin waiting for each other (a 3M-row file
 * took 149 s of CPU with one per core on a busy 2-core box, 15 s with one), and
 * CPU time, not wall time, is what a CI runner or a shared host pays for.
 */
export const THREADS_ENV = 'ASSAY_DUCKDB_THREADS';
export const DEFAULT_THREADS = '1';

/** DuckDB's memory limit (`ASSAY_DUCKDB_MEMORY`, e.g. `4GB`); beyond it DuckDB spills to a temporary folder. */
export const MEMORY_ENV = 'ASSAY_DUCKDB_MEMORY';

/** The default limit keeps a run within the arquero engine's budget (docs/performance.md: under 1.5 GB). */
const DEFAULT_MEMORY_LIMIT = '1GB';

/** Measure a dataset with DuckDB; throws Unsupported when the plan or the source needs the arquero engine. */
export async function executeInDuckDB({ plan, load: request, sampleLimits, keySets }: ExecuteRequest): Promise<Measured> {
  const files = resolveFiles(request);
  if (files.length === 0) throw new Unsupported('the source matches no file');
  const file = files[0];
  const format = formatOf(request, file);
  if (format !== 'csv' && format !== 'tsv') throw new Unsupported(`${format ?? 'unknown'} files are read by the arquero engine`);
  for (const other of files) if (formatOf(request, other) !== format) throw new Unsupported('the files of the source have different formats');
  for (const each of files) checkDataFile(each, request.dataset);
  const options = request.source.options ?? {};
  const delimiter = options.delimiter ?? (format === 'tsv' ? '\t' : ',');
  const names = await headerOf(file, format, request);
  // Several files (a glob) are read as one relation, in order, when they share one header;
  // files with different columns are merged by name by the arquero engine.
  for (const other of files.slice(1)) {
    const header = await headerOf(other, format, request);
    if (JSON.stringify(header) !== JSON.stringify(names)) throw new Unsupported(`${other} has other columns than ${file}`);
  }
  const declared = names.map((n) => request.columns[n]?.type);
  const dateFormats = names.map((n) => request.columns[n]?.dateFormat);
  // Checked before DuckDB starts when no column needs inference (the usual case for large files).
  if (!declared.includes(undefined)) planSql(plan, names, declared as ColumnType[], declared, sampleLimits, keySets, { ...SQL_OPTIONS, dateFormats });

  const tempDirectory = mkdtempSync(join(tmpdir(), 'assay-duckdb-'));
  let readPaths: string[];
  try {
    readPaths = files.map((each, i) => literalPath(each, tempDirectory, i));
  } catch (e) {
    rmSync(tempDirectory, { recursive: true, force: true });
    throw e;
  }
  const csv: CsvSource = { file, files, readPaths, names, delimiter, options, dataset: request.dataset };
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const settings: Record<string, string> = { temp_directory: tempDirectory, memory_limit: process.env[MEMORY_ENV] || DEFAULT_MEMORY_LIMIT };
  settings.threads = process.env[THREADS_ENV] || DEFAULT_THREADS;
  const instance = await DuckDBInstance.create(':memory:', settings);
  const db = await instance.connect();
  const fingerprint = fingerprintOf(files);
  fingerprint.catch(() => undefined); // awaited below; a failure must not surface as unhandled first
  try {
    for (const macro of TYPING_MACROS) await db.run(macro);
    const types = await inferTypes(db, csv, declared);
    const sql = planSql(plan, names, types, declared, sampleLimits, keySets, { ...SQL_OPTIONS, dateFormats });
    await load(db, csv, sql);
    await checkInferredTypes(db, types, declared);
    let results: Map<string, MeasureResult>;
    let rows: number;
    let observed: ObservedType[] = [];
    try {
      for (const table of sql.keyTables) await fillKeyTable(db, table);
      const session: SqlSession = { rows: async (query) => (await db.runAndReadAll(query)).getRowsJS() };
      ({ results, rows } = await runSqlPlan(session, sql, Number));
      if (Object.values(plan.measures).some((m) => m.kind === 'columns')) observed = await observeTypes(db, types, declared, new Set(sql.typedColumns.map((c) => c.index)));
      for (const [key, m] of Object.entries(plan.measures)) if (m.kind === 'columns') results.set(key, { kind: 'columns', columns: names.map((name, i) => ({ name, type: observed[i] })) });
      reportColumnErrors(plan, names, results, (message) => message.startsWith(NOT_TRANSLATED));
      for (const key of Object.keys(plan.measures)) if (!results.has(key) && plan.measures[key].kind !== 'source_mtime') throw new Error(`DuckDB executor: no result for ${key}`);
    } catch (e) {
      // A query DuckDB refuses (say, a regex RE2 reads differently from RE2JS): the arquero engine measures instead.
      throw new Unsupported(`DuckDB could not run the measures: ${duckdbReason(e)}`);
    }
    const samples = await sampleRows(db, results, sql, csv);
    const stream: DataStream = {
      files,
      columns: names,
      types: Object.fromEntries(names.map((n, i) => [n, types[i]])),
      rows,
      fingerprint: await fingerprint,
      modifiedAt: newestModification(files),
      observedTypes: Object.fromEntries(observed.map((type, i) => [names[i], type])) as Record<string, ObservedType>,
      // Later reads (none in a check run) go through the JavaScript reader.
      batches: () => streamDataset(request, DEFAULT_BATCH_ROWS).batches(),
    };
    for (const [key, m] of Object.entries(plan.measures)) if (m.kind === 'source_mtime') results.set(key, { kind: 'value', value: stream.modifiedAt });
    return { results: { measures: results, stats: { passes: 1, samplePasses: 0 }, samples }, stream };
  } finally {
    db.closeSync();
    instance.closeSync();
    rmSync(tempDirectory, { recursive: true, force: true });
  }
}

/** The header, read by assay's own CSV reader (so names, duplicates and reserved names are checked as always). */
async function headerOf(file: string, format: 'csv' | 'tsv', request: LoadRequest): Promise<string[]> {
  const options = request.source.options ?? {};
  try {
    for await (const batch of readRawBatches({ file }, format, { delimiter: options.delimiter, nullValues: options.null_values, header: options.header }, 1)) return batch.names;
  } catch (e) {
    if (e instanceof DataError) throw new DataError(`cannot read data for dataset "${request.dataset}": ${e.message}`, e.hint);
    throw e;
  }
  throw new DataError(`cannot read data for dataset "${request.dataset}": ${file}: file is empty (no header row)`);
}

/** `sha256:` of the files' bytes, in order, read alongside DuckDB; NUL bytes are refused as by the text reader. */
async function fingerprintOf(files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    let offset = 0;
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      const nul = chunk.indexOf(0);
      if (nul !== -1) throw new DataError(`${file}: NUL byte at byte ${offset + nul + 1}: not a text file`);
      hash.update(chunk);
      offset += chunk.length;
    }
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * DuckDB expands glob characters (`*`, `?`, `[`) in any path it is given, so
 * a data file named `**` would make it read every file below, files assay
 * never checked. It is given the file through a link with a plain name in
 * assay's own temporary folder instead: the path reaches DuckDB as a literal,
 * and the file it reads is the one assay resolved and checked. The plain name
 * also keeps DuckDB from guessing a compression from the file's extension.
 */
function literalPath(file: string, tempDirectory: string, index: number): string {
  const link = join(tempDirectory, `source-${index}.csv`);
  if (/[*?[\]{}]/.test(link)) throw new Unsupported(`the temporary folder ${tempDirectory} has glob characters in its path`);
  try {
    symlinkSync(realpathSync(file), link);
  } catch (e) {
    throw new Unsupported(`cannot give DuckDB the file by a plain name: ${errorMessage(e)}`);
  }
  return link;
}

/** A CSV/TSV file as DuckDB reads it. */
interface CsvSource {
  /** The (first) data file, as messages name it. */
  file: string;
  /** Every data file, in the order read. */
  files: string[];
  /** The paths DuckDB opens (literalPath), one per file. */
  readPaths: string[];
  names: string[];
  delimiter: string;
  options: NonNullable<LoadRequest['source']['options']>;
  dataset: string;
}

/**
 * Short rows are read with NULLs for their missing cells, as the arquero
 * engine reads them (long rows are an error). DuckDB pads rows only in its
 * single-threaded reader when a quoted value spans lines, so the parallel
 * reader goes first and padding is the retry.
 */
const DIALECTS = ['null_padding = false', 'null_padding = true, parallel = false'];

/** The raw text of every column, `r0`, `r1`, … (empty cells and null_values as NULL). */
function rawSelect(csv: CsvSource, dialect: string): string {
  const { options } = csv;
  // Columns are named by position: the header was read (and checked) by assay's reader.
  const columns = csv.names.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const paths = csv.readPaths.length === 1 ? sqlString(csv.readPaths[0]) : `[${csv.readPaths.map(sqlString).join(', ')}]`;
  const reader = `read_csv(${paths}, header = ${options.header === false ? 'false' : 'true'}, auto_detect = false, delim = ${sqlString(csv.delimiter)}, quote = '"', escape = '"', ${dialect}, columns = {${columns}})`;
  // DuckDB reads empty cells, quoted or not, as NULL already; only null_values need the CASE.
  const nulls = ["''", ...(options.null_values ?? []).map(sqlString)].join(', ');
  const raw = csv.names.map((_, i) => (options.null_values?.length ? `CASE WHEN c${i} IN (${nulls}) THEN NULL ELSE c${i} END AS r${i}` : `c${i} AS r${i}`));
  return `SELECT ${raw.join(', ')} FROM ${reader}`;
}

/** Run `query` over the file's raw columns with the first dialect DuckDB accepts; a DataError when none does. */
async function readWith(db: DuckDBConnection, csv: CsvSource, query: (rawRows: string) => string): Promise<DuckDBResultReader> {
  let error: unknown;
  for (const dialect of DIALECTS) {
    try {
      return await db.runAndReadAll(query(rawSelect(csv, dialect)));
    } catch (e) {
      error = e;
    }
  }
  // DuckDB names a file of several by its link: the arquero engine reads them and names the real one.
  if (csv.files.length > 1) throw new Unsupported(`DuckDB could not read the files: ${duckdbReason(error)}`);
  throw new DataError(`cannot read data for dataset "${csv.dataset}": ${csv.file}: ${duckdbReason(error)}`);
}

/** Load the file into `assay_t` (`rowid` = 0-based data row): raw text per column, typed values. */
async function load(db: DuckDBConnection, csv: CsvSource, sql: SqlPlan): Promise<void> {
  const typed = sql.typedColumns.map(({ index, expression }) => `${expression} AS v${index}`).join(', ');
  await readWith(db, csv, (rawRows) => `CREATE OR REPLACE TEMP TABLE assay_t AS SELECT *${typed ? `, ${typed}` : ''} FROM (${rawRows})`);
}

const CANDIDATES: ColumnType[] = ['integer', 'number', 'boolean', 'date', 'timestamp'];

/**
 * Types of undeclared columns, as src/values/grammar.ts `inferType` decides
 * them over the first INFER_ROWS rows: the first candidate every non-null
 * value parses as, else string (also when a value is blank or none is non-null).
 */
async function inferTypes(db: DuckDBConnection, csv: CsvSource, declared: (ColumnType | undefined)[]): Promise<ColumnType[]> {
  const undeclared = declared.flatMap((t, i) => (t === undefined ? [i] : []));
  if (undeclared.length === 0) return declared as ColumnType[];
  const tests = undeclared.flatMap((i) => [
    `bool_or(${blankSql(`r${i}`)} OR ${integerOverflowSql(`r${i}`)})`,
    ...CANDIDATES.map((t) => `bool_and(${typedSql(`r${i}`, t)} IS NOT NULL) FILTER (WHERE r${i} IS NOT NULL)`),
  ]);
  const row = (await readWith(db, csv, (rawRows) => `SELECT ${tests.join(', ')} FROM (${rawRows} LIMIT ${INFER_ROWS})`)).getRowsJS()[0];
  const types = [...declared];
  undeclared.forEach((i, k) => {
    const [blank, ...fits] = row.slice(k * (CANDIDATES.length + 1), (k + 1) * (CANDIDATES.length + 1));
    types[i] = blank === true ? 'string' : (CANDIDATES.find((_, j) => fits[j] === true) ?? 'string');
  });
  return types as ColumnType[];
}

/**
 * The arquero engine keeps a later value that does not fit an inferred type
 * as read (a string among numbers); SQL columns have one type, so such a file
 * is measured by arquero.
 */
async function checkInferredTypes(db: DuckDBConnection, types: ColumnType[], declared: (ColumnType | undefined)[]): Promise<void> {
  const inferred = types.flatMap((t, i) => (declared[i] === undefined && t !== 'string' ? [i] : []));
  if (inferred.length > 0) {
    const misfits = (await db.runAndReadAll(`SELECT ${inferred.map((i) => `count_if(r${i} IS NOT NULL AND v${i} IS NULL)`).join(' + ')} FROM assay_t`)).getRowsJS()[0][0];
    if (Number(misfits) > 0) throw new Unsupported(`a value after the first ${INFER_ROWS.toLocaleString('en-US')} rows does not fit its column's inferred type`);
  }
  // Integer columns are DOUBLE here, exact up to 2^53; beyond, the arquero engine keeps them exact (bigints).
  const integers = types.flatMap((t, i) => (t === 'integer' ? [i] : []));
  if (integers.length === 0) return;
  const beyond = (await db.runAndReadAll(`SELECT ${integers.map((i) => `count_if(abs(v${i}) > ${MAX_EXACT_DOUBLE_INTEGER})`).join(' + ')} FROM assay_t`)).getRowsJS()[0][0];
  if (Number(beyond) > 0) throw new Unsupported('an integer column holds values beyond 2^53, which the arquero engine keeps exact');
}

/**
 * What each column holds, for the `schema` check, as src/sources/observed-types.ts
 * observes a CSV: no value at all is `unknown`; a declared column whose every
 * value parses is its declared type; otherwise the type inference gives over
 * all its values (the inferred type of an undeclared column was checked to
 * fit every value by checkInferredTypes).
 */
async function observeTypes(db: DuckDBConnection, types: ColumnType[], declared: (ColumnType | undefined)[], typed: Set<number>): Promise<ObservedType[]> {
  const width = 2 + 1 + CANDIDATES.length;
  const parts = types.flatMap((_, i) => [
    `count(r${i}) > 0`,
    declared[i] && typed.has(i) ? `count_if(r${i} IS NOT NULL AND v${i} IS NULL) > 0` : 'false', // text declared text always parses
    `bool_or(${blankSql(`r${i}`)} OR ${integerOverflowSql(`r${i}`)})`,
    ...CANDIDATES.map((t) => `coalesce(bool_and(${typedSql(`r${i}`, t)} IS NOT NULL) FILTER (WHERE r${i} IS NOT NULL), false)`),
  ]);
  const row = (await db.runAndReadAll(`SELECT ${parts.join(', ')} FROM assay_t`)).getRowsJS()[0];
  return types.map((type, i) => {
    const [hasValue, invalid, blank, ...fits] = row.slice(i * width, (i + 1) * width);
    if (hasValue !== true) return 'unknown';
    if (!declared[i] || invalid !== true) return type;
    return blank === true ? 'string' : (CANDIDATES.find((_, j) => fits[j] === true) ?? 'string');
  });
}

/** The first line of a DuckDB error, without its "… Error:" prefix. */
function duckdbReason(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].replace(/^[A-Za-z ]+ Error: /, '');
}

/** Key sets other datasets provide (reference checks), as a one-column table to look values up in. */
async function fillKeyTable(db: DuckDBConnection, table: KeyTable): Promise<void> {
  await db.run(`CREATE TEMP TABLE ${table.name} (k ${table.sqlType})`);
  const appender = await db.createAppender(table.name);
  for (const value of table.values) {
    if (table.sqlType === 'DOUBLE') appender.appendDouble(value as number);
    else if (table.sqlType === 'BOOLEAN') appender.appendBoolean(value as boolean);
    else appender.appendVarchar(value as string);
    appender.endRow();
  }
  appender.closeSync();
}

/**
 * Where a row of the relation comes from: its file (index into the files)
 * and its 1-based row in that file. One file needs no query; several are
 * counted row by row, file by file, with the same reader.
 */
async function rowPlaces(db: DuckDBConnection, csv: CsvSource): Promise<(row: number) => { file: number; row: number }> {
  if (csv.files.length === 1) return (row) => ({ file: 0, row: row + 1 });
  const starts: number[] = [];
  let start = 0;
  for (const readPath of csv.readPaths) {
    starts.push(start);
    start += Number((await readWith(db, { ...csv, files: [csv.file], readPaths: [readPath] }, (rawRows) => `SELECT count(*) FROM (${rawRows})`)).getRowsJS()[0][0]);
  }
  return (row) => {
    let file = starts.length - 1;
    while (starts[file] > row) file--;
    return { file, row: row - starts[file] + 1 };
  };
}

/** The failing rows the measures sample, with every value typed as the arquero engine types it (raw text where invalid). */
async function sampleRows(db: DuckDBConnection, results: Map<string, MeasureResult>, sql: SqlPlan, csv: CsvSource): Promise<Map<number, SampledRow>> {
  const wanted = new Set<number>();
  for (const r of results.values()) if (r.kind === 'rows') for (const i of r.sampleIndexes) wanted.add(i);
  const samples = new Map<number, SampledRow>();
  if (wanted.size === 0) return samples;
  const rows = (await db.runAndReadAll(`SELECT rowid, ${sql.names.map((_, i) => `r${i}`).join(', ')} FROM assay_t WHERE rowid IN (${[...wanted].join(', ')})`)).getRowsJS();
  const parsers = sql.types.map((type, i) => columnParser(type, sql.dateFormats[i]));
  const place = await rowPlaces(db, csv);
  for (const [row, ...raw] of rows) {
    const values: Record<string, unknown> = {};
    sql.names.forEach((name, i) => {
      const text = raw[i] as string | null;
      const typed = text === null ? null : parsers[i](text);
      values[name] = typed === INVALID ? text : typed;
    });
    samples.set(Number(row), { ...place(Number(row)), values });
  }
  return samples;
}

