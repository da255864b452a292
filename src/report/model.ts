/**
 * The JSON report (SPEC §3): built once from the run's results; every other
 * format is rendered from it. Field names are a contract.
 */
import type { CheckResult, Status } from '../evaluate.js';
import { round, worst } from '../evaluate.js';
import type { MeasureResult } from '../engine/executor.js';
import type { DatasetPlan } from '../plan/plan.js';
import type { Scalar } from '../values/types.js';
import type { HistoryDetail } from '../checks/define.js';
import { boundDatasets, type ReportTruncation } from './bounds.js';

import { ASSAY_VERSION } from '../version.js';

export { ASSAY_VERSION };

export interface SampleRow {
  /** 1-based data row in the source file (header excluded); absent for a table row identified by `key`. */
  row?: number;
  /** A table row's key columns and values (the dataset's `key`, else the table's primary key). */
  key?: Record<string, unknown>;
  /** The source file, when the dataset was read from several. */
  file?: string;
  values: Record<string, unknown>;
}

export interface CheckReport {
  id: string;
  name: string;
  type: string;
  column?: string;
  columns?: string[];
  severity: 'error' | 'warn';
  status: Status;
  observed: unknown;
  failed_rows?: number;
  evaluated_rows?: number;
  failed_percent?: number;
  threshold: string;
  message: string;
  samples: SampleRow[];
  /** Samples the report left out to stay within its limits (report/bounds.ts). */
  samples_omitted?: number;
  controls: string[];
  description?: string;
  /** `change` and `anomaly` checks: the baseline, band, training window and recent points (SPEC §6). */
  history?: HistoryDetail;
}

export interface DatasetReport {
  name: string;
  source: string;
  rows: number | null;
  fingerprint: string | null;
  status: Status;
  /** Why the dataset could not be checked (its data could not be read). */
  error?: string;
  /** Which executor measured the dataset and how many checks ran in its engine (SPEC §5.1); absent when unread. */
  engine?: { name: string; pushed_down: number; pulled: number };
  /**
   * The data came from `check --data`, not the declared source: the run
   * says how those rows fare, and is never compliance evidence for the dataset.
   */
  data_override?: true;
  /**
   * Per column: missing values and rows failing any row check on that column,
   * computed in the same pass as the checks (docs/reports.md). Absent when the
   * data could not be read.
   */
  columns?: Record<string, ColumnReport>;
  /**
   * The run's measured numbers by metric key, as the history store keeps
   * them (docs/history.md), less what the reader may not see. Absent when
   * the data could not be read.
   */
  metrics?: Record<string, number>;
  checks: CheckReport[];
}

/** Missing and failing rows of one column; percentages of the dataset's rows. */
export interface ColumnReport {
  missing: number;
  missing_percent: number;
  /** Rows failing at least one row check on this column (any severity or outcome). */
  failed_rows: number;
  failed_percent: number;
}

export interface RunReport {
  assay_version: string;
  run: { id: string; started_at: string; finished_at: string; now: string; principal: string | null };
  status: Status;
  summary: { checks: number; pass: number; warn: number; fail: number; error: number };
  datasets: DatasetReport[];
  /** Present when the report left something out to stay writable (report/bounds.ts). */
  truncated?: ReportTruncation;
}

export function checkReport(result: CheckResult, samples: SampleRow[]): CheckReport {
  const { spec } = result.planned;
  const report: CheckReport = {
    id: spec.id,
    name: spec.name,
    type: spec.type,
    ...(spec.column !== undefined ? { column: spec.column } : {}),
    ...(spec.columns !== undefined ? { columns: spec.columns } : {}),
    severity: spec.severity,
    status: result.status,
    observed: jsonValue(result.observed),
    ...(result.failedRows !== undefined
      ? {
          failed_rows: result.failedRows,
          evaluated_rows: result.evaluatedRows,
          failed_percent: result.evaluatedRows ? round((result.failedRows / result.evaluatedRows!) * 100) : 0,
        }
      : {}),
    threshold: result.threshold,
    message: result.message,
    samples,
    controls: spec.controls,
    ...(spec.description ? { description: spec.description } : {}),
    ...(result.history ? { history: historyReport(result.history) } : {}),
  };
  return report;
}

export function buildRunReport(run: RunReport['run'], datasets: DatasetReport[]): RunReport {
  const checks = datasets.flatMap((d) => d.checks);
  const count = (s: Status) => checks.filter((c) => c.status === s).length;
  const truncated = boundDatasets(datasets);
  return {
    assay_version: ASSAY_VERSION,
    run,
    status: worst(datasets.map((d) => d.status)),
    summary: { checks: checks.length, pass: count('pass'), warn: count('warn'), fail: count('fail'), error: count('error') },
    datasets,
    ...(truncated ? { truncated } : {}),
  };
}

/**
 * The per-column section of a dataset report, from measures computed with
 * the checks (plan.columnProfile). Columns absent from the data are left
 * out (the schema and the checks on them report that); a measure that could
 * not be computed leaves its column out rather than showing a wrong zero.
 */
export function columnReports(plan: DatasetPlan, measures: Map<string, MeasureResult>, rows: number, present: readonly string[]): Record<string, ColumnReport> {
  const columns: Record<string, ColumnReport> = {};
  const count = (key: string | undefined): number | null => {
    if (key === undefined) return 0;
    const result = measures.get(key);
    return result?.kind === 'value' && typeof result.value === 'number' ? result.value : null;
  };
  const percent = (n: number) => (rows === 0 ? 0 : round((n / rows) * 100));
  for (const [column, keys] of Object.entries(plan.columnProfile ?? {})) {
    if (!present.includes(column)) continue;
    const missing = count(keys.missing);
    const failed = count(keys.failing);
    if (missing === null || failed === null) continue;
    columns[column] = { missing, missing_percent: percent(missing), failed_rows: failed, failed_percent: percent(failed) };
  }
  return columns;
}

/**
 * Dates as ISO strings, numbers rounded for display stability, integers
 * beyond 2^53 (bigints) as their exact decimal text, as samples show them
 * (a JSON number that long is rounded by most readers, and JSON.stringify
 * refuses bigints).
 */
export function jsonValue(value: Scalar | string[] | unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? value : round(value, 6);
  return value;
}

/** History numbers rounded like observed values, for stable reports. */
function historyReport(h: HistoryDetail): HistoryDetail {
  const r = (n: number) => jsonValue(n) as number;
  return {
    ...h,
    value: r(h.value),
    ...(h.baseline !== undefined ? { baseline: r(h.baseline) } : {}),
    ...(h.band ? { band: { low: r(h.band.low), high: r(h.band.high) } } : {}),
    series: h.series.map((p) => ({ ...p, value: r(p.value) })),
  };
}
