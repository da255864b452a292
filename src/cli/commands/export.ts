/**
 * `assay export --as P --dataset D --out FILE`: write the governed view of D
 * for P (src/access/export-view.ts does the work).
 */
import type { Argv } from 'yargs';
import { EXPORT_FORMATS } from '../../access/export.js';
import { exportView } from '../../access/export-view.js';
import { buildAccessModel } from '../../access/model.js';
import { loadValidatedPolicies } from '../../policy/validated.js';
import { auditLogFor, withAuditOptions, type AuditArgs } from '../audit-options.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { parseConnectionOverrides } from '../options.js';
import { principalOptions, resolveDataset, resolvePrincipal, type PrincipalArgs } from '../principal.js';

export interface ExportArgs extends PrincipalArgs, AuditArgs {
  paths: string[];
  dataset: string;
  out: string;
  format?: string;
  connection?: string[];
}

export function builder(y: Argv): Argv<ExportArgs> {
  return principalOptions(withAuditOptions(y), true)
    .positional('paths', { type: 'string', array: true, default: ['rules'], describe: 'policy files or folders' })
    .option('dataset', { type: 'string', demandOption: true, describe: 'dataset name' })
    .option('out', { type: 'string', demandOption: true, describe: 'file to write (replaced atomically)' })
    .option('format', { type: 'string', describe: `${EXPORT_FORMATS.join(' | ')}; default from the --out extension, else csv` })
    .option('connection', { type: 'string', array: true, requiresArg: true, describe: 'NAME=URL: reach a connection at this URL for this run (a table dataset)' })
    .example('$0 export --as bob --dataset orders --out bob-orders.csv', 'the orders bob may see, as CSV') as unknown as Argv<ExportArgs>;
}

export const run: CommandRun<ExportArgs> = async (args, ctx) => {
  const { policy } = loadValidatedPolicies(args.paths.length > 0 ? args.paths : ['rules']);
  const principal = resolvePrincipal(args, buildAccessModel(policy));
  const dataset = resolveDataset(args.dataset, policy.datasets);
  const result = await exportView({ policy, principal, dataset, out: args.out, format: args.format, env: ctx.env, audit: auditLogFor(args, ctx.env), connectionOverrides: parseConnectionOverrides(args.connection) });
  if (!result.written) {
    const { reason, policies } = result.decision;
    ctx.stderr(`assay: access denied: ${principal.name} may not read dataset "${dataset.name}" (${reason}${policies.length ? `: ${policies.join(', ')}` : ''})`);
    ctx.stderr(`hint: assay access explain --as ${principal.name} --dataset ${dataset.name}`);
    return EXIT.gate;
  }
  const { masked, leftOut, rowFilter } = result;
  ctx.stderr(
    `exported ${result.rows} of ${result.sourceRows} rows, ${result.columns.length} columns of ${dataset.name} for ${principal.name} to ${result.out} (${result.format})` +
      `${masked.length ? `; masked: ${masked.join(', ')}` : ''}${leftOut.length ? `; left out: ${leftOut.join(', ')}` : ''}${rowFilter ? `; rows where ${rowFilter}` : ''}`,
  );
  return EXIT.ok;
};
