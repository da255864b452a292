/**
 * `assay access explain|check --as P --dataset D`: what P may see of D and
 * why, from the access policies alone (no data is read).
 * `check` exits 1 when the dataset, or any column given with --columns, is denied.
 */
import type { Argv } from 'yargs';
import { accessDecisionEvent } from '../../access/audit-events.js';
import { checkColumns, decideAccess } from '../../access/decide.js';
import { decisionJson, renderExplain } from '../../access/explain.js';
import { buildAccessModel } from '../../access/model.js';
import { loadValidatedPolicies } from '../../policy/validated.js';
import { AssayError } from '../../util/diagnostics.js';
import { suggest } from '../../util/did-you-mean.js';
import { appendAuditEvent } from '../../audit/append.js';
import { auditLogFor, withAuditOptions, type AuditArgs } from '../audit-options.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { listOption } from '../options.js';
import { principalOptions, resolveDataset, resolvePrincipal, type PrincipalArgs } from '../principal.js';

export interface AccessArgs extends PrincipalArgs, AuditArgs {
  action: 'explain' | 'check';
  paths: string[];
  dataset: string;
  columns?: string[];
  json?: boolean;
}

export function builder(y: Argv): Argv<AccessArgs> {
  const withPrincipal = principalOptions(withAuditOptions(y), true);
  return withPrincipal
    .positional('action', { choices: ['explain', 'check'] as const, describe: 'explain: every column and why; check: allow or deny (exit 1 on deny)' })
    .positional('paths', { type: 'string', array: true, default: ['rules'], describe: 'policy files or folders' })
    .option('dataset', { type: 'string', demandOption: true, describe: 'dataset name' })
    .option('columns', { type: 'string', array: true, describe: 'check only: columns to check (comma-separated or repeated)' })
    .option('json', { type: 'boolean', describe: 'print the decision as one JSON object' })
    .example('$0 access explain --as alice --dataset orders', 'every column of orders as alice sees it, and why')
    .example('$0 access check --as bob --dataset customers --columns email,phone', 'exit 0 when bob may read both columns, 1 otherwise') as unknown as Argv<AccessArgs>;
}

export const run: CommandRun<AccessArgs> = async (args, ctx) => {
  const { policy } = loadValidatedPolicies(args.paths.length > 0 ? args.paths : ['rules']);
  const model = buildAccessModel(policy);
  const principal = resolvePrincipal(args, model);
  const dataset = resolveDataset(args.dataset, policy.datasets);
  const decision = decideAccess(model, principal, dataset);
  if (args.action === 'explain') {
    if (args.columns !== undefined) throw new AssayError('usage', '--columns applies to access check', 'explain always shows every column');
    ctx.stdout(args.json ? `${JSON.stringify(decisionJson(decision), null, 2)}\n` : renderExplain(decision));
    const audit = auditLogFor(args, ctx.env);
    if (audit) await appendAuditEvent(audit, policy, accessDecisionEvent('access explain', decision, decision, []));
    return EXIT.ok;
  }
  const requested = listOption(args.columns);
  const declared = Object.keys(dataset.columns);
  for (const column of requested) {
    if (!declared.includes(column)) throw new AssayError('usage', `--columns: unknown column "${column}" in dataset "${dataset.name}"`, suggest(column, declared));
  }
  const verdict = checkColumns(decision, requested);
  const json = decisionJson(decision, requested.length > 0 ? requested : undefined, verdict);
  if (args.json) {
    ctx.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const why = json.policies.length > 0 ? ` (${verdict.reason}: ${verdictPolicies(json, requested).join(', ')})` : ` (${verdict.reason})`;
    ctx.stdout(`${verdict.decision}: ${principal.name} on ${dataset.name}${requested.length > 0 ? ` [${requested.join(', ')}]` : ''}${why}\n`);
  }
  const audit = auditLogFor(args, ctx.env);
  if (audit) await appendAuditEvent(audit, policy, accessDecisionEvent('access check', decision, verdict, requested));
  return verdict.decision === 'allow' ? EXIT.ok : EXIT.gate;
};

/** The policies behind a check verdict: the requested columns' policies, or the dataset's. */
function verdictPolicies(json: ReturnType<typeof decisionJson>, requested: string[]): string[] {
  if (requested.length === 0) return json.policies;
  const names = new Set<string>();
  for (const column of requested) {
    const c = json.columns[column];
    if (json.decision === 'allow' || c.access === 'denied') for (const p of c.policies) names.add(p);
  }
  return names.size > 0 ? [...names] : json.policies;
}
