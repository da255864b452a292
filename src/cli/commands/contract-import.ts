/**
 * `assay contract import FILE [--out FILE]`: the assay policy for an ODCS v3
 * document. What does not map is listed on stderr and as comments in the output.
 */
import { basename, dirname } from 'node:path';
import type { Argv } from 'yargs';
import { importContract } from '../../contracts/import.js';
import { MAX_POLICY_BYTES, parseFile, type LoadResult } from '../../policy/load.js';
import { AssayError, PolicyError } from '../../util/diagnostics.js';
import { readRegularFile, UnreadableFileError } from '../../util/read-file.js';
import { writeOutputFile } from '../../util/write-file.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';

export interface ContractImportArgs {
  file: string;
  out?: string;
}

export const command = 'import <file>';
export const describe = 'Write the assay policy for an ODCS v3 document (what does not map is listed, never dropped)';

export function builder(y: Argv): Argv<ContractImportArgs> {
  return y
    .positional('file', { type: 'string', demandOption: true, describe: 'an ODCS v3 document (YAML or JSON)' })
    .option('out', { type: 'string', requiresArg: true, describe: 'write the policy to this file instead of stdout' })
    .example('$0 contract import orders.odcs.yaml --out rules/orders.yaml', "start a policy from a producer's contract") as unknown as Argv<ContractImportArgs>;
}

export const run: CommandRun<ContractImportArgs> = async (args, ctx) => {
  let text: string;
  try {
    text = readRegularFile(args.file, MAX_POLICY_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof UnreadableFileError) throw new AssayError('usage', `cannot read ${args.file}: ${e.reason}`, 'give an ODCS document (YAML or JSON)');
    throw e;
  }
  const parsed: LoadResult = { documents: [], files: [], diagnostics: [] };
  parseFile(args.file, text, parsed);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) throw new PolicyError(parsed.diagnostics);
  if (parsed.documents.length !== 1) throw new AssayError('usage', `${args.file}: expected one ODCS document, found ${parsed.documents.length}`);
  let result;
  try {
    result = importContract(parsed.documents[0].value);
  } catch (e) {
    throw new AssayError('usage', `${args.file}: ${(e as Error).message}`, 'give an ODCS v3 document (kind: DataContract)');
  }
  for (const line of result.notMapped) ctx.stderr(`assay: not mapped: ${line}`);
  if (args.out === undefined) ctx.stdout(result.yaml);
  else
    ctx.stderr(
      `policy written: ${writeOutputFile(dirname(args.out), basename(args.out), result.yaml)} (${result.datasets.length} dataset${result.datasets.length === 1 ? '' : 's'}, ${result.notMapped.length} not mapped)`,
    );
  return EXIT.ok;
};
