/**
 * Exit codes, for every command (SPEC §2). This is the only place that maps
 * outcomes to codes; cli/main.ts is the only place that exits.
 */
import type { RunReport } from '../report/model.js';
import { AssayError } from '../util/diagnostics.js';

export const EXIT = {
  /** Success. */
  ok: 0,
  /** A gate failed: an error-level check failed or errored, access denied, audit chain broken. */
  gate: 1,
  /** Invalid usage or invalid policy files. */
  usage: 2,
  /** Data could not be read. */
  data: 3,
} as const;

export type FailOn = 'error' | 'warn';

/** A run never exits 0 after an error: unreadable data wins, then any error or failure. */
export function exitCodeForRun(report: RunReport, unreadable: string[], failOn: FailOn): number {
  if (unreadable.length > 0) return EXIT.data;
  if (report.status === 'fail' || report.status === 'error') return EXIT.gate;
  if (report.status === 'warn' && failOn === 'warn') return EXIT.gate;
  return EXIT.ok;
}

export function exitCodeForError(error: unknown): number {
  if (error instanceof AssayError) return error.kind === 'data' ? EXIT.data : EXIT.usage;
  return EXIT.usage;
}
