import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/commands/init.js';
import type { CliContext } from '../../src/cli/context.js';
import { validatePolicyFiles } from '../../src/policy/validated.js';

function context(): CliContext & { err: string[] } {
  const err: string[] = [];
  return { err, stdout: () => {}, stderr: (l) => err.push(l), env: {}, color: false, interactive: false };
}

describe('assay init', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assay-init-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('writes a valid example, its data, a workflow and a .gitignore entry; never overwrites', async () => {
    writeFileSync(join(dir, '.gitignore'), 'node_modules/');
    const first = context();
    expect(await run({ dir }, first)).toBe(0);
    expect(first.err.map((l) => l.replace(dir, 'DIR'))).toEqual([
      'wrote DIR/rules/example.yaml',
      'wrote DIR/data/example-orders.csv',
      'wrote DIR/.github/workflows/assay.yml',
      'added reports/ to DIR/.gitignore',
    ]);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe("node_modules/\n# assay's reports and audit log (written by assay check)\nreports/\n");
    expect(validatePolicyFiles([join(dir, 'rules')]).diagnostics).toEqual([]);

    writeFileSync(join(dir, 'rules/example.yaml'), 'mine');
    const second = context();
    expect(await run({ dir }, second)).toBe(0);
    expect(second.err[0]).toBe(`exists, left as is: ${join(dir, 'rules/example.yaml')}`);
    expect(second.err[3]).toBe(`${join(dir, '.gitignore')} already ignores reports/`);
    expect(readFileSync(join(dir, 'rules/example.yaml'), 'utf8')).toBe('mine');
  });
});
