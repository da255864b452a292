/**
 * `assay report compliance [paths..]`: controls → the checks and access
 * policies citing them → evidence in the verified audit log, and governance
 * gaps. Exit 1 when the audit log is not intact (its later events are not
 * used as evidence), else 0.
 */
import { basename, dirname } from 'node:path';
import type { Argv } from 'yargs';
import { renderComplianceHtml } from '../../compliance/html.js';
import { renderComplianceMarkdown } from '../../compliance/markdown.js';
import type { ComplianceReport } from '../../compliance/model.js';
import { complianceReport } from '../../compliance/report.js';
import { loadValidatedPolicies } from '../../policy/validated.js';
import { writeReportFile } from '../../report/write.js';
import { AUDIT_LOG_ENV, auditLogPath, DEFAULT_AUDIT_LOG } from '../audit-options.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { resolveNow, resolveSince } from '../options.js';

const RENDERERS: Record<string, (report: ComplianceReport) => string> = {
  markdown: renderComplianceMarkdown,
  html: renderComplianceHtml,
  json: (report) => `${JSON.stringify(report, null, 2)}\n`,
};

export interface ComplianceArgs {
  paths: string[];
  framework?: string;
  since?: string;
  now?: string;
  format: string;
  out?: string;
  'audit-log'?: string;
}

export const command = 'compliance [paths..]';
export const describe = 'Controls → evidence (checks, access policies, audit events) and governance gaps';

export function builder(y: Argv): Argv<ComplianceArgs> {
  return y
    .positional('paths', { type: 'string', array: true, default: ['rules'], describe: 'policy files or folders' })
    .option('framework', { type: 'string', describe: 'only this framework\'s controls (e.g. soc2)' })
    .option('since', { type: 'string', describe: 'evidence window start: ISO 8601, or a duration back from now (30d)' })
    .option('now', { type: 'string', describe: 'evidence window end and report time (ISO 8601); or ASSAY_NOW' })
    .option('format', { choices: Object.keys(RENDERERS), default: 'markdown', describe: 'report format' })
    .option('out', { type: 'string', describe: 'write the report to this file (default: stdout)' })
    .option('audit-log', { type: 'string', describe: `the audit log to take evidence from (default ${AUDIT_LOG_ENV}, else ${DEFAULT_AUDIT_LOG})` })
    .example('$0 report compliance --framework soc2 --since 90d', 'SOC 2 controls with the last 90 days of evidence')
    .example('$0 report compliance --format html --out reports/compliance.html', 'one self-contained HTML file') as unknown as Argv<ComplianceArgs>;
}

export const run: CommandRun<ComplianceArgs> = async (args, ctx) => {
  const now = resolveNow(args.now, ctx.env);
  const since = resolveSince(args.since, now);
  const { policy } = loadValidatedPolicies(args.paths.length > 0 ? args.paths : ['rules']);
  const report = await complianceReport({ policy, auditLog: auditLogPath(args['audit-log'], ctx.env), now, since, framework: args.framework, env: ctx.env });
  const text = RENDERERS[args.format](report);
  if (args.out) {
    ctx.stderr(`report written: ${writeReportFile(dirname(args.out) || '.', basename(args.out), text)}`);
  } else {
    ctx.stdout(text);
  }
  if (!report.audit_log.intact) {
    const p = report.audit_log.problem!;
    ctx.stderr(`assay: audit log ${report.audit_log.path} is not intact (line ${p.line}: ${p.reason}); evidence stops before that line`);
    return EXIT.gate;
  }
  return EXIT.ok;
};
