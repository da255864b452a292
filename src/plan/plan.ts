/**
 * The engine-neutral plan: what to measure on each dataset, and how each
 * check's result follows from the measures. The compiler produces it without
 * reading data; an executor (arquero today, SQL later) computes the measures.
 * Plans are JSON-serialisable so they can be printed and golden-tested.
 */
import type { CheckSpec, DatasetSource, ColumnSpec } from '../policy/types.js';
import type { Bounds, Condition } from '../checks/thresholds.js';
import { parseExpression } from '../expr/parse.js';
import type { ObservedColumn, Scalar } from '../values/types.js';

/**
 * When a row fails a row check. Each executor translates these ops; the set
 * is deliberately small and generic so most new checks reuse it.
 */
export type RowPredicate =
  | { op: 'is_null'; column: string }
  | { op: 'not_in'; column: string; values: Scalar[] }
  | { op: 'in'; column: string; values: Scalar[] }
  | { op: 'out_of_range'; column: string; min?: Scalar; max?: Scalar; exclusive: boolean }
  | { op: 'length_out_of_range'; column: string; min?: number; max?: number }
  | { op: 'no_regex_match'; column: string; regex: string }
  | { op: 'invalid_format'; column: string; format: string }
  | { op: 'invalid_type'; column: string }
  | { op: 'duplicate_key'; columns: string[] }
  | { op: 'expression_false'; expression: string }
  /** The value is absent from another dataset's key column (set membership; the set is an input). */
  | { op: 'not_in_key_set'; column: string; keys: KeySetRef };

/**
 * The non-null values of another dataset's column, used as a set by
 * `reference` checks. The referenced dataset's plan measures it (a `key_set`
 * measure, in the same read as its own measures); the pipeline hands the set
 * to the executor of the dataset that references it.
 */
export interface KeySetRef {
  dataset: string;
  column: string;
}

/** A stable identity for a key set (column names may contain dots). */
export function keySetKey(ref: KeySetRef): string {
  return JSON.stringify([ref.dataset, ref.column]);
}

/**
 * Something an executor measures over one dataset. Measures are deduplicated
 * by `measureKey`, so ten checks needing `row_count` cost one count.
 */
export type Measure =
  /** failed + evaluated row counts (and sample rows) for one row check. */
  | { kind: 'rows'; predicate: RowPredicate; evaluatedNonNull: string[]; where?: string }
  | { kind: 'row_count'; where?: string }
  | { kind: 'null_count'; column: string; where?: string }
  | { kind: 'distinct_count'; column: string; where?: string }
  | { kind: 'duplicate_count'; columns: string[]; where?: string }
  | { kind: 'stat'; stat: Stat; column: string; q?: number; where?: string }
  | { kind: 'aggregate'; expression: string; where?: string }
  /** Rows failing at least one of these row measures: their union, not their sum (per-column report). */
  | { kind: 'rows_failing_any'; measures: RowsMeasure[]; where?: undefined }
  /** Newest modification time of the source files (the loader knows it; no scan). */
  | { kind: 'source_mtime'; where?: undefined }
  /** The columns the loader found and their observed types (no scan). */
  | { kind: 'columns'; where?: undefined }
  /** The non-null values of a column, which other datasets' reference checks look values up in. */
  | { kind: 'key_set'; column: string; where?: undefined };

/** What a measure yields: one value, or the observed columns for `columns`. */
export type MeasureValue = Scalar | ObservedColumn[];

/** The measure of one row check. */
export type RowsMeasure = Extract<Measure, { kind: 'rows' }>;

export type Stat = 'min' | 'max' | 'mean' | 'median' | 'stddev' | 'sum' | 'quantile';

/**
 * The `default` of every switch over measure kinds: with every kind handled,
 * `m` is `never`, so a new kind that an executor forgets is a type error, and
 * if one still arrives at run time it is a loud bug, never a quiet fallback.
 */
export function unhandledMeasure(m: never): never {
  throw new Error(`no handling for measure ${JSON.stringify(m)}`);
}

/** A stable identity for a measure, used to dedupe and to look results up. */
export function measureKey(measure: Measure): string {
  return JSON.stringify(measure, (_k, v) => (v instanceof Date ? v.toISOString() : v));
}

/**
 * Every column a measure reads (its `where` clause included). Throws an
 * ExpressionError when an expression does not parse.
 */
export function measureColumns(measure: Measure): string[] {
  const columns = new Set<string>();
  if (measure.where) for (const c of parseExpression(measure.where, 'row').columns) columns.add(c);
  switch (measure.kind) {
    case 'rows':
      for (const c of measure.evaluatedNonNull) columns.add(c);
      for (const c of predicateColumns(measure.predicate)) columns.add(c);
      break;
    case 'duplicate_count':
      for (const c of measure.columns) columns.add(c);
      break;
    case 'null_count':
    case 'distinct_count':
      columns.add(measure.column);
      break;
    case 'row_count':
    case 'source_mtime':
    case 'columns':
    case 'rows_failing_any':
      // Its parts are measures of their own; absent columns read as nulls.
      break;
    default:
      for (const c of measureValueColumns(measure)) columns.add(c);
  }
  return [...columns];
}

/**
 * The columns whose values a measure's result is computed from: a statistic's
 * column, every column of an aggregate expression (whatever its functions:
 * assay does not guess whether an expression only counts). Empty for
 * counts (rows, nulls, distinct values, duplicates), which are not values
 * (SPEC §1.3). `where` columns choose rows; they are not part of the value.
 * The report gate (access/reader.ts) shows a value only through the reader's
 * view of these columns.
 */
export function measureValueColumns(measure: Measure): string[] {
  switch (measure.kind) {
    case 'stat':
    case 'key_set':
      return [measure.column];
    case 'aggregate':
      return parseExpression(measure.expression, 'aggregate').columns;
    default:
      return [];
  }
}

/** Aggregates whose result is one of their argument's values (or a list of them), not a value computed from them. */
const CELL_AGGREGATES = new Set(['min', 'max', 'median', 'quantile', 'mode', 'any', 'array_agg', 'array_agg_distinct']);

/**
 * True when a measure's value is a cell of its column (a max, a quantile,
 * `op.array_agg(d.ssn)`, a reference key), so a reader's mask applies to it as
 * to that column's cells. A value computed from cells (a sum, a length, a
 * substring's max) is not one: a mask such as partial or hash on it would show
 * what the mask hides of the cells, so it is redacted for a masked reader.
 */
export function measureShowsCells(measure: Measure): boolean {
  switch (measure.kind) {
    case 'stat':
      return ['min', 'max', 'median', 'quantile'].includes(measure.stat);
    case 'key_set':
      return true;
    case 'aggregate': {
      const { ast } = parseExpression(measure.expression, 'aggregate');
      return ast.type === 'call' && CELL_AGGREGATES.has(ast.fn) && ast.args[0]?.type === 'column';
    }
    default:
      return false;
  }
}

function predicateColumns(p: RowPredicate): string[] {
  if (p.op === 'expression_false') return parseExpression(p.expression, 'row').columns;
  if (p.op === 'duplicate_key') return p.columns;
  return [p.column];
}

/** A column of a dataset: where a value shown in a report comes from. */
export interface ColumnRef {
  dataset: string;
  column: string;
  /** The value is computed from the column's cells, not one of them (measureShowsCells): masked readers see it redacted. */
  derived?: boolean;
}

/** A compiled check: what it is, which measures it reads, and its thresholds. */
export interface PlannedCheck {
  spec: CheckSpec;
  kind: 'row' | 'aggregate';
  /** Local measure name → measure key in the dataset's measure table. */
  measures: Record<string, string>;
  /** Local measure name → a measure in another dataset's table (reconcile). */
  foreign?: Record<string, ForeignMeasure>;
  /** Columns read; checked against the data before anything runs. */
  columns: string[];
  /**
   * The columns the check's observed value and message values are computed
   * from (measureValueColumns of its local and foreign measures), and for a
   * `reference` check the key column it references. The report shows those
   * values, and a row check's sampled values, only through the reader's view
   * of these columns too.
   */
  valueSources: ColumnRef[];
  failWhen?: Condition;
  warnWhen?: Condition;
  bounds?: Bounds;
  warnBounds?: Bounds;
}

/** A measure computed on another dataset, in that dataset's own pass. */
export interface ForeignMeasure {
  dataset: string;
  key: string;
}

export interface DatasetPlan {
  name: string;
  source: DatasetSource;
  columns: Record<string, ColumnSpec>;
  /** Deduplicated measures by key. */
  measures: Record<string, Measure>;
  checks: PlannedCheck[];
  /**
   * Per column, the measures of the report's `columns` section: its null
   * count and the rows failing any row check on it (absent when none checks rows).
   */
  columnProfile?: Record<string, { missing: string; failing?: string }>;
}

export interface Plan {
  /** The datasets to check, in declaration order. */
  datasets: DatasetPlan[];
  /**
   * Datasets read only because checked ones refer to them (reference,
   * reconcile): no checks, only the measures (key sets, metrics) others need.
   */
  referenced: DatasetPlan[];
}

/** Key sets a dataset's checks read from other datasets. */
export function keySetsNeeded(plan: DatasetPlan): KeySetRef[] {
  const found = new Map<string, KeySetRef>();
  for (const measure of Object.values(plan.measures)) {
    if (measure.kind === 'rows' && measure.predicate.op === 'not_in_key_set') found.set(keySetKey(measure.predicate.keys), measure.predicate.keys);
  }
  return [...found.values()];
}

/** Other datasets a dataset's checks read (key sets and foreign measures). */
export function dependenciesOf(plan: DatasetPlan): string[] {
  const names = new Set(keySetsNeeded(plan).map((k) => k.dataset));
  for (const check of plan.checks) for (const f of Object.values(check.foreign ?? {})) names.add(f.dataset);
  names.delete(plan.name);
  return [...names];
}
