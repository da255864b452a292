/**
 * `npm run schema`: regenerate the artifacts derived from the check registry
 * and commit them: schema/assay.schema.json (for editors; published with
 * the package) and docs/checks.md. test/checks/registry.test.ts fails when
 * either is stale.
 */
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChecksDoc } from '../checks/docs.js';
import { buildSchema } from './schema.js';
import { writeOutputFile } from '../util/write-file.js';

/** Where each generated file goes, relative to the repository root, and its content. */
export function generatedFiles(): Record<string, string> {
  return {
    'schema/assay.schema.json': `${JSON.stringify(buildSchema(), null, 2)}\n`,
    'docs/checks.md': renderChecksDoc(),
  };
}

function main(): void {
  // dist/policy/write-schema.js → the repository root
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  for (const [path, text] of Object.entries(generatedFiles())) {
    // Like every write of assay's, never through a link (util/write-file.ts).
    writeOutputFile(dirname(join(root, path)), basename(path), text);
    console.log(`wrote ${path}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
