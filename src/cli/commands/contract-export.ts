/** `assay contract export --dataset D [--out FILE]`: one dataset as an ODCS v3 document (docs/contracts.md). */
import { basename, dirname } from 'node:path';
import type { Argv } from 'yargs';
import { stringify } from 'yaml';
import { exportContract } from '../../contracts/export.js';
import { loadValidatedPolicies } from '../../policy/validated.js';
import { writeOutputFile } from '../../util/write-file.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { resolveDataset } from '../principal.js';

export interface ContractExportArgs {
  paths: string[];
  dataset: string;
  out?: string;
  'contract-version': string;
  json?: boolean;
}

export const command = 'export [paths..]';
export const describe = 'Write a dataset as an Open Data Contract Standard (ODCS v3) document';

export function builder(y: Argv): Argv<ContractExportArgs> {
  return y
    .positional('paths', { type: 'string', array: true, default: ['rules'], describe: 'policy files or folders' })
    .option('dataset', { type: 'string', demandOption: true, requiresArg: true, describe: 'dataset name' })
    .option('out', { type: 'string', requiresArg: true, describe: 'write to this file instead of stdout' })
    .option('contract-version', { type: 'string', requiresArg: true, default: '1.0.0', describe: "the contract's version" })
    .option('json', { type: 'boolean', describe: 'JSON instead of YAML' })
    .example(
      '$0 contract export --dataset orders --out orders.odcs.yaml',
      'the orders contract for consumers and catalogs',
    ) as unknown as Argv<ContractExportArgs>;
}

export const run: CommandRun<ContractExportArgs> = async (args, ctx) => {
  const { policy } = loadValidatedPolicies(args.paths.length > 0 ? args.paths : ['rules']);
  const dataset = resolveDataset(args.dataset, policy.datasets);
  const contract = exportContract(policy, dataset, args['contract-version']);
  const text = args.json ? `${JSON.stringify(contract, null, 2)}\n` : stringify(contract, { lineWidth: 0 });
  if (args.out === undefined) ctx.stdout(text);
  else ctx.stderr(`contract written: ${writeOutputFile(dirname(args.out), basename(args.out), text)}`);
  return EXIT.ok;
};
