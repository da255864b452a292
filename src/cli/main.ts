#!/usr/bin/env node
/**
 * The assay command line. This is the only module that exits the process:
 * commands return exit codes, errors are printed in one line by printError.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ASSAY_VERSION } from '../report/model.js';
import { AssayError } from '../util/diagnostics.js';
import * as access from './commands/access.js';
import * as audit from './commands/audit.js';
import * as check from './commands/check.js';
import * as exportCommand from './commands/export.js';
import * as report from './commands/report.js';
import * as validate from './commands/validate.js';
import { processContext, type CliContext, type CommandRun } from './context.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { printError } from './print-error.js';
import { usageError } from './usage-errors.js';

/** One command; a command with `subcommands` (`audit verify`) has no `run` of its own. */
export interface CommandModule {
  command: string;
  describe: string;
  builder?: (y: Argv) => Argv<any>;
  run?: CommandRun<any>;
  subcommands?: CommandModule[];
}

/** The registry of commands; each file in commands/ is one entry. */
export const COMMANDS: CommandModule[] = [access, audit, check, exportCommand, report, validate];

export async function main(argv: string[], ctx: CliContext): Promise<number> {
  let exitCode: number = EXIT.ok;
  const debug = argv.includes('--debug');
  let cli = yargs(argv)
    .scriptName('assay')
    .usage('$0 <command> [options]')
    .option('debug', { type: 'boolean', describe: 'print stack traces of internal errors' })
    .strict()
    .recommendCommands()
    .demandCommand(1, 'no command given')
    .version(ASSAY_VERSION)
    .help()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      // yargs' own validation errors (YError) are usage errors too; errors thrown by handlers pass through.
      if (error && error.name !== 'YError') throw error;
      throw usageError(message ?? error?.message ?? '', argv, COMMANDS.map((c) => c.command.split(' ')[0]));
    });
  const register = (y: Argv<any>, mod: CommandModule): Argv<any> =>
    y.command(
      mod.command,
      mod.describe,
      (sub) => {
        let built = mod.builder ? mod.builder(sub) : sub;
        for (const child of mod.subcommands ?? []) built = register(built, child);
        return mod.subcommands ? built.demandCommand(1, `give a subcommand; see assay ${mod.command} --help`) : built;
      },
      mod.run
        ? async (args) => {
            exitCode = await mod.run!(args, ctx);
          }
        : undefined,
    );
  for (const mod of COMMANDS) cli = register(cli, mod);
  try {
    await cli.parseAsync();
  } catch (error) {
    printError(error, ctx.stderr, debug);
    if (error instanceof AssayError && error.kind === 'usage' && !error.hint && error.diagnostics.length === 0) ctx.stderr('hint: run assay --help');
    return exitCodeForError(error);
  }
  return exitCode;
}

main(hideBin(process.argv), processContext()).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    printError(error, (line) => process.stderr.write(`${line}\n`));
    process.exitCode = EXIT.usage;
  },
);
