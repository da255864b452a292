/**
 * Appending to the log. Appends from concurrent runs are serialised by a lock
 * (proper-lockfile: an atomic mkdir of `<log>.lock`, refreshed while held and
 * taken over when stale), so the chain never forks or interleaves. Each batch
 * is one write to a file opened for appending, then fsync: earlier bytes are
 * never rewritten, and the file works with an append-only attribute
 * (`chattr +a`).
 *
 * A crash mid-append can leave a torn last line (no newline). The next append
 * does not remove it: it ends it with a newline and first appends an
 * `audit.recover` event holding the torn bytes' length and sha256, which
 * verify checks.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { ASSAY_VERSION } from '../report/model.js';
import { AssayError } from '../util/diagnostics.js';
import { withFileLock } from '../util/lock.js';
import { ensureOutputFolder, openForAppend, writeAll } from '../util/write-file.js';
import { hashAlgorithm, hashEvent, keyId } from './chain.js';
import { eventLine, type AuditEvent, type AuditEventInput } from './event.js';
import { lastEvent, readTail } from './read.js';

/** Where and as whom events are appended. */
export interface AuditLog {
  path: string;
  actor: string;
  /** ASSAY_AUDIT_KEY: hashes become HMAC-SHA256 under this key. */
  key?: string;
  /** Clock for `ts`; the wall clock unless a test fixes it. */
  clock?: () => Date;
}

/** The policy files in force (a PolicySet satisfies this). */
export interface AuditPolicy {
  policyHash: string;
  files: { file: string; sha256: string }[];
}

/**
 * Append events to the log, in order, under the lock. A `policy.change`
 * event is appended first when the policy files' hash differs from the one
 * recorded by the log's last event (or the log is new). Returns every event
 * written, including those.
 */
export async function appendAuditEvents(log: AuditLog, policy: AuditPolicy, inputs: AuditEventInput[]): Promise<AuditEvent[]> {
  // The log's folder and the lock beside the log are never reached through a link (util/write-file.ts).
  ensureOutputFolder(dirname(log.path) || '.');
  return withFileLock(log.path, `audit log ${log.path}`, (compromised) => appendLocked(log, policy, inputs, compromised));
}

/** One event; the policy hash is the current one. */
export async function appendAuditEvent(log: AuditLog, policy: AuditPolicy, input: AuditEventInput): Promise<AuditEvent> {
  const events = await appendAuditEvents(log, policy, [input]);
  return events[events.length - 1];
}

function appendLocked(log: AuditLog, policy: AuditPolicy, inputs: AuditEventInput[], compromised: () => Error | undefined): AuditEvent[] {
  const { fd, created } = openForAppend(log.path, { read: true });
  try {
    const tail = readTail(fd, fstatSync(fd).size);
    const last = lastEvent(log.path, tail);
    checkKeyMode(log, last);
    const ts = (log.clock ?? (() => new Date()))().toISOString();
    const events: AuditEvent[] = [];
    let previous = last;
    const add = (input: AuditEventInput, policyHash: string | null): void => {
      const body: Omit<AuditEvent, 'hash'> = {
        seq: (previous?.seq ?? 0) + 1,
        ts,
        actor: log.actor,
        action: input.action,
        dataset: input.dataset ?? null,
        outcome: input.outcome,
        details: input.details ?? {},
        policy_hash: policyHash,
        data_fingerprint: input.data_fingerprint ?? null,
        assay_version: ASSAY_VERSION,
        ...(log.key !== undefined ? { key_id: keyId(log.key) } : {}),
        prev: previous?.hash ?? null,
      };
      previous = { ...body, hash: hashEvent(body, log.key) };
      events.push(previous);
    };
    if (tail.torn) {
      add(
        { action: 'audit.recover', outcome: 'recovered', details: { torn_bytes: tail.torn.length, torn_sha256: `sha256:${createHash('sha256').update(tail.torn).digest('hex')}` } },
        last?.policy_hash ?? null,
      );
    }
    if (last?.policy_hash !== policy.policyHash) {
      const files = Object.fromEntries(policy.files.map((f) => [f.file, f.sha256]));
      add({ action: 'policy.change', outcome: 'recorded', details: { previous_policy_hash: last?.policy_hash ?? null, files } }, policy.policyHash);
    }
    for (const input of inputs) add(input, policy.policyHash);

    const text = `${tail.torn ? '\n' : ''}${events.map((e) => `${eventLine(e)}\n`).join('')}`;
    const problem = compromised();
    if (problem) throw new AssayError('usage', `audit log ${log.path}: lost the lock before writing (${problem.message}); nothing was appended`);
    writeAll(fd, Buffer.from(text, 'utf8'));
    fsyncSync(fd);
    if (created) syncFolder(dirname(log.path));
    return events;
  } finally {
    closeSync(fd);
  }
}

/** A log keeps the mode of its first event: plain SHA-256, or HMAC under one key. */
function checkKeyMode(log: AuditLog, last: AuditEvent | undefined): void {
  if (!last) return;
  const keyed = hashAlgorithm(last.hash) === 'hmac-sha256';
  if (keyed && log.key === undefined) {
    throw new AssayError('usage', `audit log ${log.path} is keyed (HMAC-SHA256) but ASSAY_AUDIT_KEY is not set`, 'set ASSAY_AUDIT_KEY to the log\'s key, or use --no-audit');
  }
  if (!keyed && log.key !== undefined) {
    throw new AssayError('usage', `audit log ${log.path} is not keyed but ASSAY_AUDIT_KEY is set`, 'unset ASSAY_AUDIT_KEY, or start a new keyed log with --audit-log');
  }
  if (keyed && last.key_id !== keyId(log.key!)) {
    throw new AssayError('usage', `audit log ${log.path} was written with a different key than ASSAY_AUDIT_KEY`, 'set ASSAY_AUDIT_KEY to the log\'s key');
  }
}

/** Make a new file's directory entry durable too; not possible on every platform. */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot open folders; the file's own fsync still happened.
  }
}
