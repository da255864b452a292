/**
 * Audit events (SPEC §4) for access decisions and exports. Like every audit
 * event they carry names, counts and hashes, never cell values: the column
 * names decided, the policies that decided, how many rows an export wrote.
 * Row filters are named by policy, not printed (a bound filter holds the
 * principal's attribute values).
 */
import type { AuditEventInput } from '../audit/event.js';
import type { AccessDecision, Reason } from './decide.js';

/** `access explain` / `access check`: one event per decision. */
export function accessDecisionEvent(command: 'access explain' | 'access check', decision: AccessDecision, verdict: { decision: 'allow' | 'deny'; reason: Reason }, columns: string[]): AuditEventInput {
  return {
    action: 'access.decision',
    dataset: decision.dataset,
    outcome: verdict.decision,
    details: {
      command,
      principal: decision.principal.name,
      roles: decision.principal.roles,
      reason: verdict.reason,
      columns: columns.length > 0 ? columns : null,
      policies: decision.policies,
      row_filters: decision.rowFilters.map((f) => f.policy),
    },
  };
}

export interface ExportFacts {
  format: string;
  out: string;
  rows: number;
  sourceRows: number;
  columns: string[];
  fingerprint: string | null;
}

/** `export`: `written` with what was written, or `denied` (nothing written, data not read). */
export function exportEvent(decision: AccessDecision, facts: ExportFacts | null): AuditEventInput {
  const names = (access: string) => Object.entries(decision.columns).filter(([, c]) => c.access === access).map(([n]) => n);
  return {
    action: 'export',
    dataset: decision.dataset,
    outcome: facts ? 'written' : 'denied',
    data_fingerprint: facts?.fingerprint ?? null,
    details: {
      principal: decision.principal.name,
      roles: decision.principal.roles,
      reason: decision.reason,
      policies: decision.policies,
      row_filters: decision.rowFilters.map((f) => f.policy),
      ...(facts
        ? { format: facts.format, out: facts.out, rows: facts.rows, source_rows: facts.sourceRows, columns: facts.columns, masked: names('masked'), denied: names('denied') }
        : {}),
    },
  };
}
