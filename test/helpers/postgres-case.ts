/**
 * Check-tester cases in PostgreSQL: the case's table is created in a real
 * server (ASSAY_TEST_POSTGRES_URL), the same policy document names it as a
 * table source, and the PostgreSQL executor measures it. Columns whose
 * non-null values are all numbers (declared integer or number) are stored as
 * float8, all booleans (declared boolean) as boolean, anything else as text
 * (what a CSV holds), so both the stored-type path and the value grammar run.
 * The table has no primary key: samples are identified by ctid, in insertion
 * (row) order, which is the file's row order for a table this small.
 */
import pg from 'pg';
import type { CheckDefinition } from '../../src/checks/define.js';
import { evaluateCheck } from '../../src/evaluate.js';
import { RunSessions, type ExecuteRequest } from '../../src/engine/executor.js';
import { resolveConnection } from '../../src/engine/connections.js';
import { executeInPostgres } from '../../src/engine/postgres/execute.js';
import { compileDataset } from '../../src/plan/compile.js';
import type { ConnectionSpec } from '../../src/policy/types.js';
import type { CaseEvaluation, CaseOutcome, Columns, Types } from './check-tester.js';
import { validateCase } from './check-tester.js';

export const POSTGRES_URL_ENV = 'ASSAY_TEST_POSTGRES_URL';
export const postgresUrl = (): string | undefined => process.env[POSTGRES_URL_ENV] || undefined;
export const POSTGRES_SKIP_REASON = `${POSTGRES_URL_ENV} is not set (CI sets it: .ci/run starts a server); PostgreSQL cases skipped`;

const SCHEMA = 'assay_cases';
let admin: pg.Client | undefined;
let sessions: RunSessions | undefined;
let tables = 0;

async function adminClient(): Promise<pg.Client> {
  if (!admin) {
    admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`).catch(() => undefined); // another worker may create it first
  }
  return admin;
}

export async function closePostgresCases(): Promise<void> {
  await sessions?.closeAll();
  await admin?.end();
  admin = undefined;
  sessions = undefined;
}

function storedType(values: unknown[], declared: string | null | undefined): string {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && (declared === 'integer' || declared === 'number') && present.every((v) => typeof v === 'number')) return 'float8';
  if (present.length > 0 && declared === 'boolean' && present.every((v) => typeof v === 'boolean')) return 'boolean';
  return 'text';
}

/** Run a check's YAML entry over the table in PostgreSQL, through the same stages as `runCase`. */
export async function runCaseInPostgres(definition: CheckDefinition, params: Record<string, unknown>, types: Types, data: Columns, evaluation: CaseEvaluation = {}): Promise<CaseOutcome> {
  const client = await adminClient();
  const table = `${SCHEMA}.t_${process.pid}_${tables++}`;
  const names = Object.keys(data);
  const stored = names.map((n) => storedType(data[n], types[n]));
  const rows = data[names[0]]?.length ?? 0;
  await client.query(`CREATE TABLE ${table} (${names.map((n, i) => `"${n.replace(/"/g, '""')}" ${stored[i]}`).join(', ')})`);
  try {
    for (let r = 0; r < rows; r++) {
      const values = names.map((n, i) => {
        const v = data[n][r];
        return v === null || v === undefined ? null : stored[i] === 'text' ? String(v) : v;
      });
      await client.query(`INSERT INTO ${table} VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, values);
    }
    const { errors, dataset } = validateCase(definition.type, params, types, data);
    if (!dataset) throw new Error(`the case does not validate:\n${errors.join('\n')}`);
    const spec = dataset.checks.find((c) => c.path[0] === 'checks')!;
    const plan = compileDataset({ ...dataset, source: { connection: 'cases', table }, checks: [spec] });
    const planned = plan.checks[0];
    const sampleLimits = new Map<string, number>();
    if (planned.measures.rows) sampleLimits.set(planned.measures.rows, spec.samples);
    const connection: ConnectionSpec = { name: 'cases', type: 'postgres', url_env: POSTGRES_URL_ENV, options: {}, file: 'check.yaml', location: { file: 'check.yaml', line: 1, col: 1 } };
    sessions ??= new RunSessions();
    const request: ExecuteRequest = {
      plan,
      load: { dataset: dataset.name, source: { path: '' }, policyFile: dataset.file, columns: dataset.columns },
      table: { source: { connection: 'cases', table }, connection: resolveConnection(connection) },
      sampleLimits,
      keySets: new Map(),
      batchRows: 1,
      sessions,
    };
    const measured = await executeInPostgres(request);
    const result = evaluateCheck(planned, measured.results.measures, { datasets: new Map([[dataset.name, dataset]]), ...evaluation });
    const ctidRow = (key: Record<string, unknown> | undefined) => Number(/^\(0,(\d+)\)$/.exec(String(key?.ctid))?.[1] ?? NaN);
    return {
      status: result.status,
      observed: result.observed,
      failed_rows: result.failedRows,
      evaluated_rows: result.evaluatedRows,
      samples: result.sampleIndexes.map((i) => ctidRow(measured.results.samples.get(i)?.key)),
      message: result.message,
      threshold: result.threshold,
      stats: measured.results.stats,
    };
  } finally {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
