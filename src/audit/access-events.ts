/**
 * The audit events of access decisions (`access explain`, `access check`)
 * and exports: who, which dataset, the outcome, the policies that decided,
 * and per column only its access level. Never a cell value, never the row
 * filter with the principal's attribute values bound.
 */
import type { AccessDecision } from '../access/decide.js';
import type { AuditEventInput } from './event.js';

function principalDetails(decision: AccessDecision): Record<string, unknown> {
  return { principal: decision.principal.name, roles: decision.principal.roles, reason: decision.reason, policies: decision.policies };
}

function columnAccess(decision: AccessDecision): Record<string, string> {
  return Object.fromEntries(Object.entries(decision.columns).map(([name, c]) => [name, c.access === 'masked' ? `masked:${c.mask?.name}` : c.access]));
}

/** One `access.decision` event; `outcome` is the verdict (for `check --columns`, over those columns). */
export function accessDecisionEvent(command: 'explain' | 'check', decision: AccessDecision, outcome: 'allow' | 'deny', requested: string[] = []): AuditEventInput {
  return {
    action: 'access.decision',
    dataset: decision.dataset,
    outcome,
    details: {
      command,
      ...principalDetails(decision),
      ...(requested.length > 0 ? { requested_columns: requested } : {}),
      columns: columnAccess(decision),
      row_filters: decision.rowFilters.map((f) => f.policy),
    },
  };
}

/** One `export` event: `written` with what was written, or `denied`. */
export function exportEvent(
  decision: AccessDecision,
  outcome: 'written' | 'denied',
  written?: { out: string; format: string; rows: number; totalRows: number; fingerprint: string },
): AuditEventInput {
  return {
    action: 'export',
    dataset: decision.dataset,
    outcome,
    data_fingerprint: written?.fingerprint ?? null,
    details: {
      ...principalDetails(decision),
      columns: columnAccess(decision),
      row_filters: decision.rowFilters.map((f) => f.policy),
      ...(written ? { out: written.out, format: written.format, rows_written: written.rows, rows_total: written.totalRows } : {}),
    },
  };
}
