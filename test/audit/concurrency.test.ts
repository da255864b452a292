/**
 * Several processes append to one log at once; the lock must serialise them:
 * no interleaved or lost lines, no fork of the chain, each batch contiguous.
 * Runs real subprocesses against the built module (npm test builds first).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { parseLines, tempDir } from '../helpers/audit-log.js';

const WORKER = join(process.cwd(), 'test/helpers/audit-append-worker.mjs');
const PROCESSES = 6;
const BATCHES = 15;

function runWorker(log: string, worker: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, log, String(worker), String(BATCHES)], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

test('concurrent appends from several processes keep one intact chain', async () => {
  expect(existsSync(join(process.cwd(), 'dist/audit/append.js'))).toBe(true);
  const log = join(tempDir(), 'audit.jsonl');
  const codes = await Promise.all(Array.from({ length: PROCESSES }, (_, w) => runWorker(log, w)));
  expect(codes).toEqual(Array(PROCESSES).fill(0));

  const result = await verifyAuditLog(log, undefined);
  expect(result.problem).toBeUndefined();
  const events = parseLines(log);
  // one policy.change (the first append) + 2 events per batch
  expect(result.events).toBe(1 + PROCESSES * BATCHES * 2);
  expect(events.filter((e) => e.action === 'policy.change')).toHaveLength(1);
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  // every batch landed whole: each orders event is followed by its customers event
  for (let i = 1; i < events.length; i += 2) {
    expect(events[i].dataset).toBe('orders');
    expect(events[i + 1]).toMatchObject({ dataset: 'customers', actor: events[i].actor, details: events[i].details });
  }
  for (let w = 0; w < PROCESSES; w++) {
    const mine = events.filter((e) => e.actor === `worker-${w}` && e.dataset === 'orders').map((e) => (e.details as { i: number }).i);
    expect(mine).toEqual(Array.from({ length: BATCHES }, (_, i) => i));
  }
}, 120_000);
