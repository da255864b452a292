/**
 * Property: whatever bytes a data file holds, reading it ends in a table or
 * a DataError (exit 3), and a full run over it ends in a report whose
 * statuses are consistent: a dataset that could not be read is `error`, a
 * run with an error never maps to exit 0.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC } from '@uwdata/flechette';
import fc from 'fast-check';
import { exitCodeForRun } from '../../src/cli/exit-codes.js';
import { loadValidatedPolicies, runChecks } from '../../src/pipeline.js';
import type { Format } from '../../src/sources/readers.js';
import { readTable } from '../../src/sources/read-table.js';
import { AssayError, DataError } from '../../src/util/diagnostics.js';
import { fuzzParams, mutatedBytes, mutatedText, overwrittenInts } from './fuzz.js';

const CSV = 'id,amount,email,when,ok\n1,10.5,a@example.com,2026-01-01,true\n2,,b@x.org,2026-01-02T10:00:00Z,no\n3,-1,not-an-email,yesterday,maybe\n"4","1e3","q""uote@x.io",,1\n';
const NDJSON = '{"id":1,"amount":10.5,"email":"a@example.com","when":"2026-01-01","ok":true}\n{"id":"2","amount":null,"email":["x"],"when":3,"ok":"no"}\n{"id":3.5,"amount":{"v":1},"email":null}\n';
const JSON_ARRAY = `[${NDJSON.trim().split('\n').join(',')}]`;
const SAMPLES: Record<string, { text: string; format: Format }> = {
  csv: { text: CSV, format: 'csv' },
  tsv: { text: CSV.replace(/,/g, '\t'), format: 'tsv' },
  ndjson: { text: NDJSON, format: 'ndjson' },
  json: { text: JSON_ARRAY, format: 'json' },
};
const DATA_TOKENS = [',', '\t', '"', '""', '\n', '\r\n', '\r', '\ufeff', '\u0000', '\u00ff', '\\', '{', '}', '[', ']', ':', 'null', 'NaN', '1e999', '__proto__', 'constructor', 'toString', '"__proto__"', 'a,a', '\ud800'];

const POLICY = [
  'kind: dataset',
  'name: t',
  'source: { path: data.bin, format: FORMAT }',
  'columns:',
  '  id: { type: integer, required: true, unique: true }',
  '  amount: { type: number, min: 0 }',
  '  email: { type: string, format: email, pattern: "^[^@]+@", length: { min: 3, max: 80 } }',
  '  when: { type: timestamp }',
  '  ok: { type: boolean }',
  'checks:',
  '  - row_count: { min: 1 }',
  '  - missing_percent: { column: amount, max: 50 }',
  '  - metric: { column: amount, stat: median, max: 1000 }',
  '  - expression: { row: "d.amount == null || d.amount < 1e6", where: "d.ok != false" }',
  '  - aggregate: { expr: "op.sum(d.amount) / op.count()", max: 1e9 }',
  '  - duplicate_count: { column: email, max: 0 }',
].join('\n');

let project: string;
const cwd = process.cwd();
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'assay-fuzz-data-'));
  mkdirSync(join(project, '.git'));
  process.chdir(project);
});
afterAll(() => {
  process.chdir(cwd);
  rmSync(project, { recursive: true, force: true });
});

/** Read through the format's reader: a table or a DataError, nothing else. */
async function readOrDataError(bytes: Buffer, format: Format): Promise<void> {
  try {
    const table = await readTable('data.bin', bytes, format, {});
    expect(table.numRows()).toBeGreaterThanOrEqual(0);
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
  }
}

/** A whole run over the bytes: a consistent report, or an AssayError. */
async function runOver(bytes: Buffer, format: Format, policy = POLICY): Promise<void> {
  writeFileSync('data.bin', bytes);
  writeFileSync('rules.yaml', policy.replace('FORMAT', format));
  let run;
  try {
    run = await runChecks({ paths: ['rules.yaml'], now: new Date('2026-01-05T00:00:00Z') }, loadValidatedPolicies(['rules.yaml']));
  } catch (e) {
    if (!(e instanceof AssayError)) throw e;
    return;
  }
  const dataset = run.report.datasets[0];
  const code = exitCodeForRun(run.report, run.unreadable, 'error');
  if (run.unreadable.length > 0) {
    expect(dataset.status).toBe('error');
    expect(dataset.error).toEqual(expect.any(String));
    expect(code).toBe(3);
  }
  if (dataset.checks.some((c) => c.status === 'error' || c.status === 'fail')) expect(code).not.toBe(0);
  for (const check of dataset.checks) {
    if (check.failed_rows !== undefined && check.evaluated_rows !== undefined) {
      expect(check.failed_rows).toBeLessThanOrEqual(check.evaluated_rows);
      expect(check.evaluated_rows).toBeLessThanOrEqual(dataset.rows ?? 0);
    }
  }
}

/** Binary formats: the bundled Parquet and Arrow files, mutated byte by byte (SECURITY.md, fixtures/hostile/). */
const ARROW_FILE = readFileSync('fixtures/data/shipments.arrow');
const BINARY: Record<string, { bytes: Buffer; format: Format }> = {
  parquet: { bytes: readFileSync('fixtures/data/shipments.parquet'), format: 'parquet' },
  'arrow (file)': { bytes: ARROW_FILE, format: 'arrow' },
  'arrow (stream)': { bytes: Buffer.from(tableToIPC(tableFromIPC(ARROW_FILE), { format: 'stream' })!), format: 'arrow' },
};
const SHIPMENTS_POLICY = [
  'kind: dataset',
  'name: t',
  'source: { path: data.bin, format: FORMAT }',
  'columns:',
  '  shipment_id: { type: integer, required: true, unique: true }',
  '  weight_kg: { type: number, min: 0 }',
  '  carrier: { type: string, values: [DHL, UPS, FedEx] }',
  '  delivered: { type: boolean }',
  '  ship_date: { type: date }',
  '  delivered_at: { type: timestamp }',
  'checks:',
  '  - row_count: { min: 1 }',
  '  - missing_percent: { column: weight_kg, max: 50 }',
  '  - expression: { row: "d.delivered_at == null || d.delivered_at >= d.ship_date" }',
].join('\n');

describe.each(Object.entries(BINARY))('%s', (_name, { bytes, format }) => {
  test('the unmutated file reads and runs (sanity: the properties below are not vacuous)', async () => {
    const table = await readTable('data.bin', bytes, format, {});
    expect(table.numRows()).toBe(12);
    writeFileSync('data.bin', bytes);
    writeFileSync('rules.yaml', SHIPMENTS_POLICY.replace('FORMAT', format));
    const run = await runChecks({ paths: ['rules.yaml'], now: new Date('2026-01-05T00:00:00Z') }, loadValidatedPolicies(['rules.yaml']));
    expect(run.unreadable).toEqual([]);
    expect(run.report.datasets[0]).toMatchObject({ rows: 12, status: 'fail' }); // the planted problems
  });
  test('random bytes: the reader returns a table or a DataError', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), (b) => readOrDataError(Buffer.from(b), format)), fuzzParams(300, 5));
  });
  test('mutated bytes: the reader returns a table or a DataError', async () => {
    await fc.assert(fc.asyncProperty(mutatedBytes(bytes), (b) => readOrDataError(b, format)), fuzzParams(3000, 10));
  });
  test('extreme 32-bit integers written over lengths, counts and offsets: the reader returns a table or a DataError', async () => {
    await fc.assert(fc.asyncProperty(overwrittenInts(bytes), (b) => readOrDataError(b, format)), fuzzParams(3000, 10));
  });
  test('mutated bytes through a whole run: a consistent report or an AssayError', async () => {
    await fc.assert(fc.asyncProperty(mutatedBytes(bytes), (b) => runOver(b, format, SHIPMENTS_POLICY)), fuzzParams(400, 10));
  });
});

describe.each(Object.entries(SAMPLES))('%s', (_name, { text, format }) => {
  test('random bytes: the reader returns a table or a DataError', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), (b) => readOrDataError(Buffer.from(b), format)), fuzzParams(300, 5));
  });
  test('mutated text: the reader returns a table or a DataError', async () => {
    await fc.assert(fc.asyncProperty(mutatedText(text, DATA_TOKENS), (t) => readOrDataError(Buffer.from(t), format)), fuzzParams(300, 5));
  });
  test('mutated bytes through a whole run: a consistent report or an AssayError', async () => {
    await fc.assert(fc.asyncProperty(mutatedBytes(Buffer.from(text)), (b) => runOver(b, format)), fuzzParams(100, 10));
  });
  test('mutated text through a whole run: a consistent report or an AssayError', async () => {
    await fc.assert(fc.asyncProperty(mutatedText(text, DATA_TOKENS), (t) => runOver(Buffer.from(t), format)), fuzzParams(100, 10));
  });
});
