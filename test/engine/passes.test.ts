/**
 * How many times the executor reads the data for a representative suite: the
 * 12 checks of the benchmark (bench/, issue 7) on the bundled orders data.
 * A regression to one query per check would read the data once per check.
 *
 * The reads are counted by wrapping the stream, independently of the
 * executor's own ExecutionStats, which must agree with the count.
 */
import type { FileSource } from '../../src/policy/types.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { executeStream } from '../../src/engine/in-process/execute.js';
import { compilePlan } from '../../src/plan/compile.js';
import { loadValidatedPolicies } from '../../src/pipeline.js';
import { streamDataset, type DataStream } from '../../src/sources/stream.js';

// freshness (issue 3) measures the newest created_at; until it lands the
// suite measures the same thing with metric max, so the count of checks and
// measures is the benchmark's.
const SUITE = `
kind: dataset
name: orders
source: { path: ${JSON.stringify(resolve('fixtures/data/orders.csv'))} }
columns:
  order_id:    { type: integer }
  customer_id: { type: integer }
  email:       { type: string }
  country:     { type: string }
  amount:      { type: number }
  status:      { type: string }
  created_at:  { type: timestamp }
  updated_at:  { type: timestamp }
checks:
  - row_count: { min: 1 }
  - not_null: { column: customer_id }
  - unique: { column: order_id }
  - missing_percent: { column: email, max: 2 }
  - pattern: { column: email, regex: "^[^@ ]+@[^@ ]+$" }
  - accepted_values: { column: country, values: [US, GB, DE, FR] }
  - accepted_values: { column: status, values: [placed, paid, shipped, cancelled, refunded] }
  - range: { column: amount, min: 0, max: 100000 }
  - range: { column: created_at, min: "2020-01-01T00:00:00Z" }
  - expression: { name: updated_after_created, row: d.updated_at >= d.created_at }
  - metric: { name: newest_created_at, column: created_at, stat: max, min: "2025-01-01T00:00:00Z" }
  - missing_count: { column: amount, max: 0 }
`;

/** Count full reads: every call of batches() and every row it yields. */
function counted(stream: DataStream): { stream: DataStream; reads: () => number; rowsRead: () => number } {
  let reads = 0;
  let rowsRead = 0;
  const wrapped: DataStream = Object.create(stream);
  wrapped.batches = async function* () {
    reads++;
    for await (const batch of stream.batches()) {
      rowsRead += batch.rows;
      yield batch;
    }
  };
  return { stream: wrapped, reads: () => reads, rowsRead: () => rowsRead };
}

describe('passes over the data for the 12-check benchmark suite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-passes-'));
  writeFileSync(join(dir, 'orders.yaml'), SUITE);
  const { policy } = loadValidatedPolicies([dir]);
  const plan = compilePlan(policy).datasets[0];

  test('the suite is the 12 checks without their column shorthands', () => {
    expect(plan.checks.filter((c) => c.spec.path[0] === 'checks').map((c) => c.spec.type)).toHaveLength(12);
  });

  test.each([100_000, 100])('one read of the data, batches of %i rows', async (batchRows) => {
    const spec = policy.datasets[0];
    const suite = { ...plan, checks: plan.checks.filter((c) => c.spec.path[0] === 'checks') };
    const sampleLimits = new Map(suite.checks.filter((c) => c.measures.rows).map((c) => [c.measures.rows, 0]));
    const { stream, reads, rowsRead } = counted(streamDataset({ dataset: spec.name, source: spec.source as FileSource, policyFile: spec.file, columns: spec.columns }, batchRows));
    const result = await executeStream(suite, stream, sampleLimits);
    expect(stream.rows).toBe(1000);
    expect({ reads: reads(), rowsRead: rowsRead() }).toEqual({ reads: 1, rowsRead: 1000 });
    expect(result.stats).toEqual({ passes: 1, samplePasses: 0 });
    // Every check produced a result from that one read.
    expect([...result.measures.values()].filter((m) => m.kind === 'error')).toEqual([]);
  });

  test('a sample of a first occurrence in an earlier batch costs one more read, counted apart', async () => {
    const spec = policy.datasets[0];
    const suite = { ...plan, checks: plan.checks.filter((c) => c.spec.type === 'unique' && c.spec.path[0] === 'checks') };
    const sampleLimits = new Map([[suite.checks[0].measures.rows, 5]]);
    const { stream, reads, rowsRead } = counted(streamDataset({ dataset: spec.name, source: spec.source as FileSource, policyFile: spec.file, columns: spec.columns }, 100));
    const result = await executeStream(suite, stream, sampleLimits);
    // order_id repeats at data rows 300/301 and 651/652 (fixtures/generate.mjs):
    // row 300 ends a batch of 100, so its sample needs the second read.
    expect(result.stats).toEqual({ passes: 1, samplePasses: 1 });
    expect(reads()).toBe(2);
    // The second read stops at the batch holding the last first occurrence it needs (row 300):
    // 1000 rows, then 300 (issue 19: it used to read the whole file again).
    expect(rowsRead()).toBe(1300);
    const samples = (result.measures.get(suite.checks[0].measures.rows!) as { sampleIndexes: number[] }).sampleIndexes;
    for (const i of samples) expect(result.samples.has(i)).toBe(true);
  });
});
