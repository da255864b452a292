/**
 * Events that can serve as evidence: the log is verified first, and only the
 * events of its intact prefix are returned (never those at or after the first
 * bad line, never a recovered torn line).
 */
import { existsSync } from 'node:fs';
import type { AuditEvent } from './event.js';
import { parseEventLine, readLogLines } from './read.js';
import { verifyAuditLog, type VerifyResult } from './verify.js';

export interface TrustedEvents {
  /** Undefined when there is no log file. */
  verification?: VerifyResult;
  events: AuditEvent[];
}

export async function readTrustedEvents(path: string, key: string | undefined, keep: (event: AuditEvent) => boolean = () => true): Promise<TrustedEvents> {
  if (!existsSync(path)) return { events: [] };
  const verification = await verifyAuditLog(path, key);
  const stopAt = verification.problem?.line ?? Infinity;
  const skip = new Set(verification.recovered);
  const events: AuditEvent[] = [];
  for await (const { line, text } of readLogLines(path)) {
    if (line >= stopAt) break;
    if (skip.has(line)) continue;
    const parsed = parseEventLine(text);
    if (parsed.event && keep(parsed.event)) events.push(parsed.event);
  }
  return { verification, events };
}
