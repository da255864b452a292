/**
 * The hash chain: each event's `hash` is SHA-256 (or HMAC-SHA256 with
 * ASSAY_AUDIT_KEY) over the RFC 8785 canonical JSON of the event without
 * `hash`, `prev` included, so any edit, deletion, insertion or reordering
 * breaks the chain. Canonicalisation is done by the `canonicalize` library.
 */
import canonicalize from 'canonicalize';
import { createHash, createHmac } from 'node:crypto';
import type { AuditEvent } from './event.js';

export type HashAlgorithm = 'sha256' | 'hmac-sha256';

/** RFC 8785 JSON Canonicalization Scheme text of a value. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value has no JSON representation');
  return text;
}

/** The hash of an event (every field but `hash`), keyed when a key is given. */
export function hashEvent(event: Omit<AuditEvent, 'hash'> & { hash?: string }, key?: string): string {
  const { hash: _ignored, ...body } = event;
  const text = canonicalJson(body);
  if (key === undefined) return `sha256:${createHash('sha256').update(text).digest('hex')}`;
  return `hmac-sha256:${createHmac('sha256', key).update(text).digest('hex')}`;
}

/** The algorithm a stored hash was made with. */
export function hashAlgorithm(hash: string): HashAlgorithm {
  return hash.startsWith('hmac-sha256:') ? 'hmac-sha256' : 'sha256';
}

/**
 * A short public identifier of a key, stored in keyed events so that verify
 * can say "wrong key" rather than "every line was edited". It is an HMAC of a
 * fixed label, so it reveals no more about the key than the event hashes do.
 */
export function keyId(key: string): string {
  return createHmac('sha256', key).update('assay audit key id').digest('hex').slice(0, 16);
}

/** ASSAY_AUDIT_KEY, when set and not empty. */
export function auditKey(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.ASSAY_AUDIT_KEY;
  return key === undefined || key === '' ? undefined : key;
}
