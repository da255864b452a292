#!/usr/bin/env node
/**
 * The assay command line. This is the only module that exits the process:
 * commands return exit codes, errors are printed in one line by printError.
 *
 * Start-up is measured (bench/startup.mjs): only the command that runs is
 * loaded, and `--version` answers before the argument parser is loaded
 * (yargs alone costs about 90 ms of CPU, most of it building an
 * Intl.Segmenter for string widths).
 */
import type { Argv } from 'yargs';
import { AssayError } from '../util/diagnostics.js';
import { ASSAY_VERSION } from '../version.js';
import { processContext, type CliContext, type CommandRun } from './context.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { printError } from './print-error.js';
import { usageError } from './usage-errors.js';

/** What a file in commands/ exports: its options and handler; a command with `subcommands` (`audit verify`) has no `run` of its own. */
export interface CommandModule {
  builder?: (y: Argv) => Argv<any>;
  run?: CommandRun<any>;
  subcommands?: SubcommandModule[];
}

/** A subcommand's module names itself (it is loaded with its parent). */
export interface SubcommandModule extends CommandModule {
  command: string;
  describe: string;
}

/** One command: its usage and description for `--help`, and its module, loaded only when it runs. */
export interface CommandEntry {
  command: string;
  describe: string;
  load: () => Promise<CommandModule>;
}

/** The registry of commands; each file in commands/ is one entry. */
export const COMMANDS: CommandEntry[] = [
  { command: 'access <action> [paths..]', describe: 'Explain or check what a principal may see of a dataset (explain | check)', load: () => import('./commands/access.js') },
  { command: 'audit', describe: 'Verify, inspect and list the audit log', load: () => import('./commands/audit.js') },
  { command: 'catalog [paths..]', describe: 'Write a static catalog site: datasets, columns, classifications, freshness, latest outcomes, who may see what, lineage', load: () => import('./commands/catalog.js') },
  { command: 'check [paths..]', describe: "Validate policies, run every dataset's checks and write reports", load: () => import('./commands/check.js') },
  { command: 'contract', describe: 'Export a dataset as an Open Data Contract Standard (ODCS v3) document, or import one as a policy', load: () => import('./commands/contract.js') },
  { command: 'diff [paths..]', describe: 'Compare two versions of the policies: breaking, loosened, weakened and widened changes (exit 1 when any)', load: () => import('./commands/diff.js') },
  { command: 'export [paths..]', describe: 'Write the view of a dataset a principal may see (masks and row filters applied)', load: () => import('./commands/export.js') },
  { command: 'history', describe: 'The metrics history behind change and anomaly checks (show | import | verify | prune)', load: () => import('./commands/history.js') },
  { command: 'init [dir]', describe: 'Start using assay in a project: rules/ with a commented example, a .gitignore for reports/, a CI workflow', load: () => import('./commands/init.js') },
  { command: 'profile [file]', describe: 'Profile a data file or dataset: statistics, value shapes, formats and PII candidates per column', load: () => import('./commands/profile.js') },
  { command: 'report', describe: 'Reports from the policy files and the audit log (compliance)', load: () => import('./commands/report.js') },
  { command: 'suggest [file]', describe: 'Write a draft dataset policy learned from a data file, with the evidence for each rule', load: () => import('./commands/suggest.js') },
  { command: 'validate [paths..]', describe: 'Validate policy files: schema, columns, expressions and regexes (reads no data)', load: () => import('./commands/validate.js') },
];

const commandName = (entry: { command: string }): string => entry.command.split(' ')[0];

export async function main(argv: string[], ctx: CliContext): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    ctx.stdout(`${ASSAY_VERSION}\n`);
    return EXIT.ok;
  }
  let exitCode: number = EXIT.ok;
  const debug = argv.includes('--debug');
  try {
    // The first word that is not an option names the command (no global option takes a value).
    const requested = COMMANDS.find((c) => commandName(c) === argv.find((a) => !a.startsWith('-')));
    const loaded = requested ? await requested.load() : undefined;
    const { default: yargs } = await import('yargs');
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
        throw usageError(message ?? error?.message ?? '', argv, COMMANDS.map(commandName));
      });
    const register = (y: Argv<any>, command: string, describe: string, mod: CommandModule | undefined): Argv<any> =>
      y.command(
        command,
        describe,
        (sub) => {
          if (!mod) return sub;
          let built = mod.builder ? mod.builder(sub) : sub;
          for (const child of mod.subcommands ?? []) built = register(built, child.command, child.describe, child);
          return mod.subcommands ? built.demandCommand(1, `give a subcommand; see assay ${command} --help`) : built;
        },
        mod?.run
          ? async (args) => {
              exitCode = await mod.run!(args, ctx);
            }
          : undefined,
      );
    for (const entry of COMMANDS) cli = register(cli, entry.command, entry.describe, entry === requested ? loaded : undefined);
    await cli.parseAsync();
  } catch (error) {
    printError(error, ctx.stderr, debug);
    if (error instanceof AssayError && error.kind === 'usage' && !error.hint && error.diagnostics.length === 0) ctx.stderr('hint: run assay --help');
    return exitCodeForError(error);
  }
  return exitCode;
}

main(process.argv.slice(2), processContext()).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    printError(error, (line) => process.stderr.write(`${line}\n`));
    process.exitCode = EXIT.usage;
  },
);
