/** How engines compare and report cell values. */
import type { Scalar } from './types.js';

/** Values compare by their primitive form, so dates match by instant. */
export function comparableKey(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}

/**
 * A measure result as a report scalar: undefined and NaN are null; a bigint
 * a number when that is exact, else it stays a bigint (an integer beyond
 * 2^53 is never rounded).
 */
export function toScalar(value: unknown): Scalar {
  if (value === undefined || (typeof value === 'number' && Number.isNaN(value))) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  return value as Scalar;
}

/**
 * The key of a row over several columns (unique, duplicate_count): the JSON
 * array of its comparable values, with an integer beyond 2^53 written as its
 * exact digits (JSON.stringify refuses bigints; a number and a bigint never
 * hold the same integer, see values/grammar.ts exactInteger).
 */
export function compositeKey(values: unknown[]): string {
  const parts = values.map(comparableKey);
  if (!parts.some((p) => typeof p === 'bigint')) return JSON.stringify(parts);
  return `[${parts.map((p) => (typeof p === 'bigint' ? p.toString() : JSON.stringify([p]).slice(1, -1))).join(',')}]`;
}
