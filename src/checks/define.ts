/**
 * The contract every check type fulfils. A check type is one file in this
 * folder that exports `defineCheck({...})`, plus one line in `index.ts`.
 * From the definition alone assay derives the JSON Schema of its YAML, the
 * documentation, the plan (what to measure) and the report message.
 */
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Measure, MeasureValue, RowPredicate } from '../plan/plan.js';
import type { Scalar } from '../values/types.js';
import type { CheckParams, CheckSpec, ColumnSpec, DatasetSpec } from '../policy/types.js';
import type { Message } from './message.js';
import type { HistoryPoint } from './history/band.js';

/** A JSON Schema fragment (kept loose: it is spliced into the published schema). */
export type JsonSchema = Record<string, unknown>;

/**
 * A check's own parameters, declared once as JSON Schema `properties` (plain
 * literals): the published schema splices them in as written, and
 * json-schema-to-ts derives the TypeScript type of `spec.params` from the same
 * literals at compile time (no code at run time).
 */
export type ParamProperties = Readonly<Record<string, Exclude<JSONSchema, boolean>>>;

/** The TypeScript type of parameters declared by `properties` with `required` keys, as the schema admits them. */
export type ParamsOf<P extends ParamProperties, R extends readonly string[]> = FromSchema<{ type: 'object'; properties: P; required: R; additionalProperties: false }>;

/** What a check knows when it validates or plans: its dataset's declarations. */
export interface CheckContext {
  dataset: DatasetSpec;
  /** Declared column, if any. */
  column(name: string): ColumnSpec | undefined;
  /**
   * Every dataset declared in the policy files, for checks that read another
   * one (reference, reconcile). Given at validation; absent elsewhere.
   */
  datasets?: readonly DatasetSpec[];
}

/** What a check knows when it is evaluated, besides its measured values. */
export interface EvaluationContext {
  /** The run's "now": the wall clock, or `--now` / `ASSAY_NOW`. */
  now: Date;
  /** The dataset's declared columns. */
  columns: Record<string, ColumnSpec>;
  /** The dataset's declarations, for checks whose params name other checks (`failed_rows(…)`). */
  dataset?: DatasetSpec;
  /**
   * The dataset's past points of a metric, before `now` (SPEC §6); absent
   * when the run keeps no history (`--no-history`).
   */
  history?: (metric: string) => readonly HistoryPoint[];
}

/**
 * What history said about a `change` or `anomaly` check: the JSON report's
 * `history` field, and what the HTML chart draws. Times are ISO 8601.
 */
export interface HistoryDetail {
  metric: string;
  /** The value under test. */
  value: number;
  /** `change`: the value compared with; `anomaly`: the band's centre. */
  baseline?: number;
  /** `change`: which baseline (`last`, `avg_7d`, `same_weekday`). */
  vs?: string;
  band?: { low: number; high: number };
  /** `anomaly`: the points the band was learned from. */
  training?: { from: string; to: string; points: number };
  /** `anomaly`: the weekday bucket compared with (`Monday`), or null without a weekly season. */
  season?: string | null;
  /** `anomaly` while learning: training points so far, and how many it needs. */
  learning?: { points: number; min_history: number };
  /** Recent points, oldest first, for the report's chart; `anomalous` marks points left out of training. */
  series: { time: string; value: number; anomalous?: true }[];
}

/** The outcome a check with its own thresholds reaches (before `severity` applies). */
export interface Verdict {
  /** `error`: the check could not run (e.g. the freshness column holds no timestamps at all). */
  outcome: 'pass' | 'warn' | 'fail' | 'error';
  /**
   * The value judged, or the differences found. Computed from the measured
   * values; the report shows it through the reader's gate, as the values in
   * `message` (built with the `message` template of ./message.ts: every
   * interpolated value is gated, only `text(…)` passes as is).
   */
  observed: Scalar | string[];
  /** The rule in words, e.g. `age <= 48h (warn after 24h)`. */
  threshold: string;
  message: Message;
  /** History behind a `change` or `anomaly` verdict (values: gated like `observed`). */
  history?: HistoryDetail;
}

/** A measure on another dataset, computed in that dataset's own pass. */
export interface ForeignMeasureRequest {
  dataset: string;
  measure: Measure;
}

/** A problem found by `validate`, relative to the check's params. */
export interface ParamProblem {
  /** Key under the check's params, e.g. `max`; omitted for the check itself. */
  key?: string;
  code: string;
  message: string;
  expected?: string;
}

/** Measured values a check's result is computed from. */
export interface RowOutcome {
  failedRows: number;
  evaluatedRows: number;
}

interface CommonDefinition<Params> {
  /** The YAML key, e.g. `range`; the file is named after it in kebab-case. */
  type: string;
  /** One line for docs and help. */
  summary: string;
  /** Why and how, for docs/checks.md: null handling, edge cases (a short paragraph). */
  details?: string;
  /** The check's YAML entry in a realistic use; docs/checks.md shows it and a test validates it. */
  example: Record<string, unknown>;
  /** JSON Schema `properties` of the check's own parameters (see ParamProperties). */
  params: ParamProperties;
  /** Parameters that must be present. */
  required?: readonly string[];
  /** Exactly one of these parameter sets must be present, e.g. column | columns. */
  oneOf?: string[][];
  /** Rules the schema cannot express (min <= max, column types). */
  validate?(params: Params, ctx: CheckContext): ParamProblem[];
  /** Columns the check reads; unknown ones make the check `error` at run time. */
  columns(spec: CheckSpec<Params>): string[];
  /** Name part after the column, default the type: `email.format`. */
  derivedName?(spec: CheckSpec<Params>): string;
  /**
   * The check's thresholds are its own parameters (`fail_after`, `tolerance`):
   * the generic `min`/`max`/`between`/`warn` and `fail_when`/`warn_when` do not apply.
   */
  ownThresholds?: boolean;
  /** False when `where` means nothing for the check (e.g. `schema`). */
  acceptsWhere?: boolean;
}

/**
 * A row check: observed = failing rows. By SPEC, rows whose value is null are
 * not evaluated unless `evaluatesNulls` is set (not_null, expression).
 */
export interface RowCheckDefinition<Params = CheckParams> extends CommonDefinition<Params> {
  kind: 'row';
  /** Rows with null in the check's columns count as evaluated (and may fail). */
  evaluatesNulls?: boolean;
  /** The condition under which a row fails, in the engine-neutral plan IR. */
  predicate(spec: CheckSpec<Params>, ctx: CheckContext): RowPredicate;
  /** e.g. "are not valid emails" in "7 of 988 non-null values are not valid emails". */
  failureText(spec: CheckSpec<Params>): string;
}

/** An aggregate check: observed = one value computed from named measures. */
export interface AggregateCheckDefinition<Params = CheckParams> extends CommonDefinition<Params> {
  kind: 'aggregate';
  /** Measures needed, by local name; the compiler dedupes them across checks. */
  measures(spec: CheckSpec<Params>, ctx: CheckContext): Record<string, Measure>;
  /**
   * Combine measured values into the observed value (null: cannot be computed),
   * judged against the generic bounds. Checks with `judge` need not define it.
   */
  observe?(values: Record<string, Scalar>, spec: CheckSpec<Params>): Scalar;
  /** e.g. "row count", "mean of amount"; used in messages and thresholds. */
  observedLabel(spec: CheckSpec<Params>): string;
  /** Measures needed from other datasets (reconcile), by local name. */
  foreignMeasures?(spec: CheckSpec<Params>, ctx: CheckContext): Record<string, ForeignMeasureRequest>;
  /**
   * For checks with `ownThresholds`: decide the outcome from the measured
   * values (local and foreign, by local name). Others use the generic bounds.
   */
  judge?(values: Record<string, MeasureValue>, spec: CheckSpec<Params>, ctx: EvaluationContext): Verdict;
  /** The history metric the check compares with (change, anomaly): the run loads its past points before evaluating. */
  historyMetric?(spec: CheckSpec<Params>, ctx: CheckContext): string;
}

export type CheckDefinition<Params = CheckParams> = RowCheckDefinition<Params> | AggregateCheckDefinition<Params>;

type DefinitionOfKind<K extends CheckDefinition['kind'], T> = K extends 'row' ? RowCheckDefinition<T> : AggregateCheckDefinition<T>;

/**
 * A check type. Its `params` (and `required`) are read as literals, so every
 * method sees `spec.params` typed by the schema it declares.
 */
// The type is a defaulted parameter, not computed in the signature: json-schema-to-ts types are
// resolved only once P and R are known (the library's own pattern for generic functions).
export function defineCheck<const P extends ParamProperties, K extends CheckDefinition['kind'], const R extends readonly (keyof P & string)[] = [], T = ParamsOf<P, R>>(
  definition: DefinitionOfKind<K, NoInfer<T>> & { kind: K; params: P; required?: R },
): DefinitionOfKind<K, T>;
export function defineCheck(definition: CheckDefinition): CheckDefinition {
  return definition;
}

/** Schema for a single column name parameter. */
export const COLUMN_PARAM = { type: 'string', minLength: 1, description: 'Column the check applies to' } as const;
/** Schema for a list of columns (a composite key). */
export const COLUMNS_PARAM = {
  type: 'array',
  items: { type: 'string', minLength: 1 },
  minItems: 1,
  uniqueItems: true,
  description: 'Columns that together form the key',
} as const;
/** Literal values as they appear in YAML. */
export const VALUES_PARAM = {
  type: 'array',
  items: { type: ['string', 'number', 'boolean'] },
  minItems: 1,
  description: "Values, read as the column's declared type (ISO text for dates)",
} as const;

/** The columns of a check that names `column` or `columns`. */
export function columnOrColumns(spec: CheckSpec): string[] {
  return spec.columns ?? (spec.column ? [spec.column] : []);
}

/**
 * The metric of a `change` or `anomaly` check (src/history/metric.ts). Here,
 * not beside the parser, so the check files need nothing from the history
 * modules while the registry loads (those import the registry back).
 */
export const METRIC_PARAM = {
  type: 'string',
  minLength: 1,
  description: 'row_count, missing_count(c), missing_percent(c), distinct_count(c), duplicate_count(c, …), min|max|mean|median|stddev|sum(c), quantile(c, q), failed_rows(check) or an aggregate expression',
} as const;
