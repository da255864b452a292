/**
 * Metric keys: the stable, readable names under which measured values enter
 * history (SPEC §6), and the metric expressions of `change` and `anomaly`
 * checks, which name the same measures:
 *
 *   row_count                       rows (after `where`)
 *   missing_count(email)            nulls;  missing_percent(email): nulls × 100 / rows
 *   distinct_count(country)         distinct non-null values
 *   duplicate_count(a, b)           rows whose non-null key repeats
 *   max(amount) … quantile(amount, 0.9)   statistics over non-null values
 *   failed_rows(orders.email.format)      a row check's failing rows
 *   op.sum(d.amount)                any aggregate expression
 *
 * A metric with `where` is `<key> where <expression>`. A metric expression is
 * parsed into the plan's measures, so it is computed in the dataset's single
 * read with everything else.
 */
import { lookUpCheck as checkDefinition } from '../lookup.js';
import type { CheckContext } from '../define.js';
import { ExpressionError, parseExpression } from '../../expr/parse.js';
import type { Measure, Stat } from '../../plan/plan.js';
import type { Scalar } from '../../values/types.js';
import type { CheckSpec, DatasetSpec } from '../../policy/types.js';

const STATS: readonly Stat[] = ['min', 'max', 'mean', 'median', 'stddev', 'sum'];
const COUNTS = ['missing_count', 'missing_percent', 'distinct_count', 'duplicate_count', 'failed_rows', 'quantile', ...STATS];
/** `name(args)`, where name is one of assay's metric names; anything else is an aggregate expression. */
const CALL = /^\s*([a-z_]+)\s*\(\s*(.*?)\s*\)\s*$/s;

/** A metric expression, resolved against its dataset: the measures it needs and how its value follows. */
export interface ParsedMetric {
  /** The history key, without `where`. */
  key: string;
  measures: Record<string, Measure>;
  /** The metric's value from the measured values (null: cannot be computed). */
  value(values: Record<string, Scalar>): Scalar;
  /** Columns the metric reads. */
  columns: string[];
  /** Columns whose values the metric is computed from (a max, a sum, an expression); none for counts. */
  valueColumns: string[];
}

/** Thrown for a metric expression that does not name a known measure; the message says what to write. */
export class MetricError extends Error {}

/**
 * Parse a metric expression of a check on `dataset`. `failed_rows(…)` names
 * a row check of the same dataset by name or id.
 */
export function parseMetric(text: string, where: string | undefined, ctx: Pick<CheckContext, 'dataset'>): ParsedMetric {
  const trimmed = text.trim();
  if (trimmed === 'row_count') return { key: 'row_count', measures: { value: withWhere({ kind: 'row_count' }, where) }, value: (v) => v.value, columns: [], valueColumns: [] };
  const call = CALL.exec(trimmed);
  if (call && COUNTS.includes(call[1])) {
    const [, name, inner] = call;
    const args = inner === '' ? [] : inner.split(',').map((a) => a.trim());
    const one = (): string => {
      if (args.length !== 1 || args[0] === '') throw new MetricError(`${name}(…) takes one column, e.g. ${name}(email)`);
      return args[0];
    };
    switch (name) {
      case 'missing_count': {
        const column = one();
        return { key: `missing_count(${column})`, measures: { value: withWhere({ kind: 'null_count', column }, where) }, value: (v) => v.value, columns: [column], valueColumns: [] };
      }
      case 'missing_percent': {
        const column = one();
        return {
          key: `missing_percent(${column})`,
          measures: { nulls: withWhere({ kind: 'null_count', column }, where), rows: withWhere({ kind: 'row_count' }, where) },
          value: (v) => missingPercent(v.nulls, v.rows),
          columns: [column],
          valueColumns: [],
        };
      }
      case 'distinct_count': {
        const column = one();
        return { key: `distinct_count(${column})`, measures: { value: withWhere({ kind: 'distinct_count', column }, where) }, value: (v) => v.value, columns: [column], valueColumns: [] };
      }
      case 'duplicate_count': {
        if (args.length === 0 || args.some((a) => a === '')) throw new MetricError('duplicate_count(…) takes one or more columns, e.g. duplicate_count(customer_id, created_at)');
        return { key: `duplicate_count(${args.join(', ')})`, measures: { value: withWhere({ kind: 'duplicate_count', columns: args }, where) }, value: (v) => v.value, columns: args, valueColumns: [] };
      }
      case 'quantile': {
        const q = Number(args[1]);
        if (args.length !== 2 || args[0] === '' || args[1] === '' || !(q >= 0 && q <= 1)) throw new MetricError('quantile(…) takes a column and q from 0 to 1, e.g. quantile(amount, 0.9)');
        return { key: `quantile(${args[0]}, ${q})`, measures: { value: withWhere({ kind: 'stat', stat: 'quantile', column: args[0], q }, where) }, value: (v) => v.value, columns: [args[0]], valueColumns: [args[0]] };
      }
      case 'failed_rows':
        return failedRows(one(), where, ctx.dataset);
      default: {
        const column = one();
        const stat = name as Stat;
        return { key: `${stat}(${column})`, measures: { value: withWhere({ kind: 'stat', stat, column }, where) }, value: (v) => v.value, columns: [column], valueColumns: [column] };
      }
    }
  }
  let columns: string[];
  try {
    columns = parseExpression(trimmed, 'aggregate').columns;
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    throw new MetricError(`${e.message} (a metric is row_count, missing_count(c), missing_percent(c), distinct_count(c), duplicate_count(c), min|max|mean|median|stddev|sum(c), quantile(c, q), failed_rows(check) or an aggregate expression)`);
  }
  return { key: trimmed, measures: { value: withWhere({ kind: 'aggregate', expression: trimmed }, where) }, value: (v) => v.value, columns, valueColumns: columns };
}

/** The history key of a check's metric: its key, then ` where …` when the check has a `where`. */
export function metricKey(key: string, where: string | undefined): string {
  return where ? `${key} where ${where}` : key;
}

function withWhere<M extends Measure>(measure: M, where: string | undefined): M {
  return where ? { ...measure, where } : measure;
}

function missingPercent(nulls: Scalar, rows: Scalar): Scalar {
  if (typeof nulls !== 'number' || typeof rows !== 'number') return null;
  return rows === 0 ? 0 : (nulls * 100) / rows;
}

/** `failed_rows(email.format)` or `failed_rows(orders.email.format)`: a row check of the same dataset, measured as that check is. */
function failedRows(name: string, where: string | undefined, dataset: DatasetSpec): ParsedMetric {
  if (where) throw new MetricError('failed_rows(…) counts the rows the check itself evaluates; give "where" on that check, not here');
  const target = dataset.checks.find((c) => c.id === name || c.name === name);
  if (!target) {
    const rowChecks = dataset.checks.filter((c) => checkDefinition(c.type)?.kind === 'row').map((c) => c.id);
    throw new MetricError(`no check "${name}" in dataset "${dataset.name}"${rowChecks.length ? ` (row checks: ${rowChecks.slice(0, 6).join(', ')})` : ''}`);
  }
  const definition = checkDefinition(target.type);
  if (definition?.kind !== 'row') throw new MetricError(`"${name}" is a ${target.type} check; failed_rows(…) needs a row check`);
  return { key: `failed_rows(${target.id})`, measures: { value: rowsMeasureOf(target, dataset) }, value: (v) => v.value, columns: definition.columns(target), valueColumns: [] };
}

/** A row check's measure, exactly as the compiler builds it (so the two are one measure). */
export function rowsMeasureOf(spec: CheckSpec, dataset: DatasetSpec): Measure {
  const definition = checkDefinition(spec.type);
  if (definition?.kind !== 'row') throw new Error(`${spec.type} is not a row check`);
  const predicate = definition.predicate(spec, { dataset, column: (name) => dataset.columns[name] });
  const evaluatedNonNull = definition.evaluatesNulls ? [] : definition.columns(spec);
  return { kind: 'rows', predicate, evaluatedNonNull, ...(spec.where ? { where: spec.where } : {}) };
}

