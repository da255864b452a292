/**
 * What a command may touch of the outside world, passed in so commands can
 * be tested without a process: output streams, environment, colour.
 */
import { terminalText } from '../util/one-line.js';

export interface CliContext {
  stdout: (text: string) => void;
  stderr: (line: string) => void;
  /** Raw stderr writes (no newline), for the progress bar. */
  stderrRaw?: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Colour only on a terminal and never with NO_COLOR. */
  color: boolean;
  /** stderr is a terminal: progress may be shown. */
  interactive: boolean;
}

export function processContext(): CliContext {
  const env = process.env;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const color = !noColor && (process.stdout.isTTY ?? false) && env.TERM !== 'dumb';
  // The one place command output reaches the terminal: control characters from outside text are escaped here.
  return {
    stdout: (text) => process.stdout.write(terminalText(text, color)),
    stderr: (line) => process.stderr.write(`${terminalText(line, false)}\n`),
    stderrRaw: (text) => process.stderr.write(text),
    env,
    color,
    interactive: process.stderr.isTTY ?? false,
  };
}

/** A command handler: parsed options in, exit code out. */
export type CommandRun<A> = (args: A, ctx: CliContext) => Promise<number>;
