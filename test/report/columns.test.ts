import { runChecks } from '../../src/pipeline.js';

const EXPECTED = {
  id: { missing: 0, missing_percent: 0, failed_rows: 4, failed_percent: 80 },
  x: { missing: 1, missing_percent: 20, failed_rows: 3, failed_percent: 60 },
  y: { missing: 0, missing_percent: 0, failed_rows: 2, failed_percent: 40 },
};

// fixtures/reports/columns.yaml explains each expected count.
test.each([undefined, 1, 2])('per column: missing values and the union of failing rows (batch rows %s)', async (batchRows) => {
  const { report, passes } = await runChecks({ paths: ['fixtures/reports/columns.yaml'], now: new Date('2026-01-05T10:00:00Z'), batchRows });
  const [dataset] = report.datasets;
  expect(dataset.columns).toEqual(EXPECTED);
  // The per-column measures join the checks' single read of the data.
  expect(passes.columns).toBe(1);
});

test('the per-column counts agree with the checks where a column has a single failing check', async () => {
  const { report } = await runChecks({ paths: ['rules'], now: new Date('2026-01-05T10:00:00Z') });
  const orders = report.datasets.find((d) => d.name === 'orders')!;
  const rowChecks = orders.checks.filter((c) => c.column === 'country' && c.failed_rows !== undefined && c.failed_rows > 0);
  expect(rowChecks).toHaveLength(1);
  expect(orders.columns!.country.failed_rows).toBe(rowChecks[0].failed_rows);
  const missingPercent = orders.checks.find((c) => c.type === 'missing_percent' && c.column === 'email')!;
  expect(orders.columns!.email.missing_percent).toBe(missingPercent.observed);
});
