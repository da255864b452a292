/** `assay history <show|import|verify|prune>`: the metrics store behind change and anomaly checks (SPEC §6). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { auditKey } from '../../audit/chain.js';
import type { AuditEvent } from '../../audit/event.js';
import { readEvents } from '../../audit/read.js';
import { verifyAuditLog } from '../../audit/verify.js';
import { reportPoints } from '../../history/import.js';
import { openHistoryStore } from '../../history/open.js';
import type { HistoryStore, StoredPoint } from '../../history/store.js';
import { verifyHistory } from '../../history/verify.js';
import { AssayError, errorMessage } from '../../util/diagnostics.js';
import { AUDIT_LOG_ENV, auditLogPath } from '../audit-options.js';
import type { CliContext, CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { resolveNow, resolveSince } from '../options.js';

interface StoreArgs {
  out: string;
}

const storeOption = <T>(y: Argv<T>): Argv<T & StoreArgs> =>
  y.option('out', { type: 'string', default: 'reports', requiresArg: true, describe: 'the folder assay check writes to; the store is history.duckdb in it' }) as Argv<T & StoreArgs>;

const logOption = <T>(y: Argv<T>): Argv<T & { log?: string }> =>
  y.option('log', { type: 'string', requiresArg: true, describe: `the audit log (default ${AUDIT_LOG_ENV}, else audit.jsonl in --out)` }) as Argv<T & { log?: string }>;

function store(args: StoreArgs): HistoryStore {
  return openHistoryStore(undefined, args.out);
}

function logPath(args: StoreArgs & { log?: string }, ctx: CliContext): string {
  return auditLogPath(args.log, ctx.env, join(args.out, 'audit.jsonl'));
}

interface ShowArgs extends StoreArgs {
  dataset?: string;
  metric?: string;
  json?: boolean;
}

const show = {
  command: 'show',
  describe: 'List the stored points of a dataset (one metric with --metric)',
  builder: (y: Argv): Argv<ShowArgs> =>
    storeOption(y)
      .option('dataset', { type: 'string', requiresArg: true, describe: 'the dataset' })
      .option('metric', { type: 'string', requiresArg: true, describe: 'only this metric key, e.g. row_count or "missing_percent(email)"' })
      .option('json', { type: 'boolean', describe: 'print a JSON array, one object per point' })
      .example('$0 history show --dataset orders --metric row_count', 'the row counts of every run of orders') as unknown as Argv<ShowArgs>,
  run: (async (args, ctx) => {
    const points = await store(args).list({ dataset: args.dataset, metric: args.metric });
    if (args.json) {
      ctx.stdout(`${JSON.stringify(points, null, 2)}\n`);
      return EXIT.ok;
    }
    ctx.stdout(points.map((p) => `${[p.time, p.dataset, p.metric, formatValue(p.value), p.run_id.slice(0, 8), p.audit_hash ? p.audit_hash.slice(0, p.audit_hash.indexOf(':') + 13) : '-'].join('  ')}\n`).join(''));
    ctx.stderr(`${points.length} point${points.length === 1 ? '' : 's'}${args.dataset ? ` of ${args.dataset}` : ''}${args.metric ? `, ${args.metric}` : ''}`);
    return EXIT.ok;
  }) as CommandRun<ShowArgs>,
};

interface ImportArgs extends StoreArgs {
  reports: string[];
  log?: string;
}

const importCommand = {
  command: 'import <reports..>',
  describe: 'Backfill history from earlier JSON reports; each point keeps its report\'s run time',
  builder: (y: Argv): Argv<ImportArgs> =>
    logOption(storeOption(y))
      .positional('reports', { type: 'string', array: true, describe: 'assay-report.json files' })
      .example('$0 history import archive/*/assay-report.json', 'backfill from archived reports') as unknown as Argv<ImportArgs>,
  run: (async (args, ctx) => {
    const log = logPath(args, ctx);
    // Points of runs whose audit log is at hand carry their event's hash, so they can be verified.
    const events = existsSync(log) ? await intactEvents(log, ctx) : [];
    const points: StoredPoint[] = [];
    for (const file of args.reports) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new AssayError('usage', `${file}: cannot read the report: ${errorMessage(e)}`, 'give assay-report.json files written by assay check');
      }
      points.push(...reportPoints(file, parsed, events));
    }
    const added = await store(args).append(points);
    const unaudited = points.filter((p) => p.audit_hash === null).length;
    ctx.stderr(`imported ${added} point${added === 1 ? '' : 's'} from ${args.reports.length} report${args.reports.length === 1 ? '' : 's'} (${points.length - added} already stored)${unaudited ? `; ${unaudited} without an audit event in ${log}` : ''}`);
    return EXIT.ok;
  }) as CommandRun<ImportArgs>,
};

interface VerifyArgs extends StoreArgs {
  log?: string;
  json?: boolean;
}

const verify = {
  command: 'verify',
  describe: 'Check every point against an intact audit log: its event exists and records the same values',
  builder: (y: Argv): Argv<VerifyArgs> => logOption(storeOption(y)).option('json', { type: 'boolean', describe: 'print the result as JSON' }) as unknown as Argv<VerifyArgs>,
  run: (async (args, ctx) => {
    const log = logPath(args, ctx);
    if (!existsSync(log)) throw new AssayError('usage', `no audit log at ${log}`, `give the log with --log or ${AUDIT_LOG_ENV}`);
    const chain = await verifyAuditLog(log, auditKey(ctx.env));
    if (!chain.ok) {
      ctx.stdout(`${log}:${chain.problem!.line}: ${chain.problem!.reason}: ${chain.problem!.message}\nhistory NOT verified: the audit log is not intact (assay audit verify --log ${log})\n`);
      return EXIT.gate;
    }
    const result = verifyHistory(await store(args).list({}), await readEvents(log));
    if (args.json) {
      ctx.stdout(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const lines = result.problems.map((p) => `${p.dataset} run ${p.run_id}: ${p.points} point${p.points === 1 ? '' : 's'}: ${p.message}`);
      lines.push(result.ok
        ? `history verified: ${result.points} points of ${result.runs} runs match intact audit events in ${log}`
        : `history NOT verified: ${result.problems.length} run${result.problems.length === 1 ? '' : 's'} of ${result.runs} do not match ${log}`);
      ctx.stdout(`${lines.join('\n')}\n`);
    }
    return result.ok ? EXIT.ok : EXIT.gate;
  }) as CommandRun<VerifyArgs>,
};

interface PruneArgs extends StoreArgs {
  before: string;
  now?: string;
}

const prune = {
  command: 'prune',
  describe: 'Remove points older than a time',
  builder: (y: Argv): Argv<PruneArgs> =>
    storeOption(y)
      .option('before', { type: 'string', demandOption: true, requiresArg: true, describe: 'ISO 8601 time, or a duration back from now (400d)' })
      .option('now', { type: 'string', requiresArg: true, describe: 'fix "now" for a duration; or ASSAY_NOW' })
      .example('$0 history prune --before 400d', 'keep about 13 months') as unknown as Argv<PruneArgs>,
  run: (async (args, ctx) => {
    const before = resolveSince(args.before, resolveNow(args.now, ctx.env), '--before')!;
    const removed = await store(args).prune(before);
    ctx.stderr(`removed ${removed} point${removed === 1 ? '' : 's'} before ${before.toISOString()}`);
    return EXIT.ok;
  }) as CommandRun<PruneArgs>,
};

export const subcommands = [show, importCommand, verify, prune];

/** The log's events, once its chain is intact (an import never trusts a broken log). */
async function intactEvents(log: string, ctx: CliContext): Promise<AuditEvent[]> {
  const chain = await verifyAuditLog(log, auditKey(ctx.env));
  if (!chain.ok) throw new AssayError('usage', `audit log ${log} is not intact (line ${chain.problem!.line}: ${chain.problem!.message})`, `repair it, or give another with --log`);
  return readEvents(log);
}

function formatValue(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}
