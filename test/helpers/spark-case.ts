/**
 * Check-tester cases in Spark: the case's table becomes a temporary view of
 * its rows in a real Spark Connect server (ASSAY_TEST_SPARK_URL), the same
 * policy document names it as a table source, and the Spark executor
 * measures it. Columns whose non-null values are all numbers (declared
 * integer or number) are stored as DOUBLE, all booleans (declared boolean)
 * as BOOLEAN, anything else as STRING (what a CSV holds), so both the
 * stored-type path and the value grammar run. The view is coalesced to one
 * partition, so a row's id (monotonically_increasing_id) is its 0-based
 * position and samples name the same rows as in-process.
 *
 * One Spark session serves every case of a test file (temporary views live
 * in the session that created them), through the executor's own sessions.
 */
import type { CheckDefinition } from '../../src/checks/define.js';
import { evaluateCheck } from '../../src/evaluate.js';
import { RunSessions, type ExecuteRequest } from '../../src/engine/executor.js';
import { resolveConnection } from '../../src/engine/connections.js';
import { sparkSession } from '../../src/engine/spark/connection.js';
import { spark, sparkIdentifier } from '../../src/engine/spark/dialect.js';
import { executeInSpark } from '../../src/engine/spark/execute.js';
import { compileDataset } from '../../src/plan/compile.js';
import type { ConnectionSpec } from '../../src/policy/types.js';
import type { CaseOutcome, Columns, Types } from './check-tester.js';
import { validateCase } from './check-tester.js';

export const SPARK_URL_ENV = 'ASSAY_TEST_SPARK_URL';
export const sparkUrl = (): string | undefined => process.env[SPARK_URL_ENV] || undefined;
export const SPARK_SKIP_REASON = `${SPARK_URL_ENV} is not set (CI sets it: .ci/spark.sh starts a Spark Connect server); Spark cases skipped`;

export const SPARK_CASES_CONNECTION: ConnectionSpec = { name: 'cases', type: 'spark', url_env: SPARK_URL_ENV, options: {}, file: 'check.yaml', location: { file: 'check.yaml', line: 1, col: 1 } };

let sessions: RunSessions | undefined;
let views = 0;
let configured: Promise<unknown> | undefined;

export async function closeSparkCases(): Promise<void> {
  await sessions?.closeAll();
  sessions = undefined;
  configured = undefined;
}

function storedType(values: unknown[], declared: string | null | undefined): 'DOUBLE' | 'BOOLEAN' | 'STRING' {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && (declared === 'integer' || declared === 'number') && present.every((v) => typeof v === 'number' && Number.isFinite(v))) return 'DOUBLE';
  if (present.length > 0 && declared === 'boolean' && present.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  return 'STRING';
}

/** A temporary view of a case's rows in the session, in row order, in one partition. */
export async function createCaseView(data: Columns, types: Types): Promise<string> {
  sessions ??= new RunSessions();
  const session = await sparkSession(resolveConnection(SPARK_CASES_CONNECTION), sessions);
  // A case has a few rows: a GROUP BY's shuffle needs no more partitions than the server has cores (Spark plans 200).
  configured ??= session.query('SET spark.sql.shuffle.partitions = 2');
  await configured;
  const view = `t_${process.pid}_${views++}`;
  const names = Object.keys(data);
  const stored = names.map((n) => storedType(data[n], types[n]));
  const rows = data[names[0]]?.length ?? 0;
  const literal = (v: unknown, type: string): string =>
    v === null || v === undefined ? 'NULL' : type === 'DOUBLE' ? spark.number(v as number) : type === 'BOOLEAN' ? String(v) : spark.string(typeof v === 'string' ? v : String(v));
  const tuples = rows === 0 ? [`(${names.map(() => 'NULL').join(', ')})`] : Array.from({ length: rows }, (_, r) => `(${names.map((n, i) => literal(data[n][r], stored[i])).join(', ')})`);
  const columns = names.map((n, i) => `CAST(c${i} AS ${stored[i]}) AS ${sparkIdentifier(n)}`).join(', ');
  await session.query(
    `CREATE OR REPLACE TEMPORARY VIEW ${sparkIdentifier(view)} AS SELECT /*+ COALESCE(1) */ ${columns} FROM VALUES ${tuples.join(', ')} AS v(${names.map((_, i) => `c${i}`).join(', ')})${rows === 0 ? ' WHERE false' : ''}`,
  );
  return view;
}

/** Run a check's YAML entry over the case's view in Spark, through the same stages as `runCase`. */
export async function runCaseInSpark(definition: CheckDefinition, params: Record<string, unknown>, types: Types, data: Columns): Promise<CaseOutcome> {
  const view = await createCaseView(data, types);
  const { errors, dataset } = validateCase(definition.type, params, types, data);
  if (!dataset) throw new Error(`the case does not validate:\n${errors.join('\n')}`);
  const spec = dataset.checks.find((c) => c.path[0] === 'checks')!;
  const plan = compileDataset({ ...dataset, source: { connection: 'cases', table: view }, checks: [spec] });
  const planned = plan.checks[0];
  const sampleLimits = new Map<string, number>();
  if (planned.measures.rows) sampleLimits.set(planned.measures.rows, spec.samples);
  const request: ExecuteRequest = {
    plan,
    load: { dataset: dataset.name, source: { path: '' }, policyFile: dataset.file, columns: dataset.columns },
    table: { source: { connection: 'cases', table: view }, connection: resolveConnection(SPARK_CASES_CONNECTION) },
    sampleLimits,
    keySets: new Map(),
    batchRows: 1,
    sessions: sessions!,
  };
  const measured = await executeInSpark(request);
  const result = evaluateCheck(planned, measured.results.measures, { datasets: new Map([[dataset.name, dataset]]) });
  return {
    status: result.status,
    observed: result.observed,
    failed_rows: result.failedRows,
    evaluated_rows: result.evaluatedRows,
    samples: result.sampleIndexes.map((i) => measured.results.samples.get(i)?.row ?? NaN),
    message: result.message,
    threshold: result.threshold,
    stats: measured.results.stats,
  };
}
