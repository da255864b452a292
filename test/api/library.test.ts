/** The library API (src/index.ts) as a program uses it: rows in memory, access, export, audit, errors. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from } from 'arquero';
import {
  AssayError,
  decideDatasetAccess,
  exportView,
  loadValidatedPolicies,
  openAuditLog,
  principalFor,
  recordCheckRun,
  runChecks,
  validatePolicyFiles,
  verifyAuditLog,
  type RunReport,
} from '../../src/index.js';

const NOW = new Date('2026-01-05T12:00:00Z');
const validated = loadValidatedPolicies(['rules']);

/** The report without what differs between runs or sources. */
function comparable(report: RunReport): unknown {
  return report.datasets.map((d) => ({ rows: d.rows, status: d.status, checks: d.checks.map((c) => ({ id: c.id, status: c.status, observed: c.observed, message: c.message, samples: c.samples })) }));
}

/** The bundled customers as records of raw text, as a program holding a parsed CSV has them. */
function customerRecords(): Record<string, string | null>[] {
  const [header, ...lines] = readFileSync('fixtures/data/customers.csv', 'utf8').trimEnd().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v === '' ? null : v])));
}

describe('runChecks on rows in memory', () => {
  test('an array of records and an arquero table give the report the file gives', async () => {
    // customers.csv has no quoted commas, so a split is its parse.
    expect(readFileSync('fixtures/data/customers.csv', 'utf8')).not.toContain('"');
    const fromFile = await runChecks({ paths: ['rules'], now: NOW, datasets: ['customers'] }, validated);
    const records = customerRecords();
    const fromRecords = await runChecks({ paths: ['rules'], now: NOW, datasets: ['customers'], data: { customers: records } }, validated);
    const fromTable = await runChecks({ paths: ['rules'], now: NOW, datasets: ['customers'], data: { customers: from(records) } }, validated);
    expect(fromFile.report.status).toBe('fail');
    expect(comparable(fromRecords.report)).toEqual(comparable(fromFile.report));
    expect(comparable(fromTable.report)).toEqual(comparable(fromFile.report));
    expect(fromRecords.report.datasets[0].source).toBe('memory:customers');
    expect(fromRecords.report.datasets[0].fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('--engine duckdb measures rows in memory in-process, and says so', async () => {
    const run = await runChecks({ paths: ['rules'], now: NOW, datasets: ['customers'], engine: 'duckdb', data: { customers: customerRecords() } }, validated);
    expect(run.engines.get('customers')).toEqual({ engine: 'arquero', fallback: 'rows in memory are measured in-process' });
  });

  test('data for an undeclared dataset, or of the wrong shape, is a usage error', async () => {
    await expect(runChecks({ paths: ['rules'], now: NOW, data: { custmers: [] } }, validated)).rejects.toThrow(new AssayError('usage', 'unknown dataset "custmers"'));
    await expect(runChecks({ paths: ['rules'], now: NOW, data: { customers: 'a.csv' as never } }, validated)).rejects.toThrow('data for dataset "customers": expected an array of records or an arquero table');
    const bad = await runChecks({ paths: ['rules'], now: NOW, datasets: ['customers'], data: { customers: [{ customer_id: 1 }, 7 as never] } }, validated);
    expect(bad.unreadable).toEqual(['customers']);
    expect(bad.report.datasets[0].error).toContain('memory:customers: expected an object, found a number (record 2)');
  });
});

describe('access, export and audit', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assay-api-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('decideDatasetAccess and principalFor take declared names or described principals', () => {
    const { policy } = validated;
    expect(decideDatasetAccess(policy, 'alice', 'orders').decision).toBe('allow');
    expect(() => principalFor(policy, 'alcie')).toThrow('unknown principal "alcie"');
    expect(() => principalFor(policy, { name: 'job', roles: ['analyts'], attributes: {} })).toThrow('unknown role "analyts" of principal "job"');
    expect(principalFor(policy, { name: 'job', roles: ['analyst'], attributes: {} }).name).toBe('job');
  });

  test('exportView writes the governed view and records it; recordCheckRun appends; the chain verifies', async () => {
    const { policy } = validated;
    const log = openAuditLog(join(dir, 'audit.jsonl'), { actor: 'test', env: {} });
    const out = join(dir, 'orders.csv');
    const result = await exportView({ policy, principal: principalFor(policy, 'bob'), dataset: policy.datasets.find((d) => d.name === 'orders')!, out, audit: log, env: { ASSAY_MASK_KEY: 'k'.repeat(32) } });
    expect(result.written).toBe(true);
    if (!result.written) return;
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(result.rows + 1);
    expect(result.rows).toBeLessThan(result.sourceRows);
    const run = await runChecks({ paths: ['rules'], now: NOW, datasets: ['customers'] }, validated);
    await recordCheckRun(log, run);
    const verified = await verifyAuditLog(log.path, log.key);
    expect(verified.ok).toBe(true);
    const actions = readFileSync(log.path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).action);
    expect(actions).toEqual(['policy.change', 'export', 'check.run']);
  });

  test('validatePolicyFiles returns every diagnostic without throwing', () => {
    const { valid, diagnostics } = validatePolicyFiles(['fixtures/policies/invalid/wrong-type.yaml']);
    expect(valid).toBe(false);
    expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});
