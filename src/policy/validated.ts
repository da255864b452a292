/** Stages 1–2 of every command: load the policy files and validate them. */
import { PolicyError, type Diagnostic } from '../util/diagnostics.js';
import { loadPolicies } from './load.js';
import type { PolicySet } from './types.js';
import { validatePolicies } from './validate.js';

export interface ValidatedPolicies {
  policy: PolicySet;
  /** Warnings only; errors throw PolicyError. */
  diagnostics: Diagnostic[];
}

/** Load and validate; throws PolicyError (carrying every diagnostic) when any error is found. */
export function loadValidatedPolicies(paths: string[]): ValidatedPolicies {
  const { policy, diagnostics } = validatePolicies(loadPolicies(paths));
  if (diagnostics.some((d) => d.severity === 'error')) throw new PolicyError(diagnostics);
  return { policy, diagnostics };
}

/** Load and validate without throwing on policy errors: every diagnostic, errors and warnings, sorted by file and line. */
export function validatePolicyFiles(paths: string[]): { valid: boolean; diagnostics: Diagnostic[] } {
  const { diagnostics } = validatePolicies(loadPolicies(paths));
  return { valid: !diagnostics.some((d) => d.severity === 'error'), diagnostics };
}
