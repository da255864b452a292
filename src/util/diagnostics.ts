/**
 * Diagnostics are data: every problem found in a policy file becomes a
 * `Diagnostic` with a stable code and a position, and is rendered in one place
 * (`formatDiagnostic`). Only the CLI turns them into exit codes.
 */
import { oneLine } from './one-line.js';

/** A position in a policy or data file; lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface Diagnostic {
  /** Stable kebab-case identifier, listed in docs/errors.md. */
  code: string;
  /** `warning` diagnostics are printed but do not fail validation. */
  severity: 'error' | 'warning';
  message: string;
  /** Key path in SPEC form, e.g. `checks[2].range.max`. */
  path?: string;
  location?: SourceLocation;
  /** What is expected, or a did-you-mean; printed in parentheses. */
  expected?: string;
}

/** `rules/orders.yaml:14:7: checks[2].range: unknown key "maxx" (did you mean "max"?)`; always one line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.col}: ` : '';
  const path = d.path ? `${d.path}: ` : '';
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  const expected = d.expected ? ` (${d.expected})` : '';
  return oneLine(`${where}${path}${prefix}${d.message}${expected}`);
}

/** Sort by file, line, column so output is stable and reads top to bottom. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => {
    const fa = a.location?.file ?? '';
    const fb = b.location?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.col ?? 0) - (b.location?.col ?? 0);
  });
}

/** Kinds of failure that end a command; the CLI maps each to an exit code. */
export type ErrorKind = 'usage' | 'policy' | 'data';

/**
 * An expected failure caused by the user's input (not a bug). `usage` and
 * `policy` exit 2, `data` exits 3.
 */
export class AssayError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly hint?: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'AssayError';
  }
}

/** Raised when policy files are invalid; carries every diagnostic found. */
export class PolicyError extends AssayError {
  constructor(diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const files = new Set(errors.map((d) => d.location?.file ?? ''));
    super(
      'policy',
      `${errors.length} error${errors.length === 1 ? '' : 's'} in ${files.size} file${files.size === 1 ? '' : 's'}`,
      undefined,
      diagnostics,
    );
  }
}

/** Data could not be read (exit 3). */
export class DataError extends AssayError {
  constructor(message: string, hint?: string) {
    super('data', message, hint);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
