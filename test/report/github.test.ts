import { readFileSync } from 'node:fs';
import { runChecks } from '../../src/pipeline.js';
import { renderReport } from '../../src/report/formats/index.js';
import type { RunReport } from '../../src/report/model.js';

const NOW = new Date('2026-01-05T12:00:00Z');

describe('--format github', () => {
  test('one annotation per check that did not pass, on the line of the policy that declares it', async () => {
    const run = await runChecks({ paths: ['rules'], now: NOW, runId: 'fixed' });
    const out = renderReport(run.report, 'github', { policy: run.policy });
    const lines = out.trimEnd().split('\n');
    const notPassed = run.report.datasets.flatMap((d) => d.checks).filter((c) => c.status !== 'pass');
    expect(lines).toHaveLength(notPassed.length);
    expect(notPassed.length).toBeGreaterThan(3);
    const orders = readFileSync('rules/orders.yaml', 'utf8').split('\n');
    // The amount column's `min`/`max` shorthand: the annotation points at the amount line of rules/orders.yaml.
    const amountLine = orders.findIndex((l) => l.startsWith('  amount:')) + 1;
    const range = lines.find((l) => l.includes('title=assay%3A orders.amount.range::'));
    expect(range).toMatch(new RegExp(`^::error file=rules/orders.yaml,line=${amountLine},col=\\d+,title=assay%3A orders.amount.range::FAIL: `));
    // A check that warns is a warning, on the key that declares it.
    const schema = lines.find((l) => l.includes('title=assay%3A orders.schema::'))!;
    const schemaLine = orders.findIndex((l) => l.startsWith('schema:')) + 1;
    expect(schema).toMatch(new RegExp(`^::warning file=rules/orders.yaml,line=${schemaLine},col=\\d+,title=assay%3A orders.schema::WARN: `));
    for (const line of lines) expect(line).toMatch(/^::(error|warning) file=rules\/\w+\.yaml,line=\d+,col=\d+,title=assay%3A [^:,]+::(FAIL|WARN|ERROR): /);
  });

  test('values cannot end the command or add a property; without the policies there is no position', () => {
    const report: RunReport = {
      assay_version: '0.1.0',
      run: { id: 'x', started_at: '', finished_at: '', now: '', principal: null },
      status: 'fail',
      summary: { checks: 1, pass: 0, warn: 0, fail: 1, error: 0 },
      datasets: [
        {
          name: 'd',
          source: 'd.csv',
          rows: 1,
          fingerprint: null,
          status: 'fail',
          checks: [{ id: 'd,x:y', name: 'n', type: 'expression', severity: 'error', status: 'fail', observed: 1, threshold: '> 0', message: '100% of rows\nfail ::error::', samples: [], controls: [] }],
        },
      ],
    };
    expect(renderReport(report, 'github')).toBe('::error title=assay%3A d%2Cx%3Ay::FAIL: 100%25 of rows%0Afail ::error:: (threshold: > 0)\n');
  });

  test('a pass prints nothing', async () => {
    const customers = Array.from({ length: 120 }, (_, i) => ({ customer_id: i + 1, name: `n${i}`, email: `c${i}@example.com`, phone: '+4915112345678', country: 'DE', signup_date: '2024-05-01', tier: 'pro' }));
    const run = await runChecks({ paths: ['rules'], now: NOW, data: { customers }, datasets: ['customers'] });
    expect(run.report.status).toBe('pass');
    expect(renderReport(run.report, 'github', { policy: run.policy })).toBe('');
  });
});
