/**
 * Stage 6, evaluate: measured values + thresholds → a status per check
 * (pass / warn / fail / error), its observed value and its message. Pure:
 * no data access, no engine; the same inputs give the same results.
 *
 * The status is decided on the measured values; what the result carries
 * (observed, message) is shown through the report reader's gate: a value
 * computed from columns (plan `valueSources`) appears only as the reader may
 * see those columns (access/reader.ts; SPEC §1.3). Counts pass as they are.
 */
import { checkDefinition } from './checks/index.js';
import type { AggregateCheckDefinition, EvaluationContext, HistoryDetail, RowCheckDefinition } from './checks/define.js';
import { describeBounds, describeCondition, describeFailure, holds, kindMismatch, nearlyEqual, withinBounds } from './checks/thresholds.js';
import type { DatasetResults, MeasureResult } from './engine/executor.js';
import { anonymousReader, valueGate, type Reader, type ValueGate } from './access/reader.js';
import { message, renderMessage, text, type Message } from './checks/message.js';
import type { DatasetPlan, MeasureValue, PlannedCheck } from './plan/plan.js';
import type { Scalar } from './values/types.js';
import type { ColumnSpec, DatasetSpec } from './policy/types.js';
import type { SourceLocation } from './util/diagnostics.js';

export type Status = 'pass' | 'warn' | 'fail' | 'error';

/** Severity order used for "worst of": a run's status is the worst of its checks. */
export const STATUS_ORDER: Status[] = ['pass', 'warn', 'fail', 'error'];

export function worst(statuses: Iterable<Status>): Status {
  let w: Status = 'pass';
  for (const s of statuses) if (STATUS_ORDER.indexOf(s) > STATUS_ORDER.indexOf(w)) w = s;
  return w;
}

export interface CheckResult {
  planned: PlannedCheck;
  status: Status;
  /** As the reader may see it (gated). */
  observed: Scalar | unknown[];
  failedRows?: number;
  evaluatedRows?: number;
  threshold: string;
  /** Rendered through the reader's gate. */
  message: string;
  sampleIndexes: number[];
  /** A `change` or `anomaly` check's history (baseline, band, recent points); absent when the reader may not see the metric's values. */
  history?: HistoryDetail;
}

/** Measured results of other datasets, by dataset name then measure key (for reconcile). */
export type ForeignResults = ReadonlyMap<string, ReadonlyMap<string, MeasureResult>>;

export interface EvaluateOptions {
  /** Default: the wall clock. */
  now?: Date;
  foreign?: ForeignResults;
  /** The dataset's declared columns (evaluateDataset takes them from the plan). */
  columns?: Record<string, ColumnSpec>;
  /** Who the results are shown to; default: nobody in particular (classified values redacted). */
  reader?: Reader;
  /** Declared datasets by name, for the reader's view of their columns; values of datasets not given are redacted. */
  datasets?: ReadonlyMap<string, DatasetSpec>;
  /** Past points of the dataset's metrics, for change and anomaly checks (SPEC §6); absent: no history. */
  history?: EvaluationContext['history'];
}

export function evaluateDataset(plan: DatasetPlan, results: DatasetResults, options: EvaluateOptions = {}): CheckResult[] {
  return plan.checks.map((planned) => evaluateCheck(planned, results.measures, { columns: plan.columns, ...options }));
}

export function evaluateCheck(planned: PlannedCheck, measures: Map<string, MeasureResult>, options: EvaluateOptions = {}): CheckResult {
  const definition = checkDefinition(planned.spec.type)!;
  const gate = valueGate(options.reader ?? anonymousReader, options.datasets ?? new Map(), planned.valueSources);
  const inputs: Record<string, MeasureResult | undefined> = Object.fromEntries(Object.entries(planned.measures).map(([name, key]) => [name, measures.get(key)]));
  for (const [name, { dataset, key }] of Object.entries(planned.foreign ?? {})) {
    inputs[name] = options.foreign?.get(dataset)?.get(key) ?? { kind: 'error', message: `dataset "${dataset}" was not measured` };
  }
  const failed = Object.values(inputs).find((r) => !r || r.kind === 'error');
  if (failed !== undefined) {
    return {
      planned,
      status: 'error',
      observed: null,
      threshold: '',
      // A name the policy got wrong (undeclared columns are only found in the data): say where the check is declared.
      message: `check could not run${failed?.kind === 'error' && failed.inPolicy ? ` (${locationText(planned.spec.location)})` : ''}: ${failed?.kind === 'error' ? failed.message : 'no result'}`,
      sampleIndexes: [],
    };
  }
  if (definition.kind === 'row') return evaluateRowCheck(planned, definition, inputs.rows as Extract<MeasureResult, { kind: 'rows' }>);
  const judged = definition.judge
    ? judgeCheck(planned, definition, inputs as Record<string, MeasureResult>, {
        now: options.now ?? new Date(),
        columns: options.columns ?? {},
        dataset: options.datasets?.get(planned.spec.dataset),
        history: options.history,
      })
    : evaluateAggregateCheck(planned, definition, inputs as Record<string, Extract<MeasureResult, { kind: 'value' }>>);
  return shownTo(gate, judged);
}

/** An aggregate check's result before the gate: observed as measured, message with its values still as slots. */
interface Judged extends Omit<CheckResult, 'observed' | 'message' | 'history'> {
  observed: Scalar | string[];
  message: Message;
  history?: HistoryDetail;
}

/** The one place an aggregate check's values become what the reader sees. */
function shownTo(gate: ValueGate, judged: Judged): CheckResult {
  const { history, ...rest } = judged;
  const shown: CheckResult = { ...rest, observed: judged.observed === null ? null : gate(judged.observed), message: renderMessage(judged.message, gate) };
  if (history && historyVisible(gate, history)) shown.history = history;
  return shown;
}

/** The history detail is shown whole or not at all: every value in it must pass the gate unchanged. */
function historyVisible(gate: ValueGate, history: HistoryDetail): boolean {
  const values = [history.value, history.baseline, history.band?.low, history.band?.high, ...history.series.map((p) => p.value)];
  return values.every((v) => v === undefined || gate(v) === v);
}

/** Checks with their own thresholds (freshness, schema, reconcile) decide for themselves. */
function judgeCheck(planned: PlannedCheck, definition: AggregateCheckDefinition, inputs: Record<string, MeasureResult>, ctx: EvaluationContext): Judged {
  const values: Record<string, MeasureValue> = {};
  // A row check's measure gives its failing rows (a change check on `failed_rows(…)`).
  for (const [name, result] of Object.entries(inputs)) values[name] = result.kind === 'columns' ? result.columns : result.kind === 'value' ? result.value : result.kind === 'rows' ? result.failed : null;
  const verdict = definition.judge!(values, planned.spec, ctx);
  const status: Status = verdict.outcome === 'fail' ? statusOf(true, false, planned.spec.severity) : verdict.outcome;
  return { planned, status, observed: verdict.observed, threshold: verdict.threshold, message: verdict.message, sampleIndexes: [], ...(verdict.history ? { history: verdict.history } : {}) };
}

function evaluateRowCheck(planned: PlannedCheck, definition: RowCheckDefinition, rows: Extract<MeasureResult, { kind: 'rows' }>): CheckResult {
  const { spec } = planned;
  const failed = rows.failed;
  const evaluated = rows.evaluated;
  let failing: boolean;
  let threshold: string;
  if (planned.failWhen) {
    failing = holds(planned.failWhen, failed, evaluated);
    threshold = describeCondition('failed_rows', planned.failWhen);
  } else if (spec.mostly !== undefined) {
    const passedPercent = evaluated === 0 ? 100 : ((evaluated - failed) * 100) / evaluated;
    failing = passedPercent < spec.mostly && !nearlyEqual(passedPercent, spec.mostly);
    threshold = `failed_percent > ${round(100 - spec.mostly)}`;
  } else {
    failing = failed > 0;
    threshold = 'failed_rows > 0';
  }
  const warning = planned.warnWhen ? holds(planned.warnWhen, failed, evaluated) : false;
  if (planned.warnWhen) threshold += `; warn when ${describeCondition('failed_rows', planned.warnWhen)}`;
  const population = definition.evaluatesNulls ? 'rows' : 'non-null values';
  return {
    planned,
    status: statusOf(failing, warning, spec.severity),
    observed: failed,
    failedRows: failed,
    evaluatedRows: evaluated,
    threshold,
    message: `${failed} of ${evaluated} ${population}${spec.where ? ' in scope' : ''} ${definition.failureText(spec)}`,
    sampleIndexes: rows.sampleIndexes.slice(0, spec.samples),
  };
}

function evaluateAggregateCheck(
  planned: PlannedCheck,
  definition: AggregateCheckDefinition,
  inputs: Record<string, Extract<MeasureResult, { kind: 'value' }>>,
): Judged {
  const { spec } = planned;
  const values = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value]));
  const observed = definition.observe!(values, spec);
  const label = definition.observedLabel(spec);
  // Like a row check's, the threshold says when the check fails (then when it warns).
  const threshold = [
    planned.bounds ? describeFailure(label, planned.bounds) : planned.failWhen ? describeCondition(label, planned.failWhen) : undefined,
    planned.warnBounds ? `warn when ${describeFailure(label, planned.warnBounds)}` : planned.warnWhen ? `warn when ${describeCondition(label, planned.warnWhen)}` : undefined,
  ].filter((t) => t !== undefined).join('; ');
  if (observed === null || (typeof observed === 'number' && !Number.isFinite(observed))) {
    // A value that cannot be computed meets no bound: it fails the fail
    // bounds, or only warns when the check has warn bounds alone.
    const hasFailThreshold = planned.bounds !== undefined || planned.failWhen !== undefined;
    const status = statusOf(hasFailThreshold, !hasFailThreshold, spec.severity);
    return { planned, status, observed: null, threshold, message: message`${text(label)} cannot be computed: no non-null values`, sampleIndexes: [] };
  }
  const mismatch = kindMismatch(observed, [planned.bounds, planned.warnBounds], [planned.failWhen, planned.warnWhen]);
  if (mismatch) {
    // Like with like only (SPEC §1.2): text, a list or a date against a numeric bound is not known to pass.
    const what = spec.column !== undefined ? `the column holds ${mismatch.observed}` : `the value is ${mismatch.observed}`;
    return { planned, status: 'error', observed: null, threshold, message: message`${text(label)} is not ${text(mismatch.expected)}: ${text(what)}`, sampleIndexes: [] };
  }
  const numeric = observed as number | bigint; // kindMismatch let only numbers reach a condition
  const failing = (planned.bounds !== undefined && !withinBounds(observed, planned.bounds)) || (planned.failWhen !== undefined && holds(planned.failWhen, numeric));
  const warning =
    (planned.warnBounds !== undefined && !withinBounds(observed, planned.warnBounds)) || (planned.warnWhen !== undefined && holds(planned.warnWhen, numeric));
  let rule = '';
  if (failing) rule = planned.bounds ? `; expected ${describeBounds(label, planned.bounds).slice(label.length + 1)}` : `; fails when ${describeCondition(label, planned.failWhen!).slice(label.length + 1)}`;
  else if (warning) rule = planned.warnBounds ? `; warn unless ${describeBounds(label, planned.warnBounds).slice(label.length + 1)}` : `; warns when ${describeCondition(label, planned.warnWhen!).slice(label.length + 1)}`;
  return { planned, status: statusOf(failing, warning, spec.severity), observed, threshold, message: message`${text(label)} is ${observed}${text(rule)}`, sampleIndexes: [] };
}

function locationText(at: SourceLocation): string {
  return `${at.file}:${at.line}:${at.col}`;
}

function statusOf(failing: boolean, warning: boolean, severity: 'error' | 'warn'): Status {
  if (failing) return severity === 'warn' ? 'warn' : 'fail';
  return warning ? 'warn' : 'pass';
}


export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
