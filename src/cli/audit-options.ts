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

/** Add the audit options to a command; `defaultShown` is the default log as the help text says it. */
export function withAuditOptions<T>(y: Argv<T>, defaultShown = DEFAULT_AUDIT_LOG): Argv<T & AuditArgs> {
  return y
    .option('audit-log', { type: 'string', describe: `append audit events to this file (default ${defaultShown})` })
    .option('audit', { type: 'boolean', default: true, describe: 'append to the audit log; --no-audit to skip' })
    .option('actor', { type: 'string', describe: 'who is acting, for the audit log (default ASSAY_ACTOR, else the OS user)' }) as Argv<T & AuditArgs>;
}

/** The log to append to, or undefined with --no-audit. */
export function auditLogFor(args: AuditArgs, env: NodeJS.ProcessEnv, defaultLog = DEFAULT_AUDIT_LOG): AuditLog | undefined {
  if (args.audit === false) return undefined;
  return openAuditLog(args['audit-log'] ?? defaultLog, { actor: args.actor, env });
}
