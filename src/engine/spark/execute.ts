/**
 * The Spark executor (SPEC §5.1): a dataset measured on a cluster through
 * Spark Connect, where its data lives: a catalog table, or files the
 * cluster reads itself (`path` + `format`; a glob is one dataset). The plan
 * is compiled by the dialect-neutral compiler (../sql/plan-sql.ts) in the
 * Spark SQL dialect (./dialect.ts) over one relation built here:
 *
 *   __row   monotonically_increasing_id(): the row's position (partition in
 *           the high bits), for samples; stable while the files and their
 *           splits are
 *   r{i}    column i as stored (NULL when missing)
 *   v{i}    column i typed as the dataset declares it: a text column by
 *           assay's value grammar, a typed column kept when its type can
 *           hold the declared one, else NULL (every value fails `type`)
 *
 * Only aggregates and at most `samples` failing rows per check leave the
 * cluster: one aggregate query for every measure (failing-row ids collected
 * in it), one GROUP BY per `unique` key, one fetch of the sampled rows. A
 * measure the dialect cannot express exactly is an `error` naming the
 * construct (there is no `--pull` for Spark).
 */
import { isAbsolute, resolve, dirname } from 'node:path';
import type { ColumnType, ObservedColumn } from '../../values/types.js';
import type { DataStream } from '../../sources/stream.js';
import { INFER_ROWS } from '../../sources/stream.js';
import { exactInteger, INVALID, PARSERS } from '../../values/grammar.js';
import { DataError } from '../../util/diagnostics.js';
import type { ExecuteRequest, Measured, SampledRow, TableRows, TableRowsRequest } from '../executor.js';
import { conditionSql } from '../sql/expression.js';
import { parseExpression } from '../../expr/parse.js';
import { planSql, type KeyTable, type SqlPlan } from '../sql/plan-sql.js';
import { NOT_TRANSLATED, runSqlPlan } from '../sql/run.js';
import { reportColumnErrors } from '../in-process/execute.js';
import { countOf, MissingColumn, Unsupported } from '../sql/sql.js';
import { fingerprintOf } from '../postgres/execute.js';
import type { ClusterFilesSource, TableSource } from '../../policy/types.js';
import { sparkSession, type SparkSession } from './connection.js';
import { spark, sparkIdentifier as quote, sparkString } from './dialect.js';

/** What a stored column's type can hold, as assay types it. */
type Family = 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'text';

/** Spark's type names (DESCRIBE) by what assay reads them as; other types are read as their text. */
function familyOf(sparkType: string): Family {
  const t = sparkType.toLowerCase();
  if (['tinyint', 'smallint', 'int', 'bigint', 'byte', 'short', 'integer', 'long'].includes(t)) return 'integer';
  if (['float', 'double', 'real'].includes(t) || t.startsWith('decimal')) return 'number';
  if (t === 'boolean') return 'boolean';
  if (t === 'date') return 'date';
  if (t === 'timestamp' || t === 'timestamp_ntz' || t === 'timestamp_ltz') return 'timestamp';
  return 'text';
}

interface StoredColumn {
  name: string;
  /** Spark's type name, e.g. bigint, string, decimal(10,2). */
  stored: string;
  family: Family;
}

/** Views this process created, per session: each dataset's files get a view of their own. */
let views = 0;

/** A dataset's relation on the cluster (see the file comment), with what the executor and export need to read it. */
interface OpenedSource {
  session: SparkSession;
  where: string;
  label: string;
  stored: StoredColumn[];
  names: string[];
  declared: (ColumnType | undefined)[];
  types: ColumnType[];
  /** `(SELECT __row, r{i}, v{i} ... WHERE source.where) AS assay_t`. */
  relation: string;
  /** A column as the expression compiler reads it: `v{i}`, or `r{i}` for text. */
  column: (name: string) => { sql: string; type: ColumnType } | undefined;
}

async function openSource(table: NonNullable<ExecuteRequest['table']>, dataset: string, columns: ExecuteRequest['load']['columns'], policyFile: string, sessions: ExecuteRequest['sessions']): Promise<OpenedSource> {
  const session = await sparkSession(table.connection, sessions);
  const what = table.source.table !== undefined ? `table ${table.source.table}` : `${table.source.format} files ${table.source.path}`;
  const where = `dataset "${dataset}": ${session.where}: ${what}`;
  const label = `${table.connection.spec.name}:${table.source.table ?? table.source.path}`;
  const source = await sourceRelation(session, table.source, policyFile, where);
  const stored = await describe(session, source, where);
  const names = stored.map((c) => c.name);

  const declared = stored.map((c) => columns[c.name]?.type);
  const formatted = stored.find((c) => columns[c.name]?.dateFormat !== undefined);
  if (formatted) throw new DataError(`${where}: column "${formatted.name}" declares a date format (format:), which the Spark engine does not translate yet; measure a file copy with --data`);
  const types = await columnTypes(session, source, stored, declared, where);
  const raw = stored.map((c) => (c.family === 'text' && c.stored.toLowerCase() !== 'string' ? `CAST(${quote(c.name)} AS STRING)` : quote(c.name)));
  const typedColumns = stored.map((c, i) => typedValue(c, raw[i], types[i]));
  const base = `SELECT monotonically_increasing_id() AS __row, ${raw.map((r, i) => `${r} AS r${i}`).join(', ')}${typedColumns.map((v, i) => (v ? `, ${v} AS v${i}` : '')).join('')} FROM ${source}`;
  const column = (name: string) => {
    const i = names.indexOf(name);
    return i === -1 ? undefined : { sql: types[i] === 'string' ? `r${i}` : `v${i}`, type: types[i] };
  };
  let sliced = base;
  if (table.source.where !== undefined) {
    try {
      sliced = `SELECT * FROM (${base}) AS assay_base WHERE coalesce(${conditionSql(parseExpression(table.source.where, 'row').ast, { column, sql: spark })}, false)`;
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      throw new DataError(`${where}: source.where is not translated to Spark SQL: ${e.message}`);
    }
  }
  return { session, where, label, stored, names, declared, types, relation: `(${sliced}) AS assay_t`, column };
}

export async function executeInSpark(request: ExecuteRequest): Promise<Measured> {
  const { plan, table } = request;
  if (!table) throw new Error('the Spark executor measures sources of a spark connection');
  const { session, where, label, stored, names, declared, types, relation } = await openSource(table, request.load.dataset, request.load.columns, request.load.policyFile, request.sessions);

  const sql = planSql(plan, names, types, declared, request.sampleLimits, request.keySets, { dialect: spark, relation, perMeasure: true, keySetLookup: keySetSql });
  const rowIds: unknown[] = [];
  const indexOf = new Map<string, number>();
  const rowIndex = (row: unknown): number => {
    const id = String(row);
    let i = indexOf.get(id);
    if (i === undefined) {
      i = rowIds.push(row) - 1;
      indexOf.set(id, i);
    }
    return i;
  };
  const observes = Object.values(plan.measures).some((m) => m.kind === 'columns');
  const observed = observes ? observeTextColumns(sql, stored, types) : undefined;
  const { results, rows } = await runSqlPlan(session, sql, rowIndex);
  results.delete(OBSERVED);
  reportColumnErrors(plan, names, results, (message) => message.startsWith(NOT_TRANSLATED));
  const columns = observed ? await observedColumns(session, relation, stored, declared, types, observed(), where) : [];
  for (const [k, m] of Object.entries(plan.measures)) {
    if (m.kind === 'columns') results.set(k, { kind: 'columns', columns });
    if (m.kind === 'source_mtime') results.set(k, { kind: 'error', message: 'a Spark source has no modification time here: give freshness a timestamp column' });
  }
  const samples = await sampleRows(session, relation, rowIds, stored, types);
  const pushedDown = plan.checks.filter((c) => Object.values(c.measures).every((k) => !sql.untranslated.has(k))).length;
  const stream: DataStream = {
    files: [],
    columns: names,
    types: Object.fromEntries(names.map((n, i) => [n, types[i]])),
    rows,
    fingerprint: fingerprintOf(rows, results),
    modifiedAt: null,
    observedTypes: {},
    batches: () => {
      throw new Error('a Spark source is not read in batches');
    },
    label,
  };
  return { results: { measures: results, stats: { passes: 1, samplePasses: 0 }, samples }, stream, pushedDown, pulled: 0 };
}

/**
 * The relation the dataset reads: a catalog table by its quoted name, or a
 * temporary view of the files (CSV with its header row and every column as
 * text, which assay's grammar types as it types a CSV file's).
 */
async function sourceRelation(session: SparkSession, source: TableSource | ClusterFilesSource, policyFile: string, where: string): Promise<string> {
  if (source.table !== undefined) return source.table.split('.').map(quote).join('.');
  const path = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(source.path) || isAbsolute(source.path) ? source.path : resolve(dirname(policyFile), source.path);
  const options: Record<string, string> = { path };
  const format = source.format === 'tsv' ? 'csv' : source.format === 'ndjson' ? 'json' : source.format;
  if (format === 'csv') Object.assign(options, { header: 'true', inferSchema: 'false', sep: source.format === 'tsv' ? '\t' : ',', quote: '"', escape: '"', mode: 'FAILFAST', multiLine: 'true' });
  if (source.format === 'json') options.multiLine = 'true'; // one JSON array (or object) per file; ndjson is a record per line
  if (format === 'json') Object.assign(options, { mode: 'FAILFAST', primitivesAsString: 'false' });
  const view = `assay_source_${process.pid}_${views++}`;
  const list = Object.entries(options).map(([k, v]) => `${quote(k)} ${sparkString(v)}`).join(', ');
  try {
    await session.query(`CREATE OR REPLACE TEMPORARY VIEW ${quote(view)} USING ${format} OPTIONS (${list})`);
  } catch (e) {
    throw e instanceof DataError ? new DataError(`${where}: ${e.message.replace(`${session.where}: `, '')}`, e.hint) : e;
  }
  return quote(view);
}

/** The relation's columns in order, with Spark's type names (DESCRIBE QUERY: no scan). */
async function describe(session: SparkSession, source: string, where: string): Promise<StoredColumn[]> {
  let rows: unknown[][];
  try {
    rows = await session.rows(`DESCRIBE QUERY SELECT * FROM ${source}`);
  } catch (e) {
    throw e instanceof DataError ? new DataError(`${where}: ${e.message.replace(`${session.where}: `, '')}`, e.hint ?? 'names are used exactly as written') : e;
  }
  const columns = rows.filter((r) => typeof r[0] === 'string' && r[0] !== '').map(([name, stored]) => ({ name: name as string, stored: String(stored), family: familyOf(String(stored)) }));
  if (columns.length === 0) throw new DataError(`${where}: no columns`);
  return columns;
}

/**
 * Each column's type for the compiler: declared, else the stored type's,
 * else (text) inferred over the first INFER_ROWS rows with the grammar, as
 * for files.
 */
async function columnTypes(session: SparkSession, source: string, stored: StoredColumn[], declared: (ColumnType | undefined)[], where: string): Promise<ColumnType[]> {
  const types = stored.map((c, i): ColumnType | undefined => declared[i] ?? (c.family === 'text' ? undefined : c.family));
  const undeclared = types.flatMap((t, i) => (t === undefined ? [i] : []));
  if (undeclared.length === 0) return types as ColumnType[];
  const inferred = await inferTypes(session, `(SELECT * FROM ${source} LIMIT ${INFER_ROWS}) AS assay_sample`, undeclared.map((i) => `CAST(${quote(stored[i].name)} AS STRING)`), where);
  undeclared.forEach((i, k) => (types[i] = inferred[k]));
  return types as ColumnType[];
}

/**
 * The type the grammar infers for each text expression over a relation's
 * rows, as inferType (src/values/grammar.ts): whitespace-only text makes
 * string, else the narrowest of integer, number, boolean, date, timestamp
 * that every non-null value parses as, else string.
 */
async function inferTypes(session: SparkSession, relation: string, texts: string[], where: string): Promise<ColumnType[]> {
  const candidates: ColumnType[] = ['integer', 'number', 'boolean', 'date', 'timestamp'];
  const tests = texts.flatMap((r) => [`coalesce(bool_or(${spark.blank(r)}), false)`, ...candidates.map((t) => `coalesce(bool_and(${spark.typed(r, t)} IS NOT NULL) FILTER (WHERE ${r} IS NOT NULL), false)`)]);
  let row: unknown[];
  try {
    [row] = await session.rows(`SELECT ${tests.join(', ')} FROM ${relation}`);
  } catch (e) {
    throw e instanceof DataError ? new DataError(`${where}: ${e.message.replace(`${session.where}: `, '')}`) : e;
  }
  return texts.map((_, k) => {
    const [blank, ...fits] = row.slice(k * (candidates.length + 1), (k + 1) * (candidates.length + 1));
    return blank === true ? 'string' : (candidates.find((_, j) => fits[j] === true) ?? 'string');
  });
}

/**
 * The schema check's view of text columns, as for a CSV file
 * (src/sources/observed-types.ts): a declared column whose non-null values
 * all parse is its declared type; a column without values is unknown;
 * otherwise the type inferred from its text (an undeclared column's
 * inference; a declared one's over every row, a query made only when some
 * value does not parse). Two counts per text column join the one aggregate
 * query; they are read back here.
 */
function observeTextColumns(sql: SqlPlan, stored: StoredColumn[], types: ColumnType[]): () => { present: boolean; invalid: number }[] {
  const columns = stored.flatMap((c, i) => (c.family === 'text' ? [i] : []));
  const at = columns.map((i) => {
    const present = sql.aggregates.push({ sql: `count(r${i})` }) - 1;
    const invalid = types[i] === 'string' ? -1 : sql.aggregates.push({ sql: `count(*) FILTER (WHERE r${i} IS NOT NULL AND v${i} IS NULL)` }) - 1;
    return { present, invalid };
  });
  let values: { present: boolean; invalid: number }[] = [];
  sql.readers.set(OBSERVED, (v) => {
    values = at.map(({ present, invalid }) => ({ present: Number(v(present)) > 0, invalid: invalid < 0 ? 0 : Number(v(invalid)) }));
    return { kind: 'value', value: null };
  });
  return () => values;
}

/** The reader key of the text columns' observations (not a measure of the plan: removed after the query). */
const OBSERVED = 'assay:observed-text-columns';

/**
 * The typed value `v{i}` of a column, or undefined for string (the compiler
 * reads `r{i}`). A text column is typed by the grammar; a stored type keeps
 * its values when it can hold the declared type (integers must be whole and
 * safe, numbers finite, a date held as a timestamp must be midnight UTC),
 * and is NULL otherwise, so every non-null value fails the `type` check.
 */
function typedValue(column: StoredColumn, raw: string, type: ColumnType): string | undefined {
  if (type === 'string') return undefined;
  const x = quote(column.name);
  const double = `CAST(${x} AS DOUBLE)`;
  const finite = `(NOT isnan(${double}) AND abs(${double}) < CAST('Infinity' AS DOUBLE))`;
  // Milliseconds since the epoch: exact for dates (days × 86,400,000) and timestamps (microseconds / 1000).
  const ms = column.family === 'date' ? `CAST(unix_date(${x}) AS DOUBLE) * 86400000` : `CAST(unix_micros(CAST(${x} AS TIMESTAMP)) div 1000 AS DOUBLE)`;
  switch (column.family) {
    case 'text':
      return spark.typed(raw, type);
    case 'integer':
    case 'number':
      if (type === 'integer') return `(CASE WHEN ${finite} AND ${double} = floor(${double}) AND abs(${double}) <= 9007199254740991 THEN ${double} END)`;
      if (type === 'number') return `(CASE WHEN ${finite} THEN ${double} END)`;
      break;
    case 'boolean':
      if (type === 'boolean') return x;
      break;
    case 'date':
      if (type === 'date' || type === 'timestamp') return ms;
      break;
    case 'timestamp':
      if (type === 'timestamp') return ms;
      if (type === 'date') return `(CASE WHEN unix_micros(CAST(${x} AS TIMESTAMP)) % 86400000000 = 0 THEN ${ms} END)`;
      break;
  }
  return type === 'boolean' ? 'CAST(NULL AS BOOLEAN)' : 'CAST(NULL AS DOUBLE)';
}

/** A key set as an IN list (Spark turns a long one into a hash set): reference checks look values up in it. */
function keySetSql(x: string, table: KeyTable): string {
  const values = [...table.values].map((v) => (table.sqlType === 'DOUBLE' ? spark.number(v as number) : table.sqlType === 'BOOLEAN' ? String(v) : spark.string(v as string)));
  return `NOT coalesce(${x} IN (${values.join(', ')}), false)`;
}

/** The schema check's view: a text column as a CSV column is observed (observeTextColumns); a typed column its own type. */
async function observedColumns(
  session: SparkSession,
  relation: string,
  stored: StoredColumn[],
  declared: (ColumnType | undefined)[],
  types: ColumnType[],
  text: { present: boolean; invalid: number }[],
  where: string,
): Promise<ObservedColumn[]> {
  const textIndexes = stored.flatMap((c, i) => (c.family === 'text' ? [i] : []));
  const observedOf = new Map<number, ObservedColumn['type']>();
  const reinfer: number[] = [];
  textIndexes.forEach((i, k) => {
    const { present, invalid } = text[k];
    if (!present) observedOf.set(i, 'unknown');
    else if (declared[i] && invalid === 0) observedOf.set(i, declared[i]!);
    else if (!declared[i]) observedOf.set(i, types[i]);
    else reinfer.push(i);
  });
  if (reinfer.length > 0) {
    const inferred = await inferTypes(session, relation, reinfer.map((i) => `r${i}`), where);
    reinfer.forEach((i, k) => observedOf.set(i, inferred[k]));
  }
  return stored.map((c, i) => ({ name: c.name, type: observedOf.get(i) ?? (c.family as ObservedColumn['type']) }));
}

/**
 * How a column's values are read back, as checks read them: numbers as
 * stored (Arrow doubles and integers); other values as text, which assay's
 * parsers type as a CSV's (raw text where a value does not parse).
 */
function valueReader(column: StoredColumn, i: number, type: ColumnType): { sql: string; read: (raw: unknown) => unknown } {
  if ((column.family === 'integer' || column.family === 'number') && (type === 'integer' || type === 'number')) {
    return { sql: `r${i}`, read: (raw) => (raw === null ? null : typeof raw === 'bigint' ? (exactInteger(raw) as number | bigint) : raw) };
  }
  const sql = column.family === 'timestamp' ? `date_format(r${i}, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")` : `CAST(r${i} AS STRING)`;
  return {
    sql,
    read: (raw) => {
      const text = raw as string | null;
      const typed = text === null ? null : PARSERS[type](text);
      return typed === INVALID ? text : typed;
    },
  };
}

/**
 * `export` (SPEC §5.1): the rows the principal's row filter keeps (in Spark's
 * WHERE; a filter the dialect cannot express refuses the export), of only
 * the requested columns, in key order (the dataset's `key:`, typed values
 * first, then the row's position), else by position. The Spark Connect
 * client collects a query's result, so the rows are fetched in one query
 * and handed out `batchRows` at a time: memory holds the filtered rows of
 * the requested columns once.
 */
export async function* readSparkRows(request: TableRowsRequest): AsyncGenerator<TableRows> {
  const t = await openSource(request.table, request.dataset, request.columns, request.policyFile, request.sessions);
  const unknown = request.read.find((c) => !t.names.includes(c));
  if (unknown !== undefined) throw new DataError(`${t.where}: column "${unknown}" is not in the data`);
  const key = request.table.key ?? [];
  const missingKey = key.find((k) => !t.names.includes(k));
  if (missingKey !== undefined) throw new DataError(`${t.where}: key column "${missingKey}" is not in the data (it has ${t.names.join(', ')})`, "fix the dataset's key: in the policy");
  let filter = 'true';
  if (request.filter) {
    try {
      filter = `coalesce(${conditionSql(request.filter.ast, { column: t.column, sql: spark })}, false)`;
    } catch (e) {
      if (!(e instanceof Unsupported) || e instanceof MissingColumn) throw e instanceof MissingColumn ? new DataError(`${t.where}: ${request.filter.what} reads ${e.message}`) : e;
      throw new DataError(`${t.where}: ${request.filter.what} is not translated to SQL (${e.message}); nothing is exported`);
    }
  }
  const [[total]] = await t.session.rows(`SELECT count(*) FROM ${t.relation}`);
  const indexes = request.read.map((c) => t.names.indexOf(c));
  const readers = indexes.map((i) => valueReader(t.stored[i], i, t.types[i]));
  const order = [
    ...key.flatMap((k) => {
      const i = t.names.indexOf(k);
      return t.types[i] === 'string' ? [`r${i}`] : [`v${i}`, `r${i}`];
    }),
    '__row',
  ].map((x) => `${x} ASC NULLS LAST`);
  const select = `SELECT ${readers.map((r) => r.sql).join(', ') || 'NULL'} FROM ${t.relation} WHERE ${filter} ORDER BY ${order.join(', ')}`;
  const rows = await t.session.rows(select);
  const types = indexes.map((i) => t.types[i]);
  const sourceRows = countOf(total);
  const size = Math.max(1, request.batchRows);
  for (let start = 0; start === 0 || start < rows.length; start += size) {
    const values = rows.slice(start, start + size).map((row) => readers.map((r, j) => r.read(row[j])));
    yield { rows: values, types, sourceRows, label: t.label, first: start === 0 };
  }
}

/** The sampled rows, fetched once by their `__row`, typed by assay's parsers from their text (raw text where invalid). */
async function sampleRows(session: SparkSession, relation: string, rowIds: unknown[], stored: StoredColumn[], types: ColumnType[]): Promise<Map<number, SampledRow>> {
  const samples = new Map<number, SampledRow>();
  if (rowIds.length === 0) return samples;
  const readers = stored.map((c, i) => valueReader(c, i, types[i]));
  const rows = await session.rows(`SELECT __row, ${readers.map((r) => r.sql).join(', ')} FROM ${relation} WHERE __row IN (${rowIds.map((id) => String(BigInt(id as bigint))).join(', ')})`);
  const indexOf = new Map(rowIds.map((id, i) => [String(id), i]));
  for (const [id, ...raw] of rows) {
    const values: Record<string, unknown> = {};
    stored.forEach((c, i) => (values[c.name] = readers[i].read(raw[i])));
    const index = indexOf.get(String(id));
    // The row's position: monotonically_increasing_id + 1 (the ordinal within one partition; unstable across re-partitioning).
    if (index !== undefined) samples.set(index, { row: Number(id) + 1, file: 0, values });
  }
  return samples;
}
