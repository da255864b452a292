/**
 * Masks: what a masked value becomes (SPEC §1.3). Used for exports and for
 * report samples alike, so a value masks the same way everywhere (hashes stay
 * joinable across exports and reports).
 *
 * Masks fail closed: a mask that cannot be applied (year_only on a value that
 * is not a date) hides the value, i.e. yields null, the most restrictive mask.
 * Null stays null under every mask.
 */
import { createHmac } from 'node:crypto';
import type { ColumnType } from '../values/types.js';
import { parseTimestamp, INVALID } from '../values/grammar.js';
import { AssayError } from '../util/diagnostics.js';
import type { Mask } from './decide.js';
import { DEFAULT_KEEP_LAST } from './model.js';

export const REDACTED = '***';

/** Environment variable holding the secret key of the `hash` mask. */
export const MASK_KEY_ENV = 'ASSAY_MASK_KEY';
/** Shorter keys are refused: a guessable key makes hashes reversible by brute force. */
export const MIN_MASK_KEY_LENGTH = 16;

/**
 * The key of the `hash` mask, from ASSAY_MASK_KEY. Throws a usage error
 * (exit 2) when it is missing or too short: hashing without a secret would
 * let anyone reverse the hashes of guessable values such as emails.
 */
export function maskKeyFromEnv(env: NodeJS.ProcessEnv, why: string): string {
  const key = env[MASK_KEY_ENV];
  if (key === undefined || key === '') {
    throw new AssayError('usage', `${MASK_KEY_ENV} is not set: ${why} uses the "hash" mask, which needs a secret key`, `set ${MASK_KEY_ENV} to a secret of at least ${MIN_MASK_KEY_LENGTH} characters`);
  }
  if (key.length < MIN_MASK_KEY_LENGTH) {
    throw new AssayError('usage', `${MASK_KEY_ENV} is too short (${key.length} characters): the "hash" mask needs at least ${MIN_MASK_KEY_LENGTH}`, 'use a long random secret, e.g. from openssl rand -hex 32');
  }
  return key;
}

/** The text a value is hashed and partially masked as: dates in ISO 8601, the rest as JavaScript prints it. */
export function valueText(value: unknown, type?: ColumnType): string {
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  return String(value);
}

/** 64 lowercase hex characters: HMAC-SHA256 over the value's text. */
export function hashValue(text: string, key: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/**
 * All but the last `keepLast` characters become `*` (by code point, so no
 * character is cut in half). A value no longer than `keepLast` is masked
 * entirely: leaving it whole would show it in clear.
 */
export function partialMask(text: string, keepLast = DEFAULT_KEEP_LAST): string {
  const chars = Array.from(text);
  if (chars.length <= keepLast) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - keepLast) + chars.slice(chars.length - keepLast).join('');
}

/**
 * January 1st of the value's year (UTC). Dates stay dates; text that parses as
 * a date or timestamp is truncated and kept as text in the same shape; anything
 * else is null (fail closed).
 */
export function yearOnly(value: unknown, type?: ColumnType): unknown {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return new Date(Date.UTC(value.getUTCFullYear(), 0, 1));
  }
  if (typeof value !== 'string') return null;
  const parsed = parseTimestamp(value);
  if (parsed === INVALID) return null;
  const year = String(parsed.getUTCFullYear()).padStart(4, '0');
  const dateOnly = type === 'date' || /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
  return dateOnly ? `${year}-01-01` : `${year}-01-01T00:00:00.000Z`;
}

/**
 * Apply one mask to one value. `key` is required for `hash` (see
 * maskKeyFromEnv); without it the value is hidden, never shown in clear.
 */
export function applyMask(mask: Mask, value: unknown, type: ColumnType | undefined, key: string | undefined): unknown {
  if (value === null || value === undefined) return null;
  try {
    switch (mask.name) {
      case 'null':
        return null;
      case 'redact':
        return REDACTED;
      case 'hash':
        return key ? hashValue(valueText(value, type), key) : null;
      case 'partial':
        return partialMask(valueText(value, type), mask.keepLast);
      case 'year_only':
        return yearOnly(value, type);
      default:
        return null;
    }
  } catch {
    return null;
  }
}
