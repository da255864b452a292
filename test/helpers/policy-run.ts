/**
 * Runs real policy files over real data files in a temporary folder, through
 * the whole pipeline (load, validate, compile, execute, evaluate, report).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecks, type CheckRun } from '../../src/pipeline.js';
import { loadPolicies } from '../../src/policy/load.js';
import { validatePolicies } from '../../src/policy/validate.js';
import type { CheckReport } from '../../src/report/model.js';
import { formatDiagnostic } from '../../src/util/diagnostics.js';

export interface Workspace {
  dir: string;
  /** Write a file (relative to the workspace) and return its path. */
  write(name: string, text: string): string;
  /** Run `assay check` in-process on the workspace's policy files. */
  check(options?: { now?: string; datasets?: string[]; data?: Record<string, string> }): Promise<CheckRun>;
  /** Validation diagnostics, formatted as the CLI prints them (paths relative to the workspace). */
  diagnostics(): string[];
  cleanup(): void;
}

export function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'assay-contracts-'));
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    check(options = {}) {
      return runChecks({
        paths: [dir],
        now: new Date(options.now ?? '2026-01-05T12:00:00Z'),
        datasets: options.datasets,
        dataOverrides: options.data,
        runId: 'test',
      });
    },
    diagnostics() {
      return validatePolicies(loadPolicies([dir])).diagnostics.map((d) => formatDiagnostic(d).replace(/^[^:]*\/([^/:]+\.ya?ml):/, '$1:'));
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The report of one check, by id. */
export function checkById(run: CheckRun, id: string): CheckReport {
  const found = run.report.datasets.flatMap((d) => d.checks).find((c) => c.id === id);
  if (!found) throw new Error(`no check "${id}" in the report; ids: ${run.report.datasets.flatMap((d) => d.checks.map((c) => c.id)).join(', ')}`);
  return found;
}

/** Datasets of a report without the `engine` field: what must be the same whichever executor measured them. */
export function withoutEngine<T extends { engine?: unknown }>(datasets: readonly T[]): Omit<T, 'engine'>[] {
  return datasets.map(({ engine: _engine, ...rest }) => rest);
}
