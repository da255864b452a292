/** Builders and editors of audit logs for tests. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendAuditEvents, type AuditPolicy } from '../../src/audit/append.js';
import { hashEvent } from '../../src/audit/chain.js';
import type { AuditEvent } from '../../src/audit/event.js';

export const POLICY: AuditPolicy = {
  policyHash: 'sha256:' + 'a'.repeat(64),
  files: [{ file: 'rules/orders.yaml', sha256: 'sha256:' + 'b'.repeat(64) }],
};

export function tempDir(prefix = 'assay-audit-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A log of `runs` check.run events after the first policy.change: `runs + 1` lines. */
export async function makeLog(runs: number, key?: string, path = join(tempDir(), 'audit.jsonl')): Promise<string> {
  for (let i = 0; i < runs; i++) {
    const clock = () => new Date(Date.UTC(2026, 0, 5, 10, 0, i));
    await appendAuditEvents({ path, actor: 'ci@test', key, clock }, POLICY, [
      { action: 'check.run', dataset: 'orders', outcome: i % 2 ? 'fail' : 'pass', details: { run: i } },
    ]);
  }
  return path;
}

export function readLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
}

export function writeLines(path: string, lines: string[]): void {
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
}

export function parseLines(path: string): AuditEvent[] {
  return readLines(path).map((l) => JSON.parse(l) as AuditEvent);
}

/** What an attacker without the key can do: recompute every hash and prev from `from` (0-based) on. */
export function rebuildChain(events: AuditEvent[], from = 0): AuditEvent[] {
  const out = events.map((e) => ({ ...e }));
  for (let i = from; i < out.length; i++) {
    const { hash: _h, key_id: _k, ...body } = out[i];
    const rebuilt = { ...body, prev: i === 0 ? null : out[i - 1].hash };
    out[i] = { ...rebuilt, hash: hashEvent(rebuilt) };
  }
  return out;
}
