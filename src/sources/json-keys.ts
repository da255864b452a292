/**
 * Duplicate keys in JSON objects. JSON.parse keeps the last value of a key
 * given twice and drops the others without a word; in a data file that is a
 * record with two values for one column, and which one is right is for the
 * producer to say, not for assay to guess. So NDJSON lines and JSON arrays
 * are scanned for them (after JSON.parse accepted the text) and refused.
 */
import { DataError } from '../util/diagnostics.js';

/** Throw a DataError when valid JSON `text` has a key twice in one object; `where(offset)` names the place. */
export function refuseDuplicateKeys(text: string, where: (offset: number) => string): void {
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    throw new DataError(`${where(duplicate.offset)}: key ${JSON.stringify(duplicate.key)} appears twice in one object; JSON keeps only the last value`, 'remove or rename one of them');
  }
}

/** 1-based line of an offset in text (\n, \r\n and lone \r end lines). */
export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split(/\r\n|\n|\r/).length;
}

/** The first key given twice in one object of valid JSON `text`, at any depth, and where it starts. */
export function findDuplicateKey(text: string): { key: string; offset: number } | undefined {
  // One entry per open container: the keys seen so far in an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = closingQuote(text, i);
      if (expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw; // "\u0061" is "a"
        const keys = open[open.length - 1]!;
        if (keys.has(key)) return { key, offset: i };
        keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b) {
      open.push(new Set());
      expectKey = true;
    } else if (c === 0x5b) {
      open.push(null);
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = open.length > 0 && open[open.length - 1] !== null;
    }
  }
  return undefined;
}

/** Index of the quote that closes the string opening at `start` (one not escaped by an odd run of backslashes). */
function closingQuote(text: string, start: number): number {
  for (let from = start + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length; // not valid JSON; JSON.parse refused it first
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}
