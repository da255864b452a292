/**
 * The dialect-neutral SQL compiler: a dataset plan as SQL over a relation
 * the executor provides (a loaded file in DuckDB, a table in PostgreSQL):
 * for each measure, the aggregate that computes it and how to read the
 * result back as the in-process engine would report it. Each translation
 * keeps the semantics of src/engine/in-process/tasks.ts (a null in a range
 * comparison is 0, a string column never holds a number from `values`, …);
 * what SQL cannot reproduce exactly throws Unsupported, or, with
 * `perMeasure`, makes that measure an `error` naming the construct.
 *
 * In the relation, `__row` orders the rows (the 0-based data row of a file;
 * a key of a table) and column i is `r{i}` (raw value, NULL when missing)
 * and, when its type is not string, `v{i}` (typed, NULL when missing or
 * invalid). Every engine-specific spelling comes from the dialect.
 */
import type { ColumnType, Scalar } from '../../values/types.js';
import type { DatasetPlan, RowPredicate } from '../../plan/plan.js';
import { keySetKey, measureColumns, measureKey, unhandledMeasure, type Measure } from '../../plan/plan.js';
import type { KeySets, MeasureResult } from '../executor.js';
import { compiledOf } from '../../expr/compile.js';
import { parseExpression } from '../../expr/parse.js';
import { decomposeAggregate } from '../aggregate-expr.js';
import { toScalar } from '../../values/compare.js';
import { aggregateCall } from './aggregate-sql.js';
import type { Dialect } from './dialect.js';
import { conditionSql, type ColumnLookup, type SqlScope } from './expression.js';
import { formatSql } from './formats.js';
import { countOf, MissingColumn, Unsupported } from './sql.js';

/** One aggregate column of the measure query; it reads the row conditions as flags `c0`, `c1`, … */
interface Aggregate {
  sql: string;
}

/** Another dataset's key set, loaded as a one-column table. */
export interface KeyTable {
  name: string;
  sqlType: 'DOUBLE' | 'VARCHAR' | 'BOOLEAN';
  values: Iterable<unknown>;
}

export interface SqlPlan {
  /** The relation the queries read (FROM text): `__row`, `r{i}`, `v{i}`. */
  relation: string;
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
  /** Per measure, its result from the aggregate query's columns; `rowIndex` maps an engine's `__row` to a sample index. */
  readers: Map<string, (value: (i: number) => unknown, rowIndex: (row: unknown) => number) => MeasureResult>;
  keyTables: KeyTable[];
  /** `key_set` measures: measure key → the SQL of the column's values. */
  keySetMeasures: Map<string, string>;
  /**
   * LEFT JOINs of the aggregate query: per `unique` key (and `where`), its
   * repeated keys, from one GROUP BY. The aggregate query counts, samples and
   * unions the rows that join one (a join, not `IN (subquery)` per row, which
   * PostgreSQL runs once per row when the key set outgrows its memory).
   */
  joins: string[];
  /**
   * When the dialect has no aggregate for the first failing rows: per `rows`
   * measure key, a query for the `__row` of its first failing rows.
   */
  sampleQueries: Map<string, string>;
  /** Measures that could not be translated (with `perMeasure`): key → why. */
  untranslated: Map<string, string>;
  /**
   * Measures translated only while a condition holds: key → the aggregate
   * counting the rows that break it, and why the measure is then not
   * translated (an integer beyond 2^53 that a double would round).
   */
  guards: Map<string, { aggregate: number; why: string }[]>;
}

export interface SqlPlanOptions {
  dialect: Dialect;
  /** The relation to read: `__row`, raw `r{i}` and typed `v{i}` columns. */
  relation: string;
  /**
   * An untranslatable measure ends `error` naming the construct (a table
   * lives in its engine, SPEC §5.1); without it, Unsupported is thrown and
   * the dataset is measured in-process (a file).
   */
  perMeasure?: boolean;
  /** Each column's strftime `format:` (undefined for none), by column index. */
  dateFormats?: (string | undefined)[];
  /** SQL of a lookup of `x` in a key set (reference checks), when the dialect holds key sets its own way. */
  keySetLookup?: (x: string, table: KeyTable) => string;
  /**
   * Per column index, true when its typed value `v{i}` is never NULL where
   * the raw value is not (a stored type that always holds the declared one):
   * its `type` check then fails no row, and is not computed.
   */
  alwaysTyped?: boolean[];
  /**
   * Per column index, true when the column's integers may lie beyond 2^53
   * (int64 text or storage): the typed value is a double, which rounds them,
   * so a measure of such a column's values is declined when one is present
   * (counted in the same aggregate query), and the in-process engine (--pull)
   * keeps them exact.
   */
  wideIntegers?: boolean[];
  /** The executor answers `columns` measures (the schema check) itself. */
  observesColumns?: boolean;
}

const NUMERIC: ColumnType[] = ['integer', 'number', 'date', 'timestamp'];
const isTime = (t: ColumnType) => t === 'date' || t === 'timestamp';
/**
 * `types`: each column's type, declared or inferred; `declared`: the declared
 * ones (undefined where inferred).
 */
export function planSql(plan: DatasetPlan, names: string[], types: ColumnType[], declared: (ColumnType | undefined)[], sampleLimits: Map<string, number>, keySets: KeySets, options: SqlPlanOptions): SqlPlan {
  const { dialect: sql, relation } = options;
  const dateFormats = options.dateFormats ?? [];
  const out: SqlPlan = {
    relation,
    names,
    types,
    dateFormats,
    typedColumns: types.flatMap((type, index) => (type === 'string' ? [] : [{ index, expression: sql.typed(`r${index}`, type, dateFormats[index]) }])),
    aggregates: [],
    conditions: [],
    readers: new Map(),
    keyTables: [],
    keySetMeasures: new Map(),
    joins: [],
    sampleQueries: new Map(),
    untranslated: new Map(),
    guards: new Map(),
  };
  const index = (column: string): number => {
    const i = names.indexOf(column);
    if (i === -1) throw new MissingColumn(`column "${column}" is not in the data`);
    return i;
  };
  const value = (column: string): string => (types[index(column)] === 'string' ? `r${index(column)}` : `v${index(column)}`);
  const raw = (column: string): string => `r${index(column)}`;
  const typeOf = (column: string): ColumnType => types[index(column)];
  const columnLookup: ColumnLookup = (column) => (names.includes(column) ? { sql: value(column), type: typeOf(column) } : undefined);
  const lookup: SqlScope = { column: columnLookup, sql };
  /** An aggregate column; the same SQL is computed once (many checks count the same rows in scope). */
  const add = (sql: string): number => {
    const i = out.aggregates.findIndex((a) => a.sql === sql);
    return i === -1 ? out.aggregates.push({ sql }) - 1 : i;
  };
  const flag = (condition: string): string => {
    let j = out.conditions.indexOf(condition);
    if (j === -1) j = out.conditions.push(condition) - 1;
    return `c${j}`;
  };

  /**
   * The number of rows where `condition` holds, as a reader of the aggregate
   * query's columns. The commonest conditions take no flag: every row is
   * `count(*)`, a present value `count(x)`, a missing one their difference.
   */
  const rowsWhere = (condition: string): ((v: (i: number) => unknown) => number) => {
    if (condition === 'true') {
      const all = add('count(*)');
      return (v) => countOf(v(all));
    }
    const present = /^([rv]\d+) IS NOT NULL$/.exec(condition);
    if (present) {
      const i = add(`count(${present[1]})`);
      return (v) => countOf(v(i));
    }
    const missing = /^([rv]\d+) IS NULL$/.exec(condition);
    if (missing) {
      const [all, values] = [add('count(*)'), add(`count(${missing[1]})`)];
      return (v) => countOf(v(all)) - countOf(v(values));
    }
    const i = add(sql.countIf(flag(condition)));
    return (v) => countOf(v(i));
  };
  /** `a AND b`, without a `true` operand. */
  const and = (a: string, b: string): string => (a === 'true' ? b : b === 'true' ? a : `(${a}) AND ${b}`);

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
        const inSet = membership(p.values, typeOf(p.column), value(p.column), sql);
        return p.op === 'in' ? inSet : `NOT ${inSet}`;
      }
      case 'out_of_range': {
        if (!NUMERIC.includes(typeOf(p.column))) throw new Unsupported(`range on a ${typeOf(p.column)} column`);
        const x = `coalesce(${value(p.column)}, 0)`;
        const min = bound(p.min, -Infinity, sql);
        const max = bound(p.max, Infinity, sql);
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
        return `NOT ${sql.regexFind(`coalesce(${value(p.column)}, 'null')`, p.regex)}`;
      case 'invalid_format':
        if (typeOf(p.column) !== 'string') throw new Unsupported(`format on a ${typeOf(p.column)} column`);
        return `NOT ${formatSql(p.format, `coalesce(${value(p.column)}, 'null')`, sql)}`;
      case 'invalid_type':
        if (declared[index(p.column)] === undefined) throw new Unsupported(`a type check on the undeclared column "${p.column}"`); // arquero reports it
        return `${value(p.column)} IS NULL`;
      case 'expression_false':
        return `NOT ${condition(p.expression)}`; // in scope, the condition is not NULL (below)
      case 'not_in_key_set':
        return keyLookup(p, out, keySets, typeOf(p.column), value(p.column), options);
    }
  };

  // Row checks, counts and statistics: columns of the one aggregate query.
  const failing = new Map<string, string>(); // rows measure key → the flag of its failing rows (for unions)
  /** `unique` checks and `duplicate_count` measures sharing one key and `where`: one GROUP BY, joined to the rows. */
  interface KeyGroup {
    scope: string;
    /** The rows in scope whose key repeats (through the join of the group's repeated keys). */
    repeated: string;
    /** The same, with a subquery instead of the join, for a dialect's separate sample query. */
    repeatedStandalone: string;
  }
  const groups = new Map<string, KeyGroup>();
  const groupOf = (keyColumns: string[], where: string | undefined): KeyGroup => {
    const signature = JSON.stringify([keyColumns, where ?? null]);
    let group = groups.get(signature);
    if (!group) {
      const s = scope(where, keyColumns);
      const keys = keyColumns.map(value);
      const n = out.joins.length;
      const alias = `assay_dup${n}`;
      const repeatedKeys = `SELECT ${keys.map((k, j) => `${k} AS assay_d${n}_${j}`).join(', ')} FROM ${relation} WHERE ${s} GROUP BY ${keys.join(', ')} HAVING count(*) > 1`;
      out.joins.push(`LEFT JOIN (${repeatedKeys}) AS ${alias} ON ${keys.map((k, j) => `${k} = ${alias}.assay_d${n}_${j}`).join(' AND ')}`);
      group = {
        scope: s,
        repeated: `(${s}) AND ${alias}.assay_d${n}_0 IS NOT NULL`,
        repeatedStandalone: `(${s}) AND (${keys.join(', ')}) IN (SELECT ${keys.join(', ')} FROM ${relation} WHERE ${s} GROUP BY ${keys.join(', ')} HAVING count(*) > 1)`,
      };
      groups.set(signature, group);
    }
    return group;
  };

  /** With `perMeasure`, a measure that cannot be translated becomes an error result; otherwise the whole plan is declined. */
  const missing = new Set<string>();
  const translating = (key: string, translate: () => void): void => {
    try {
      translate();
    } catch (e) {
      if (!(e instanceof MissingColumn) && (!(e instanceof Unsupported) || !options.perMeasure)) throw e;
      out.readers.delete(key);
      out.untranslated.set(key, e.message);
      if (e instanceof MissingColumn) missing.add(key);
    }
  };

  for (const [key, m] of Object.entries(plan.measures)) translating(key, () => {
    switch (m.kind) {
      case 'rows': {
        const limit = sampleLimits.get(key) ?? 0;
        const p = m.predicate;
        let s: string;
        let fails: string;
        let standalone: string; // the failing rows without the aggregate query's joins
        if (p.op === 'duplicate_key') {
          const group = groupOf(p.columns, m.where);
          [s, fails, standalone] = [group.scope, group.repeated, group.repeatedStandalone];
        } else {
          const inScope = scope(m.where, m.evaluatedNonNull, p.op === 'invalid_type' ? p.column : undefined);
          // SQL's rule: a row whose expression is NULL is not evaluated.
          s = p.op === 'expression_false' ? `${inScope} AND ${condition(p.expression)} IS NOT NULL` : inScope;
          if (p.op === 'invalid_type' && (typeOf(p.column) === 'string' || options.alwaysTyped?.[index(p.column)])) {
            // Text is always a string, and a stored type that holds the declared one always parses: no row fails.
            const evaluated = rowsWhere(s);
            failing.set(key, 'false');
            out.readers.set(key, (v) => ({ kind: 'rows', failed: 0, evaluated: evaluated(v), sampleIndexes: [] }));
            break;
          }
          fails = standalone = and(s, predicate(p));
        }
        failing.set(key, flag(fails));
        const failed = rowsWhere(fails);
        const evaluated = rowsWhere(s);
        let samples = -1;
        // Every failing row (--failed-rows asks for an unbounded limit) comes from its own query, without a LIMIT.
        if (limit > 0 && Number.isFinite(limit) && sql.firstRows) samples = add(sql.firstRows('__row', limit, flag(fails)));
        else if (limit > 0) out.sampleQueries.set(key, `SELECT __row FROM ${relation} WHERE ${standalone} ORDER BY __row${Number.isFinite(limit) ? ` LIMIT ${limit}` : ''}`);
        out.readers.set(key, (v, rowIndex) => ({ kind: 'rows', failed: failed(v), evaluated: evaluated(v), sampleIndexes: samples < 0 ? [] : firstRowIndexes(v(samples), rowIndex) }));
        break;
      }
      case 'row_count': {
        const rows = rowsWhere(scope(m.where, []));
        out.readers.set(key, (v) => ({ kind: 'value', value: rows(v) }));
        break;
      }
      case 'null_count': {
        const nulls = rowsWhere(and(scope(m.where, []), `${raw(m.column)} IS NULL`));
        out.readers.set(key, (v) => ({ kind: 'value', value: nulls(v) }));
        break;
      }
      case 'distinct_count': {
        const i = add(`count(DISTINCT ${value(m.column)}) FILTER (WHERE ${flag(scope(m.where, []))})`);
        out.readers.set(key, (v) => ({ kind: 'value', value: countOf(v(i)) }));
        break;
      }
      case 'duplicate_count': {
        const i = add(sql.countIf(flag(groupOf(m.columns, m.where).repeated)));
        out.readers.set(key, (v) => ({ kind: 'value', value: countOf(v(i)) }));
        break;
      }
      case 'stat': {
        const type = typeOf(m.column);
        if (!NUMERIC.includes(type)) throw new Unsupported(`a ${m.stat} of a ${type} column`);
        const x = value(m.column);
        const inScope = scope(m.where, []) === 'true' ? 'true' : flag(scope(m.where, []));
        const over = (f: string) => (inScope === 'true' ? f : `${f} FILTER (WHERE ${inScope})`);
        const call = { min: over(`min(${x})`), max: over(`max(${x})`), sum: over(`sum(${x})`), mean: over(`avg(${x})`), stddev: over(sql.statistic('stddev_samp', x)), median: sql.quantile(x, 0.5, inScope), quantile: sql.quantile(x, m.q ?? 0.5, inScope) }[m.stat];
        const i = add(call);
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
        if (!options.perMeasure && !options.observesColumns) throw new Unsupported('the schema check (observed column types)');
        break; // a table's columns and types come from the database's catalog (the executor)
      case 'rows_failing_any':
        break; // below, once every part is known
      default:
        unhandledMeasure(m);
    }
  });

  // Per-column unions: rows failing any row check on the column; with `unique` parts, the largest union per key group, as in column-task.ts.
  for (const [key, m] of Object.entries(plan.measures)) translating(key, () => {
    if (m.kind !== 'rows_failing_any') return;
    const flagOf = (r: (typeof m.measures)[number]): string => {
      const condition = failing.get(measureKey(r));
      if (condition === undefined && missing.has(measureKey(r))) throw new MissingColumn('a per-column union over a check of a column not in the data');
      if (condition === undefined) throw new Unsupported('a per-column union over a check it does not measure');
      return condition;
    };
    const plain = m.measures.filter((r) => r.predicate.op !== 'duplicate_key').map(flagOf).filter((f) => f !== 'false');
    const keyed = m.measures.filter((r) => r.predicate.op === 'duplicate_key').map(flagOf);
    // Unions OR the parts' flags, so no predicate runs twice.
    const variants = keyed.length ? keyed.map((g) => [...plain, g]) : [plain];
    const parts = variants.map((flags) => add(flags.length ? sql.countIf(flags.join(' OR ')) : '0'));
    out.readers.set(key, (v) => ({ kind: 'value', value: Math.max(...parts.map((i) => countOf(v(i)))) }));
  });
  // Integers beyond 2^53: the measures reading such a column's values are exact only while it holds none.
  types.forEach((type, i) => {
    if (type !== 'integer' || !options.wideIntegers?.[i]) return;
    const column = names[i];
    const aggregate = add(sql.countIf(`abs(v${i}) > ${sql.number(Number.MAX_SAFE_INTEGER)}`));
    const why = `column "${column}" holds integers beyond 2^53, which SQL reads here as doubles (rounded); check --pull measures them exactly`;
    for (const [key, m] of Object.entries(plan.measures)) {
      if (!readsValues(m, column)) continue;
      out.guards.set(key, [...(out.guards.get(key) ?? []), { aggregate, why }]);
    }
  });
  return out;
}

/** Whether a measure's result depends on a column's values, not only on which of them are null or valid. */
function readsValues(m: Measure, column: string): boolean {
  if (m.kind === 'rows_failing_any') return m.measures.some((part) => readsValues(part, column));
  if (m.where !== undefined && parseExpression(m.where, 'row').columns.includes(column)) return true;
  if (m.kind === 'null_count' || m.kind === 'row_count') return false;
  if (m.kind === 'rows' && (m.predicate.op === 'is_null' || m.predicate.op === 'invalid_type')) return false;
  if (m.kind === 'rows') return m.predicate.op === 'expression_false' || m.predicate.op === 'duplicate_key' ? measureColumns({ ...m, evaluatedNonNull: [] }).includes(column) : m.predicate.column === column;
  return measureColumns(m).includes(column);
}

/** `values` membership as `in`/`not_in` test it: a value only matches values of its own kind (dates by instant). */
function membership(values: Scalar[], type: ColumnType, x: string, sql: Dialect): string {
  const matching =
    type === 'string'
      ? values.filter((v): v is string => typeof v === 'string').map(sql.string)
      : type === 'boolean'
        ? values.filter((v): v is boolean => typeof v === 'boolean').map(String)
        : values.flatMap((v) => (typeof v === 'number' ? [sql.number(v)] : v instanceof Date ? [sql.number(v.getTime())] : []));
  return matching.length ? `coalesce(${x} IN (${matching.join(', ')}), false)` : 'false';
}

/** A range bound as a number (a date by its instant); a missing bound is ±Infinity. */
function bound(b: Scalar | undefined, missing: number, sql: Dialect): string {
  if (b === undefined || b === null) return sql.number(missing);
  if (typeof b === 'number') return sql.number(b);
  if (b instanceof Date) return sql.number(b.getTime());
  throw new Unsupported(`a ${typeof b} range bound`);
}

/** `not_in_key_set`: look the value up in the other dataset's key set, loaded as a table. */
function keyLookup(p: Extract<RowPredicate, { op: 'not_in_key_set' }>, out: SqlPlan, keySets: KeySets, type: ColumnType, x: string, options: SqlPlanOptions): string {
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
  return options.keySetLookup ? options.keySetLookup(x, table) : `coalesce(${x} NOT IN (SELECT k FROM ${table.name}), true)`;
}

/** The first failing rows' `__row` values as sample indexes, in row order (numbers sorted; other keys come sorted by the engine). */
function firstRowIndexes(v: unknown, rowIndex: (row: unknown) => number): number[] {
  if (!Array.isArray(v)) return [];
  const rows = v.every((x) => typeof x === 'number' || typeof x === 'bigint') ? v.map(Number).sort((a, b) => a - b) : v;
  return rows.map(rowIndex);
}

function scalar(v: unknown): Scalar {
  return toScalar(v);
}

