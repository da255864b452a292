/**
 * docs/errors.md lists every diagnostic code used in src/, and nothing else.
 * Codes are written in the `code:` field of a Diagnostic literal, or passed as
 * a string argument to the `error(...)` / `report(...)` helpers of the
 * validators; a kebab-case literal in either place is a code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const KEBAB = "'([a-z][a-z0-9]*(?:-[a-z0-9]+)+)'";

function codesInSource(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of sourceFiles('src')) {
    const text = readFileSync(file, 'utf8');
    for (const expr of text.matchAll(/\bcode:([^,\n]*)/g)) {
      for (const m of expr[1].matchAll(new RegExp(KEBAB, 'g'))) codes.set(m[1], file);
    }
    for (const line of text.split('\n')) {
      const call = /\b(?:error|report)\((.*)$/.exec(line);
      if (!call) continue;
      for (const m of call[1].matchAll(new RegExp(KEBAB, 'g'))) codes.set(m[1], file);
    }
  }
  return codes;
}

/** Codes in the first column of the tables of docs/errors.md. */
function codesInDocs(): Set<string> {
  const text = readFileSync('docs/errors.md', 'utf8');
  return new Set([...text.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]));
}

test('the extraction finds the codes (guards against a regex that finds nothing)', () => {
  const codes = codesInSource();
  for (const code of ['unknown-key', 'unsafe-expression', 'duplicate-check', 'unknown-role']) expect(codes.has(code)).toBe(true);
});

test('every diagnostic code used in src/ is documented in docs/errors.md', () => {
  const documented = codesInDocs();
  const missing = [...codesInSource()].filter(([code]) => !documented.has(code)).map(([code, file]) => `${code} (${file})`);
  expect(missing).toEqual([]);
});

test('docs/errors.md lists no code that src/ no longer uses', () => {
  const used = codesInSource();
  expect([...codesInDocs()].filter((code) => !used.has(code))).toEqual([]);
});

test('every code in docs/errors.md has an example line', () => {
  const rows = readFileSync('docs/errors.md', 'utf8').split('\n').filter((l) => /^\| `[a-z0-9-]+` \|/.test(l));
  expect(rows.length).toBeGreaterThan(30);
  for (const row of rows) expect(row.split(' | ').at(-1)).toMatch(/^`.*\S: .+` \|$/);
});
