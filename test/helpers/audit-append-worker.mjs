// A separate process that appends events to one audit log, for the
// concurrency test: node audit-append-worker.mjs LOG WORKER COUNT
import { appendAuditEvents } from '../../dist/audit/append.js';

const [log, worker, count] = process.argv.slice(2);
const policy = { policyHash: `sha256:${'a'.repeat(64)}`, files: [] };
for (let i = 0; i < Number(count); i++) {
  await appendAuditEvents({ path: log, actor: `worker-${worker}` }, policy, [
    { action: 'check.run', dataset: 'orders', outcome: 'pass', details: { worker: Number(worker), i } },
    { action: 'check.run', dataset: 'customers', outcome: 'pass', details: { worker: Number(worker), i } },
  ]);
}
