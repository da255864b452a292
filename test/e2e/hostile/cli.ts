/**
 * Run the built CLI as a subprocess in a scratch project folder, with a
 * timeout: a run that does not end in time is a hang, which these tests
 * exist to catch. Nothing here measures speed.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const CLI = resolve('dist/cli/bin.cjs');

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export function runCli(args: string[], cwd: string, timeoutMs = 90_000, env: NodeJS.ProcessEnv = {}): CliResult {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', ASSAY_NOW: '2026-01-05T00:00:00Z', ...env },
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut };
}

/** A scratch project: a folder with a `.git` marker so it is its own project root. */
export function scratchProject(files: Record<string, string | Buffer> = {}): { dir: string; write: (path: string, content: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'assay-hostile-'));
  mkdirSync(join(dir, '.git'));
  const write = (path: string, content: string | Buffer): string => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return full;
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The problems a hostile input must never cause, whatever else happens. */
export function expectNoCrash(r: CliResult): void {
  expect(r.timedOut).toBe(false);
  expect(r.signal).toBeNull();
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // a stack frame
  expect([0, 1, 2, 3]).toContain(r.status);
}
