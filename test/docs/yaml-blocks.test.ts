/**
 * Every YAML block in README.md and docs/*.md is valid: a policy block
 * passes `assay validate` on its own; a fragment (columns:, checks: …
 * without kind:) is validated as part of a dataset document; a CI snippet
 * (a workflow, a step list, a pre-commit config) must at least parse. The one
 * error allowed is `unknown-dataset`: a block may name a dataset declared in
 * another file (`references: customers.customer_id`).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { validatePolicyFiles } from '../../src/policy/validated.js';
import { formatDiagnostic } from '../../src/util/diagnostics.js';

interface Block {
  where: string;
  text: string;
}

// docs/checks.md is generated from the check definitions, and test/checks/registry.test.ts
// validates each example there (with the column type the `type` check's example needs).
const DOCS = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md') && f !== 'checks.md').map((f) => `docs/${f}`)];

function yamlBlocks(): Block[] {
  const blocks: Block[] = [];
  for (const file of DOCS) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)) {
      blocks.push({ where: `${file}:${text.slice(0, m.index).split('\n').length}`, text: m[1] });
    }
  }
  return blocks;
}

/** GitHub Actions (a workflow, a step list, an action) or pre-commit configuration, not a policy. */
function isCiSnippet(value: unknown): boolean {
  if (Array.isArray(value)) return value.every((s) => s && typeof s === 'object' && ('run' in s || 'uses' in s || 'id' in s));
  return value !== null && typeof value === 'object' && ('jobs' in value || 'runs' in value || 'repos' in value);
}

const blocks = yamlBlocks();

test('the docs have YAML blocks to check', () => {
  expect(blocks.length).toBeGreaterThan(5);
});

test.each(blocks.map((b) => [b.where, b]))('%s is valid', (_where, block) => {
  const docs = parseAllDocuments(block.text);
  for (const doc of docs) expect(doc.errors.map((e) => e.message)).toEqual([]);
  const values = docs.map((d) => d.toJS() as unknown);
  if (values.every(isCiSnippet)) return;
  const dir = mkdtempSync(join(tmpdir(), 'assay-doc-yaml-'));
  try {
    const isFragment = values.some((v) => v === null || typeof v !== 'object' || !('kind' in v));
    const text = isFragment ? stringify({ kind: 'dataset', name: 'doc_example', source: { path: 'data.csv' }, ...(values[0] as object) }) : block.text;
    const file = join(dir, 'doc-block.yaml');
    writeFileSync(file, text);
    const { diagnostics } = validatePolicyFiles([dir]);
    expect(diagnostics.filter((d) => d.severity === 'error' && d.code !== 'unknown-dataset').map(formatDiagnostic)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
