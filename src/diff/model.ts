/**
 * What `assay diff` reports: every difference between two versions of the
 * policies, each with a class that says what it means for consumers and
 * reviewers (docs/diff.md).
 */

/**
 * - `breaking`: consumers' code or queries break (a dataset or column removed or renamed, a type changed);
 * - `loosened`: a quality rule lets more through (a check removed, a bound widened, `mostly` or severity lowered,
 *   or a rule rewritten so that assay cannot tell it is not looser);
 * - `weakened`: governance metadata lost (a classification, owner, control or freshness SLA removed, an SLA widened);
 * - `widened`: a principal or role can now see something, or see it in clear, that it could not before;
 * - `tightened`, `added`, `other`: shown for review, never fail the gate.
 */
export const CHANGE_CLASSES = ['breaking', 'loosened', 'weakened', 'widened', 'tightened', 'added', 'other'] as const;
export type ChangeClass = (typeof CHANGE_CLASSES)[number];

/** The classes that make `assay diff` exit 1. */
export const GATING_CLASSES: readonly ChangeClass[] = ['breaking', 'loosened', 'weakened', 'widened'];

export interface Change {
  class: ChangeClass;
  /** A stable kebab-case name of the change (`column-removed`, `bound-widened`…), listed in docs/diff.md. */
  kind: string;
  dataset?: string;
  column?: string;
  /** The check id (`orders.amount.range`). */
  check?: string;
  /** For access changes: `principal alice`, `role analyst`, or `any principal`. */
  subject?: string;
  /** One line for people. */
  message: string;
  before?: unknown;
  after?: unknown;
}

export interface DiffResult {
  /** How each side was named on the command line (`main:rules`, `old/`). */
  base: string;
  head: string;
  changes: Change[];
  summary: Record<ChangeClass, number>;
  /** `fail` when any gating class has a change. */
  status: 'pass' | 'fail';
}

export function summarize(base: string, head: string, changes: Change[]): DiffResult {
  const summary = Object.fromEntries(CHANGE_CLASSES.map((c) => [c, 0])) as Record<ChangeClass, number>;
  for (const change of changes) summary[change.class]++;
  const status = GATING_CLASSES.some((c) => summary[c] > 0) ? 'fail' : 'pass';
  return { base, head, changes, summary, status };
}
