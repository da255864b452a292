/**
 * The PostgreSQL executor (SPEC §5.1): a table dataset measured where it
 * lives. The plan is compiled to SQL by the dialect-neutral compiler
 * (../sql/plan-sql.ts) in the PostgreSQL dialect (./dialect.ts) over one
 * relation built here from the catalog:
 *
 *   __row   the primary key (samples in key order), else ctid
 *   r{i}    column i as stored (NULL when missing)
 *   v{i}    column i typed as the dataset declares it: a text column by
 *           assay's value grammar, a typed column kept when its type can
 *           hold the declared one, else NULL (every value fails `type`)
 *
 * Only aggregates and at most `samples` failing rows per check leave the
 * database: one aggregate query, one GROUP BY per `unique` key, one LIMIT
 * query per sampled check, one fetch of the sampled rows. A measure the
 * dialect cannot express exactly is an `error` naming the construct.
 */
import { createHash } from 'node:crypto';
import type { ColumnType, ObservedColumn } from '../../values/types.js';
import type { ColumnSpec } from '../../policy/types.js';
import type { RawBatch } from '../../sources/raw-batches.js';
import { INFER_ROWS, streamRawBatches, type DataStream } from '../../sources/stream.js';
import { columnParser, INVALID, PARSERS } from '../../values/grammar.js';
import { DataError } from '../../util/diagnostics.js';
import type { ExecuteRequest, Measured, MeasureResult, RunSessions, SampledRow, TableRows, TableRowsRequest } from '../executor.js';
import { conditionSql, type ColumnLookup } from '../sql/expression.js';
import { parseExpression } from '../../expr/parse.js';
import { planSql, type KeyTable } from '../sql/plan-sql.js';
import { NOT_TRANSLATED, runSqlPlan } from '../sql/run.js';
import { executeStream, reportColumnErrors } from '../in-process/execute.js';
import { measureColumns } from '../../plan/plan.js';
import { countOf, MissingColumn, standardIdentifier as quote, Unsupported } from '../sql/sql.js';
import { postgresSession, type PostgresSession } from './connection.js';
import { overlongInteger, postgres } from './dialect.js';

/** What a stored column's type can hold, as assay types it. */
type Family = 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'text';

const FAMILY: Record<string, Family> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  float4: 'number',
  float8: 'number',
  numeric: 'number',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
  text: 'text',
  varchar: 'text',
  bpchar: 'text',
  name: 'text',
  citext: 'text',
};

interface StoredColumn {
  name: string;
  /** PostgreSQL's type name (typname), e.g. int8, timestamptz. */
  stored: string;
  /** What assay reads it as; types it does not know are read as their text. */
  family: Family;
}

/** A table as the compiler reads it: the relation (`__row`, `r{i}`, `v{i}`) and what was learnt from the catalog. */
interface OpenTable {
  session: PostgresSession;
  label: string;
  where: string;
  stored: StoredColumn[];
  names: string[];
  key: string[];
  declared: (ColumnType | undefined)[];
  dateFormats: (string | undefined)[];
  types: ColumnType[];
  typedColumns: ({ sql: string; always: boolean } | undefined)[];
  /** FROM text of the relation, the source's `where` applied. */
  relation: string;
  /** The typed-value lookup the expression compiler reads columns through. */
  column: ColumnLookup;
}

async function openTable(table: NonNullable<ExecuteRequest['table']>, dataset: string, columns: Record<string, ColumnSpec>, sessions: RunSessions): Promise<OpenTable> {
  if (table.source.table === undefined) throw new Error('the PostgreSQL executor measures table sources'); // files are read by a spark connection only
  const session = await postgresSession(table.connection, sessions);
  const label = `${table.connection.spec.name}:${table.source.table}`;
  const qualified = table.source.table.split('.').map(quote).join('.');
  const where = `dataset "${dataset}": ${session.where}: table ${table.source.table}`;
  const stored = await describe(session, qualified, where);
  const names = stored.map((c) => c.name);
  const declaredKey = table.key?.length ? table.key : undefined;
  const missingKey = declaredKey?.find((k) => !names.includes(k));
  if (missingKey !== undefined) throw new DataError(`${where}: key column "${missingKey}" is not in the table (it has ${names.join(', ')})`, "fix the dataset's key: in the policy");
  const key = declaredKey ?? (await primaryKey(session, qualified));
  const rowExpression = key.length === 0 ? 'ctid' : key.length === 1 ? quote(key[0]) : `ROW(${key.map(quote).join(', ')})`;

  const declared = stored.map((c) => columns[c.name]?.type);
  const dateFormats = stored.map((c) => columns[c.name]?.dateFormat);
  const types = await columnTypes(session, qualified, stored, declared, where);
  const raw = stored.map((c) => (c.family === 'text' || !(c.stored in FAMILY) ? `${quote(c.name)}::text` : quote(c.name)));
  const typedColumns = stored.map((c, i) => typedValue(c, raw[i], types[i], dateFormats[i]));
  const base = `SELECT ${rowExpression} AS __row, ${raw.map((r, i) => `${r} AS r${i}`).join(', ')}${typedColumns.map((v, i) => (v ? `, ${v.sql} AS v${i}` : '')).join('')} FROM ${qualified}`;
  const column: ColumnLookup = (name) => {
    const i = names.indexOf(name);
    return i === -1 ? undefined : { sql: types[i] === 'string' ? `r${i}` : `v${i}`, type: types[i] };
  };
  let sliced = base;
  if (table.source.where !== undefined) {
    try {
      sliced = `SELECT * FROM (${base}) AS assay_base WHERE coalesce(${conditionSql(parseExpression(table.source.where, 'row').ast, { column, sql: postgres })}, false)`;
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      throw new DataError(`${where}: source.where is not translated to SQL: ${e.message}`);
    }
  }
  return { session, label, where, stored, names, key, declared, dateFormats, types, typedColumns, relation: `(${sliced}) AS assay_t`, column };
}

export async function executeInPostgres(request: ExecuteRequest): Promise<Measured> {
  const { plan, table } = request;
  if (!table) throw new Error('the PostgreSQL executor measures table sources');
  const { session, label, stored, names, key, declared, dateFormats, types, typedColumns, relation } = await openTable(table, request.load.dataset, request.load.columns, request.sessions);

  const sampleLimits = request.sampleLimits;
  const sql = planSql(plan, names, types, declared, sampleLimits, request.keySets, {
    dialect: postgres,
    relation,
    perMeasure: true,
    keySetLookup: keySetSql,
    alwaysTyped: typedColumns.map((v) => v?.always ?? false),
    wideIntegers: stored.map((c) => c.family === 'text' || c.stored === 'int8'),
  });
  // The typed columns come from the relation itself (typedValue), not from the compiler's file typing.
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
  const { results, rows } = await runSqlPlan(session, sql, rowIndex);
  reportColumnErrors(plan, names, results, (message) => message.startsWith(NOT_TRANSLATED));
  for (const [k, m] of Object.entries(plan.measures)) {
    if (m.kind === 'columns') results.set(k, { kind: 'columns', columns: observedColumns(stored, declared) });
    if (m.kind === 'source_mtime') results.set(k, { kind: 'error', message: 'a table has no modification time: give freshness a timestamp column' });
  }
  const samples = await sampleRows(session, relation, rowIds, key, stored, types, dateFormats);
  const untranslated = [...results].filter(([, r]) => r.kind === 'error' && r.message.startsWith(NOT_TRANSLATED)).map(([k]) => k);
  const pullsCheck = (c: (typeof plan.checks)[number]) => Object.values(c.measures).some((k) => untranslated.includes(k));
  let pulled = 0;
  if (request.pull && untranslated.length > 0) {
    const subPlan = { ...plan, measures: Object.fromEntries(untranslated.map((k) => [k, plan.measures[k]])), checks: [] };
    const needed = new Set(untranslated.flatMap((k) => measureColumns(plan.measures[k])).filter((c) => names.includes(c)));
    for (const k of key) needed.add(k);
    const columns = names.flatMap((n, i) => (needed.has(n) ? [i] : []));
    const stream = streamRawBatches(request.load, label, () => pullRows(session, relation, columns.map((i) => ({ name: names[i], sql: `r${i}::text` })), request.batchRows));
    const limits = new Map([...sampleLimits].filter(([k]) => untranslated.includes(k)));
    const pulledResults = await executeStream(subPlan, stream, limits, request.keySets);
    for (const [k, result] of pulledResults.measures) {
      if (result.kind === 'rows') {
        result.sampleIndexes = result.sampleIndexes.map((i) => {
          const index = rowIndex(`pull:${i}`);
          const kept = pulledResults.samples.get(i)!;
          samples.set(index, { row: index + 1, file: 0, key: key.length > 0 ? Object.fromEntries(key.map((c) => [c, kept.values[c]])) : { pulled_row: kept.row }, values: kept.values });
          return index;
        });
      }
      results.set(k, result);
    }
    pulled = plan.checks.filter(pullsCheck).length;
  }
  const pushedDown = plan.checks.filter((c) => Object.values(c.measures).every((k) => !untranslated.includes(k))).length;
  const stream: DataStream = {
    files: [],
    columns: names,
    types: Object.fromEntries(names.map((n, i) => [n, types[i]])),
    rows,
    fingerprint: fingerprintOf(rows, results),
    modifiedAt: null,
    observedTypes: {},
    batches: () => {
      throw new Error('a table source is not read in batches');
    },
    label,
  };
  return { results: { measures: results, stats: { passes: 1, samplePasses: 0 }, samples }, stream, pushedDown, pulled };
}

/**
 * `export` of a table (SPEC §5.1): the rows a row filter keeps (the filter in
 * WHERE), in key order, only the columns asked for, through a server-side
 * cursor a batch at a time, each value typed as a check reads it (raw text
 * where it does not parse). The caller masks and writes them.
 */
export async function* readPostgresRows(request: TableRowsRequest): AsyncGenerator<TableRows> {
  const t = await openTable(request.table, request.dataset, request.columns, request.sessions);
  const unknown = request.read.find((c) => !t.names.includes(c));
  if (unknown !== undefined) throw new DataError(`${t.where}: column "${unknown}" is not in the table`);
  let filter = 'true';
  if (request.filter) {
    try {
      filter = `coalesce(${conditionSql(request.filter.ast, { column: t.column, sql: postgres })}, false)`;
    } catch (e) {
      if (!(e instanceof Unsupported) || e instanceof MissingColumn) throw e instanceof MissingColumn ? new DataError(`${t.where}: ${request.filter.what} reads ${e.message}`) : e;
      throw new DataError(`${t.where}: ${request.filter.what} is not translated to SQL (${e.message}); nothing is exported`);
    }
  }
  const [[total]] = await t.session.rows(`SELECT count(*) FROM ${t.relation}`);
  const indexes = request.read.map((c) => t.names.indexOf(c));
  const parsers = indexes.map((i) => (t.stored[i].family === 'text' ? columnParser(t.types[i], t.dateFormats[i]) : PARSERS[t.types[i]]));
  const select = `SELECT ${indexes.map((i) => `r${i}::text`).join(', ') || 'NULL'} FROM ${t.relation} WHERE ${filter} ORDER BY __row`;
  let first = true;
  for await (const rows of cursorRows(t.session, select, request.batchRows)) {
    const values = rows.map((row) => indexes.map((_, j) => {
      const text = row[j] as string | null;
      const typed = text === null ? null : parsers[j](text);
      return typed === INVALID ? text : typed;
    }));
    yield { rows: values, types: indexes.map((i) => t.types[i]), sourceRows: countOf(total), label: t.label, first };
    first = false;
  }
  if (first) yield { rows: [], types: indexes.map((i) => t.types[i]), sourceRows: countOf(total), label: t.label, first };
}

/** The rows of a query through a server-side cursor in a read-only transaction, a batch at a time. */
async function* cursorRows(session: PostgresSession, select: string, batchRows: number): AsyncGenerator<unknown[][]> {
  await session.rows('BEGIN READ ONLY');
  let ended = false;
  try {
    await session.rows(`DECLARE assay_rows NO SCROLL CURSOR FOR ${select}`);
    for (;;) {
      const rows = await session.rows(`FETCH ${Math.max(1, batchRows)} FROM assay_rows`);
      if (rows.length === 0) break;
      yield rows;
    }
    await session.rows('COMMIT');
    ended = true;
  } finally {
    if (!ended) await session.rows('ROLLBACK').catch(() => undefined);
  }
}

/**
 * `--pull`: the rows, in key order, of only the columns the untranslated
 * measures read, as text through a server-side cursor, a batch at a time.
 */
async function* pullRows(session: PostgresSession, relation: string, columns: { name: string; sql: string }[], batchRows: number): AsyncGenerator<RawBatch> {
  let firstRow = 1;
  for await (const rows of cursorRows(session, `SELECT ${columns.map((c) => c.sql).join(', ')} FROM ${relation} ORDER BY __row`, batchRows)) {
    yield { names: columns.map((c) => c.name), values: columns.map((_, i) => rows.map((r) => r[i])), rows: rows.length, firstRow };
    firstRow += rows.length;
  }
}

/** The table's columns in order, with their stored types; exit 3 when the table does not exist. */
async function describe(session: PostgresSession, qualified: string, where: string): Promise<StoredColumn[]> {
  const rows = await session.rows(
    `SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [qualified],
  );
  if (rows.length === 0) throw new DataError(`${where}: no such table (or it has no columns)`, 'names are used exactly as written: public.Orders is not public.orders');
  return rows.map(([name, stored]) => ({ name: name as string, stored: stored as string, family: FAMILY[stored as string] ?? 'text' }));
}

async function primaryKey(session: PostgresSession, qualified: string): Promise<string[]> {
  const rows = await session.rows(
    `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [qualified],
  );
  return rows.map((r) => r[0] as string);
}

/**
 * Each column's type for the compiler: declared, else the stored type's,
 * else (text) inferred over the first INFER_ROWS rows with the grammar, as
 * for files.
 */
async function columnTypes(session: PostgresSession, qualified: string, stored: StoredColumn[], declared: (ColumnType | undefined)[], where: string): Promise<ColumnType[]> {
  const types = stored.map((c, i): ColumnType | undefined => declared[i] ?? (c.family === 'text' ? undefined : c.family));
  const undeclared = types.flatMap((t, i) => (t === undefined ? [i] : []));
  if (undeclared.length === 0) return types as ColumnType[];
  const candidates: ColumnType[] = ['integer', 'number', 'boolean', 'date', 'timestamp'];
  const tests = undeclared.flatMap((i) => {
    const r = `${quote(stored[i].name)}::text`;
    // Blank text, or an integer beyond int64 (types.ts isOverlongInteger), makes the column text.
    return [`bool_or(${postgres.blank(r)} OR ${overlongInteger(r)})`, ...candidates.map((t) => `coalesce(bool_and(${postgres.typed(r, t)} IS NOT NULL) FILTER (WHERE ${r} IS NOT NULL), false)`)];
  });
  const [row] = await session.rows(`SELECT ${tests.join(', ')} FROM (SELECT * FROM ${qualified} LIMIT ${INFER_ROWS}) AS assay_sample`).catch((e: unknown) => {
    throw e instanceof DataError ? new DataError(`${where}: ${e.message}`) : e;
  });
  undeclared.forEach((i, k) => {
    const [blank, ...fits] = row.slice(k * (candidates.length + 1), (k + 1) * (candidates.length + 1));
    types[i] = blank === true ? 'string' : (candidates.find((_, j) => fits[j] === true) ?? 'string');
  });
  return types as ColumnType[];
}

/**
 * The typed value `v{i}` of a column, or undefined for string (the compiler
 * reads `r{i}`), and whether it is never NULL where the stored value is not
 * (`always`: its `type` check cannot fail). A text column is typed by the
 * grammar; a stored type keeps its values when it can hold the declared type
 * (integers must be whole, and as doubles safe, numbers finite, a date held
 * as a timestamp must be midnight), and is NULL otherwise, so every non-null
 * value fails the `type` check. Stored integers are always integers (int8
 * beyond 2^53 too, as in the in-process engine; see `beyondExact`).
 */
function typedValue(column: StoredColumn, raw: string, type: ColumnType, dateFormat: string | undefined): { sql: string; always: boolean } | undefined {
  if (type === 'string') return undefined;
  const x = quote(column.name);
  const integerStored = ['int2', 'int4', 'int8'].includes(column.stored);
  // Milliseconds since the epoch, as JavaScript's Date keeps them (sub-millisecond digits dropped, as when the text is parsed).
  // date_part works in double precision (extract's numeric is twice as slow); microseconds are exact in a double for years 0–9999.
  const ms = `floor(round(date_part('epoch', ${x}) * 1000000) / 1000)`;
  switch (column.family) {
    case 'text':
      return { sql: postgres.typed(raw, type, dateFormat), always: false };
    case 'integer':
    case 'number':
      if (integerStored && (type === 'integer' || type === 'number')) return { sql: `${x}::float8`, always: true };
      if (type === 'integer') return { sql: `(CASE WHEN ${x} = trunc(${x}) AND abs(${x}) <= 9007199254740991 THEN ${x}::float8 END)`, always: false };
      // NaN sorts above every number in PostgreSQL, so this one comparison also leaves NaN out.
      if (type === 'number') return { sql: `(CASE WHEN abs(${x}::float8) < 'Infinity'::float8 THEN ${x}::float8 END)`, always: false };
      break;
    case 'boolean':
      if (type === 'boolean') return { sql: x, always: true };
      break;
    case 'date':
      if (type === 'date' || type === 'timestamp') return { sql: `(CASE WHEN isfinite(${x}) THEN (${x} - DATE '1970-01-01')::float8 * 86400000 END)`, always: false };
      break;
    case 'timestamp':
      if (type === 'timestamp') return { sql: `(CASE WHEN isfinite(${x}) THEN ${ms} END)`, always: false };
      if (type === 'date') return { sql: `(CASE WHEN isfinite(${x}) AND mod(${ms}::numeric, 86400000) = 0 THEN ${ms} END)`, always: false };
      break;
  }
  return { sql: type === 'boolean' ? 'NULL::boolean' : 'NULL::float8', always: false };
}

/** A key set as an array literal: reference checks look values up in it. */
function keySetSql(x: string, table: KeyTable): string {
  const values = [...table.values].map((v) => (table.sqlType === 'DOUBLE' ? postgres.number(v as number) : table.sqlType === 'BOOLEAN' ? String(v) : postgres.string(v as string)));
  const type = table.sqlType === 'DOUBLE' ? 'float8' : table.sqlType === 'BOOLEAN' ? 'boolean' : 'text';
  return `NOT coalesce(${x} = ANY(ARRAY[${values.join(', ')}]::${type}[]), false)`;
}

/** The schema check's view of the table: a text column holds whatever is declared (like a CSV column); a typed column its own type. */
function observedColumns(stored: StoredColumn[], declared: (ColumnType | undefined)[]): ObservedColumn[] {
  return stored.map((c, i) => ({ name: c.name, type: c.family === 'text' ? (declared[i] ?? 'string') : c.family }));
}

/** The sampled rows, fetched once by their `__row`, typed by assay's parsers from their text (raw text where invalid). */
async function sampleRows(session: PostgresSession, relation: string, rowIds: unknown[], key: string[], stored: StoredColumn[], types: ColumnType[], dateFormats: (string | undefined)[]): Promise<Map<number, SampledRow>> {
  // Text is read as a CSV cell is (a declared date format included); a stored type's text by the grammar.
  const parsers = stored.map((c, i) => (c.family === 'text' ? columnParser(types[i], dateFormats[i]) : PARSERS[types[i]]));
  const samples = new Map<number, SampledRow>();
  if (rowIds.length === 0) return samples;
  const match = key.length === 1 ? '__row = ANY($1)' : key.length === 0 ? '__row = ANY($1::tid[])' : '__row::text = ANY($1::text[])';
  const texts = stored.map((_, i) => `r${i}::text`).join(', ');
  const rows = await session.rows(`SELECT __row::text, ${texts} FROM ${relation} WHERE ${match}`, [rowIds.map(String)]);
  const indexOf = new Map(rowIds.map((id, i) => [String(id), i]));
  for (const [id, ...raw] of rows) {
    const values: Record<string, unknown> = {};
    stored.forEach((c, i) => {
      const text = raw[i] as string | null;
      const typed = text === null ? null : parsers[i](text);
      values[c.name] = typed === INVALID ? text : typed;
    });
    const keyValues = key.length > 0 ? Object.fromEntries(key.map((k) => [k, values[k]])) : { ctid: id };
    const index = indexOf.get(String(id));
    if (index !== undefined) samples.set(index, { row: index + 1, file: 0, key: keyValues, values });
  }
  return samples;
}

/** SPEC §5.1: a table's fingerprint is the SHA-256 of the run's measured values (row count and every measure). */
export function fingerprintOf(rows: number, results: Map<string, MeasureResult>): string {
  const measured = [...results.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, r]) => [k, r.kind === 'keys' ? { kind: 'keys', size: r.values.size } : r.kind === 'rows' ? { failed: r.failed, evaluated: r.evaluated } : r]);
  return `sha256:${createHash('sha256').update(JSON.stringify([rows, measured])).digest('hex')}`;
}
