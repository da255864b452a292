/**
 * The audit options shared by every command that appends to the audit log
 * (check, access, export): `--audit-log FILE`, `--no-audit`, `--actor`.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import type { AuditLog } from '../audit/append.js';
import { openAuditLog } from '../audit/log.js';

export interface AuditArgs {
  'audit-log'?: string;
  audit: boolean;
  actor?: string;
}

/** The default log: audit.jsonl in the reports folder. */
export const DEFAULT_AUDIT_LOG = join('reports', 'audit.jsonl');

/**
 * Sets the log for every command at once (check, access, export, audit,
 * report compliance), so a CI job that restores the log from where it keeps
 * it between runs names it once (docs/audit.md).
 */
export const AUDIT_LOG_ENV = 'ASSAY_AUDIT_LOG';

/** The log a command reads or appends to: the flag, else ASSAY_AUDIT_LOG, else the command's default. */
export function auditLogPath(flag: string | undefined, env: NodeJS.ProcessEnv, defaultLog = DEFAULT_AUDIT_LOG): string {
  return flag ?? (env[AUDIT_LOG_ENV] || defaultLog);
}

/** Add the audit options to a command; `defaultShown` is the default log as the help text says it. */
export function withAuditOptions<T>(y: Argv<T>, defaultShown = DEFAULT_AUDIT_LOG): Argv<T & AuditArgs> {
  return y
    .option('audit-log', { type: 'string', describe: `append audit events to this file (default ${AUDIT_LOG_ENV}, else ${defaultShown})` })
    .option('audit', { type: 'boolean', default: true, describe: 'append to the audit log; --no-audit to skip' })
    .option('actor', { type: 'string', describe: 'who is acting, for the audit log (default ASSAY_ACTOR, else the OS user)' }) as Argv<T & AuditArgs>;
}

/** The log to append to, or undefined with --no-audit. */
export function auditLogFor(args: AuditArgs, env: NodeJS.ProcessEnv, defaultLog = DEFAULT_AUDIT_LOG): AuditLog | undefined {
  if (args.audit === false) return undefined;
  return openAuditLog(auditLogPath(args['audit-log'], env, defaultLog), { actor: args.actor, env });
}
