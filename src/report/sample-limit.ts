/**
 * A data file may hold a cell of hundreds of megabytes. Samples show the
 * failing value, so without a cap one cell would be copied into every report
 * format and the terminal. Values are cut after masking (so a `hash` mask
 * still hashes the whole value) and say how long they were.
 */

/** Longest sample value kept, in characters (of the JSON text for objects). */
export const MAX_SAMPLE_CHARS = 200;

/** The value, or its first MAX_SAMPLE_CHARS characters and its length when longer. */
export function limitSampleValue(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return String(value);
  if (text.length <= MAX_SAMPLE_CHARS) return value;
  return `${text.slice(0, MAX_SAMPLE_CHARS)}… (${text.length} characters)`;
}
