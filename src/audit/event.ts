/**
 * The audit event (SPEC §4): one JSON line per `check` run and dataset, per
 * access decision, per export, and per change of the policy files. Events
 * carry counts, ids, statuses and hashes, never cell values.
 */

/** What happened. `audit.recover` records a torn last line removed before an append. */
export const AUDIT_ACTIONS = ['check.run', 'policy.change', 'access.decision', 'export', 'audit.recover'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One line of the log, as written. `hash` covers every other field. */
export interface AuditEvent {
  /** 1-based, consecutive: a gap or a repeat means a line was deleted, inserted or moved. */
  seq: number;
  /** Wall-clock time of the append (never `--now`: the log records when things happened). */
  ts: string;
  actor: string;
  action: AuditAction;
  dataset: string | null;
  /** check.run: the dataset's status; access.decision: allow/deny; export: written/denied. */
  outcome: string;
  details: Record<string, unknown>;
  /** sha256 over the policy files in force (PolicySet.policyHash). */
  policy_hash: string | null;
  /** The data's fingerprint (a hash), for events about a dataset's data. */
  data_fingerprint: string | null;
  assay_version: string;
  /** Identifies the HMAC key (not the key itself); present only in keyed logs. */
  key_id?: string;
  /** The previous event's hash; null for the first event. */
  prev: string | null;
  /** `sha256:<hex>` or `hmac-sha256:<hex>` over the canonical JSON of the event without `hash`. */
  hash: string;
}

/** What a command gives to be appended; the log fills in seq, ts, actor, chain fields. */
export interface AuditEventInput {
  action: AuditAction;
  dataset?: string | null;
  outcome: string;
  details?: Record<string, unknown>;
  data_fingerprint?: string | null;
}

/** Field order of a written line, for people reading the file; the hash does not depend on it. */
const FIELD_ORDER: (keyof AuditEvent)[] = [
  'seq', 'ts', 'actor', 'action', 'dataset', 'outcome', 'details',
  'policy_hash', 'data_fingerprint', 'assay_version', 'key_id', 'prev', 'hash',
];

/** The event as one JSON line (without the newline), fields in a readable order. */
export function eventLine(event: AuditEvent): string {
  const ordered: Record<string, unknown> = {};
  for (const key of FIELD_ORDER) if (event[key] !== undefined) ordered[key] = event[key];
  return JSON.stringify(ordered);
}

const HASH = /^(sha256|hmac-sha256):[0-9a-f]{64}$/;

/** A hash in the log's notation. */
export function isHash(value: unknown): value is string {
  return typeof value === 'string' && HASH.test(value);
}

/**
 * Why a parsed line is not an audit event, or undefined when it has every
 * field with the right type. Unknown extra fields are left to the hash check.
 */
export function eventShapeProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const e = value as Record<string, unknown>;
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 1) return '"seq" is not a positive integer';
  for (const key of ['ts', 'actor', 'outcome', 'assay_version'] as const) {
    if (typeof e[key] !== 'string') return `"${key}" is not a string`;
  }
  if (!AUDIT_ACTIONS.includes(e.action as AuditAction)) return `unknown action ${JSON.stringify(e.action)}`;
  for (const key of ['dataset', 'policy_hash', 'data_fingerprint'] as const) {
    if (e[key] !== null && typeof e[key] !== 'string') return `"${key}" is not a string or null`;
  }
  if (e.details === null || typeof e.details !== 'object' || Array.isArray(e.details)) return '"details" is not an object';
  if (e.prev !== null && !isHash(e.prev)) return '"prev" is not a hash or null';
  if (!isHash(e.hash)) return '"hash" is not a hash';
  if (e.key_id !== undefined && typeof e.key_id !== 'string') return '"key_id" is not a string';
  return undefined;
}
