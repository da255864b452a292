/**
 * `assay catalog [paths..] --out DIR`: a static site of every dataset (owner,
 * columns, classifications, freshness, latest outcomes, who may see what,
 * lineage). Reads policies and the last JSON report only; writes through
 * util/write-file.ts, confined to --out.
 */
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { renderDataset, renderIndex } from '../../catalog/html.js';
import { datasetPage } from '../../catalog/lineage-svg.js';
import { buildCatalog } from '../../catalog/model.js';
import { loadValidatedPolicies } from '../../policy/validated.js';
import { AssayError } from '../../util/diagnostics.js';
import { readRegularFile, UnreadableFileError } from '../../util/read-file.js';
import { writeOutputFile } from '../../util/write-file.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';

/** The JSON report `assay check` writes by default. */
const DEFAULT_REPORT = 'reports/assay-report.json';
/** A report larger than this is not read (reports are bounded well below it: report/bounds.ts). */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

export interface CatalogArgs {
  paths: string[];
  out: string;
  report?: string;
}

export function builder(y: Argv): Argv<CatalogArgs> {
  return y
    .positional('paths', { type: 'string', array: true, default: ['rules'], describe: 'policy files or folders' })
    .option('out', { type: 'string', requiresArg: true, demandOption: true, describe: 'folder for the site (index.html and one page per dataset)' })
    .option('report', { type: 'string', requiresArg: true, describe: `the JSON report latest outcomes come from (default ${DEFAULT_REPORT} when it exists)` })
    .example('$0 catalog --out site', 'a browsable catalog of the datasets under rules/') as unknown as Argv<CatalogArgs>;
}

export const run: CommandRun<CatalogArgs> = async (args, ctx) => {
  const { policy } = loadValidatedPolicies(args.paths.length > 0 ? args.paths : ['rules']);
  const reportPath = args.report ?? (existsSync(DEFAULT_REPORT) ? DEFAULT_REPORT : undefined);
  const catalog = buildCatalog(policy, reportPath !== undefined ? readReport(reportPath) : undefined);
  const written = [writeOutputFile(args.out, 'index.html', renderIndex(catalog))];
  for (const dataset of catalog.datasets) written.push(writeOutputFile(args.out, datasetPage(dataset.name), renderDataset(catalog, dataset)));
  ctx.stderr(`catalog written: ${written.length} pages in ${args.out}${reportPath ? ` (outcomes from ${reportPath})` : ''}`);
  return EXIT.ok;
};

function readReport(path: string): unknown {
  let text: string;
  try {
    text = readRegularFile(path, MAX_REPORT_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof UnreadableFileError)
      throw new AssayError('usage', `--report: cannot read ${path}: ${e.reason}`, 'give the assay-report.json of a check run');
    throw e;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AssayError('usage', `--report: ${path} is not JSON: ${(e as Error).message}`, 'give the assay-report.json of a check run');
  }
}
