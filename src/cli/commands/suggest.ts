/**
 * `assay suggest <file> --name NAME [--holdout 20%] [--out FILE]`: a draft
 * `kind: dataset` document learned from the data (src/profile/suggest.ts).
 * Without --out it is printed; a summary line goes to stderr.
 */
import { basename, dirname, relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { draftAccessPolicy } from '../../profile/access-draft.js';
import { profileDataset } from '../../profile/profile.js';
import { renderSuggestion, suggestPolicy } from '../../profile/suggest.js';
import { AssayError } from '../../util/diagnostics.js';
import { writeOutputFile } from '../../util/write-file.js';
import type { CliContext, CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { parseBatchRows, resolveNow } from '../options.js';
import { nameFromFile, profileProgress, profileRequest, sourceOptions, type SourceArgs } from '../profile-source.js';

export interface SuggestArgs extends SourceArgs {
  name?: string;
  holdout?: string;
  seed: number;
  out?: string;
  now?: string;
  'batch-rows'?: number;
  access?: boolean;
  'access-file': string;
  'write-access'?: boolean;
}

export function builder(y: Argv): Argv<SuggestArgs> {
  return sourceOptions(y)
    .option('name', { type: 'string', requiresArg: true, describe: 'name of the dataset (default: from the file name)' })
    .option('holdout', { type: 'string', requiresArg: true, describe: 'learn rules on the other rows, keep those that also hold on this share (e.g. 20%)' })
    .option('seed', { type: 'number', default: 42, describe: 'seed of the holdout split (the split is deterministic)' })
    .option('out', { type: 'string', requiresArg: true, describe: 'write the draft to this file (replaced atomically) instead of stdout' })
    .option('now', { type: 'string', requiresArg: true, describe: 'fix "now" (ISO 8601) for the freshness suggestion; or ASSAY_NOW' })
    .option('batch-rows', { type: 'number', describe: 'rows read per batch' })
    .option('access', {
      type: 'boolean',
      describe: 'also print a draft access policy for the classified columns (deny by default, analysts get a hash), unless one exists',
    })
    .option('access-file', {
      type: 'string',
      requiresArg: true,
      default: 'rules/access.yaml',
      describe: 'the access file --access reads (and --write-access updates)',
    })
    .option('write-access', { type: 'boolean', describe: 'with --access: add the draft to the access file (printed first; never written otherwise)' })
    .example('$0 suggest fixtures/data/customers.csv --name customers --out rules/customers.yaml', 'a draft policy for a new file')
    .example('$0 suggest data.parquet --name events --holdout 20%', 'keep only rules that generalise to unseen rows') as unknown as Argv<SuggestArgs>;
}

/** `20%`, `20` or `0.2` → 0.2; between 0 and 1 exclusive. */
export function parseHoldout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  const value = m ? (m[2] || Number(m[1]) > 1 ? Number(m[1]) / 100 : Number(m[1])) : NaN;
  if (!(value > 0 && value < 1)) throw new AssayError('usage', `--holdout: expected a share of rows between 0% and 100%, got "${text}"`, 'e.g. --holdout 20%');
  return value;
}

export const run: CommandRun<SuggestArgs> = async (args, ctx) => {
  const holdout = parseHoldout(args.holdout);
  const now = resolveNow(args.now, ctx.env);
  const request = profileRequest(args);
  const name = args.name ?? (args.dataset ? request.name : nameFromFile(args.file!));
  if (!/^[a-z0-9_.-]+$/.test(name)) throw new AssayError('usage', `--name: "${name}" is not a dataset name`, 'use lowercase letters, digits, "_", "." and "-"');
  const progress = profileProgress(ctx, request.name);
  let result;
  try {
    result = await profileDataset({ ...request, holdout, seed: args.seed, batchRows: parseBatchRows(args['batch-rows']), onProgress: progress.onProgress });
  } finally {
    progress.finish();
  }
  const suggestion = suggestPolicy(result, { name, now });
  // source.path is relative to the file the draft is written to (rules/ when printed: where it is meant to go).
  const policyDir = resolve(args.out ? dirname(args.out) : 'rules');
  const original = args.dataset ? resolve(dirname(request.policyFile), request.source.path) : resolve(args.file!);
  const sourcePath = relative(policyDir, original).split('\\').join('/') || basename(original);
  const source = { path: sourcePath, format: request.source.format, options: request.source.options };
  const text = renderSuggestion(suggestion, { source, data: result.report.files.join(', '), rows: result.report.rows, now });
  if (args.out) writeOutputFile(dirname(args.out), basename(args.out), text);
  else ctx.stdout(text);
  const rules = suggestion.columns.reduce((n, c) => n + c.rules.length, 0) + 1 + (suggestion.freshness.rule ? 1 : 0);
  const held = suggestion.holdout
    ? `; ${suggestion.kept} of ${suggestion.learned} rules learned on ${Math.round((1 - suggestion.holdout.fraction) * 100)}% of rows held on the other ${suggestion.holdout.rows} rows`
    : '';
  if (args.access || args['write-access'])
    accessDraft(
      args,
      name,
      suggestion.columns.flatMap((c) => c.rules.filter((r) => r.key === 'classification').flatMap((r) => r.value as string[])),
      ctx,
    );
  ctx.stderr(`suggested ${rules} rules for ${name} from ${result.report.rows} rows${held}${args.out ? `; wrote ${args.out}` : ''}`);
  return EXIT.ok;
};

/** Print the draft access policy on stderr (stdout may hold the dataset draft); write it only with --write-access. */
function accessDraft(args: SuggestArgs, name: string, classifications: string[], ctx: CliContext): void {
  const file = args['access-file'];
  if (classifications.length === 0) {
    ctx.stderr('access: no column is classified; no access policy is needed');
    return;
  }
  const draft = draftAccessPolicy(file, name, classifications);
  if (!draft.policiesYaml) {
    ctx.stderr(`access: ${file} already masks or denies ${[...new Set(classifications)].join(', ')}; nothing to add`);
    return;
  }
  ctx.stderr(`access: draft policies for ${draft.uncovered.join(', ')} (review them; add to the policies: of ${file}):`);
  for (const line of draft.policiesYaml.trimEnd().split('\n')) ctx.stderr(`  ${line}`);
  if (args['write-access']) {
    writeOutputFile(dirname(file), basename(file), draft.updatedFile!);
    ctx.stderr(`access: added them to ${file}`);
  } else {
    ctx.stderr(`access: not written; rerun with --write-access to add them to ${file}`);
  }
}
