/** What one report may hold (report/bounds.ts): bounded, and it says so in every format. */
import { expect, test } from '@jest/globals';
import { boundDatasets, REPORT_LIMITS, truncationText } from '../../src/report/bounds.js';
import { REPORT_FORMATS } from '../../src/report/formats/index.js';
import { buildRunReport, type CheckReport, type DatasetReport } from '../../src/report/model.js';
import { FIXED_NOW } from './reports.js';

function failing(id: string, samples: number, width = 150): CheckReport {
  return {
    id,
    name: id,
    type: 'pattern',
    column: 's',
    severity: 'error',
    status: 'fail',
    observed: samples,
    failed_rows: samples,
    evaluated_rows: samples,
    failed_percent: 100,
    threshold: '0 failing rows',
    message: `${samples} rows do not match`,
    samples: Array.from({ length: samples }, (_, i) => ({ row: i + 1, values: { s: `${'x'.repeat(width)}${i}` } })),
    controls: [],
  };
}

const dataset = (checks: CheckReport[]): DatasetReport => ({ name: 'd', source: 'd.csv', rows: 1000, fingerprint: null, status: 'fail', checks });
const run = { id: 'r', started_at: FIXED_NOW, finished_at: FIXED_NOW, now: FIXED_NOW, principal: null };

test('a report within its limits is left as it is, with no note', () => {
  const datasets = [dataset([failing('a', 5)])];
  expect(boundDatasets(datasets)).toBeUndefined();
  expect(datasets[0].checks[0].samples).toHaveLength(5);
  expect(buildRunReport(run, [dataset([failing('a', 5)])]).truncated).toBeUndefined();
});

test('samples are kept in check order up to the budget; what was left out is counted per check and for the run', () => {
  const datasets = [dataset([failing('a', 10, 10), failing('b', 10, 10), failing('c', 10, 10)])];
  const one = JSON.stringify(datasets[0].checks[0].samples[0]).length;
  const note = boundDatasets(datasets, { sampleChars: one * 15, textChars: 1000 });
  const [a, b, c] = datasets[0].checks;
  expect(a.samples).toHaveLength(10);
  expect(a.samples_omitted).toBeUndefined();
  expect(b.samples.length).toBeGreaterThanOrEqual(4);
  expect(b.samples.length + b.samples_omitted!).toBe(10);
  expect(c.samples).toHaveLength(0);
  expect(c.samples_omitted).toBe(10);
  expect(note).toEqual({ samples_omitted: b.samples_omitted! + 10, texts_shortened: 0, limits: { sample_chars: one * 15, text_chars: 1000 } });
  // Counts are untouched: only what is shown is bounded.
  expect(c.failed_rows).toBe(10);
});

test('long messages, errors and observed values are shortened and say how long they were', () => {
  const check = failing('a', 0);
  check.message = 'm'.repeat(5000);
  check.observed = Array.from({ length: 2000 }, (_, i) => `value ${i}`);
  const d = dataset([check]);
  d.error = 'e'.repeat(10_000);
  const note = boundDatasets([d], { sampleChars: 100, textChars: 100 });
  expect(check.message).toBe(`${'m'.repeat(100)}… (5000 characters)`);
  expect(d.error).toBe(`${'e'.repeat(100)}… (10000 characters)`);
  expect(check.observed).toMatch(/^\["value 0","value 1",.*… \(\d+ characters\)$/);
  expect(note?.texts_shortened).toBe(3);
});

test('400 checks with 1,000 samples each (60 MB of samples): every format renders within reach and says it was truncated', () => {
  // The e2e test (test/e2e/hostile/writes.test.ts) runs 2,800 such checks, which ended in "Invalid string length".
  const checks = Array.from({ length: 400 }, (_, i) => failing(`d.p${i}`, 1000));
  const report = buildRunReport(run, [dataset(checks)]);
  expect(report.truncated?.samples_omitted).toBeGreaterThan(300_000);
  const kept = report.datasets[0].checks.reduce((n, c) => n + c.samples.length, 0);
  expect(kept + report.truncated!.samples_omitted).toBe(400_000);
  const note = truncationText(report)!;
  expect(note).toMatch(/^report truncated: \d+ sample rows left out to keep the report within its limits/);
  for (const format of REPORT_FORMATS) {
    const text = format.render(report);
    // GitHub annotations carry no samples; a shortened message says so itself.
    if (format.name === 'github') continue;
    expect(text.length).toBeLessThan(8 * REPORT_LIMITS.sampleChars);
    if (format.name === 'json') expect(JSON.parse(text).truncated).toEqual(report.truncated);
    else expect(text).toContain(format.name === 'markdown' ? 'report truncated: ' : note.slice(0, 40));
  }
});
