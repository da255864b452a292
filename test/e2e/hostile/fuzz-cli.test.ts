/**
 * A sample of the fuzz inputs through the real CLI as a subprocess (the
 * library-level properties in test/hostile/ run many more): the process ends
 * in time with exit 0/1/2/3, no stack trace and no internal error, and the
 * exit code agrees with what it printed and wrote.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FUZZ_SEED, mutatedBytes, mutatedText } from '../../hostile/fuzz.js';
import { expectNoCrash, runCli, scratchProject } from './cli.js';
import { jest } from '@jest/globals';

// Each test runs the CLI one or more times; a shared CI machine can be slow. Hangs are caught by runCli's own timeout.
jest.setTimeout(300_000);

const ORDERS_POLICY = readFileSync('rules/orders.yaml', 'utf8')
  // one document alone: drop the checks that read another dataset (customers)
  .replace(', references: customers.customer_id', '')
  .replace(/^ {2}- reconcile: .*\n/m, '').replace('../fixtures/data/orders.csv', '../data.csv');
const ORDERS_HEAD = readFileSync('fixtures/data/orders.csv', 'utf8').split('\n').slice(0, 40).join('\n');
const SAMPLES = Number(process.env.ASSAY_FUZZ_CLI_RUNS ?? 8);

test.each(fc.sample(mutatedText(ORDERS_POLICY), { seed: FUZZ_SEED, numRuns: SAMPLES }).map((text, i) => [i, text]))(
  'validate on mutated policy #%i: exit 0 with "ok:" or exit 2 with diagnostics',
  (_i, text) => {
    const p = scratchProject({ 'rules/orders.yaml': text as string });
    try {
      const r = runCli(['validate', 'rules'], p.dir);
      expectNoCrash(r);
      if (r.status === 0) expect(r.stdout).toMatch(/^ok: 1 files, /);
      else {
        expect(r.status).toBe(2);
        expect(r.stderr.trim().split('\n').pop()).toMatch(/^(\d+ errors? in \d+ files?|assay: .+)$/);
        for (const line of r.stderr.trim().split('\n')) expect(line).toMatch(/^(rules\/orders\.yaml:\d+:\d+: .+|\d+ errors? in \d+ files?|assay: .+|hint: .+)$/);
      }
    } finally {
      p.cleanup();
    }
  },
);

test.each(fc.sample(mutatedBytes(Buffer.from(ORDERS_HEAD)), { seed: FUZZ_SEED + 1, numRuns: SAMPLES }).map((bytes, i) => [i, bytes]))(
  'check on mutated data #%i: the exit code agrees with the report',
  (_i, bytes) => {
    const p = scratchProject({ 'rules/orders.yaml': ORDERS_POLICY, 'data.csv': bytes as Buffer });
    try {
      const r = runCli(['check', 'rules', '--format', 'json', '--out', 'out', '--no-audit'], p.dir);
      expectNoCrash(r);
      const report = JSON.parse(readFileSync(join(p.dir, 'out/assay-report.json'), 'utf8'));
      const dataset = report.datasets[0];
      if (r.status === 0) expect(['pass', 'warn']).toContain(report.status);
      if (r.status === 1) expect(['fail', 'error']).toContain(report.status);
      if (r.status === 3) expect(dataset.error).toEqual(expect.any(String));
      if (dataset.error) expect(r.status).toBe(3);
      expect(r.status).not.toBe(2);
    } finally {
      p.cleanup();
    }
  },
);

const SHIPMENTS_POLICY = (file: string) =>
  [
    'kind: dataset',
    'name: shipments',
    `source: { path: ../${file} }`,
    'columns:',
    '  shipment_id: { type: integer, required: true, unique: true }',
    '  weight_kg: { type: number, min: 0 }',
    '  carrier: { type: string, values: [DHL, UPS, FedEx] }',
    'checks:',
    '  - row_count: { min: 1 }',
  ].join('\n');

describe.each(['shipments.parquet', 'shipments.arrow'])('%s', (file) => {
  test.each(fc.sample(mutatedBytes(readFileSync(`fixtures/data/${file}`)), { seed: FUZZ_SEED + 2, numRuns: SAMPLES }).map((bytes, i) => [i, bytes]))(
    'check on mutated bytes #%i: exit 0/1 with a report, or exit 3 with one line naming the file',
    (_i, bytes) => {
      const p = scratchProject({ 'rules/shipments.yaml': SHIPMENTS_POLICY(file), [file]: bytes as Buffer });
      try {
        const r = runCli(['check', 'rules', '--format', 'json', '--out', 'out', '--no-audit'], p.dir);
        expectNoCrash(r);
        const dataset = JSON.parse(readFileSync(join(p.dir, 'out/assay-report.json'), 'utf8')).datasets[0];
        if (dataset.error) {
          expect(r.status).toBe(3);
          expect(r.stderr.split('\n').filter((line) => line.startsWith('assay:'))).toEqual([`assay: cannot read data for dataset "shipments": ${dataset.error.replace(/^cannot read data for dataset "shipments": /, '')}`]);
          expect(dataset.error).toContain(`${file}: `);
        } else expect([0, 1]).toContain(r.status);
      } finally {
        p.cleanup();
      }
    },
  );
});
