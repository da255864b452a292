/**
 * The compliance report model (`assay report compliance --format json`):
 * controls → the checks and access policies that cite them → evidence in the
 * audit log, and governance gaps with coverage percentages. Markdown and HTML
 * are rendered from it.
 */
import type { TamperReason } from '../audit/verify.js';

export type ControlStatus = 'satisfied' | 'not-satisfied' | 'no-evidence' | 'error';

/** One audit event that evidences a control, pointed at by seq and hash. */
export interface EvidenceItem {
  /** `check`: a check.run result; `policy`: the policy.change event that recorded the access policy in force; `access`: an access decision or export that applied it. */
  kind: 'check' | 'policy' | 'access';
  /** Check id or access policy name. */
  subject: string;
  dataset: string | null;
  /** The check's status, the access outcome, or `recorded` for a policy. */
  status: string;
  seq: number;
  hash: string;
  ts: string;
}

/** A check run over data given with `check --data`: listed in the report, never evidence. */
export interface OverrideRun {
  seq: number;
  hash: string;
  ts: string;
  dataset: string | null;
  /** The file the run read instead of the declared source. */
  source: string | null;
  outcome: string;
}

export interface ControlReport {
  /** `<framework>.<control>`, as cited in policy files. */
  id: string;
  framework: string;
  control: string;
  title: string;
  status: ControlStatus;
  /** One line saying why the status is what it is. */
  reason: string;
  /** Check ids that cite the control (their own `controls` or their dataset's). */
  checks: string[];
  /** Datasets whose `controls` cite it. */
  datasets: string[];
  /** Access policies that cite it. */
  policies: string[];
  evidence: EvidenceItem[];
  /** Citing checks (or policies) with no evidence in the window. */
  missing: string[];
}

export interface GovernanceGap {
  id: 'datasets_without_owner' | 'datasets_without_freshness' | 'classified_columns_uncovered' | 'controls_without_checks' | 'checks_not_run';
  title: string;
  /** What is counted, e.g. "datasets". */
  unit: string;
  total: number;
  covered: number;
  /** covered / total × 100, rounded to 0.1; 100 when total is 0. */
  coverage_percent: number;
  /** What is not covered. */
  items: string[];
}

export interface AuditLogSummary {
  path: string;
  exists: boolean;
  intact: boolean;
  keyed: boolean;
  /** Events in the intact prefix. */
  events: number;
  head: string | null;
  /** The first bad line, when not intact: evidence stops before it. */
  problem: { line: number; reason: TamperReason; message: string } | null;
}

export interface ComplianceReport {
  assay_version: string;
  generated_at: string;
  window: { since: string | null; until: string };
  framework: string | null;
  policy_hash: string;
  audit_log: AuditLogSummary;
  summary: { controls: number; satisfied: number; not_satisfied: number; no_evidence: number; error: number };
  controls: ControlReport[];
  gaps: GovernanceGap[];
  /** Check runs in the window over `--data` files (or that do not say they read the declared source): not evidence. */
  override_runs: OverrideRun[];
}

export function percent(covered: number, total: number): number {
  return total === 0 ? 100 : Math.round((covered / total) * 1000) / 10;
}
