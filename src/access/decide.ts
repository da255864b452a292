/**
 * The access decision: what one principal may see of one dataset, and which
 * policies decided it. The rules (SPEC §1.3, docs/access.md):
 *
 * - default deny: a dataset, or a column, that no applicable `allow` grants is
 *   denied (`no_allow`);
 * - `deny` wins over `allow` for what it names: a deny without `columns`
 *   denies the whole dataset, one with `columns` denies those columns
 *   (`explicit_deny`);
 * - a policy applies to a principal holding any of its `roles` (`"*"`: every
 *   principal) unless the principal holds any of its `except_roles`;
 * - of the masks that apply to a column, the most restrictive wins
 *   (null > redact > hash > partial > year_only; a smaller keep_last is the
 *   more restrictive partial);
 * - every row filter that applies is kept; they combine with AND.
 *
 * Pure: no data is read, so `access explain` and `access check` cost nothing.
 */
import type { ColumnSpec, DatasetSpec } from '../policy/types.js';
import { ANY_ROLE, DEFAULT_KEEP_LAST, MASK_NAMES, type AccessModel, type AccessPolicy, type MaskName, type Principal } from './model.js';

/** Why a dataset or column is (not) readable; the names are part of the JSON output. */
export type Reason = 'explicit_deny' | 'no_allow' | 'allowed';

export interface Mask {
  name: MaskName;
  /** `partial` only. */
  keepLast?: number;
}

export interface ColumnDecision {
  access: 'clear' | 'masked' | 'denied';
  reason: Reason;
  mask: Mask | null;
  /** The policies that produced this outcome: the denies, the winning masks, or the allows. */
  policies: string[];
  /** Mask policies that applied but lost to a more restrictive mask. */
  overridden: string[];
}

export interface RowFilter {
  policy: string;
  /** The filter as written (principal attributes not yet bound). */
  expression: string;
}

export interface AccessDecision {
  principal: Principal;
  dataset: string;
  decision: 'allow' | 'deny';
  reason: Reason;
  /** Every column considered, in dataset order. */
  columns: Record<string, ColumnDecision>;
  /** Filters the principal's rows must all pass (AND); empty when every row is visible. */
  rowFilters: RowFilter[];
  /** Every policy that contributed to this decision, in declaration order. */
  policies: string[];
}

/** Does the policy apply to the principal? Any matching role selects it; any excepted role exempts it. */
export function appliesTo(policy: AccessPolicy, principal: Principal): boolean {
  if (principal.roles.some((r) => policy.exceptRoles.includes(r))) return false;
  return policy.roles.includes(ANY_ROLE) || principal.roles.some((r) => policy.roles.includes(r));
}

export function selectsDataset(policy: AccessPolicy, dataset: DatasetSpec): boolean {
  const selector = policy.datasets;
  if (selector === undefined || selector === '*') return true;
  return (selector.names?.includes(dataset.name) ?? false) || (selector.tags?.some((t) => dataset.tags.includes(t)) ?? false);
}

/** `pii` selects `pii` and `pii.email`, not `piix`. */
export function classificationMatches(selector: string, classification: string): boolean {
  return classification === selector || classification.startsWith(`${selector}.`);
}

/** A policy without `columns` selects every column. */
export function selectsColumn(policy: AccessPolicy, column: string, spec: ColumnSpec | undefined): boolean {
  const selector = policy.columns;
  if (selector === undefined) return true;
  if (selector.names?.includes(column)) return true;
  const classes = spec?.classification ?? [];
  return selector.classification?.some((sel) => classes.some((c) => classificationMatches(sel, c))) ?? false;
}

/** Lower is more restrictive. */
export function maskRank(mask: Mask): number {
  const rank = MASK_NAMES.indexOf(mask.name);
  // Within `partial`, fewer characters in clear is more restrictive; keep_last ≤ 64 (schema).
  return mask.name === 'partial' ? rank + (mask.keepLast ?? DEFAULT_KEEP_LAST) / 100 : rank;
}

function maskOf(policy: AccessPolicy): Mask {
  return policy.mask === 'partial' ? { name: 'partial', keepLast: policy.keepLast ?? DEFAULT_KEEP_LAST } : { name: policy.mask! };
}

/**
 * Decide what `principal` may see of `dataset`. `columns` defaults to the
 * declared columns; pass the data's columns to cover undeclared ones too.
 */
export function decideAccess(model: AccessModel, principal: Principal, dataset: DatasetSpec, columns = Object.keys(dataset.columns)): AccessDecision {
  const applicable = model.policies.filter((p) => appliesTo(p, principal) && selectsDataset(p, dataset));
  const byEffect = (effect: AccessPolicy['effect']) => applicable.filter((p) => p.effect === effect);
  const datasetDenies = byEffect('deny').filter((p) => p.columns === undefined);
  const allows = byEffect('allow');
  const decision: AccessDecision = { principal, dataset: dataset.name, decision: 'deny', reason: 'allowed', columns: {}, rowFilters: [], policies: [] };

  if (datasetDenies.length > 0 || allows.length === 0) {
    decision.reason = datasetDenies.length > 0 ? 'explicit_deny' : 'no_allow';
    const names = datasetDenies.map((p) => p.name);
    for (const column of columns) decision.columns[column] = { access: 'denied', reason: decision.reason, mask: null, policies: names, overridden: [] };
    decision.policies = names;
    return decision;
  }

  decision.decision = 'allow';
  const used = new Set<string>();
  for (const column of columns) {
    // Decided under its own name and under every declared name it matches
    // but for case or Unicode form; the strictest outcome wins (SPEC §1.3:
    // protection never depends on the data's spelling of a column name).
    const outcomes = [column, ...spellingVariants(dataset, column)].map((name) => decideColumn(name, dataset.columns[name], byEffect('deny'), allows, byEffect('mask')));
    const result = outcomes.reduce(stricter);
    decision.columns[column] = result;
    for (const name of [...result.policies, ...result.overridden]) used.add(name);
  }
  decision.rowFilters = byEffect('row_filter').map((p) => ({ policy: p.name, expression: p.filter! }));
  for (const f of decision.rowFilters) used.add(f.policy);
  decision.policies = applicable.filter((p) => used.has(p.name)).map((p) => p.name);
  return decision;
}

/** Lower is stricter: denied, then masks by their rank, then clear. */
function strictness(c: ColumnDecision): number {
  if (c.access === 'denied') return -1;
  return c.mask ? maskRank(c.mask) : MASK_NAMES.length;
}

function stricter(a: ColumnDecision, b: ColumnDecision): ColumnDecision {
  return strictness(b) < strictness(a) ? b : a;
}

/**
 * The form of a column name that protection compares: Unicode NFKC, without
 * white space and invisible (default-ignorable) characters such as a BOM or a
 * zero-width space, then case-folded (upper then lower, so "ß" and "SS"
 * meet). Checks still match names exactly; such a match is a `schema`
 * difference.
 */
export function protectedNameKey(name: string): string {
  return name.normalize('NFKC').replace(/[\p{White_Space}\p{Default_Ignorable_Code_Point}]/gu, '').toUpperCase().toLowerCase();
}

/** Declared columns, other than `column` itself, whose names match it but for case or Unicode form. */
export function spellingVariants(dataset: DatasetSpec, column: string): string[] {
  const key = protectedNameKey(column);
  return Object.keys(dataset.columns).filter((name) => name !== column && protectedNameKey(name) === key);
}

/**
 * The classifications protecting a column: its own declaration's and those of
 * every declared column it matches but for case or Unicode form.
 */
export function classificationsOf(dataset: DatasetSpec, column: string): string[] {
  return [column, ...spellingVariants(dataset, column)].flatMap((name) => (Object.hasOwn(dataset.columns, name) ? (dataset.columns[name].classification ?? []) : []));
}

function decideColumn(column: string, spec: ColumnSpec | undefined, denies: AccessPolicy[], allows: AccessPolicy[], masks: AccessPolicy[]): ColumnDecision {
  const select = (policies: AccessPolicy[]) => policies.filter((p) => selectsColumn(p, column, spec));
  const denying = select(denies);
  if (denying.length > 0) return { access: 'denied', reason: 'explicit_deny', mask: null, policies: denying.map((p) => p.name), overridden: [] };
  const granting = select(allows);
  if (granting.length === 0) return { access: 'denied', reason: 'no_allow', mask: null, policies: [], overridden: [] };
  const masking = select(masks);
  if (masking.length === 0) return { access: 'clear', reason: 'allowed', mask: null, policies: granting.map((p) => p.name), overridden: [] };
  const strictest = Math.min(...masking.map((p) => maskRank(maskOf(p))));
  const winners = masking.filter((p) => maskRank(maskOf(p)) === strictest);
  return {
    access: 'masked',
    reason: 'allowed',
    mask: maskOf(winners[0]),
    policies: winners.map((p) => p.name),
    overridden: masking.filter((p) => !winners.includes(p)).map((p) => p.name),
  };
}

/**
 * `access check`: deny when the dataset, or any requested column, is denied.
 * The reason is the dataset's, or the first denied column's.
 */
export function checkColumns(decision: AccessDecision, requested: string[]): { decision: 'allow' | 'deny'; reason: Reason } {
  if (decision.decision === 'deny') return { decision: 'deny', reason: decision.reason };
  const denied = requested.map((c) => decision.columns[c]).find((c) => c?.access === 'denied');
  return denied ? { decision: 'deny', reason: denied.reason } : { decision: 'allow', reason: 'allowed' };
}
