/**
 * The import structure of src/, read with the TypeScript parser:
 * - no module imports itself through others (a runtime import cycle makes
 *   load order matter and hides layering mistakes);
 * - src/values/ (Scalar, ColumnType, the value grammar) imports nothing from
 *   the rest of src/, so every stage can import it without a cycle;
 * - the top-level folders are layered (LAYERS, lowest first): a folder
 *   imports only from folders below it, so folders cannot import each other
 *   in a cycle. The imports that still go upwards are listed in
 *   UPWARD_IMPORTS_TO_UNTANGLE: a new one fails, and so does a listed one that
 *   no longer exists (delete its entry), so the list only shrinks.
 * Type-only imports are erased at build time and are not counted.
 */
import { describe, expect, test } from '@jest/globals';
import fg from 'fast-glob';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

/** Top-level folders of src/, lowest first; `(root)` is src/*.ts. */
const LAYERS = ['values', 'util', 'expr', 'sources', 'checks', 'plan', 'policy', 'engine', 'access', 'audit', 'report', 'history', 'compliance', '(root)', 'profile', 'contracts', 'diff', 'lineage', 'catalog', 'cli'];

/** Folder imports that go upwards today, each closing a folder cycle; to be untangled, never added to. */
const UPWARD_IMPORTS_TO_UNTANGLE = [
  'access -> audit', // access/export-view.ts appends to the audit log
  'audit -> report', // audit/append.ts summarises a report
  'checks -> access', // checks/schema.ts: protectedNameKey from access/decide.ts
  'policy -> access', // policy/validate.ts validates access documents
  'report -> (root)', // report/model.ts: evaluate.ts, version.ts
  'util -> sources', // util/write-file.ts uses sources/guard.ts
];

const root = join(dirname(new URL(import.meta.url).pathname), '../..');

/** Runtime imports of each src/ module, as paths relative to the repository root. */
function runtimeImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of fg.sync('src/**/*.ts', { cwd: root, ignore: ['**/*.d.ts'] })) {
    const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest);
    const targets: string[] = [];
    for (const statement of source.statements) {
      if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) continue;
      if (!ts.isStringLiteral(statement.moduleSpecifier) || !statement.moduleSpecifier.text.startsWith('.')) continue;
      if (isTypeOnly(statement)) continue;
      targets.push(normalize(join(dirname(file), statement.moduleSpecifier.text)).replace(/\.js$/, '.ts'));
    }
    graph.set(file, targets);
  }
  return graph;
}

function isTypeOnly(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(statement)) return statement.isTypeOnly;
  const clause = statement.importClause;
  if (!clause) return false; // `import './x.js'` runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** Strongly connected components with more than one node (Tarjan), each sorted. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v);
  return found.sort((a, b) => a.join().localeCompare(b.join()));
}

const folderOf = (file: string): string => {
  const parts = relative('src', file).split('/');
  return parts.length === 1 ? '(root)' : parts[0];
};

function folderGraph(files: Map<string, string[]>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, targets] of files) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? [];
    for (const t of targets) if (folderOf(t) !== from && !edges.includes(folderOf(t))) edges.push(folderOf(t));
    graph.set(from, edges);
  }
  return graph;
}

describe('import structure of src/', () => {
  const files = runtimeImports();

  test('the graph is read (a broken reader would find no cycle anywhere)', () => {
    expect(files.size).toBeGreaterThan(100);
    expect(files.get('src/checks/range.ts')).toContain('src/values/grammar.ts');
  });

  test('no module imports itself through other modules', () => {
    expect(cycles(files)).toEqual([]);
  });

  test('src/values/ imports nothing from the rest of src/', () => {
    const outside = [...files]
      .filter(([f]) => folderOf(f) === 'values')
      .flatMap(([f, targets]) => targets.filter((t) => folderOf(t) !== 'values').map((t) => `${f} -> ${t}`));
    expect(outside).toEqual([]);
  });

  test('every top-level folder is in LAYERS', () => {
    expect([...folderGraph(files).keys()].filter((f) => !LAYERS.includes(f))).toEqual([]);
  });

  test('folders import only from lower layers, beyond the listed exceptions', () => {
    const upward = [...folderGraph(files)].flatMap(([from, targets]) =>
      targets.filter((to) => LAYERS.indexOf(to) > LAYERS.indexOf(from)).map((to) => `${from} -> ${to}`),
    );
    expect(upward.sort()).toEqual([...UPWARD_IMPORTS_TO_UNTANGLE].sort());
  });

  test('without the listed exceptions, the folders form no cycle (the layering holds them)', () => {
    const graph = folderGraph(files);
    for (const edge of UPWARD_IMPORTS_TO_UNTANGLE) {
      const [from, to] = edge.split(' -> ');
      graph.set(
        from,
        graph.get(from)!.filter((t) => t !== to),
      );
    }
    expect(cycles(graph)).toEqual([]);
  });

  test('the cycle finder finds cycles', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });
});
