/**
 * Check-tester cases in DuckDB: the case's table as a CSV file, measured by
 * the DuckDB executor directly (not through the store, so a dataset DuckDB
 * declines is seen as declined, never silently measured in-process).
 */
import type { CheckDefinition } from '../../src/checks/define.js';
import { executeInDuckDB } from '../../src/engine/duckdb/execute.js';
import { RunSessions } from '../../src/engine/executor.js';
import { Unsupported } from '../../src/engine/sql/sql.js';
import { evaluateCheck } from '../../src/evaluate.js';
import { compileDataset } from '../../src/plan/compile.js';
import type { CaseEvaluation, CaseOutcome, Columns, Types } from './check-tester.js';
import { validateCase } from './check-tester.js';

export async function runCaseInDuckDB(definition: CheckDefinition, params: Record<string, unknown>, types: Types, data: Columns, file: string, evaluation: CaseEvaluation = {}): Promise<CaseOutcome | { declined: string }> {
  const { errors, dataset } = validateCase(definition.type, params, types, data);
  if (!dataset) throw new Error(`the case does not validate:\n${errors.join('\n')}`);
  const spec = dataset.checks.find((c) => c.path[0] === 'checks')!;
  const plan = compileDataset({ ...dataset, checks: [spec] });
  const planned = plan.checks[0];
  const sampleLimits = new Map<string, number>();
  if (planned.measures.rows) sampleLimits.set(planned.measures.rows, spec.samples);
  let measured;
  try {
    measured = await executeInDuckDB({
      plan,
      load: { dataset: dataset.name, source: { path: file }, policyFile: dataset.file, columns: dataset.columns, overridePath: file },
      sampleLimits,
      keySets: new Map(),
      batchRows: 1,
      sessions: new RunSessions(),
    });
  } catch (e) {
    if (e instanceof Unsupported) return { declined: e.message };
    throw e;
  }
  const result = evaluateCheck(planned, measured.results.measures, { datasets: new Map([[dataset.name, dataset]]), ...evaluation });
  return {
    status: result.status,
    observed: result.observed,
    failed_rows: result.failedRows,
    evaluated_rows: result.evaluatedRows,
    samples: result.sampleIndexes.map((i) => measured.results.samples.get(i)!.row),
    message: result.message,
    threshold: result.threshold,
    stats: measured.results.stats,
  };
}
