/**
 * Verifying the chain: every line must be an event whose hash matches its
 * content, whose seq follows the previous one and whose prev is the previous
 * hash. The first line that breaks this is named with a reason. What verify
 * can and cannot detect is written down in docs/audit.md.
 */
import { createHash } from 'node:crypto';
import { AssayError } from '../util/diagnostics.js';
import { hashAlgorithm, hashEvent, keyId } from './chain.js';
import type { AuditEvent } from './event.js';
import { parseEventLine, readLogLines } from './read.js';

export type TamperReason = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'truncated' | 'rewritten' | 'torn' | 'corrupt' | 'wrong-key' | 'unkeyed';

export interface VerifyProblem {
  /** 1-based line of the first bad entry. */
  line: number;
  reason: TamperReason;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  path: string;
  /** Events in the intact prefix of the chain. */
  events: number;
  /** Hash of the last intact event; null for an empty log. */
  head: string | null;
  keyed: boolean;
  problem?: VerifyProblem;
  /** Lines of torn appends that a later `audit.recover` event accounts for. */
  recovered: number[];
}

/** `--expect-head`: a head hash stored earlier, optionally with its seq (`42 sha256:…`). */
export interface ExpectedHead {
  seq?: number;
  hash: string;
}

/** What verify keeps of each line: enough to classify, not the whole event. */
interface LineRecord {
  line: number;
  terminated: boolean;
  problem?: string;
  /** The line parses as an event but is not the text assay writes for it. */
  edited?: boolean;
  event?: Pick<AuditEvent, 'seq' | 'prev' | 'hash' | 'action' | 'key_id'> & { tornSha?: unknown; tornBytes?: unknown };
  /** Recomputed hash matches the stored one. */
  hashOk?: boolean;
  /** sha256 of the raw line, kept only when the next line is an audit.recover event. */
  lineSha?: string;
  bytes: number;
}

export async function verifyAuditLog(path: string, key: string | undefined, expectHead?: ExpectedHead): Promise<VerifyResult> {
  const records: LineRecord[] = [];
  let previousBytes: Buffer | undefined;
  for await (const { line, text, bytes, terminated } of readLogLines(path)) {
    const parsed = parseEventLine(text);
    const record: LineRecord = { line, terminated, bytes: bytes.length };
    if (parsed.event) {
      const e = parsed.event;
      record.event = { seq: e.seq, prev: e.prev, hash: e.hash, action: e.action, key_id: e.key_id, tornSha: e.details.torn_sha256, tornBytes: e.details.torn_bytes };
      record.hashOk = hashAlgorithm(e.hash) === 'hmac-sha256' ? key !== undefined && hashEvent(e, key) === e.hash : hashEvent(e) === e.hash;
      if (e.action === 'audit.recover' && previousBytes && records.length > 0) {
        records[records.length - 1].lineSha = `sha256:${createHash('sha256').update(previousBytes).digest('hex')}`;
      }
    } else {
      record.problem = parsed.problem;
      record.edited = parsed.edited;
    }
    records.push(record);
    previousBytes = bytes;
  }
  const keyed = records.find((r) => r.event)?.event?.hash.startsWith('hmac-sha256:') ?? false;
  if (keyed && key === undefined) {
    throw new AssayError('usage', `audit log ${path} is keyed (HMAC-SHA256): set ASSAY_AUDIT_KEY to verify it`);
  }
  return walk(path, records, key, keyed, expectHead);
}

function walk(path: string, records: LineRecord[], key: string | undefined, keyed: boolean, expectHead?: ExpectedHead): VerifyResult {
  const result: VerifyResult = { ok: true, path, events: 0, head: null, keyed, recovered: [] };
  const fail = (line: number, reason: TamperReason, message: string): VerifyResult => ({ ...result, ok: false, problem: { line, reason, message } });
  /** Hash and line of every intact event, by seq - 1. */
  const chain: { hash: string; line: number }[] = [];
  let expectedSeq = 1;
  let prev: string | null = null;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const next = records[i + 1];
    if (next?.event?.action === 'audit.recover' && r.lineSha !== undefined && r.lineSha === next.event.tornSha && r.bytes === next.event.tornBytes) {
      result.recovered.push(r.line);
      continue;
    }
    if (!r.terminated) {
      return fail(r.line, 'torn', `the last line is incomplete (an append was interrupted); the ${result.events} events before it are intact, and the next append records it`);
    }
    if (r.edited) return fail(r.line, 'edited', r.problem!);
    if (!r.event) return fail(r.line, 'corrupt', `not an audit event: ${r.problem}`);
    const e = r.event;
    if (key !== undefined && !e.hash.startsWith('hmac-sha256:')) {
      return fail(r.line, 'unkeyed', i === 0 ? 'the log is not keyed, but ASSAY_AUDIT_KEY is set: it was written, or rebuilt, without the key' : 'this event is not keyed, unlike the events before it');
    }
    if (key !== undefined && e.key_id !== keyId(key)) {
      return fail(r.line, 'wrong-key', result.events === 0 ? 'ASSAY_AUDIT_KEY is not the key this log was written with' : 'this event was written with a different key than the events before it');
    }
    if (!r.hashOk) return fail(r.line, 'edited', 'its content does not match its hash');
    if (e.seq === expectedSeq && e.prev === prev) {
      result.events++;
      result.head = e.hash;
      chain.push({ hash: e.hash, line: r.line });
      expectedSeq++;
      prev = e.hash;
      continue;
    }
    return classify(records, i, expectedSeq, prev, chain[chain.length - 1]?.line, fail);
  }
  if (expectHead) return checkHead(result, chain, expectHead, fail);
  return result;
}

/** A line that is intact in itself but does not continue the chain: say what was done. */
function classify(
  records: LineRecord[],
  i: number,
  expectedSeq: number,
  prev: string | null,
  prevLine: number | undefined,
  fail: (line: number, reason: TamperReason, message: string) => VerifyResult,
): VerifyResult {
  const r = records[i];
  const e = r.event!;
  const next = records[i + 1]?.event;
  const others = records.filter((o, j) => j !== i && o.event);
  const earlier = others.find((o) => o.line < r.line && o.event!.seq === e.seq);
  if (earlier) {
    const copy = earlier.event!.hash === e.hash;
    if (!copy && next?.prev === e.hash) {
      return fail(earlier.line, 'inserted', `this event (seq ${e.seq}) is not part of the chain: line ${r.line} has the same seq and the chain continues from it`);
    }
    return fail(r.line, 'inserted', copy ? `a copy of line ${earlier.line} (seq ${e.seq})` : `a second event with seq ${e.seq} (line ${earlier.line})`);
  }
  if (e.seq > expectedSeq) {
    const later = others.find((o) => o.line > r.line && o.event!.seq === expectedSeq);
    const fits = !others.some((o) => o.event!.seq === e.seq) && others.some((o) => o.event!.seq > e.seq);
    if (later && fits) return fail(r.line, 'reordered', `seq ${e.seq} comes before seq ${expectedSeq} (line ${later.line})`);
    if (!later) {
      const missing = e.seq - expectedSeq;
      return fail(r.line, 'deleted', `${missing} event${missing === 1 ? '' : 's'} missing before this line (seq ${expectedSeq}${missing > 1 ? `–${e.seq - 1}` : ''})`);
    }
  }
  if (next && next.seq === expectedSeq && next.prev === prev) {
    return fail(r.line, 'inserted', `this event (seq ${e.seq}) is not part of the chain: line ${records[i + 1].line} continues from ${prevLine === undefined ? 'the start' : `line ${prevLine}`}`);
  }
  if (e.seq === expectedSeq) {
    return prevLine === undefined
      ? fail(r.line, 'edited', 'the first event must have prev null')
      : fail(prevLine, 'edited', `its hash was recomputed after an edit: line ${r.line} still links to the original`);
  }
  return fail(r.line, e.seq > expectedSeq ? 'inserted' : 'reordered', `seq ${e.seq} does not follow seq ${expectedSeq - 1}`);
}

/** A stored head catches what the chain alone cannot: a truncated tail or a whole-log rewrite. */
function checkHead(
  result: VerifyResult,
  chain: { hash: string; line: number }[],
  expect: ExpectedHead,
  fail: (line: number, reason: TamperReason, message: string) => VerifyResult,
): VerifyResult {
  const at = chain.findIndex((c) => c.hash === expect.hash);
  if (at !== -1 && (expect.seq === undefined || expect.seq === at + 1)) return result;
  const lastLine = chain[chain.length - 1]?.line ?? 1;
  if (expect.seq !== undefined && expect.seq > chain.length) {
    return fail(lastLine, 'truncated', `the log ends at seq ${chain.length}, but the stored head is seq ${expect.seq}: events were removed from the end`);
  }
  if (expect.seq !== undefined) {
    const stored = chain[expect.seq - 1];
    return fail(stored.line, 'rewritten', `seq ${expect.seq} has hash ${stored.hash}, not the stored head ${expect.hash}: the log was rewritten`);
  }
  return fail(lastLine, 'rewritten', `the stored head ${expect.hash} is not in the log: the log was truncated or rewritten`);
}

/** `sha256:…`, `42 sha256:…` or `42:sha256:…` (the output of `assay audit head`). */
export function parseExpectedHead(text: string): ExpectedHead | undefined {
  const m = /^\s*(?:(\d+)[\s:]+)?((?:sha256|hmac-sha256):[0-9a-f]{64})\s*$/.exec(text);
  if (!m) return undefined;
  return { seq: m[1] !== undefined ? Number(m[1]) : undefined, hash: m[2] };
}
