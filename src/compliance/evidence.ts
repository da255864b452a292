/**
 * Evidence from the audit log: per check id, its latest result in the
 * window; per access policy, its latest application in the window; and the
 * latest `policy.change` (which records the policy files in force). Only
 * check runs over the declared source are evidence; runs over `--data` files
 * are listed apart.
 */
import type { AuditEvent } from '../audit/event.js';
import type { EvidenceItem, OverrideRun } from './model.js';

export interface Window {
  since?: Date;
  until: Date;
}

export interface EvidenceIndex {
  /** Check id → its latest check.run result in the window. */
  checks: Map<string, EvidenceItem>;
  /** Access policy name → the latest access decision or export in the window that applied it. */
  access: Map<string, EvidenceItem>;
  /** The latest policy.change up to the end of the window. */
  lastPolicyChange?: AuditEvent;
  /** check.run events in the window over data given with `--data`: shown, never evidence. */
  overrideRuns: OverrideRun[];
}

export function inWindow(event: AuditEvent, window: Window): boolean {
  const t = Date.parse(event.ts);
  return t <= window.until.getTime() && (window.since === undefined || t >= window.since.getTime());
}

/** Events are in log order, so a later event replaces an earlier one. */
export function indexEvidence(events: AuditEvent[], window: Window): EvidenceIndex {
  const index: EvidenceIndex = { checks: new Map(), access: new Map(), overrideRuns: [] };
  const item = (e: AuditEvent, kind: EvidenceItem['kind'], subject: string, status: string): EvidenceItem => ({
    kind, subject, dataset: e.dataset, status, seq: e.seq, hash: e.hash, ts: e.ts,
  });
  for (const e of events) {
    if (Date.parse(e.ts) > window.until.getTime()) continue;
    if (e.action === 'policy.change') index.lastPolicyChange = e;
    if (!inWindow(e, window)) continue;
    if (e.action === 'check.run') {
      // A run over a hand-picked file (`check --data`) says nothing about the declared dataset. Only
      // runs that record they read the declared source count: a run that does not say so is not evidence.
      if (e.details.data_override !== false) {
        index.overrideRuns.push({ seq: e.seq, hash: e.hash, ts: e.ts, dataset: e.dataset, source: typeof e.details.source === 'string' ? e.details.source : null, outcome: e.outcome });
        continue;
      }
      const results = e.details.results;
      if (results === null || typeof results !== 'object') continue;
      for (const [id, status] of Object.entries(results as Record<string, unknown>)) {
        if (typeof status === 'string') index.checks.set(id, item(e, 'check', id, status));
      }
    } else if (e.action === 'access.decision' || e.action === 'export') {
      const policies = e.details.policies;
      if (!Array.isArray(policies)) continue;
      for (const name of policies) if (typeof name === 'string') index.access.set(name, item(e, 'access', name, `${e.action}: ${e.outcome}`));
    }
  }
  return index;
}
