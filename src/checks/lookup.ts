/**
 * The check registry, for modules the registry itself loads (the metric
 * parser of change and anomaly checks resolves `failed_rows(<check>)` to
 * that check's definition). index.ts installs it when it loads; importing
 * index.ts from there would be an import cycle.
 */
import type { CheckDefinition } from './define.js';

let lookup: ((type: string) => CheckDefinition | undefined) | undefined;

export function installCheckLookup(fn: (type: string) => CheckDefinition | undefined): void {
  lookup = fn;
}

export function lookUpCheck(type: string): CheckDefinition | undefined {
  if (!lookup) throw new Error('the check registry (src/checks/index.ts) is not loaded');
  return lookup(type);
}
