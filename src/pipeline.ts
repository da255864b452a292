/**
 * The whole `assay check` run, stage by stage. Read this file first.
 *
 *   policy files ──load──▶ RawDocument[] ──validate──▶ PolicySet (normalized)
 *        │                  (YAML + source map)         │  errors: Diagnostic[] → exit 2
 *        ▼                                              ▼
 *   compile ──▶ Plan (measures per dataset, deduped; no data read; a dataset that
 *        │       reference/reconcile checks read also measures what they ask of it)
 *        ▼  per dataset, those others read first (DatasetStore: one read per dataset per run)
 *   stream data ──▶ Batch, Batch, … (typed columns; unparsable values kept aside) → exit 3 if unreadable
 *        │
 *        ▼
 *   execute (one read; each batch folds into mergeable measure states)
 *        ──▶ measure values ──evaluate──▶ CheckResult[] (pass/warn/fail/error)
 *        │
 *        ▼
 *        ▲ past points of the metrics change/anomaly checks compare with (history store, before evaluate)
 *        │
 *   samples (masked) ──▶ RunReport (SPEC §3) ──▶ renderers (console, json, …) → files, atomically
 *        │
 *        ▼  (cli/commands/check.ts, after the reports)
 *   audit ──▶ one check.run event per dataset (counts, ids, statuses, metrics digest; no values) → audit log, locked
 *        │
 *        ▼
 *   history ──▶ one point per measured number (not from classified columns), with the event's hash → store, locked
 *
 * Each stage is a function with typed input and output; none reaches back.
 */
import { randomUUID } from 'node:crypto';
import { compilePlan } from './plan/compile.js';
import { measureShowsCells, measureValueColumns, type DatasetPlan, type Measure, type Plan } from './plan/plan.js';
import { DatasetStore, executionOrder, type EngineUsed, type StoreOptions } from './dataset-store.js';
import type { EngineName } from './engine/executor.js';
import { evaluateDataset, worst } from './evaluate.js';
import { loadValidatedPolicies } from './policy/validated.js';
import { isTableSource, type DatasetSpec, type PolicySet } from './policy/types.js';
import { buildRunReport, checkReport, columnReports, type DatasetReport, type RunReport } from './report/model.js';
import { anonymousReader, valueGate, type Reader } from './access/reader.js';
import { buildSamples } from './report/samples.js';
import { collectFailedRows, type FailedRows } from './report/failed-rows.js';
import { sourcePattern } from './sources/resolve.js';
import { AssayError } from './util/diagnostics.js';
import { suggest } from './util/did-you-mean.js';
import { checkDefinition } from './checks/index.js';
import type { HistoryPoint } from './checks/history/band.js';
import { datasetMetrics, type MetricValues } from './history/points.js';
import type { HistoryStore } from './history/store.js';

// Stages 1–2 live with the policy modules, so that `assay validate` loads no engine.
export { loadValidatedPolicies, type ValidatedPolicies } from './policy/validated.js';

export interface CheckOptions {
  paths: string[];
  /** Only these datasets (default: all). */
  datasets?: string[];
  /** `--data NAME=PATH`: check another file against a dataset's rules. */
  dataOverrides?: Record<string, string>;
  /** Rows already in memory, by dataset name: an array of records or an arquero table; read instead of the dataset's files. */
  data?: Record<string, InMemoryData>;
  now: Date;
  principal?: string | null;
  /**
   * Who the report is for: decides what samples, observed values and messages
   * show of the data. Default: nobody in particular (classified values redacted).
   */
  reader?: Reader;
  /** The rows samples are picked among, per dataset (`--as P`: P's row filters); see StoreOptions. Samples still go through the reader. */
  sampleFilter?: StoreOptions['sampleFilter'];
  /** Collect every failing row of each row check, shown through the reader like samples (`--failed-rows`). */
  failedRows?: boolean;
  runId?: string;
  /** Rows per batch (`--batch-rows`); memory grows with it, results do not change. */
  batchRows?: number;
  /** Which executor measures the datasets (`--engine`); `duckdb` falls back to arquero per dataset when it must. */
  engine?: EngineName;
  /** `--connection NAME=URL`: where a connection is reached for this run. */
  connectionOverrides?: Record<string, string>;
  /** `--pull`: checks a table's engine cannot translate are measured in-process over the columns they need. */
  pull?: boolean;
  onProgress?: (event: { dataset: string; index: number; total: number }) => void;
  /** Where change and anomaly checks find past points (SPEC §6); absent: no history (they have no baseline). */
  history?: Pick<HistoryStore, 'series'>;
}

/** Rows in memory: an array of records, or anything with arquero's `objects()` (a ColumnTable). */
export type InMemoryData = readonly object[] | { objects(): object[] };

function inMemoryRecords(data: Record<string, InMemoryData> | undefined): Record<string, readonly object[]> | undefined {
  if (!data) return undefined;
  const out: Record<string, readonly object[]> = {};
  for (const [name, rows] of Object.entries(data)) {
    if (Array.isArray(rows)) out[name] = rows;
    else if (typeof (rows as { objects?: unknown }).objects === 'function') out[name] = (rows as { objects(): object[] }).objects();
    else throw new AssayError('usage', `data for dataset "${name}": expected an array of records or an arquero table`);
  }
  return out;
}

export interface CheckRun {
  report: RunReport;
  policy: PolicySet;
  plan: Plan;
  /** Datasets whose data could not be read (exit 3). */
  unreadable: string[];
  /** Full data scans per dataset, for the closing note and benchmarks. */
  passes: Record<string, number>;
  /** The executor that measured each dataset read, and why not the one asked for. */
  engines: Map<string, EngineUsed>;
  /** With `failedRows`: each row check that failed rows, with every failing row, masked for the reader. */
  failedRows: FailedRows[];
  /** Per dataset read: its measured numbers by metric key, as history stores them (classified values left out). */
  metrics: Map<string, MetricValues>;
}

export async function runChecks(options: CheckOptions, validated = loadValidatedPolicies(options.paths)): Promise<CheckRun> {
  const startedAt = new Date();
  const { policy } = validated;
  checkDatasetNames(policy, options);
  const plan = compilePlan(policy, options.datasets);
  const store = new DatasetStore(plan, policy.datasets, {
    overrides: options.dataOverrides,
    records: inMemoryRecords(options.data),
    batchRows: options.batchRows,
    engine: options.engine,
    connectionOverrides: options.connectionOverrides,
    connections: policy.connections,
    pull: options.pull,
    sampleFilter: options.sampleFilter,
    allFailingRows: options.failedRows,
  });
  const passes: Record<string, number> = {};
  const reports = new Map<string, DatasetReport>();
  const failedRows: FailedRows[] = [];
  const metrics = new Map<string, MetricValues>();
  const datasets = new Map(policy.datasets.map((d) => [d.name, d]));
  try {
    for (const [index, datasetPlan] of executionOrder(plan.datasets).entries()) {
      options.onProgress?.({ dataset: datasetPlan.name, index, total: plan.datasets.length });
      const spec = policy.datasets.find((d) => d.name === datasetPlan.name)!;
      const report = await checkDataset(spec, datasetPlan, store, options, datasets, failedRows);
      passes[spec.name] = report.passes;
      reports.set(spec.name, report.dataset);
      if (report.metrics) metrics.set(spec.name, report.metrics);
    }
  } finally {
    await store.close();
  }
  // Referenced datasets that could not be read count too: the checks that need them ended `error`.
  const unreadable = [...store.unreadable.keys()];
  const run = {
    id: options.runId ?? randomUUID(),
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    now: options.now.toISOString(),
    principal: options.principal ?? null,
  };
  return { report: buildRunReport(run, plan.datasets.map((d) => reports.get(d.name)!)), policy, plan, unreadable, passes, engines: store.engines, failedRows, metrics };
}

/** The `<dataset>.read` case of a dataset whose data could not be read. */
function readErrorCase(dataset: string, message: string): DatasetReport['checks'][number] {
  return { id: `${dataset}.read`, name: 'read', type: 'read', severity: 'error', status: 'error', observed: null, threshold: '', message, samples: [], controls: [] };
}

async function checkDataset(spec: DatasetSpec, plan: DatasetPlan, store: DatasetStore, options: CheckOptions, datasets: ReadonlyMap<string, DatasetSpec>, failedRows: FailedRows[]): Promise<{ dataset: DatasetReport; passes: number; metrics?: MetricValues }> {
  const overridePath = options.dataOverrides?.[spec.name];
  const executed = await store.execute(spec.name);
  if (executed.kind === 'unreadable') {
    const message = executed.message;
    return {
      passes: 0,
      dataset: {
        name: spec.name,
        source: sourceLabel(spec, overridePath),
        rows: null,
        fingerprint: null,
        status: 'error',
        error: message,
        ...(overridePath !== undefined ? { data_override: true as const } : {}),
        // The read itself is a case of its own, so a dataset with no checks still counts one error (JUnit, summary).
        checks: [readErrorCase(spec.name, message), ...plan.checks.map((planned) => ({
          id: planned.spec.id,
          name: planned.spec.name,
          type: planned.spec.type,
          ...(planned.spec.column !== undefined ? { column: planned.spec.column } : {}),
          severity: planned.spec.severity,
          status: 'error' as const,
          observed: null,
          threshold: '',
          message: `not run: ${message}`,
          samples: [],
          controls: planned.spec.controls,
        }))],
      },
    };
  }
  const { results: measured, stream: data, engine } = executed;
  const reader = options.reader ?? anonymousReader;
  const history = options.history ? await pastPoints(options.history, spec, plan, options.now) : undefined;
  const results = evaluateDataset(plan, measured, { now: options.now, foreign: await store.foreignFor(plan), reader, datasets, history });
  const showRow = reader.visibleSampleRows(spec, data.columns, measured.samples);
  const checks = results.map((r) => checkReport(r, buildSamples(r, measured.samples, data, spec, reader, datasets, showRow)));
  if (options.failedRows) {
    for (const r of results) {
      const all = r.planned.measures.rows === undefined ? undefined : measured.measures.get(r.planned.measures.rows);
      if (all?.kind === 'rows' && all.failed > 0) failedRows.push(collectFailedRows(r, all.sampleIndexes, measured.samples, data, spec, reader, datasets, showRow));
    }
  }
  const gateOf = (measure: Measure) => valueGate(reader, datasets, measureValueColumns(measure).map((column) => ({ dataset: spec.name, column, ...(measureShowsCells(measure) ? {} : { derived: true }) })));
  return {
    metrics: datasetMetrics(plan, spec, measured.measures, data.rows),
    passes: store.reads.get(spec.name) ?? measured.stats.passes,
    dataset: {
      name: spec.name,
      source: data.label ?? (data.files.length === 1 ? data.files[0] : sourceLabel(spec, overridePath)),
      rows: data.rows,
      fingerprint: data.fingerprint,
      status: worst(checks.map((c) => c.status)),
      ...(overridePath !== undefined ? { data_override: true as const } : {}),
      engine,
      columns: columnReports(plan, measured.measures, data.rows, data.columns),
      metrics: datasetMetrics(plan, spec, measured.measures, data.rows, (measure, value) => gateOf(measure)(value) === value),
      checks,
    },
  };
}

/** The past points of every metric the dataset's checks compare with, read once before evaluating. */
async function pastPoints(history: Pick<HistoryStore, 'series'>, spec: DatasetSpec, plan: DatasetPlan, now: Date): Promise<(metric: string) => readonly HistoryPoint[]> {
  const ctx = { dataset: spec, column: (name: string) => spec.columns[name] };
  const metrics = new Set<string>();
  for (const planned of plan.checks) {
    const definition = checkDefinition(planned.spec.type);
    if (definition?.kind === 'aggregate' && definition.historyMetric) metrics.add(definition.historyMetric(planned.spec, ctx));
  }
  const series = await history.series(spec.name, [...metrics], now);
  return (metric) => series.get(metric) ?? [];
}

/** How reports name a dataset's source: its files as the user can find them, or `CONNECTION:schema.table`. */
function sourceLabel(spec: DatasetSpec, overridePath: string | undefined): string {
  if (isTableSource(spec.source) && overridePath === undefined) return `${spec.source.connection}:${spec.source.table ?? spec.source.path}`;
  return sourcePattern({ source: isTableSource(spec.source) ? { path: overridePath! } : spec.source, policyFile: spec.file, overridePath });
}

function checkDatasetNames(policy: PolicySet, options: CheckOptions): void {
  const names = policy.datasets.map((d) => d.name);
  const requested = [...(options.datasets ?? []), ...Object.keys(options.dataOverrides ?? {}), ...Object.keys(options.data ?? {})];
  for (const name of requested) {
    if (!names.includes(name)) {
      throw new AssayError('usage', `unknown dataset "${name}"`, names.length ? suggest(name, names) : 'no datasets are declared under the given paths');
    }
  }
}
