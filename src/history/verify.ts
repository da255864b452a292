/**
 * `assay history verify`: every stored point must belong to an intact audit
 * log's `check.run` event (by the hash it carries), agree with it on dataset,
 * run id, time and data fingerprint, and the points of each event must give
 * the metrics digest the event recorded. So a point edited, added or
 * deleted in the store, or an event edited in the log, is found.
 */
import type { AuditEvent } from '../audit/event.js';
import { metricsDigest } from '../audit/metrics-digest.js';
import type { StoredPoint } from './store.js';

export interface HistoryProblem {
  dataset: string;
  run_id: string;
  points: number;
  message: string;
}

export interface HistoryVerifyResult {
  ok: boolean;
  points: number;
  runs: number;
  problems: HistoryProblem[];
}

/** `events`: the events of a log that `verifyAuditLog` found intact. */
export function verifyHistory(points: readonly StoredPoint[], events: readonly AuditEvent[]): HistoryVerifyResult {
  const byHash = new Map(events.filter((e) => e.action === 'check.run').map((e) => [e.hash, e]));
  const groups = new Map<string, StoredPoint[]>();
  for (const p of points) {
    const key = JSON.stringify([p.dataset, p.run_id, p.audit_hash]);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const problems: HistoryProblem[] = [];
  for (const group of groups.values()) {
    const { dataset, run_id, audit_hash } = group[0];
    const problem = (message: string) => problems.push({ dataset, run_id, points: group.length, message });
    if (audit_hash === null) {
      problem('no audit hash: the run kept no audit log (--no-audit), or the points were imported without their audit log');
      continue;
    }
    const event = byHash.get(audit_hash);
    if (!event) {
      problem(`audit event ${audit_hash} is not in the audit log`);
      continue;
    }
    const details = event.details as Record<string, unknown>;
    const times = new Set(group.map((p) => p.time));
    const fingerprints = new Set(group.map((p) => p.fingerprint));
    if (event.dataset !== dataset) problem(`the audit event is about dataset "${String(event.dataset)}"`);
    else if (details.run_id !== run_id) problem(`the audit event is of run ${String(details.run_id)}`);
    else if (times.size !== 1 || details.now !== group[0].time) problem(`the points' time ${[...times].join(', ')} is not the run's now ${String(details.now)}`);
    else if (fingerprints.size !== 1 || event.data_fingerprint !== group[0].fingerprint) problem('the data fingerprint differs from the audit event\'s');
    else if (typeof details.metrics_digest !== 'string') problem('the audit event records no metrics digest (written by an assay without history)');
    else {
      const values = Object.fromEntries(group.map((p) => [p.metric, p.value]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      if (metricsDigest(values) !== details.metrics_digest) {
        const recorded = typeof details.metrics === 'number' ? details.metrics : undefined;
        const count = recorded !== undefined && recorded !== group.length ? ` (${group.length} points stored, ${recorded} recorded)` : '';
        problem(`the values differ from those the audit event recorded${count}`);
      }
    }
  }
  const runs = new Set(points.map((p) => `${p.dataset}\u0000${p.run_id}`)).size;
  return { ok: problems.length === 0, points: points.length, runs, problems };
}
