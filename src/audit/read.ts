/**
 * Reading the log: a streaming line reader (the log may be larger than
 * memory allows as one string) and a reader of the last committed line.
 */
import { closeSync, createReadStream, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { AssayError } from '../util/diagnostics.js';
import { findDuplicateKey } from '../sources/json-keys.js';
import { eventLine, eventShapeProblem, type AuditEvent } from './event.js';

/** One line of the log file. */
export interface LogLine {
  /** 1-based line number. */
  line: number;
  text: string;
  /** The raw bytes of the line, without its newline. */
  bytes: Buffer;
  /** False only for a last line without its newline: a torn (interrupted) append. */
  terminated: boolean;
}

/** Every line of the file, streamed; a missing file has no lines. */
export async function* readLogLines(path: string): AsyncGenerator<LogLine> {
  if (!existsSync(path)) return;
  let pending: Buffer[] = [];
  let line = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      pending.push(chunk.subarray(start, nl));
      const bytes = Buffer.concat(pending);
      yield { line: ++line, text: bytes.toString('utf8'), bytes, terminated: true };
      pending = [];
      start = nl + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) {
    const bytes = Buffer.concat(pending);
    yield { line: ++line, text: bytes.toString('utf8'), bytes, terminated: false };
  }
}

/** A line parsed as an event, or why it is not one. */
export type ParsedLine = { event: AuditEvent; problem?: undefined } | { event?: undefined; problem: string; /** An event, but not in the text assay writes for it. */ edited?: true };

export function parseEventLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not valid JSON' };
  }
  const problem = eventShapeProblem(value);
  if (problem) return { problem };
  // JSON.parse forgives what a hash over the parsed value cannot see: a key
  // given twice ("outcome":"pass","outcome":"fail" hashes as the last one),
  // extra fields or spacing. assay writes exactly one text per event, so any
  // other text for the same event was written by someone else.
  if (eventLine(value as AuditEvent) !== text) return { problem: nonCanonicalReason(text), edited: true };
  return { event: value as AuditEvent };
}

function nonCanonicalReason(text: string): string {
  const duplicate = findDuplicateKey(text);
  if (duplicate) return `key ${JSON.stringify(duplicate.key)} appears twice in one object (JSON keeps only the last value); assay never writes that`;
  return 'the line is not in the exact form assay writes for its event (extra fields, reordered keys or spacing)';
}

/** The end of a log file: its last committed line and any torn bytes after it. */
export interface LogTail {
  /** The last newline-terminated line, if any. */
  lastLine?: string;
  /** Byte offset just past the last newline: where committed content ends. */
  committedBytes: number;
  /** Bytes after the last newline (an interrupted append), if any. */
  torn?: Buffer;
}

const TAIL_CHUNK = 64 * 1024;

/** Reads backwards from the end of an open file, so the cost does not grow with the log. */
export function readTail(fd: number, size: number): LogTail {
  const lastNewline = findNewlineBefore(fd, size);
  const committedBytes = lastNewline + 1;
  const torn = committedBytes < size ? readRange(fd, committedBytes, size) : undefined;
  if (lastNewline < 0) return { committedBytes: 0, torn };
  const lineStart = findNewlineBefore(fd, lastNewline) + 1;
  return { lastLine: readRange(fd, lineStart, lastNewline).toString('utf8'), committedBytes, torn };
}

/** Offset of the last "\n" before `end`, or -1. */
function findNewlineBefore(fd: number, end: number): number {
  let pos = end;
  while (pos > 0) {
    const start = Math.max(0, pos - TAIL_CHUNK);
    const chunk = readRange(fd, start, pos);
    const i = chunk.lastIndexOf(0x0a);
    if (i !== -1) return start + i;
    pos = start;
  }
  return -1;
}

function readRange(fd: number, start: number, end: number): Buffer {
  const buffer = Buffer.alloc(end - start);
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, start + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

/** The last committed event of a tail; throws when that line is not an event. */
export function lastEvent(path: string, tail: LogTail): AuditEvent | undefined {
  if (tail.lastLine === undefined) return undefined;
  const parsed = parseEventLine(tail.lastLine);
  if (!parsed.event) {
    throw new AssayError('usage', `audit log ${path}: the last line is not an audit event (${parsed.problem})`, `run assay audit verify --log ${path}`);
  }
  return parsed.event;
}

/** The log's last committed event and whether a torn line follows it, read from the end. */
export function readHead(path: string): { last?: AuditEvent; tornBytes: number } {
  if (!existsSync(path)) throw new AssayError('usage', `no audit log at ${path}`, 'give the log with --log; assay check writes reports/audit.jsonl');
  const fd = openSync(path, 'r');
  try {
    const tail = readTail(fd, fstatSync(fd).size);
    return { last: lastEvent(path, tail), tornBytes: tail.torn?.length ?? 0 };
  } finally {
    closeSync(fd);
  }
}

/** Every event of the log that passes `keep`, in order; lines that are not events are skipped. */
export async function readEvents(path: string, keep: (event: AuditEvent) => boolean = () => true): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const { text } of readLogLines(path)) {
    const parsed = parseEventLine(text);
    if (parsed.event && keep(parsed.event)) out.push(parsed.event);
  }
  return out;
}
