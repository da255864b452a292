import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendAuditEvent, appendAuditEvents } from '../../src/audit/append.js';
import { canonicalJson, hashEvent, keyId } from '../../src/audit/chain.js';
import { checkRunEvents } from '../../src/audit/check-events.js';
import { runChecks } from '../../src/pipeline.js';
import { AssayError } from '../../src/util/diagnostics.js';
import { makeLog, parseLines, POLICY, tempDir } from '../helpers/audit-log.js';

const clock = () => new Date('2026-01-05T10:00:00.000Z');

describe('appendAuditEvents', () => {
  test('the first append records the policy files, then the events, chained', async () => {
    const path = join(tempDir(), 'nested', 'audit.jsonl');
    const written = await appendAuditEvents({ path, actor: 'alice', clock }, POLICY, [
      { action: 'check.run', dataset: 'orders', outcome: 'fail', data_fingerprint: 'sha256:' + 'd'.repeat(64), details: { rows: 3 } },
    ]);
    const events = parseLines(path);
    expect(events).toEqual(written);
    expect(events[0]).toEqual({
      seq: 1, ts: '2026-01-05T10:00:00.000Z', actor: 'alice', action: 'policy.change', dataset: null, outcome: 'recorded',
      details: { previous_policy_hash: null, files: { 'rules/orders.yaml': POLICY.files[0].sha256 } },
      policy_hash: POLICY.policyHash, data_fingerprint: null, assay_version: '0.1.0', prev: null, hash: events[0].hash,
    });
    expect(events[1]).toMatchObject({ seq: 2, action: 'check.run', dataset: 'orders', outcome: 'fail', prev: events[0].hash, policy_hash: POLICY.policyHash });
    for (const e of events) expect(e.hash).toBe(hashEvent(e));
  });

  test('the hash is SHA-256 over the RFC 8785 canonical JSON of the event without its hash', async () => {
    const path = await makeLog(1);
    const [first] = parseLines(path);
    const { hash, ...body } = first;
    const { createHash } = await import('node:crypto');
    expect(hash).toBe(`sha256:${createHash('sha256').update(canonicalJson(body)).digest('hex')}`);
    expect(canonicalJson({ b: 1, a: [1.5, 'é', null], c: { z: true, y: 1e21 } })).toBe('{"a":[1.5,"é",null],"b":1,"c":{"y":1e+21,"z":true}}');
  });

  test('no policy.change while the policy files are unchanged; one when they change', async () => {
    const path = await makeLog(3);
    expect(parseLines(path).filter((e) => e.action === 'policy.change')).toHaveLength(1);
    const changed = { policyHash: 'sha256:' + 'e'.repeat(64), files: [{ file: 'rules/orders.yaml', sha256: 'sha256:' + 'f'.repeat(64) }] };
    const written = await appendAuditEvents({ path, actor: 'bob', clock }, changed, [{ action: 'check.run', dataset: 'orders', outcome: 'pass' }]);
    expect(written.map((e) => e.action)).toEqual(['policy.change', 'check.run']);
    expect(written[0]).toMatchObject({ seq: 5, details: { previous_policy_hash: POLICY.policyHash }, policy_hash: changed.policyHash });
  });

  test('appendAuditEvent appends one event and returns it', async () => {
    const path = await makeLog(1);
    const event = await appendAuditEvent({ path, actor: 'alice', clock }, POLICY, { action: 'access.decision', dataset: 'orders', outcome: 'deny', details: { principal: 'bob' } });
    expect(event).toMatchObject({ seq: 3, action: 'access.decision', outcome: 'deny' });
    expect(parseLines(path)).toHaveLength(3);
  });

  test('a keyed log records the key id, never the key', async () => {
    const path = await makeLog(2, 'secret-key-123');
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('secret-key-123');
    expect(parseLines(path).every((e) => e.key_id === keyId('secret-key-123'))).toBe(true);
  });

  test.each([
    ['a keyed log without a key', 'k1', undefined, /is keyed \(HMAC-SHA256\) but ASSAY_AUDIT_KEY is not set/],
    ['an unkeyed log with a key', undefined, 'k1', /is not keyed but ASSAY_AUDIT_KEY is set/],
    ['a keyed log with another key', 'k1', 'k2', /written with a different key/],
  ])('refuses to append to %s', async (_name, writeKey, appendKey, message) => {
    const path = await makeLog(1, writeKey);
    const before = readFileSync(path, 'utf8');
    await expect(appendAuditEvents({ path, actor: 'x', key: appendKey }, POLICY, [{ action: 'check.run', outcome: 'pass' }])).rejects.toThrow(message);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  test('refuses to append after a last line that is not an event', async () => {
    const path = await makeLog(1);
    appendFileSync(path, 'not json\n');
    const error = await appendAuditEvents({ path, actor: 'x' }, POLICY, []).catch((e) => e);
    expect(error).toBeInstanceOf(AssayError);
    expect(error.message).toMatch(/the last line is not an audit event \(not valid JSON\)/);
  });

  test('earlier bytes are never rewritten: each append only adds to the end', async () => {
    const path = await makeLog(2);
    const before = readFileSync(path);
    await makeLog(1, undefined, path);
    const after = readFileSync(path);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(after.length).toBeGreaterThan(before.length);
  });
});

describe('check.run events on the bundled examples', () => {
  test('carry counts, ids and statuses, and no cell value of the data', async () => {
    const run = await runChecks({ paths: ['rules'], now: new Date('2026-01-05T12:00:00Z'), runId: 'run-1' });
    const inputs = checkRunEvents(run.report);
    expect(inputs.map((e) => e.dataset)).toEqual(run.report.datasets.map((d) => d.name));
    const orders = inputs.find((e) => e.dataset === 'orders')!;
    const report = run.report.datasets.find((d) => d.name === 'orders')!;
    expect(orders).toMatchObject({ action: 'check.run', outcome: report.status, data_fingerprint: report.fingerprint });
    expect(orders.details).toMatchObject({ run_id: 'run-1', rows: report.rows, summary: { checks: report.checks.length } });
    expect(Object.keys(orders.details!.results as object)).toEqual(report.checks.map((c) => c.id));

    const path = join(tempDir(), 'audit.jsonl');
    await appendAuditEvents({ path, actor: 'ci' }, run.policy, inputs);
    const log = readFileSync(path, 'utf8');
    const cells = new Set<string>();
    for (const file of ['fixtures/data/orders.csv', 'fixtures/data/customers.csv']) {
      const [, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
      for (const row of rows) for (const cell of row.split(',')) if (/[g-z@]/i.test(cell) && cell.length > 5) cells.add(cell);
    }
    expect(cells.size).toBeGreaterThan(100);
    const leaked = [...cells].filter((cell) => log.includes(cell));
    expect(leaked).toEqual([]);
  });
});

describe('check.run events for a dataset that could not be read', () => {
  test('outcome error, data_readable false, every check error, no fingerprint', async () => {
    const run = await runChecks({ paths: ['rules'], datasets: ['orders'], dataOverrides: { orders: join(tempDir(), 'missing.csv') }, now: new Date('2026-01-05T12:00:00Z') });
    const [event] = checkRunEvents(run.report);
    expect(event).toMatchObject({ action: 'check.run', dataset: 'orders', outcome: 'error', data_fingerprint: null, details: { data_readable: false, rows: null } });
    expect(new Set(Object.values(event.details!.results as Record<string, string>))).toEqual(new Set(['error']));
  });
});
