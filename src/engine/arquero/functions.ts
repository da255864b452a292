/**
 * Functions assay registers with arquero for its own generated expressions.
 * Policy expressions cannot call them: the allow-list refuses `op.assay_*`.
 */
import { addFunction } from 'arquero';
import { FORMATS } from '../../checks/formats.js';

let registered = false;

/** Values compare by their primitive form, so dates match by instant. */
export function comparableKey(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}

export function registerFunctions(): void {
  if (registered) return;
  registered = true;
  addFunction('assay_in', (value: unknown, set: Set<unknown>) => set.has(comparableKey(value)));
  addFunction('assay_format', (value: unknown, format: string) => FORMATS[format](String(value)));
  addFunction('assay_regex', (matcher: (text: string) => boolean, value: unknown) => matcher(String(value)));
  addFunction('assay_length', (value: unknown) => (value == null ? null : String(value).length));
}
