/**
 * `check --openlineage FILE|URL`: OpenLineage run events for a check run
 * (docs/lineage.md). A START when the run begins, then COMPLETE when it
 * ends with a report (failing checks included: their assertions say
 * `success: false`), or FAIL when it ends without one (data unreadable, an
 * error). Each input dataset carries, in its input facets:
 * - `dataQualityAssertions`: every check: assertion (its type), name, success,
 *   column, severity;
 * - `dataQualityMetrics`: the row count, and per column the null count (the
 *   report's `columns`) and the distinct count (from distinct_count checks).
 * Counts only: no min, max, sum or observed value, which may come from a
 * classified column (SPEC §1.3).
 *
 * Events go to a file (one JSON object per line, appended through
 * util/write-file.ts) or are POSTed to an http(s) URL the user gave. A failure
 * to emit is a warning on stderr and never changes the run's exit code.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { DatasetSpec } from '../policy/types.js';
import { isTableSource } from '../policy/types.js';
import type { DatasetReport, RunReport } from '../report/model.js';
import { appendReportFile } from '../report/write.js';
import { errorMessage } from '../util/diagnostics.js';
import { ASSAY_VERSION } from '../version.js';

export const PRODUCER = `https://www.npmjs.com/package/assay/v/${ASSAY_VERSION}`;
const RUN_EVENT_SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const ASSERTIONS_SCHEMA = 'https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet';
const METRICS_SCHEMA = 'https://openlineage.io/spec/facets/1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet';
/** How long a POST may take before it is given up (with a warning). */
export const POST_TIMEOUT_MS = 10_000;

export type EventType = 'START' | 'COMPLETE' | 'FAIL';

export interface LineageTarget {
  kind: 'file' | 'url';
  where: string;
}

/** A URL when it starts with http:// or https://; anything else is a file path. */
export function lineageTarget(text: string): LineageTarget {
  return /^https?:\/\//i.test(text) ? { kind: 'url', where: text } : { kind: 'file', where: text };
}

/** OpenLineage dataset naming: local files by absolute path in the `file` namespace; tables under their connection. */
export function datasetId(dataset: DatasetSpec, override?: string): { namespace: string; name: string } {
  if (override !== undefined) return { namespace: 'file', name: resolve(override) }; // check --data NAME=PATH
  if (isTableSource(dataset.source)) return { namespace: `assay+${dataset.source.connection}`, name: dataset.source.table ?? dataset.source.path };
  return { namespace: 'file', name: resolve(dataset.file, '..', dataset.source.path) };
}

export interface RunContext {
  runId: string;
  namespace: string;
  job: string;
  datasets: DatasetSpec[];
  /** `check --data NAME=PATH`: the file read instead of the declared source. */
  overrides: Record<string, string>;
}

export function newRunContext(datasets: DatasetSpec[], overrides: Record<string, string> = {}, namespace = 'assay', job = 'assay-check'): RunContext {
  return { runId: randomUUID(), namespace, job, datasets, overrides };
}

export function runEvent(ctx: RunContext, type: EventType, time: Date, report?: RunReport): Record<string, unknown> {
  const byName = new Map(report?.datasets.map((d) => [d.name, d]));
  return {
    eventType: type,
    eventTime: time.toISOString(),
    run: { runId: ctx.runId },
    job: { namespace: ctx.namespace, name: ctx.job },
    inputs: ctx.datasets.map((dataset) => {
      const reported = byName.get(dataset.name);
      return {
        ...datasetId(dataset, Object.hasOwn(ctx.overrides, dataset.name) ? ctx.overrides[dataset.name] : undefined),
        ...(reported?.rows != null ? { inputFacets: inputFacets(reported) } : {}),
      };
    }),
    outputs: [],
    producer: PRODUCER,
    schemaURL: RUN_EVENT_SCHEMA,
  };
}

function inputFacets(dataset: DatasetReport): Record<string, unknown> {
  const columnMetrics: Record<string, { nullCount?: number; distinctCount?: number }> = {};
  for (const [column, c] of Object.entries(dataset.columns ?? {})) columnMetrics[column] = { nullCount: c.missing };
  for (const check of dataset.checks) {
    if (check.type === 'distinct_count' && check.column !== undefined && check.status !== 'error' && typeof check.observed === 'number') {
      columnMetrics[check.column] = { ...columnMetrics[check.column], distinctCount: check.observed };
    }
  }
  return {
    dataQualityAssertions: {
      _producer: PRODUCER,
      _schemaURL: ASSERTIONS_SCHEMA,
      assertions: dataset.checks.map((check) => ({
        assertion: check.type,
        name: check.id,
        success: check.status === 'pass' || check.status === 'warn',
        ...(check.column !== undefined ? { column: check.column } : {}),
        severity: check.severity,
      })),
    },
    dataQualityMetrics: { _producer: PRODUCER, _schemaURL: METRICS_SCHEMA, rowCount: dataset.rows, columnMetrics },
  };
}

/** Send one event; returns a warning line instead of throwing. */
export async function emitEvent(target: LineageTarget, event: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const json = JSON.stringify(event);
  try {
    if (target.kind === 'file') {
      appendReportFile(target.where, json);
      return undefined;
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const key = env.ASSAY_OPENLINEAGE_API_KEY;
    if (key) headers.authorization = `Bearer ${key}`;
    const response = await fetch(target.where, { method: 'POST', headers, body: json, signal: AbortSignal.timeout(POST_TIMEOUT_MS), redirect: 'error' });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? undefined : `the receiver answered ${response.status} ${response.statusText}`.trim();
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    return cause ? `${errorMessage(e)}: ${errorMessage(cause)}` : errorMessage(e);
  }
}
