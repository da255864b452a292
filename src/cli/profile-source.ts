/**
 * What `assay profile` and `assay suggest` read: a data file named on the
 * command line, or a declared dataset (`--dataset NAME`, its policies under
 * the given paths). Both become a ProfileRequest; a table source is refused
 * with a usage error (profiling reads files).
 */
import { basename, dirname, extname, join } from 'node:path';
import type { Argv } from 'yargs';
import { classificationsOf } from '../access/decide.js';
import { loadValidatedPolicies } from '../policy/validated.js';
import { isTableSource } from '../policy/types.js';
import type { ProfileRequest } from '../profile/profile.js';
import { FORMATS } from '../sources/readers.js';
import { AssayError } from '../util/diagnostics.js';
import type { CliContext } from './context.js';
import { resolveDataset } from './principal.js';
import { ProgressBar } from './progress.js';

export interface SourceArgs {
  file?: string;
  dataset?: string;
  rules: string[];
  'input-format'?: string;
}

export function sourceOptions<T>(y: Argv<T>): Argv<T & SourceArgs> {
  return y
    .positional('file', { type: 'string', describe: 'data file (csv, tsv, json, ndjson, arrow, parquet)' })
    .option('dataset', { type: 'string', requiresArg: true, describe: 'profile a declared dataset instead of a file' })
    .option('rules', { type: 'string', array: true, requiresArg: true, default: ['rules'], describe: 'policy files or folders declaring --dataset' })
    .option('input-format', { choices: FORMATS, requiresArg: true, describe: 'format of the file when its extension does not tell' }) as unknown as Argv<
    T & SourceArgs
  >;
}

/** A dataset name from a file name: `Flights 3M.parquet` → `flights-3m`. */
export function nameFromFile(file: string): string {
  const name = basename(file, extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return name || 'data';
}

export function profileRequest(args: SourceArgs): ProfileRequest {
  if (args.file && args.dataset) throw new AssayError('usage', 'give a data file or --dataset, not both');
  if (args.dataset) {
    const { policy } = loadValidatedPolicies(args.rules);
    const dataset = resolveDataset(args.dataset, policy.datasets);
    if (isTableSource(dataset.source))
      throw new AssayError('usage', `dataset "${dataset.name}" is a database table; profile reads files`, 'export the table to a file, or name a file');
    const classified = new Set(Object.keys(dataset.columns).filter((c) => classificationsOf(dataset, c).length > 0));
    return { name: dataset.name, source: dataset.source, policyFile: dataset.file, classified };
  }
  if (!args.file) throw new AssayError('usage', 'give a data file or --dataset NAME', 'e.g. assay profile data/orders.csv');
  const format = args['input-format'] as ProfileRequest['source']['format'];
  return {
    name: nameFromFile(args.file),
    source: { path: args.file, format },
    policyFile: join(dirname(args.file), '.assay-profile'),
    overridePath: args.file,
  };
}

/**
 * Progress on stderr, only on a terminal (as `check`): bytes read of the
 * file size for text formats, else rows read.
 */
export function profileProgress(ctx: CliContext, label: string): { onProgress: ProfileRequest['onProgress']; finish: () => void } {
  if (!ctx.interactive || !ctx.stderrRaw) return { onProgress: undefined, finish: () => {} };
  const bar = new ProgressBar({ write: ctx.stderrRaw });
  return {
    onProgress: (rows, bytes, total) => {
      if (total > 0 && bytes > 0)
        bar.update(Math.round(bytes / 1e6), Math.max(1, Math.round(total / 1e6)), `MB · ${rows.toLocaleString('en-US')} rows of ${label}`);
      else bar.update(rows, rows, `rows of ${label}`);
    },
    finish: () => bar.finish(),
  };
}
