/**
 * Build the compliance report: for each declared control, the checks and
 * access policies citing it, their evidence in the audit log within the
 * window, and a status; then the governance gaps. Pure: the caller reads the
 * policy files and the (verified) audit log.
 */
import { exposedClassifiedColumns } from '../access/coverage.js';
import { buildAccessModel } from '../access/model.js';
import type { TrustedEvents } from '../audit/trusted.js';
import type { PolicySet } from '../policy/types.js';
import { ASSAY_VERSION } from '../report/model.js';
import { accessPolicyControls, declaredControls, type DeclaredControl } from './controls.js';
import { indexEvidence, type EvidenceIndex, type Window } from './evidence.js';
import { percent, type AuditLogSummary, type ComplianceReport, type ControlReport, type EvidenceItem, type GovernanceGap } from './model.js';

export interface ComplianceInput {
  policy: PolicySet;
  trusted: TrustedEvents;
  logPath: string;
  now: Date;
  since?: Date;
  /** Only this framework's controls. */
  framework?: string;
}

export function buildComplianceReport(input: ComplianceInput): ComplianceReport {
  const { policy } = input;
  const window: Window = { since: input.since, until: input.now };
  const index = indexEvidence(input.trusted.events, window);
  const controls = declaredControls(policy).filter((c) => input.framework === undefined || c.framework === input.framework);
  const reports = controls.map((c) => controlReport(c, policy, index));
  const count = (s: ControlReport['status']) => reports.filter((r) => r.status === s).length;
  return {
    assay_version: ASSAY_VERSION,
    generated_at: input.now.toISOString(),
    window: { since: input.since?.toISOString() ?? null, until: input.now.toISOString() },
    framework: input.framework ?? null,
    policy_hash: policy.policyHash,
    audit_log: auditLogSummary(input),
    summary: { controls: reports.length, satisfied: count('satisfied'), not_satisfied: count('not-satisfied'), no_evidence: count('no-evidence'), error: count('error') },
    controls: reports,
    gaps: governanceGaps(policy, controls, index),
    override_runs: index.overrideRuns,
  };
}

function controlReport(control: DeclaredControl, policy: PolicySet, index: EvidenceIndex): ControlReport {
  const checks = policy.datasets.flatMap((d) => d.checks).filter((c) => c.controls.includes(control.id));
  const datasets = policy.datasets.filter((d) => d.controls.includes(control.id)).map((d) => d.name);
  const policies = [...accessPolicyControls(policy)].filter(([, ids]) => ids.includes(control.id)).map(([name]) => name);
  const evidence: EvidenceItem[] = [];
  const missing: string[] = [];
  for (const check of checks) {
    const item = index.checks.get(check.id);
    if (item) evidence.push(item);
    else missing.push(check.id);
  }
  const record = index.lastPolicyChange?.policy_hash === policy.policyHash ? index.lastPolicyChange : undefined;
  for (const name of policies) {
    if (record) evidence.push({ kind: 'policy', subject: name, dataset: null, status: 'recorded', seq: record.seq, hash: record.hash, ts: record.ts });
    else missing.push(name);
    const applied = index.access.get(name);
    if (applied) evidence.push(applied);
  }
  const { status, reason } = decide(checks.length, policies.length, evidence, missing);
  return { id: control.id, framework: control.framework, control: control.control, title: control.title, status, reason, checks: checks.map((c) => c.id), datasets, policies, evidence, missing };
}

/** Failure outweighs error, error outweighs missing evidence: the worst known fact decides. */
function decide(checks: number, policies: number, evidence: EvidenceItem[], missing: string[]): Pick<ControlReport, 'status' | 'reason'> {
  if (checks + policies === 0) return { status: 'no-evidence', reason: 'no check or access policy cites this control' };
  const results = evidence.filter((e) => e.kind === 'check');
  const failed = results.filter((e) => e.status === 'fail');
  const errored = results.filter((e) => e.status === 'error');
  const of = `of ${checks} check${checks === 1 ? '' : 's'}`;
  if (failed.length > 0) return { status: 'not-satisfied', reason: `${failed.length} ${of} failed: ${failed.map((e) => e.subject).join(', ')}` };
  if (errored.length > 0) return { status: 'error', reason: `${errored.length} ${of} could not run: ${errored.map((e) => e.subject).join(', ')}` };
  if (missing.length > 0) {
    return { status: 'no-evidence', reason: `no evidence in the window for ${missing.length} of ${checks + policies} citing checks and policies: ${missing.join(', ')}` };
  }
  const parts: string[] = [];
  if (checks > 0) {
    const warned = results.filter((e) => e.status === 'warn').length;
    parts.push(`${checks} check${checks === 1 ? '' : 's'} passed${warned > 0 ? ` (${warned} with warnings)` : ''}`);
  }
  if (policies > 0) parts.push(`${policies} access polic${policies === 1 ? 'y' : 'ies'} in force, recorded in the audit log`);
  return { status: 'satisfied', reason: parts.join('; ') };
}

function governanceGaps(policy: PolicySet, controls: DeclaredControl[], index: EvidenceIndex): GovernanceGap[] {
  const gap = (id: GovernanceGap['id'], title: string, unit: string, all: string[], uncovered: string[]): GovernanceGap => ({
    id, title, unit, total: all.length, covered: all.length - uncovered.length, coverage_percent: percent(all.length - uncovered.length, all.length), items: [...uncovered].sort(),
  });
  const datasets = policy.datasets;
  const names = datasets.map((d) => d.name);
  const checks = datasets.flatMap((d) => d.checks);
  const classified = datasets.flatMap((d) => Object.entries(d.columns).filter(([, c]) => (c.classification ?? []).length > 0).map(([col]) => `${d.name}.${col}`));
  const citedByChecks = new Set(checks.flatMap((c) => c.controls));
  return [
    gap('datasets_without_owner', 'Datasets with an owner', 'datasets', names, datasets.filter((d) => !d.owner).map((d) => d.name)),
    gap('datasets_without_freshness', 'Datasets with a freshness SLA', 'datasets', names, datasets.filter((d) => !d.freshness && !d.checks.some((c) => c.type === 'freshness')).map((d) => d.name)),
    gap('classified_columns_uncovered', 'Classified columns covered by access policies', 'classified columns', classified, exposedColumns(policy)),
    gap('controls_without_checks', 'Controls evidenced by at least one check', 'controls', controls.map((c) => c.id), controls.filter((c) => !citedByChecks.has(c.id)).map((c) => c.id)),
    gap('checks_not_run', 'Checks run in the window', 'checks', checks.map((c) => c.id), checks.filter((c) => !index.checks.has(c.id)).map((c) => c.id)),
  ];
}

/** `<dataset>.<column>` of classified columns some role reads in clear without an exemption. */
function exposedColumns(policy: PolicySet): string[] {
  const exposed = exposedClassifiedColumns(buildAccessModel(policy), policy.datasets);
  return [...new Set(exposed.map((e) => `${e.dataset.name}.${e.column}`))];
}

function auditLogSummary(input: ComplianceInput): AuditLogSummary {
  const v = input.trusted.verification;
  return {
    path: input.logPath,
    exists: v !== undefined,
    intact: v?.ok ?? true,
    keyed: v?.keyed ?? false,
    events: v?.events ?? 0,
    head: v?.head ?? null,
    problem: v?.problem ?? null,
  };
}
