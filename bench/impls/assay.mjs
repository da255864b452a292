// assay itself, through its library API (the same functions `assay check`
// runs): `csv` and `parquet` stream the file in batches (end to end);
// `memory` loads every batch first, then times the checks alone; `duckdb`
// runs the same plan with the DuckDB executor (`check --engine duckdb`),
// ASSAY_DUCKDB_THREADS threads (1 unless set, like the DuckDB baseline).
// Time spent producing batches (read + parse + type) is reported as load,
// time spent folding them into measure states as checks. Policy loading and
// validation (fixed, about a second of JSON Schema compilation) is reported
// apart as setupMs.
import { loadValidatedPolicies } from '../../dist/pipeline.js';
import { compilePlan } from '../../dist/plan/compile.js';
import { executeStream } from '../../dist/engine/in-process/execute.js';
import { RunSessions } from '../../dist/engine/executor.js';
import { executeInDuckDB } from '../../dist/engine/duckdb/execute.js';
import { evaluateDataset } from '../../dist/evaluate.js';
import { DEFAULT_BATCH_ROWS, streamDataset } from '../../dist/sources/stream.js';
import { cpu, emit, isoOf, now, percent } from './common.mjs';

const [mode, file, batchArg] = process.argv.slice(2);
const batchRows = Number(batchArg) || DEFAULT_BATCH_ROWS;
const SUITE_DIR = new URL('../suite', import.meta.url).pathname;

const setupStart = now();
const { policy } = loadValidatedPolicies([SUITE_DIR]);
const plan = compilePlan(policy).datasets[0];
const setupMs = now() - setupStart; // policy load + JSON Schema validation + compile: fixed, not data work
const start = now();
const cpuStart = cpu();
const spec = policy.datasets[0];
const stream = streamDataset({ dataset: spec.name, source: spec.source, policyFile: spec.file, columns: spec.columns, overridePath: file }, batchRows);
const sampleLimits = new Map(plan.checks.filter((c) => c.measures.rows).map((c) => [c.measures.rows, c.spec.samples]));

let loadMs = 0;
let results;
if (mode === 'duckdb') {
  process.env.ASSAY_DUCKDB_THREADS ??= '1';
  const load = { dataset: spec.name, source: spec.source, policyFile: spec.file, columns: spec.columns, overridePath: file };
  const measured = await executeInDuckDB({ plan, load, sampleLimits, keySets: new Map(), batchRows, sessions: new RunSessions() });
  results = evaluateDataset(plan, measured.results, { datasets: new Map([[spec.name, spec]]) });
  emit({ loadMs: null, checksMs: null, totalMs: now() - start, cpuMs: cpu() - cpuStart, metrics: metricsOf(results, measured.stream.rows), extra: { setupMs, threads: process.env.ASSAY_DUCKDB_THREADS } });
} else if (mode === 'memory') {
  const batches = [];
  for await (const batch of stream.batches()) batches.push(batch);
  loadMs = now() - start;
  const inMemory = { ...stream, batches: async function* () { yield* batches; } };
  const checksStart = now();
  const checksCpuStart = cpu();
  results = evaluateDataset(plan, await executeStream(plan, inMemory, sampleLimits), { datasets: new Map([[spec.name, spec]]) });
  const checksCpuMs = cpu() - checksCpuStart;
  emit({ loadMs, checksMs: now() - checksStart, totalMs: now() - start, cpuMs: cpu() - cpuStart, checksCpuMs, metrics: metricsOf(results, stream.rows), extra: { setupMs } });
} else {
  // Time the production of each batch: everything else inside executeStream is checking.
  const produce = stream.batches;
  stream.batches = async function* () {
    const it = produce();
    for (;;) {
      const t = now();
      const next = await it.next();
      loadMs += now() - t;
      if (next.done) return;
      yield next.value;
    }
  };
  results = evaluateDataset(plan, await executeStream(plan, stream, sampleLimits), { datasets: new Map([[spec.name, spec]]) });
  const totalMs = now() - start;
  emit({ loadMs, checksMs: totalMs - loadMs, totalMs, cpuMs: cpu() - cpuStart, metrics: metricsOf(results, stream.rows), extra: { setupMs } });
}

function metricsOf(checks, rows) {
  const by = Object.fromEntries(checks.map((c) => [c.planned.spec.id, c]));
  const failed = (id) => by[id].failedRows;
  return {
    rows: by['orders.row_count'].observed,
    customer_id_nulls: failed('orders.customer_id.not_null'),
    created_at_nulls: failed('orders.created_at.not_null'),
    order_id_duplicate_rows: failed('orders.order_id.unique'),
    email_missing_percent: percent(Math.round((by['orders.email.missing_percent'].observed * rows) / 100), rows),
    email_pattern_failed: failed('orders.email.pattern'),
    email_pattern_evaluated: by['orders.email.pattern'].evaluatedRows,
    country_failed: failed('orders.country.accepted_values'),
    status_failed: failed('orders.status.accepted_values'),
    amount_range_failed: failed('orders.amount.range'),
    amount_range_evaluated: by['orders.amount.range'].evaluatedRows,
    quantity_range_failed: failed('orders.quantity.range'),
    updated_before_created: failed('orders.updated_after_created'),
    newest_created_at: isoOf(by['orders.newest_created_at'].observed),
  };
}
