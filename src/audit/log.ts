/**
 * Opening the audit log for a run, and the check's audit step: one
 * `check.run` event per dataset of a report. The CLI's `--audit-log`,
 * `--actor` and `--no-audit` only choose the arguments.
 */
import { userInfo } from 'node:os';
import type { PolicySet } from '../policy/types.js';
import type { RunReport } from '../report/model.js';
import { appendAuditEvents, type AuditLog } from './append.js';
import { auditKey } from './chain.js';
import { checkRunEvents } from './check-events.js';
import type { AuditEvent } from './event.js';
import type { MetricValues } from '../history/points.js';

export interface AuditLogOptions {
  /** Who is acting; default ASSAY_ACTOR, else the OS user. */
  actor?: string;
  /** Where ASSAY_ACTOR and ASSAY_AUDIT_KEY are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The log at `path`, appended to as the resolved actor, HMAC-keyed when ASSAY_AUDIT_KEY is set. */
export function openAuditLog(path: string, options: AuditLogOptions = {}): AuditLog {
  const env = options.env ?? process.env;
  return { path, actor: resolveActor(options.actor, env), key: auditKey(env) };
}

/** The actor given, else ASSAY_ACTOR, else the OS user name (or uid when the user has no name). */
export function resolveActor(actor: string | undefined, env: NodeJS.ProcessEnv): string {
  if (actor) return actor;
  if (env.ASSAY_ACTOR) return env.ASSAY_ACTOR;
  try {
    return userInfo().username;
  } catch {
    return typeof process.getuid === 'function' ? `uid:${process.getuid()}` : 'unknown';
  }
}

/** The check's audit step: append one `check.run` event per dataset of the report (no values). */
export function recordCheckRun(log: AuditLog, run: { report: RunReport; policy: PolicySet; metrics?: ReadonlyMap<string, MetricValues> }): Promise<AuditEvent[]> {
  return appendAuditEvents(log, run.policy, checkRunEvents(run.report, run.metrics));
}
