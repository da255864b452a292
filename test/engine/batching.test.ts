/**
 * Batched reading must not change any result: the same suites run with
 * --batch-rows 1, 7 and larger than the data give identical reports, every
 * measure compared. Aggregate expressions are also checked against arquero's
 * own rollup over the whole table.
 */
import type { FileSource } from '../../src/policy/types.js';
import { type ColumnTable } from 'arquero';
import { runChecks, loadValidatedPolicies } from '../../src/pipeline.js';
import { loadDataset } from '../../src/sources/load.js';

const NOW = new Date('2026-01-10T00:00:00Z');
const SUITES = [['fixtures/batching'], ['rules']];

async function datasets(paths: string[], batchRows: number) {
  const run = await runChecks({ paths, now: NOW, runId: 'test', batchRows });
  return run.report.datasets;
}

describe.each(SUITES)('batched = unbatched: %s', (path) => {
  let whole: Awaited<ReturnType<typeof datasets>>;
  beforeAll(async () => {
    whole = await datasets([path], 1_000_000);
  });

  test('the suite measures something (failures and samples exist)', () => {
    const checks = whole.flatMap((d) => d.checks);
    expect(checks.length).toBeGreaterThan(10);
    expect(checks.some((c) => c.status === 'fail' && c.samples.length > 0)).toBe(true);
    expect(checks.some((c) => c.status === 'error')).toBe(false);
  });

  test.each([1, 7, 333])('--batch-rows %i gives the same report', async (batchRows) => {
    expect(await datasets([path], batchRows)).toEqual(whole);
  });
});

describe('aggregate expressions agree with arquero rollup', () => {
  test('every aggregate check of the batching suite', async () => {
    const { policy } = loadValidatedPolicies(['fixtures/batching']);
    const spec = policy.datasets.find((d) => d.name === 'orders_csv')!;
    const data = await loadDataset({ dataset: spec.name, source: spec.source as FileSource, policyFile: spec.file, columns: spec.columns });
    const report = (await datasets(['fixtures/batching'], 7)).find((d) => d.name === 'orders_csv')!;
    const aggregates = spec.checks.filter((c) => c.type === 'aggregate');
    expect(aggregates.length).toBeGreaterThanOrEqual(4);
    for (const check of aggregates) {
      const params = check.params as { expr: string };
      const scoped = check.where ? (data.table.filter(`(${check.where}) ? true : false`) as unknown as ColumnTable) : data.table;
      const expected = (scoped.rollup({ v: params.expr }) as unknown as ColumnTable).get('v', 0);
      const observed = report.checks.find((c) => c.id === check.id)!.observed;
      // The report rounds observed values to 6 decimals.
      expect([check.id, observed]).toEqual([check.id, typeof expected === 'number' ? Math.round(expected * 1e6) / 1e6 : expected]);
    }
  });
});
