/** `assay validate [paths..]`: validate policy files only; reads no data. */
import type { Argv } from 'yargs';
import { compilePlan } from '../../plan/compile.js';
import { loadValidatedPolicies } from '../../policy/validated.js';
import { formatDiagnostic } from '../../util/diagnostics.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';

export interface ValidateArgs {
  paths: string[];
  json?: boolean;
  plan?: boolean;
}

export function builder(y: Argv): Argv<ValidateArgs> {
  return y
    .positional('paths', { type: 'string', array: true, default: ['rules'], describe: 'policy files or folders' })
    .option('json', { type: 'boolean', describe: 'print a JSON summary on stdout' })
    .option('plan', { type: 'boolean', describe: 'print the compiled plan (what each dataset will measure) as JSON' }) as unknown as Argv<ValidateArgs>;
}

export const run: CommandRun<ValidateArgs> = async (args, ctx) => {
  const { policy, diagnostics } = loadValidatedPolicies(args.paths.length > 0 ? args.paths : ['rules']);
  for (const d of diagnostics) ctx.stderr(formatDiagnostic(d));
  const checks = policy.datasets.reduce((n, d) => n + d.checks.length, 0);
  if (args.plan) {
    ctx.stdout(`${JSON.stringify(compilePlan(policy), null, 2)}\n`);
  } else if (args.json) {
    ctx.stdout(`${JSON.stringify({ valid: true, files: policy.files.length, datasets: policy.datasets.map((d) => d.name), checks, warnings: diagnostics.length }, null, 2)}\n`);
  } else {
    ctx.stdout(`ok: ${policy.files.length} files, ${policy.datasets.length} datasets, ${checks} checks\n`);
  }
  return EXIT.ok;
};
