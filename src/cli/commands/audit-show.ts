/** `assay audit show`: list audit events, filtered by time, dataset and action. */
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { AUDIT_ACTIONS, type AuditAction, type AuditEvent } from '../../audit/event.js';
import { readEvents } from '../../audit/read.js';
import { AssayError } from '../../util/diagnostics.js';
import { AUDIT_LOG_ENV, auditLogPath, DEFAULT_AUDIT_LOG } from '../audit-options.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { listOption, resolveNow, resolveSince } from '../options.js';

export interface ShowArgs {
  log?: string;
  since?: string;
  dataset?: string[];
  action?: string[];
  now?: string;
  json?: boolean;
}

export const command = 'show';
export const describe = 'List audit events (does not verify; see assay audit verify)';

export function builder(y: Argv): Argv<ShowArgs> {
  return y
    .option('log', { type: 'string', describe: `the audit log (default ${AUDIT_LOG_ENV}, else ${DEFAULT_AUDIT_LOG})` })
    .option('since', { type: 'string', describe: 'only events at or after this time: ISO 8601, or a duration back from now (7d)' })
    .option('dataset', { type: 'string', array: true, describe: 'only events about this dataset (repeatable)' })
    .option('action', { type: 'string', array: true, describe: `only these actions (repeatable): ${AUDIT_ACTIONS.join(', ')}` })
    .option('now', { type: 'string', describe: 'fix "now" for --since durations; or ASSAY_NOW' })
    .option('json', { type: 'boolean', describe: 'print the events as a JSON array' })
    .example('$0 audit show --since 7d --action check.run --dataset orders', 'last week\'s check runs of orders') as unknown as Argv<ShowArgs>;
}

export const run: CommandRun<ShowArgs> = async (args, ctx) => {
  const log = auditLogPath(args.log, ctx.env);
  const since = resolveSince(args.since, resolveNow(args.now, ctx.env));
  const datasets = listOption(args.dataset);
  const actions = listOption(args.action);
  for (const action of actions) {
    if (!AUDIT_ACTIONS.includes(action as AuditAction)) throw new AssayError('usage', `--action: unknown action "${action}"`, `use one of ${AUDIT_ACTIONS.join(', ')}`);
  }
  if (!existsSync(log)) throw new AssayError('usage', `no audit log at ${log}`, `give the log with --log or ${AUDIT_LOG_ENV}; assay check writes reports/audit.jsonl`);
  const events = await readEvents(log, (e) =>
    (since === undefined || Date.parse(e.ts) >= since.getTime()) &&
    (datasets.length === 0 || (e.dataset !== null && datasets.includes(e.dataset))) &&
    (actions.length === 0 || actions.includes(e.action)),
  );
  if (args.json) {
    ctx.stdout(`${JSON.stringify(events, null, 2)}\n`);
  } else {
    ctx.stdout(events.map((e) => `${showLine(e)}\n`).join(''));
    ctx.stderr(`${events.length} event${events.length === 1 ? '' : 's'}`);
  }
  return EXIT.ok;
};

/** `#42 2026-01-05T10:00:00.000Z ci@repo check.run orders fail 12 checks: 9 pass, 0 warn, 3 fail, 0 error sha256:1a2b3c4d` */
export function showLine(e: AuditEvent): string {
  return [`#${e.seq}`, e.ts, e.actor, e.action, e.dataset ?? '-', e.outcome, summarize(e), e.hash.slice(0, e.hash.indexOf(':') + 13)].join('  ');
}

function summarize(e: AuditEvent): string {
  const d = e.details as Record<string, any>;
  if (e.action === 'check.run' && d.summary) {
    const s = d.summary;
    return `${s.checks} checks: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.error} error`;
  }
  if (e.action === 'policy.change') return `${Object.keys(d.files ?? {}).length} policy files`;
  return Object.entries(d)
    .filter(([, v]) => v === null || typeof v !== 'object')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
