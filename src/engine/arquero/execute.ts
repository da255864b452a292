/**
 * The arquero executor: computes every measure of a dataset plan in one
 * rollup over the table (one pass), plus one pass per distinct key set for
 * uniqueness and one per aggregate expression that has its own `where`.
 * Samples of failing rows are collected afterwards, only for checks that fail.
 *
 * Built-in predicates compile to arquero expressions over generated column
 * references (JSON-quoted names) and `$` parameters; user expressions were
 * allow-listed at validation and are embedded in parentheses.
 */
import { type ColumnTable } from 'arquero';
import { compileRegex } from '../../expr/regex.js';
import { parseExpression } from '../../expr/parse.js';
import type { DatasetPlan, Measure, RowPredicate, Scalar } from '../../plan/plan.js';
import { RAW_INVALID, RAW_NULL, type LoadedData } from '../../sources/load.js';
import { errorMessage } from '../../util/diagnostics.js';
import type { DatasetResults, MeasureResult } from '../executor.js';
import { comparableKey, registerFunctions } from './functions.js';

const INDEX_COLUMN = '__assay_idx';

/** `sampleLimits`: per rows-measure key, how many failing rows to keep. */
export function executeDataset(plan: DatasetPlan, data: LoadedData, sampleLimits: Map<string, number>): DatasetResults {
  registerFunctions();
  const results = new Map<string, MeasureResult>();
  const stats = { passes: 0, samplePasses: 0 };
  const builder = new ExpressionBuilder(data);
  const runnable: [string, Measure][] = [];
  for (const [key, measure] of Object.entries(plan.measures)) {
    const missing = measureColumns(measure).filter((c) => !data.columns.includes(c));
    if (missing.length > 0) {
      results.set(key, { kind: 'error', message: `unknown column ${missing.map((c) => `"${c}"`).join(', ')} (the data has ${data.columns.length} columns: ${data.columns.slice(0, 8).join(', ')}${data.columns.length > 8 ? ', …' : ''})` });
    } else {
      runnable.push([key, measure]);
    }
  }

  // One rollup for everything that can share a pass.
  const shared: Record<string, string> = {};
  const separate: [string, Measure][] = [];
  runnable.forEach(([key, measure], i) => {
    try {
      if (measure.kind === 'aggregate' && measure.where) {
        separate.push([key, measure]);
        return;
      }
      Object.assign(shared, builder.rollupFields(`m${i}`, measure));
    } catch (e) {
      results.set(key, { kind: 'error', message: errorMessage(e) });
    }
  });
  const table = builder.table();
  stats.passes += builder.keyPasses;
  let row: Record<string, unknown> = {};
  if (Object.keys(shared).length > 0) {
    try {
      row = rollup(table, shared);
      stats.passes++;
    } catch {
      // One bad expression must not take the others down: isolate it.
      runnable.forEach(([key, measure], i) => {
        if (results.has(key) || separate.some(([k]) => k === key)) return;
        try {
          Object.assign(row, rollup(table, builder.rollupFields(`m${i}`, measure)));
        } catch (e) {
          results.set(key, { kind: 'error', message: errorMessage(e) });
        }
      });
      stats.passes++;
    }
  }
  runnable.forEach(([key, measure], i) => {
    if (results.has(key)) return;
    const id = `m${i}`;
    if (measure.kind === 'aggregate' && measure.where) {
      try {
        const filtered = table.filter(`(${measure.where}) ? true : false`) as unknown as ColumnTable;
        results.set(key, { kind: 'value', value: toScalar(rollup(filtered, { v: measure.expression }).v) });
        stats.passes++;
      } catch (e) {
        results.set(key, { kind: 'error', message: errorMessage(e) });
      }
      return;
    }
    results.set(key, builder.readResult(id, measure, row));
  });

  // Samples: only for row measures that failed, only as many rows as asked.
  runnable.forEach(([key, measure], i) => {
    const result = results.get(key);
    const limit = sampleLimits.get(key) ?? 0;
    if (measure.kind !== 'rows' || result?.kind !== 'rows' || result.failed === 0 || limit === 0) return;
    try {
      const failing = table.filter(`(${builder.rowCondition(`m${i}`, measure)}) ? true : false`).slice(0, limit) as unknown as ColumnTable;
      result.sampleIndexes = Array.from(failing.array(INDEX_COLUMN) as ArrayLike<number>);
      stats.samplePasses++;
    } catch {
      // Samples are a convenience; the counts above stand.
    }
  });
  return { measures: results, stats };
}

function rollup(table: ColumnTable, fields: Record<string, string>): Record<string, unknown> {
  return (table.rollup(fields) as unknown as ColumnTable).object(0) as Record<string, unknown>;
}

function toScalar(value: unknown): Scalar {
  if (value === undefined || (typeof value === 'number' && Number.isNaN(value))) return null;
  if (typeof value === 'bigint') return Number(value);
  return value as Scalar;
}

/** Columns a measure reads, including those in its expressions. */
export function measureColumns(measure: Measure): string[] {
  const columns = new Set<string>();
  if (measure.where) for (const c of parseExpression(measure.where, 'row').columns) columns.add(c);
  switch (measure.kind) {
    case 'rows':
      for (const c of measure.evaluatedNonNull) columns.add(c);
      for (const c of predicateColumns(measure.predicate)) columns.add(c);
      break;
    case 'null_count':
    case 'distinct_count':
    case 'stat':
      columns.add(measure.column);
      break;
    case 'duplicate_count':
      for (const c of measure.columns) columns.add(c);
      break;
    case 'aggregate':
      for (const c of parseExpression(measure.expression, 'aggregate').columns) columns.add(c);
      break;
    case 'row_count':
      break;
  }
  return [...columns];
}

function predicateColumns(p: RowPredicate): string[] {
  if (p.op === 'expression_false') return parseExpression(p.expression, 'row').columns;
  if (p.op === 'duplicate_key') return p.columns;
  return [p.column];
}

const col = (name: string): string => `d[${JSON.stringify(name)}]`;

/**
 * Builds arquero expressions for measures, and the helper columns and
 * parameters they need (raw-value status for `type`, key counts for
 * `unique`, value sets, compiled regexes).
 */
class ExpressionBuilder {
  private readonly params: Record<string, unknown> = {};
  private readonly helpers: Record<string, ArrayLike<unknown>> = {};
  private readonly keyCounts = new Map<string, string>();
  keyPasses = 0;

  constructor(private readonly data: LoadedData) {
    const n = data.rows;
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    this.helpers[INDEX_COLUMN] = idx;
  }

  table(): ColumnTable {
    return this.data.table.assign(this.helpers as Record<string, unknown[]>).params(this.params) as unknown as ColumnTable;
  }

  rollupFields(id: string, m: Measure): Record<string, string> {
    const w = m.where ? `(${m.where})` : 'true';
    switch (m.kind) {
      case 'rows': {
        const evaluated = this.evaluatedCondition(id, m);
        const failing = this.predicate(id, m.predicate);
        return {
          [`${id}_f`]: `op.sum(${w} && ${evaluated} && (${failing}) ? 1 : 0)`,
          [`${id}_e`]: `op.sum(${w} && ${evaluated} ? 1 : 0)`,
        };
      }
      case 'row_count':
        return { [id]: m.where ? `op.sum(${w} ? 1 : 0)` : 'op.count()' };
      case 'null_count':
        return { [id]: `op.sum(${w} && ${col(m.column)} == null ? 1 : 0)` };
      case 'distinct_count':
        // arquero counts null as a distinct value; subtract it when present.
        return {
          [id]: `op.distinct(${w} && ${col(m.column)} != null ? ${col(m.column)} : null)`,
          [`${id}_n`]: `op.sum(${w} && ${col(m.column)} != null ? 0 : 1)`,
        };
      case 'duplicate_count':
        return { [id]: `op.sum(${col(this.keyCountColumn(m.columns, m.where))} > 1 ? 1 : 0)` };
      case 'stat': {
        const value = `${w} ? ${col(m.column)} : null`;
        const fn = { min: 'min', max: 'max', mean: 'mean', median: 'median', stddev: 'stdev', sum: 'sum', quantile: 'quantile' }[m.stat];
        const args = m.stat === 'quantile' ? `${value}, ${m.q}` : value;
        return { [id]: `op.${fn}(${args})`, [`${id}_v`]: `op.sum(${w} && ${col(m.column)} != null ? 1 : 0)` };
      }
      case 'aggregate':
        return { [id]: `(${m.expression})` };
    }
  }

  readResult(id: string, m: Measure, row: Record<string, unknown>): MeasureResult {
    switch (m.kind) {
      case 'rows':
        return { kind: 'rows', failed: Number(row[`${id}_f`]), evaluated: Number(row[`${id}_e`]), sampleIndexes: [] };
      case 'distinct_count':
        return { kind: 'value', value: Number(row[id]) - (Number(row[`${id}_n`]) > 0 ? 1 : 0) };
      case 'stat':
        // sum over no values is 0 in arquero; every stat over no values is undefined here.
        return { kind: 'value', value: Number(row[`${id}_v`]) === 0 ? null : toScalar(row[id]) };
      default:
        return { kind: 'value', value: toScalar(row[id]) };
    }
  }

  /** The full condition of a failing row, for sample collection. */
  rowCondition(id: string, m: Extract<Measure, { kind: 'rows' }>): string {
    const w = m.where ? `(${m.where})` : 'true';
    return `${w} && ${this.evaluatedCondition(id, m)} && (${this.predicate(id, m.predicate)})`;
  }

  /** Rows whose check columns are non-null; `type` uses the raw value instead. */
  private evaluatedCondition(id: string, m: Extract<Measure, { kind: 'rows' }>): string {
    if (m.evaluatedNonNull.length === 0) return 'true';
    return m.evaluatedNonNull
      .map((c) => (m.predicate.op === 'invalid_type' && m.predicate.column === c ? `${col(this.statusColumn(id, c))} != ${RAW_NULL}` : `${col(c)} != null`))
      .join(' && ');
  }

  private predicate(id: string, p: RowPredicate): string {
    switch (p.op) {
      case 'is_null':
        return `${col(p.column)} == null`;
      case 'not_in':
      case 'in': {
        this.params[`${id}_set`] = new Set(p.values.map(comparableKey));
        return `${p.op === 'not_in' ? '!' : ''}op.assay_in(${col(p.column)}, $.${id}_set)`;
      }
      case 'out_of_range': {
        const parts: string[] = [];
        if (p.min !== undefined && p.min !== null) {
          this.params[`${id}_min`] = p.min;
          parts.push(`${col(p.column)} ${p.exclusive ? '<=' : '<'} $.${id}_min`);
        }
        if (p.max !== undefined && p.max !== null) {
          this.params[`${id}_max`] = p.max;
          parts.push(`${col(p.column)} ${p.exclusive ? '>=' : '>'} $.${id}_max`);
        }
        return parts.join(' || ') || 'false';
      }
      case 'length_out_of_range': {
        const len = `op.assay_length(${col(p.column)})`;
        const parts: string[] = [];
        if (p.min !== undefined) parts.push(`${len} < ${Number(p.min)}`);
        if (p.max !== undefined) parts.push(`${len} > ${Number(p.max)}`);
        return parts.join(' || ') || 'false';
      }
      case 'no_regex_match':
        this.params[`${id}_re`] = compileRegex(p.regex);
        return `!op.assay_regex($.${id}_re, ${col(p.column)})`;
      case 'invalid_format':
        return `!op.assay_format(${col(p.column)}, ${JSON.stringify(p.format)})`;
      case 'invalid_type':
        return `${col(this.statusColumn(id, p.column))} == ${RAW_INVALID}`;
      case 'duplicate_key':
        return `${col(this.keyCountColumn(p.columns, undefined))} > 1`;
      case 'expression_false':
        return `!(${p.expression})`;
    }
  }

  private statusColumn(id: string, column: string): string {
    const name = `__assay_status_${id}`;
    if (!this.helpers[name]) {
      const status = this.data.rawStatus.get(column);
      if (!status) throw new Error(`column "${column}" has no declared type`);
      this.helpers[name] = status;
    }
    return name;
  }

  /**
   * A helper column holding, per row, how often its non-null key occurs
   * among the rows in scope (0 for rows out of scope). One pass per key set.
   */
  private keyCountColumn(columns: string[], where: string | undefined): string {
    const signature = JSON.stringify([columns, where ?? null]);
    const existing = this.keyCounts.get(signature);
    if (existing) return existing;
    const name = `__assay_keycount_${this.keyCounts.size}`;
    const n = this.data.rows;
    const inScope = where ? (this.data.table.derive({ __w: `(${where}) ? true : false` }).array('__w') as ArrayLike<boolean>) : undefined;
    const arrays = columns.map((c) => this.data.table.array(c) as ArrayLike<unknown>);
    const keys = new Array<unknown>(n);
    const counts = new Map<unknown, number>();
    for (let i = 0; i < n; i++) {
      if (inScope && !inScope[i]) continue;
      let key: unknown;
      if (arrays.length === 1) {
        key = comparableKey(arrays[0][i]);
        if (key === null || key === undefined) continue;
      } else {
        const parts: unknown[] = [];
        let hasNull = false;
        for (const a of arrays) {
          const v = comparableKey(a[i]);
          if (v === null || v === undefined) hasNull = true;
          parts.push(v);
        }
        if (hasNull) continue;
        key = JSON.stringify(parts);
      }
      keys[i] = key;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const perRow = new Int32Array(n);
    for (let i = 0; i < n; i++) if (keys[i] !== undefined) perRow[i] = counts.get(keys[i])!;
    this.helpers[name] = perRow;
    this.keyCounts.set(signature, name);
    this.keyPasses++;
    return name;
  }
}
