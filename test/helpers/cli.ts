/** Run the built CLI (`node dist/cli/bin.cjs`) as a subprocess, as users and CI do. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(process.cwd(), 'dist', 'cli', 'bin.cjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `env` is added to a clean copy of the environment: ASSAY_NOW, NO_COLOR and
 * GITHUB_STEP_SUMMARY are removed first so the host cannot change the outcome.
 */
export function runCli(args: string[], env: Record<string, string> = {}): CliResult {
  const base = { ...process.env };
  delete base.ASSAY_NOW;
  delete base.NO_COLOR;
  delete base.GITHUB_STEP_SUMMARY;
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Run the CLI on a pseudo-terminal (util-linux `script`), so stdout and stderr are TTYs. */
export function runCliOnTty(args: string[], env: Record<string, string> = {}): CliResult {
  const base: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
  delete base.NO_COLOR;
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** True when the text holds an ANSI escape sequence. */
// eslint-disable-next-line no-control-regex -- ESC starts an ANSI colour sequence
export const hasAnsi = (text: string): boolean => /\u001b\[/.test(text);
