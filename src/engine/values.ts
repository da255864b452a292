/** How engines compare and report cell values. */
import type { Scalar } from '../plan/plan.js';

/** Values compare by their primitive form, so dates match by instant. */
export function comparableKey(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}

/** A measure result as a report scalar: undefined and NaN are null, bigint a number. */
export function toScalar(value: unknown): Scalar {
  if (value === undefined || (typeof value === 'number' && Number.isNaN(value))) return null;
  if (typeof value === 'bigint') return Number(value);
  return value as Scalar;
}
