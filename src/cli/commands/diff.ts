/**
 * `assay diff OLD NEW` or `assay diff --base REF [paths..]`: compare two
 * versions of the policies and classify every change (docs/diff.md). Exit 1
 * when anything is breaking, loosened, weakened or widened: a gate for pull
 * requests that change policies.
 */
import type { Argv } from 'yargs';
import { diffAccess } from '../../diff/access-diff.js';
import { loadPoliciesAtRef } from '../../diff/git-ref.js';
import { summarize } from '../../diff/model.js';
import { diffPolicies } from '../../diff/policy-diff.js';
import { DIFF_FORMATS, renderDiff, type DiffFormat } from '../../diff/render.js';
import { loadValidatedPolicies } from '../../policy/validated.js';
import { AssayError } from '../../util/diagnostics.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';

export interface DiffArgs {
  paths: string[];
  base?: string;
  format: DiffFormat;
  json?: boolean;
}

export function builder(y: Argv): Argv<DiffArgs> {
  return y
    .positional('paths', { type: 'string', array: true, describe: 'OLD NEW (two policy files or folders), or with --base the policy paths (default rules/)' })
    .option('base', { type: 'string', requiresArg: true, describe: 'compare the policies at this git revision (branch, tag, commit) with the working tree' })
    .option('format', {
      requiresArg: true,
      choices: DIFF_FORMATS,
      default: 'console' as DiffFormat,
      describe: 'console, json, or markdown (for a pull-request comment)',
    })
    .option('json', { type: 'boolean', describe: 'same as --format json' })
    .example('$0 diff --base origin/main', 'what this branch changes in rules/, and whether it breaks, loosens or widens anything')
    .example('$0 diff old-rules/ rules/ --format markdown', 'a pull-request comment comparing two folders') as unknown as Argv<DiffArgs>;
}

export const run: CommandRun<DiffArgs> = async (args, ctx) => {
  const paths = args.paths ?? [];
  let before, after, baseName, headName;
  if (args.base !== undefined) {
    const policyPaths = paths.length > 0 ? paths : ['rules'];
    before = loadPoliciesAtRef(args.base, policyPaths, process.cwd(), ctx.stderr);
    after = loadValidatedPolicies(policyPaths).policy;
    baseName = `${args.base}:${policyPaths.join(',')}`;
    headName = policyPaths.join(',');
  } else {
    if (paths.length !== 2)
      throw new AssayError('usage', `diff needs two policy paths (old and new), got ${paths.length}`, 'assay diff OLD NEW, or assay diff --base REF [paths..]');
    before = loadValidatedPolicies([paths[0]]).policy;
    after = loadValidatedPolicies([paths[1]]).policy;
    [baseName, headName] = paths;
  }
  const result = summarize(baseName, headName, [...diffPolicies(before, after), ...diffAccess(before, after)]);
  ctx.stdout(renderDiff(result, args.json ? 'json' : args.format, ctx.color));
  return result.status === 'fail' ? EXIT.gate : EXIT.ok;
};
