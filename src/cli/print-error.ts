/**
 * Errors reach the user as one clear line (plus a hint when there is a
 * concrete next step), never as a stack trace unless --debug is given.
 */
import { AssayError, formatDiagnostic } from '../util/diagnostics.js';
import { oneLine } from '../util/one-line.js';

export function printError(error: unknown, write: (line: string) => void, debug = false): void {
  if (error instanceof AssayError) {
    for (const d of error.diagnostics) write(formatDiagnostic(d));
    write(oneLine(error.diagnostics.length > 0 ? error.message : `assay: ${error.message}`));
    if (error.hint) write(`hint: ${oneLine(error.hint)}`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`assay: internal error: ${oneLine(message)} (this is a bug; rerun with --debug for details)`);
  if (debug && error instanceof Error && error.stack) write(error.stack);
}
