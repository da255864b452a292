/**
 * `assay export --as P --dataset D --out FILE`: write the governed view of D
 * for P: only the rows P's row filters keep, denied columns absent, masked
 * columns masked. Written atomically; nothing is written when P may not read D.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Argv } from 'yargs';
import writeFileAtomic from 'write-file-atomic';
import { exportEvent } from '../../access/audit-events.js';
import { decideAccess } from '../../access/decide.js';
import { EXPORT_FORMATS, exportFormatFor, renderExport } from '../../access/export.js';
import { maskKeyFromEnv } from '../../access/masks.js';
import { buildAccessModel } from '../../access/model.js';
import { governedView, usesHashMask, viewColumns } from '../../access/view.js';
import { loadValidatedPolicies } from '../../pipeline.js';
import { loadDataset } from '../../sources/load.js';
import { AssayError } from '../../util/diagnostics.js';
import { appendAuditEvent } from '../../audit/append.js';
import { auditLogFor, withAuditOptions, type AuditArgs } from '../audit-options.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { principalOptions, resolveDataset, resolvePrincipal, type PrincipalArgs } from '../principal.js';

export interface ExportArgs extends PrincipalArgs, AuditArgs {
  paths: string[];
  dataset: string;
  out: string;
  format?: string;
}

export const command = 'export [paths..]';
export const describe = 'Write the view of a dataset a principal may see (masks and row filters applied)';

export function builder(y: Argv): Argv<ExportArgs> {
  return principalOptions(withAuditOptions(y), true)
    .positional('paths', { type: 'string', array: true, default: ['rules'], describe: 'policy files or folders' })
    .option('dataset', { type: 'string', demandOption: true, describe: 'dataset name' })
    .option('out', { type: 'string', demandOption: true, describe: 'file to write (replaced atomically)' })
    .option('format', { type: 'string', describe: `${EXPORT_FORMATS.join(' | ')}; default from the --out extension, else csv` })
    .example('$0 export --as bob --dataset orders --out bob-orders.csv', 'the orders bob may see, as CSV') as unknown as Argv<ExportArgs>;
}

export const run: CommandRun<ExportArgs> = async (args, ctx) => {
  const format = exportFormatFor(args.out, args.format);
  if (!format) throw new AssayError('usage', `--format: unknown export format "${args.format}"`, `use one of ${EXPORT_FORMATS.join(', ')}`);
  const { policy } = loadValidatedPolicies(args.paths.length > 0 ? args.paths : ['rules']);
  const model = buildAccessModel(policy);
  const principal = resolvePrincipal(args, model);
  const dataset = resolveDataset(args.dataset, policy.datasets);

  // Decide on the declared columns first: a denied principal never causes a data read.
  const declared = decideAccess(model, principal, dataset);
  if (declared.decision === 'deny') {
    ctx.stderr(`assay: access denied: ${principal.name} may not read dataset "${dataset.name}" (${declared.reason}${declared.policies.length ? `: ${declared.policies.join(', ')}` : ''})`);
    ctx.stderr(`hint: assay access explain --as ${principal.name} --dataset ${dataset.name}`);
    const audit = auditLogFor(args, ctx.env);
    if (audit) await appendAuditEvent(audit, policy, exportEvent(declared, null));
    return EXIT.gate;
  }
  const why = `exporting "${dataset.name}" for ${principal.name}`;
  let key = usesHashMask(declared) ? maskKeyFromEnv(ctx.env, why) : undefined;
  const data = await loadDataset({ dataset: dataset.name, source: dataset.source, policyFile: dataset.file, columns: dataset.columns });
  // Undeclared columns in the data are decided too (by name; they carry no classification).
  const decision = decideAccess(model, principal, dataset, viewColumns(Object.keys(dataset.columns), data));
  if (key === undefined && usesHashMask(decision)) key = maskKeyFromEnv(ctx.env, why);
  const view = governedView(decision, data, key);
  const content = renderExport(view, data, format);
  mkdirSync(dirname(args.out) || '.', { recursive: true });
  writeFileAtomic.sync(args.out, typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength));
  const hidden = Object.entries(decision.columns).filter(([, c]) => c.access === 'denied').map(([n]) => n);
  const masked = Object.entries(decision.columns).filter(([, c]) => c.access === 'masked').map(([n]) => n);
  ctx.stderr(
    `exported ${view.rows.length} of ${data.rows} rows, ${view.columns.length} columns of ${dataset.name} for ${principal.name} to ${args.out} (${format})` +
      `${masked.length ? `; masked: ${masked.join(', ')}` : ''}${hidden.length ? `; left out: ${hidden.join(', ')}` : ''}${view.rowFilter ? `; rows where ${view.rowFilter}` : ''}`,
  );
  const audit = auditLogFor(args, ctx.env);
  if (audit) {
    const facts = { format, out: args.out, rows: view.rows.length, sourceRows: data.rows, columns: view.columns, fingerprint: data.fingerprint || null };
    // An export the audit log cannot record is not left behind.
    await appendAuditEvent(audit, policy, exportEvent(decision, facts)).catch((e) => {
      rmSync(args.out, { force: true });
      throw e;
    });
  }
  return EXIT.ok;
};
