/**
 * Stage 1, load: find policy files and parse every YAML document in them,
 * keeping a source map so later stages can point at file:line:col.
 * Reads policy files only; never data.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node, type Scalar } from 'yaml';
import { AssayError, type Diagnostic, type SourceLocation } from '../util/diagnostics.js';
import { describeFsError, readRegularFile, UnreadableFileError } from '../util/read-file.js';

/** A path inside a document: object keys and array indexes. */
export type KeyPath = readonly (string | number)[];

/** One parsed YAML document with a way back to its text positions. */
export interface RawDocument {
  /** The policy file, as given or found (relative to the working directory). */
  file: string;
  /** 0-based index of the document inside a multi-document file. */
  index: number;
  value: unknown;
  /** Position of the value at `path`, or of its key when `key` is true. */
  locate(path: KeyPath, key?: boolean): SourceLocation;
}

export interface LoadResult {
  documents: RawDocument[];
  /** Every file read, with its text, for policy hashing and the audit log. */
  files: { file: string; text: string }[];
  diagnostics: Diagnostic[];
}

/** Policy files larger than this are refused: they are hand-written config, not data. */
export const MAX_POLICY_BYTES = 5 * 1024 * 1024;
/** YAML aliases expanded per document; stops "billion laughs" documents. */
export const MAX_ALIAS_COUNT = 100;
/** Nesting deeper than this is refused before any schema validation. */
export const MAX_DEPTH = 64;

const POLICY_EXTENSIONS = new Set(['.yaml', '.yml']);

/** Every .yaml/.yml file under the given paths, recursively, sorted. */
export function findPolicyFiles(paths: string[]): string[] {
  const found = new Set<string>();
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new AssayError('usage', `no such file or directory: ${path}`, 'give a policy file or a folder of them (default rules/)');
    }
    if (stat.isFile()) {
      found.add(path);
      continue;
    }
    if (!stat.isDirectory()) {
      throw new AssayError('usage', `not a policy file or folder: ${path}`, 'give a .yaml file or a folder of them (default rules/)');
    }
    let entries;
    try {
      entries = readdirSync(path, { recursive: true, withFileTypes: true });
    } catch (e) {
      throw new AssayError('usage', `cannot list policy folder ${path}: ${describeFsError(e)}`);
    }
    for (const entry of entries) {
      if (entry.isFile() && POLICY_EXTENSIONS.has(extname(entry.name))) {
        found.add(relative(process.cwd(), join(entry.parentPath ?? path, entry.name)) || entry.name);
      }
    }
  }
  return [...found].sort();
}

export function loadPolicies(paths: string[]): LoadResult {
  const result: LoadResult = { documents: [], files: [], diagnostics: [] };
  for (const file of findPolicyFiles(paths)) {
    let bytes: Buffer;
    try {
      bytes = readRegularFile(file, MAX_POLICY_BYTES);
    } catch (e) {
      if (!(e instanceof UnreadableFileError)) throw e;
      const tooLarge = e.reason.startsWith('file is ');
      result.diagnostics.push({
        code: tooLarge ? 'file-too-large' : 'unreadable-file',
        severity: 'error',
        location: { file, line: 1, col: 1 },
        message: tooLarge ? `policy ${e.reason}` : `cannot read policy file: ${e.reason}`,
      });
      continue;
    }
    const text = bytes.toString('utf8');
    result.files.push({ file, text });
    parseFile(file, text, result);
  }
  return result;
}

/** Parse one file's text into documents (exported for tests). */
export function parseFile(file: string, text: string, into: LoadResult): void {
  const lineCounter = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  } catch (e) {
    // The parser recurses per nesting level; a hostile file can exhaust the stack.
    if (!(e instanceof RangeError)) throw e;
    into.diagnostics.push({ code: 'too-deep', severity: 'error', location: { file, line: 1, col: 1 }, message: `document nests too deeply to parse (the limit is ${MAX_DEPTH} levels)` });
    return;
  }
  const list = Array.isArray(docs) ? docs : [];
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, col: pos.col };
  };
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const duplicate = err.code === 'DUPLICATE_KEY' ? duplicateKeyAt(doc, err.pos[0], at) : undefined;
        const tooDeep = /call stack/i.test(err.message);
        into.diagnostics.push({
          code: duplicate ? 'duplicate-key' : tooDeep ? 'too-deep' : 'yaml-syntax',
          severity: 'error',
          location: at(err.pos[0]),
          message: duplicate ?? (tooDeep ? `document nests too deeply to parse (the limit is ${MAX_DEPTH} levels)` : firstLine(err.message)),
        });
      }
      return;
    }
    if (doc.contents === null) return; // an empty document, e.g. a trailing `---`
    const inexact = inexactIntegers(doc, text);
    if (inexact.length > 0) {
      for (const node of inexact) {
        into.diagnostics.push({
          code: 'inexact-number',
          severity: 'error',
          location: at(node.range![0]),
          message: `the integer ${text.slice(node.range![0], node.range![1])} is beyond 2^53: a number cannot hold it exactly (it would be read as ${String(node.value)})`,
        });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      into.diagnostics.push({
        code: 'yaml-alias-limit',
        severity: 'error',
        location: at(doc.contents.range?.[0] ?? 0),
        message: `${firstLine(String((e as Error).message))} (aliases are limited to ${MAX_ALIAS_COUNT} per document)`,
      });
      return;
    }
    if (depthOf(value) > MAX_DEPTH) {
      into.diagnostics.push({
        code: 'too-deep',
        severity: 'error',
        location: at(doc.contents.range?.[0] ?? 0),
        message: `document nests deeper than ${MAX_DEPTH} levels`,
      });
      return;
    }
    into.documents.push({ file, index, value, locate: (path, key) => locate(doc, path, key ?? false, at) });
  });
}

/**
 * Integer scalars a double rounds (a bound of 9007199254740993 would be read
 * as ...992, and a gate compare against another number than the one written).
 */
function inexactIntegers(doc: Document, text: string): Scalar[] {
  const found: Scalar[] = [];
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value !== 'number' || Number.isSafeInteger(node.value) || !Number.isInteger(node.value) || !node.range) return;
      const written = /^([-+]?)(0x[0-9a-f]+|0o[0-7]+|\d+)(\.0*)?$/i.exec(text.slice(node.range[0], node.range[1]).replace(/_/g, ''));
      if (written && BigInt(written[2]) * (written[1] === '-' ? -1n : 1n) !== BigInt(node.value)) found.push(node);
    },
  });
  return found;
}

/** `duplicate key "name" (first at line 2)` for the repeated key that starts at `offset`. */
function duplicateKeyAt(doc: Document, offset: number, at: (offset: number) => SourceLocation): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Map(_, map) {
      const keys = map.items.map((p) => (isScalar(p.key) ? p.key : undefined));
      const index = keys.findIndex((k) => k?.range?.[0] === offset);
      if (index < 0) return undefined;
      const name = String(keys[index]!.value);
      const first = keys.find((k) => k !== undefined && String(k.value) === name);
      found = `duplicate key "${name}"${first && first !== keys[index] ? ` (first at line ${at(first.range![0]).line})` : ''}`;
      return visit.BREAK;
    },
  });
  return found;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_DEPTH) return depth;
  if (value === null || typeof value !== 'object') return depth;
  let max = depth + 1;
  for (const child of Object.values(value)) max = Math.max(max, depthOf(child, depth + 1));
  return max;
}

/**
 * Walk the YAML node tree along `path`. When the path runs past what exists
 * (a missing key), the position of the deepest existing node is returned, so
 * "missing required key" errors point at the object that lacks it.
 */
function locate(doc: Document, path: KeyPath, key: boolean, at: (offset: number) => SourceLocation): SourceLocation {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const segment of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair) {
        keyNode = pair.key as Node;
        next = pair.value ?? pair.key;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
      keyNode = undefined;
    }
    if (next === undefined) break;
    node = next;
  }
  const target = key && keyNode ? keyNode : (node as Node | null);
  return at(target?.range?.[0] ?? 0);
}
