// Audit log throughput: appends (each takes the lock, reads the tail, writes,
// fsyncs) and verify/show over a larger log. Run after `npm run build`:
//   node bench/audit.mjs [EVENTS]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendAuditEvents } from '../dist/audit/append.js';
import { readEvents } from '../dist/audit/read.js';
import { verifyAuditLog } from '../dist/audit/verify.js';

const events = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'assay-audit-bench-'));
const path = join(dir, 'audit.jsonl');
const policy = { policyHash: `sha256:${'a'.repeat(64)}`, files: [{ file: 'rules/orders.yaml', sha256: `sha256:${'b'.repeat(64)}` }] };
const results = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`orders.check_${i}`, i % 7 ? 'pass' : 'fail']));
const input = (i) => ({ action: 'check.run', dataset: 'orders', outcome: 'fail', data_fingerprint: `sha256:${'c'.repeat(64)}`, details: { run: i, summary: { checks: 40 }, results } });
const log = { path, actor: 'bench' };
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;

let t = process.hrtime.bigint();
const single = 200;
for (let i = 0; i < single; i++) await appendAuditEvents(log, policy, [input(i)]);
const perAppend = ms(t) / single;

t = process.hrtime.bigint();
const batch = 1000;
for (let written = single + 1; written < events; written += batch) {
  await appendAuditEvents(log, policy, Array.from({ length: Math.min(batch, events - written) }, (_, i) => input(written + i)));
}
const batchedMs = ms(t);

t = process.hrtime.bigint();
const verified = await verifyAuditLog(path, undefined);
const verifyMs = ms(t);
t = process.hrtime.bigint();
const shown = await readEvents(path, (e) => e.seq % 1000 === 0);
const showMs = ms(t);

const mb = statSync(path).size / 1e6;
console.log(`events: ${verified.events} (${mb.toFixed(1)} MB), intact: ${verified.ok}`);
console.log(`append, one event per call (lock + tail read + write + fsync): ${perAppend.toFixed(2)} ms per call`);
console.log(`append, batches of ${batch}: ${((events - single) / (batchedMs / 1000)).toFixed(0)} events/s`);
console.log(`verify: ${verifyMs.toFixed(0)} ms (${(verified.events / (verifyMs / 1000)).toFixed(0)} events/s, ${(mb / (verifyMs / 1000)).toFixed(1)} MB/s)`);
console.log(`show (stream + filter, ${shown.length} kept): ${showMs.toFixed(0)} ms`);
console.log(`peak RSS: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
rmSync(dir, { recursive: true, force: true });
