/** `assay profile <file | --dataset NAME>`: column statistics, value shapes, formats and PII candidates (src/profile/). */
import { basename, dirname } from 'node:path';
import type { Argv } from 'yargs';
import { renderProfileHtml } from '../../profile/html.js';
import { profileDataset } from '../../profile/profile.js';
import { renderProfileConsole, renderProfileJson } from '../../profile/render.js';
import { writeOutputFile } from '../../util/write-file.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { parseBatchRows } from '../options.js';
import { profileProgress, profileRequest, sourceOptions, type SourceArgs } from '../profile-source.js';

export interface ProfileArgs extends SourceArgs {
  format: 'console' | 'json' | 'html';
  out?: string;
  'batch-rows'?: number;
}

export function builder(y: Argv): Argv<ProfileArgs> {
  return sourceOptions(y)
    .option('format', { choices: ['console', 'json', 'html'] as const, default: 'console' as const, requiresArg: true, describe: 'output format' })
    .option('out', { type: 'string', requiresArg: true, describe: 'write the output to this file instead of stdout (replaced atomically)' })
    .option('batch-rows', { type: 'number', describe: 'rows read per batch; memory grows with it, results do not change' })
    .example('$0 profile fixtures/data/customers.csv', 'statistics and PII candidates per column')
    .example(
      '$0 profile --dataset orders --format html --out reports/orders-profile.html',
      'a page with a histogram per column',
    ) as unknown as Argv<ProfileArgs>;
}

export const run: CommandRun<ProfileArgs> = async (args, ctx) => {
  const request = profileRequest(args);
  const progress = profileProgress(ctx, request.name);
  let result;
  try {
    result = await profileDataset({ ...request, batchRows: parseBatchRows(args['batch-rows']), onProgress: progress.onProgress });
  } finally {
    progress.finish();
  }
  const { report } = result;
  const text =
    args.format === 'json'
      ? renderProfileJson(report)
      : args.format === 'html'
        ? renderProfileHtml(report)
        : renderProfileConsole(report, ctx.color && !args.out);
  if (args.out) {
    writeOutputFile(dirname(args.out), basename(args.out), text);
    ctx.stderr(`wrote the profile of ${report.dataset} (${report.rows} rows, ${report.columns.length} columns) to ${args.out}`);
  } else {
    ctx.stdout(text);
  }
  return EXIT.ok;
};
