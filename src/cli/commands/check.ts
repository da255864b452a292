/** `assay check [paths..]`: validate policies, run every dataset's checks, write reports. */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { recordCheckRun } from '../../audit/log.js';
import { readerAs } from '../../access/principal.js';
import { principalSampleFilter } from '../../access/view.js';
import { buildAccessModel } from '../../access/model.js';
import { loadValidatedPolicies, runChecks } from '../../pipeline.js';
import { FORMAT_NAMES, reportFormat } from '../../report/formats/index.js';
import { appendReportFile, removeReportSet, writeReportSet } from '../../report/write.js';
import { FAILED_ROWS_FORMATS, writeFailedRows, type FailedRows, type FailedRowsFormat } from '../../report/failed-rows.js';
import { AssayError, errorMessage } from '../../util/diagnostics.js';
import { auditLogFor, withAuditOptions, type AuditArgs } from '../audit-options.js';
import type { CliContext, CommandRun } from '../context.js';
import { exitCodeForRun, type FailOn } from '../exit-codes.js';
import { listOption, parseBatchRows, parseConnectionOverrides, parseDataOverrides, resolveNow } from '../options.js';
import { principalOptions, resolvePrincipal, type PrincipalArgs } from '../principal.js';
import { DEFAULT_BATCH_ROWS } from '../../sources/stream.js';
import { FILE_ENGINES } from '../../engine/executors.js';
import type { EngineName } from '../../engine/executor.js';
import { ProgressBar } from '../progress.js';
import { emitEvent, lineageTarget, newRunContext, runEvent, type EventType, type LineageTarget, type RunContext } from '../../lineage/openlineage.js';
import type { RunReport } from '../../report/model.js';
import { recordHistory } from '../../history/record.js';
import { openHistoryStore } from '../../history/open.js';

export interface CheckArgs extends AuditArgs, PrincipalArgs {
  paths: string[];
  dataset?: string[];
  data?: string[];
  format?: string[];
  out: string;
  'fail-on': FailOn;
  now?: string;
  json?: boolean;
  'batch-rows'?: number;
  engine: EngineName;
  connection?: string[];
  pull?: boolean;
  'failed-rows'?: string;
  'failed-rows-format': FailedRowsFormat;
  openlineage?: string;
  'openlineage-namespace': string;
  history?: boolean;
}

export function builder(y: Argv): Argv<CheckArgs> {
  return principalOptions(withAuditOptions(y, 'reports/audit.jsonl, in the --out folder'), false)
    .positional('paths', { type: 'string', array: true, default: ['rules'], describe: 'policy files or folders' })
    .option('dataset', { type: 'string', array: true, requiresArg: true, describe: 'only this dataset (repeatable)' })
    .option('data', { type: 'string', array: true, requiresArg: true, describe: 'NAME=PATH: check another file against a dataset\'s rules' })
    .option('format', { type: 'string', array: true, requiresArg: true, describe: `report formats (repeatable): ${FORMAT_NAMES.join(', ')}; default console and json` })
    .option('out', { type: 'string', requiresArg: true, default: 'reports', describe: 'folder for report files' })
    .option('fail-on', { requiresArg: true, choices: ['error', 'warn'] as const, default: 'error' as FailOn, describe: 'lowest outcome that fails the gate' })
    .option('now', { type: 'string', requiresArg: true, describe: 'fix "now" (ISO 8601) for reproducible runs; or ASSAY_NOW' })
    .option('json', { type: 'boolean', describe: 'print the JSON report on stdout instead of the console report' })
    .option('batch-rows', { type: 'number', describe: `rows read per batch; memory grows with it, results do not change (default ${DEFAULT_BATCH_ROWS})` })
    .option('engine', { requiresArg: true, choices: FILE_ENGINES, default: 'arquero' as EngineName, describe: 'executor for files: arquero (in-process) or duckdb (embedded SQL; CSV/TSV with declared columns, else arquero); tables are measured by their connection\'s engine' })
    .option('pull', { type: 'boolean', describe: 'for table sources: measure what the database cannot (say, op.* functions) in-process, streaming only the columns those checks need' })
    .option('connection', { type: 'string', array: true, requiresArg: true, describe: 'NAME=URL: reach a connection at this URL for this run (e.g. in CI)' })
    .option('history', { type: 'boolean', default: true, describe: 'read and write the metrics history (history.duckdb in --out); --no-history turns it off' })
    .option('failed-rows', { type: 'string', requiresArg: true, describe: 'write every failing row of each row check to this folder, one file per check (masked like samples)' })
    .option('failed-rows-format', { choices: FAILED_ROWS_FORMATS, default: 'csv' as FailedRowsFormat, describe: 'file format of --failed-rows: csv, or parquet (typed columns)' })
    .option('openlineage', { type: 'string', requiresArg: true, describe: 'emit OpenLineage run events (START, then COMPLETE or FAIL) with data quality facets: append to this file, or POST to this http(s) URL' })
    .option('openlineage-namespace', { type: 'string', requiresArg: true, default: 'assay', describe: 'the OpenLineage job namespace' })
    .example('$0 check', 'check every dataset declared under rules/')
    .example('$0 check --dataset orders --data orders=batch.csv', 'check a new batch against the orders rules') as unknown as Argv<CheckArgs>;
}

export const run: CommandRun<CheckArgs> = async (args, ctx) => {
  const state: RunState = { reportsWritten: false };
  try {
    return await checkRun(args, ctx, state);
  } catch (e) {
    // The run ended without a report: a lineage consumer that saw START hears FAIL.
    if (state.lineage) await emitLineage(state.lineage, 'FAIL', ctx);
    // A run that ends before its reports are written leaves none that could pass for its own (docs/reports.md).
    if (!state.reportsWritten) {
      try {
        removeReportSet(args.out);
      } catch {
        // the error being reported says what is wrong (e.g. a link in --out)
      }
    }
    throw e;
  }
};

interface RunState {
  reportsWritten: boolean;
  lineage?: { target: LineageTarget; run: RunContext };
}

async function emitLineage(lineage: NonNullable<RunState['lineage']>, type: EventType, ctx: CliContext, report?: RunReport): Promise<void> {
  const warning = await emitEvent(lineage.target, runEvent(lineage.run, type, new Date(), report), ctx.env);
  if (warning) ctx.stderr(`assay: warning: OpenLineage ${type} event not emitted to ${shownTarget(lineage.target)}: ${warning}`);
}

/** The target as it may be printed: a URL without its user name and password. */
function shownTarget(target: LineageTarget): string {
  if (target.kind === 'file') return target.where;
  try {
    const url = new URL(target.where);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return '(the --openlineage URL)';
  }
}

async function checkRun(args: CheckArgs, ctx: CliContext, state: RunState): Promise<number> {
  const formats = listOption(args.format);
  const selected = formats.length > 0 ? formats : ['console', 'json'];
  for (const name of selected) {
    if (!reportFormat(name)) throw new AssayError('usage', `--format: unknown format "${name}"`, `use one of ${FORMAT_NAMES.join(', ')}`);
  }
  const validated = loadValidatedPolicies(args.paths.length > 0 ? args.paths : ['rules']);
  if (args.as === undefined && (args.role !== undefined || args.attr !== undefined)) throw new AssayError('usage', '--role and --attr describe the principal given with --as', 'add --as NAME');
  const principal = args.as !== undefined ? resolvePrincipal(args, buildAccessModel(validated.policy)) : undefined;
  if (args.openlineage !== undefined) {
    const only = listOption(args.dataset);
    const datasets = validated.policy.datasets.filter((d) => only.length === 0 || only.includes(d.name));
    state.lineage = { target: lineageTarget(args.openlineage), run: newRunContext(datasets, parseDataOverrides(args.data), args['openlineage-namespace']) };
    await emitLineage(state.lineage, 'START', ctx);
  }
  const reader = principal ? readerAs(validated.policy, principal, { datasets: listOption(args.dataset), env: ctx.env }) : undefined;
  // Samples are picked among the rows the principal may see (and still shown through the reader).
  const sampleFilter = principal ? principalSampleFilter(buildAccessModel(validated.policy), principal) : undefined;
  const history = args.history === false ? undefined : openHistoryStore(validated.policy, args.out, { connectionOverrides: parseConnectionOverrides(args.connection), env: ctx.env });
  const progress = showProgress(ctx) ? new ProgressBar({ write: ctx.stderrRaw! }) : undefined;
  const result = await runChecks({
    paths: args.paths.length > 0 ? args.paths : ['rules'],
    datasets: listOption(args.dataset),
    dataOverrides: parseDataOverrides(args.data),
    connectionOverrides: parseConnectionOverrides(args.connection),
    pull: args.pull === true,
    now: resolveNow(args.now, ctx.env),
    principal: args.as ?? null,
    batchRows: parseBatchRows(args['batch-rows']),
    engine: args.engine,
    reader,
    sampleFilter,
    failedRows: args['failed-rows'] !== undefined,
    history,
    onProgress: progress ? ({ dataset, index, total }) => progress.update(index, total, `checking ${dataset}`) : undefined,
  }, validated).finally(() => progress?.finish());
  for (const [dataset, used] of result.engines) if (used.fallback) ctx.stderr(`assay: ${dataset}: measured by the arquero engine, not DuckDB: ${used.fallback}`);
  // The JSON report is always written: it is the record of the run, whatever was asked to be shown.
  const files = [...new Set(['json', ...selected])].flatMap((name) => {
    const format = reportFormat(name)!;
    return format.file ? [{ name: format.file, content: format.render(result.report, { policy: result.policy }) }] : [];
  });
  const written = writeReportSet(args.out, files);
  state.reportsWritten = true;
  if (args['failed-rows'] !== undefined) written.push(...(await writeFailedRowsOrExplain(args['failed-rows'], result.failedRows, args['failed-rows-format'])));
  const stepSummary = ctx.env.GITHUB_STEP_SUMMARY;
  if (stepSummary && (selected.includes('markdown') || selected.includes('github'))) appendStepSummary(stepSummary, reportFormat('markdown')!.render(result.report));
  // Before the console report, so that its one-line summary is the last line a reader sees.
  if (written.length > 0 && !args.json) ctx.stderr(`reports written: ${written.join(', ')}`);
  // The reason for exit 3 goes to stderr too, where a CI log reader (or --json user) finds it.
  for (const dataset of result.report.datasets) if (dataset.error) ctx.stderr(`assay: ${dataset.error}`);
  // The runner reads workflow commands (annotations) from stdout.
  if (selected.includes('github')) ctx.stdout(reportFormat('github')!.render(result.report, { policy: result.policy }));
  if (args.json) {
    ctx.stdout(reportFormat('json')!.render(result.report));
  } else if (selected.includes('console')) {
    ctx.stdout(reportFormat('console')!.render(result.report, { color: ctx.color }));
  }
  const audit = auditLogFor(args, ctx.env, join(args.out, 'audit.jsonl'));
  const events = audit ? await recordCheckRun(audit, result) : [];
  if (history) await recordHistory(history, result, events);
  if (state.lineage) await emitLineage(state.lineage, result.unreadable.length > 0 ? 'FAIL' : 'COMPLETE', ctx, result.report);
  return exitCodeForRun(result.report, result.unreadable, args['fail-on']);
}

/** GitHub Actions shows what a step appends to GITHUB_STEP_SUMMARY on the run's page. */
function appendStepSummary(path: string, markdown: string): void {
  try {
    appendReportFile(path, markdown);
  } catch (e) {
    throw new AssayError('usage', `GITHUB_STEP_SUMMARY: cannot append to "${path}": ${errorMessage(e)}`);
  }
}

/** A progress bar only on a terminal, never in CI (some CI runners give jobs a TTY). */
function showProgress(ctx: CliContext): boolean {
  const ci = ctx.env.CI;
  return ctx.interactive && ctx.stderrRaw !== undefined && (ci === undefined || ci === '' || ci === 'false' || ci === '0') && ctx.env.TERM !== 'dumb';
}

async function writeFailedRowsOrExplain(dir: string, tables: FailedRows[], format: FailedRowsFormat): Promise<string[]> {
  try {
    return await writeFailedRows(dir, tables, format);
  } catch (e) {
    if (e instanceof AssayError) throw e;
    throw new AssayError('usage', `--failed-rows: cannot write to "${dir}": ${errorMessage(e)}`, 'give a folder that can be created or written');
  }
}
