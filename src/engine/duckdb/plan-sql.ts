/**
 * A dataset plan as SQL over the loaded table `assay_t` (see ./execute.ts):
 * for each measure, the aggregate that computes it and how to read the
 * result back as the arquero engine would report it. Each translation keeps
 * the JavaScript semantics of src/engine/tasks.ts (a null in a range
 * comparison is 0, a string column never holds a number from `values`, …);
 * what SQL cannot reproduce exactly throws Unsupported.
 *
 * In `assay_t`, `rowid` is the 0-based data row and column i is `r{i}` (raw text, NULL when missing) and, when
 * its type is not string, `v{i}` (typed, NULL when missing or invalid).
 */
import type { ColumnType, DatasetPlan, RowPredicate, Scalar } from '../../plan/plan.js';
import { keySetKey, measureKey } from '../../plan/plan.js';
import type { KeySets, MeasureResult } from '../executor.js';
import { compiledOf } from '../../expr/compile.js';
import { parseExpression } from '../../expr/parse.js';
import { decomposeAggregate } from '../aggregate-expr.js';
import { toScalar } from '../values.js';
import { aggregateCall } from './aggregate-sql.js';
import { conditionSql, type ColumnLookup } from './expression.js';
import { formatSql } from './formats.js';
import { countOf, sqlNumber, sqlString, Unsupported } from './sql.js';
import { typedSql } from './typing.js';

/** One aggregate column of the measure query; it reads the row conditions as flags `c0`, `c1`, … */
interface Aggregate {
  sql: string;
}

/** `unique` checks and `duplicate_count` measures sharing one key and `where`. */
export interface KeyGroup {
  countSql: string;
  /** Creates `failingTable`: the rows whose key repeats (for samples and per-column unions). */
  failingRowsSql: string;
  failingTable: string;
  sampleLimit: number;
  limits: Map<string, number>;
  usedByUnion: boolean;
  rowsKeys: string[];
  countKeys: string[];
}

/** Another dataset's key set, loaded as a one-column table. */
export interface KeyTable {
  name: string;
  sqlType: 'DOUBLE' | 'VARCHAR' | 'BOOLEAN';
  values: Iterable<unknown>;
}

export interface SqlPlan {
  names: string[];
  types: ColumnType[];
  /** Each declared column's strftime `format:` (undefined for none), as the typing reads it. */
  dateFormats: (string | undefined)[];
  typedColumns: { index: number; expression: string }[];
  aggregates: Aggregate[];
  /**
   * Row conditions (scopes, failing rows), each computed once per row as a
   * boolean column `c{j}` that the aggregates count: many checks share a
   * scope, and DuckDB would otherwise evaluate a FILTER per aggregate.
   */
  conditions: string[];
  readers: Map<string, (value: (i: number) => unknown) => MeasureResult>;
  keyGroups: KeyGroup[];
  keyTables: KeyTable[];
  /** `key_set` measures: measure key → the SQL of the column's values. */
  keySetMeasures: Map<string, string>;
}

const NUMERIC: ColumnType[] = ['integer', 'number', 'date', 'timestamp'];
const isTime = (t: ColumnType) => t === 'date' || t === 'timestamp';
/**
 * `types`: each column's type, declared or inferred; `declared`: the declared
 * ones (undefined where inferred).
 */
export function planSql(plan: DatasetPlan, names: string[], types: ColumnType[], declared: (ColumnType | undefined)[], sampleLimits: Map<string, number>, keySets: KeySets, dateFormats: (string | undefined)[] = []): SqlPlan {
  const out: SqlPlan = {
    names,
    types,
    dateFormats,
    typedColumns: types.flatMap((type, index) => (type === 'string' ? [] : [{ index, expression: typedSql(`r${index}`, type, dateFormats[index]) }])),
    aggregates: [],
    conditions: [],
    readers: new Map(),
    keyGroups: [],
    keyTables: [],
    keySetMeasures: new Map(),
  };
  const index = (column: string): number => {
    const i = names.indexOf(column);
    if (i === -1) throw new Unsupported(`column "${column}" is not in the data`); // the arquero engine reports it
    return i;
  };
  const value = (column: string): string => (types[index(column)] === 'string' ? `r${index(column)}` : `v${index(column)}`);
  const raw = (column: string): string => `r${index(column)}`;
  const typeOf = (column: string): ColumnType => types[index(column)];
  const lookup: ColumnLookup = (column) => (names.includes(column) ? { sql: value(column), type: typeOf(column) } : undefined);
  const add = (sql: string): number => out.aggregates.push({ sql }) - 1;
  const flag = (condition: string): string => {
    let j = out.conditions.indexOf(condition);
    if (j === -1) j = out.conditions.push(condition) - 1;
    return `c${j}`;
  };

  const condition = (source: string): string => conditionSql(parseExpression(source, 'row').ast, lookup);
  /** Rows in scope: `where` true (not false, not NULL) and the columns non-null (the type check's column: raw text present). */
  const scope = (where: string | undefined, nonNull: string[], typeColumn?: string): string => {
    const parts = where ? [`coalesce(${condition(where)}, false)`] : [];
    for (const c of nonNull) parts.push(`${c === typeColumn ? raw(c) : value(c)} IS NOT NULL`);
    return parts.length ? parts.join(' AND ') : 'true';
  };

  const predicate = (p: Exclude<RowPredicate, { op: 'duplicate_key' }>): string => {
    switch (p.op) {
      case 'is_null':
        return `${raw(p.column)} IS NULL`;
      case 'in':
      case 'not_in': {
        const inSet = membership(p.values, typeOf(p.column), value(p.column));
        return p.op === 'in' ? inSet : `NOT ${inSet}`;
      }
      case 'out_of_range': {
        if (!NUMERIC.includes(typeOf(p.column))) throw new Unsupported(`range on a ${typeOf(p.column)} column`);
        const x = `coalesce(${value(p.column)}, 0)`;
        const min = bound(p.min, -Infinity);
        const max = bound(p.max, Infinity);
        return p.exclusive ? `(${x} <= ${min} OR ${x} >= ${max})` : `(${x} < ${min} OR ${x} > ${max})`;
      }
      case 'length_out_of_range': {
        if (typeOf(p.column) !== 'string') throw new Unsupported(`length on a ${typeOf(p.column)} column`);
        const length = `length(coalesce(${value(p.column)}, 'null'))`;
        const parts = [...(p.min !== undefined ? [`${length} < ${p.min}`] : []), ...(p.max !== undefined ? [`${length} > ${p.max}`] : [])];
        return parts.length ? `(${parts.join(' OR ')})` : 'false';
      }
      case 'no_regex_match':
        if (typeOf(p.column) !== 'string') throw new Unsupported(`pattern on a ${typeOf(p.column)} column`);
        return `NOT regexp_matches(coalesce(${value(p.column)}, 'null'), ${sqlString(p.regex)})`;
      case 'invalid_format':
        if (typeOf(p.column) !== 'string') throw new Unsupported(`format on a ${typeOf(p.column)} column`);
        return `NOT ${formatSql(p.format, `coalesce(${value(p.column)}, 'null')`)}`;
      case 'invalid_type':
        if (declared[index(p.column)] === undefined) throw new Unsupported(`a type check on the undeclared column "${p.column}"`); // arquero reports it
        return `${value(p.column)} IS NULL`;
      case 'expression_false':
        return `NOT ${condition(p.expression)}`; // in scope, the condition is not NULL (below)
      case 'not_in_key_set':
        return keyLookup(p, out, keySets, typeOf(p.column), value(p.column));
    }
  };

  // Row checks, counts and statistics: columns of the one aggregate query.
  const failing = new Map<string, string>(); // rows measure key → the flag of its failing rows (for unions)
  const groups = new Map<string, KeyGroup & { scope: string }>();
  const groupOf = (keyColumns: string[], where: string | undefined): KeyGroup & { scope: string } => {
    const signature = JSON.stringify([keyColumns, where ?? null]);
    let group = groups.get(signature);
    if (!group) {
      const s = scope(where, keyColumns);
      const keys = keyColumns.map((c, j) => `${value(c)} AS k${j}`).join(', ');
      const table = `assay_dup_${groups.size}`;
      const on = keyColumns.map((_, j) => `t.k${j} = d.k${j}`).join(' AND ');
      group = {
        scope: s,
        countSql: `SELECT coalesce(sum(n) FILTER (WHERE n > 1), 0), coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM assay_t WHERE ${s} GROUP BY ${keyColumns.map(value).join(', ')})`,
        failingRowsSql: `CREATE TEMP TABLE ${table} AS WITH d AS (SELECT ${keys} FROM assay_t WHERE ${s} GROUP BY ALL HAVING count(*) > 1)
          SELECT t.__row FROM (SELECT rowid AS __row, ${keys} FROM assay_t WHERE ${s}) t SEMI JOIN d ON ${on}`,
        failingTable: table,
        sampleLimit: 0,
        limits: new Map(),
        usedByUnion: false,
        rowsKeys: [],
        countKeys: [],
      };
      groups.set(signature, group);
    }
    return group;
  };

  for (const [key, m] of Object.entries(plan.measures)) {
    switch (m.kind) {
      case 'rows': {
        const limit = sampleLimits.get(key) ?? 0;
        if (m.predicate.op === 'duplicate_key') {
          const group = groupOf(m.predicate.columns, m.where);
          group.rowsKeys.push(key);
          group.limits.set(key, limit);
          group.sampleLimit = Math.max(group.sampleLimit, limit);
          break;
        }
        const p = m.predicate;
        const inScope = scope(m.where, m.evaluatedNonNull, p.op === 'invalid_type' ? p.column : undefined);
        // SQL's rule: a row whose expression is NULL is not evaluated.
        const s = p.op === 'expression_false' ? `${inScope} AND ${condition(p.expression)} IS NOT NULL` : inScope;
        const fails = `(${s}) AND ${predicate(p)}`;
        failing.set(key, flag(fails));
        const failed = add(`count_if(${flag(fails)})`);
        const evaluated = add(`count_if(${flag(s)})`);
        const samples = limit > 0 ? add(`min(__row, ${limit}) FILTER (WHERE ${flag(fails)})`) : -1;
        out.readers.set(key, (v) => ({ kind: 'rows', failed: countOf(v(failed)), evaluated: countOf(v(evaluated)), sampleIndexes: samples < 0 ? [] : sortedIndexes(v(samples)) }));
        break;
      }
      case 'row_count': {
        const i = add(`count_if(${flag(scope(m.where, []))})`);
        out.readers.set(key, (v) => ({ kind: 'value', value: countOf(v(i)) }));
        break;
      }
      case 'null_count': {
        const i = add(`count_if(${flag(`${scope(m.where, [])} AND ${raw(m.column)} IS NULL`)})`);
        out.readers.set(key, (v) => ({ kind: 'value', value: countOf(v(i)) }));
        break;
      }
      case 'distinct_count': {
        const i = add(`count(DISTINCT ${value(m.column)}) FILTER (WHERE ${flag(scope(m.where, []))})`);
        out.readers.set(key, (v) => ({ kind: 'value', value: countOf(v(i)) }));
        break;
      }
      case 'duplicate_count':
        groupOf(m.columns, m.where).countKeys.push(key);
        break;
      case 'stat': {
        const type = typeOf(m.column);
        if (!NUMERIC.includes(type)) throw new Unsupported(`a ${m.stat} of a ${type} column`);
        const x = value(m.column);
        const call = { min: `min(${x})`, max: `max(${x})`, sum: `sum(${x})`, mean: `avg(${x})`, stddev: `stddev_samp(${x})`, median: `quantile_cont(${x}, 0.5)`, quantile: `quantile_cont(${x}, ${sqlNumber(m.q ?? 0.5)})` }[m.stat];
        const i = add(`${call} FILTER (WHERE ${flag(scope(m.where, []))})`);
        // min and max of a date column are dates, as the arquero engine keeps the values themselves.
        const asDate = isTime(type) && (m.stat === 'min' || m.stat === 'max');
        out.readers.set(key, (v) => {
          const result = v(i);
          return { kind: 'value', value: result === null || result === undefined ? null : asDate ? new Date(Number(result)) : scalar(result) };
        });
        break;
      }
      case 'key_set':
        out.keySetMeasures.set(key, value(m.column));
        break;
      case 'source_mtime':
        break; // the executor answers from the file
      case 'aggregate': {
        const decomposed = decomposeAggregate(parseExpression(m.expression, 'aggregate').ast);
        const s = scope(m.where, []);
        const reads = decomposed.calls.map((call) => aggregateCall(call, s, lookup, flag, add));
        const outer = compiledOf(decomposed.outer);
        out.readers.set(key, (v) => {
          const results = reads.map((read) => read(v));
          return { kind: 'value', value: toScalar(outer({ column: () => [], param: (i) => results[i] })(0)) };
        });
        break;
      }
      case 'columns':
        throw new Unsupported('the schema check (observed column types)');
      case 'rows_failing_any':
        break; // below, once every part is known
    }
  }

  // Per-column unions: rows failing any row check on the column; with `unique` parts, the largest union per key group, as in column-task.ts.
  for (const [key, m] of Object.entries(plan.measures)) {
    if (m.kind !== 'rows_failing_any') continue;
    const plain = m.measures.filter((r) => r.predicate.op !== 'duplicate_key').map((r) => {
      const condition = failing.get(measureKey(r));
      if (condition === undefined) throw new Unsupported('a per-column union over a check it does not measure');
      return condition;
    });
    const keyed = m.measures.filter((r) => r.predicate.op === 'duplicate_key').map((r) => groupOf((r.predicate as Extract<RowPredicate, { op: 'duplicate_key' }>).columns, r.where));
    for (const g of keyed) g.usedByUnion = true;
    // Unions OR the parts' flags, so no predicate runs twice.
    const variants = keyed.length ? keyed.map((g) => [...plain, flag(`rowid IN (SELECT __row FROM ${g.failingTable})`)]) : [plain];
    const parts = variants.map((flags) => add(flags.length ? `count_if(${flags.join(' OR ')})` : '0'));
    out.readers.set(key, (v) => ({ kind: 'value', value: Math.max(...parts.map((i) => countOf(v(i)))) }));
  }
  out.keyGroups = [...groups.values()];
  return out;
}

/** `values` membership as `in`/`not_in` test it: a value only matches values of its own kind (dates by instant). */
function membership(values: Scalar[], type: ColumnType, x: string): string {
  const matching =
    type === 'string'
      ? values.filter((v): v is string => typeof v === 'string').map(sqlString)
      : type === 'boolean'
        ? values.filter((v): v is boolean => typeof v === 'boolean').map(String)
        : values.flatMap((v) => (typeof v === 'number' ? [sqlNumber(v)] : v instanceof Date ? [sqlNumber(v.getTime())] : []));
  return matching.length ? `coalesce(${x} IN (${matching.join(', ')}), false)` : 'false';
}

/** A range bound as a number (a date by its instant); a missing bound is ±Infinity. */
function bound(b: Scalar | undefined, missing: number): string {
  if (b === undefined || b === null) return sqlNumber(missing);
  if (typeof b === 'number') return sqlNumber(b);
  if (b instanceof Date) return sqlNumber(b.getTime());
  throw new Unsupported(`a ${typeof b} range bound`);
}

/** `not_in_key_set`: look the value up in the other dataset's key set, loaded as a table. */
function keyLookup(p: Extract<RowPredicate, { op: 'not_in_key_set' }>, out: SqlPlan, keySets: KeySets, type: ColumnType, x: string): string {
  const keys = keySets.get(keySetKey(p.keys));
  if (!keys || keys.kind === 'error') throw new Unsupported('a key set that could not be read'); // the arquero engine reports why
  const kinds = new Set([...keys.values].map((v) => typeof v));
  if (kinds.size === 0) return 'true';
  if (kinds.size > 1) throw new Unsupported('a key set of mixed types');
  const kind = [...kinds][0];
  const sqlType = kind === 'number' ? 'DOUBLE' : kind === 'string' ? 'VARCHAR' : kind === 'boolean' ? 'BOOLEAN' : undefined;
  if (!sqlType) throw new Unsupported(`a key set of ${kind} values`);
  const columnKind = NUMERIC.includes(type) ? 'number' : type;
  if (columnKind !== kind) return 'true'; // a value is never in a set of another kind
  let table = out.keyTables.find((t) => t.values === keys.values);
  if (!table) {
    table = { name: `assay_keys_${out.keyTables.length}`, sqlType, values: keys.values };
    out.keyTables.push(table);
  }
  return `coalesce(${x} NOT IN (SELECT k FROM ${table.name}), true)`;
}

function sortedIndexes(v: unknown): number[] {
  return Array.isArray(v) ? v.map(Number).sort((a, b) => a - b) : [];
}

function scalar(v: unknown): Scalar {
  return toScalar(v);
}

