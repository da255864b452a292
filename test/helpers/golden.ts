/**
 * Golden files: compare an output with a committed file under fixtures/golden/.
 * `UPDATE_GOLDEN=1 npm test` rewrites them; review the diff before committing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const GOLDEN_DIR = join(process.cwd(), 'fixtures', 'golden');

/** `relativePath` is under fixtures/golden/; an absolute path is used as is. */
export function expectGolden(relativePath: string, actual: string): void {
  const path = resolve(GOLDEN_DIR, relativePath);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    if (process.env.CI === 'true' && !existsSync(path)) throw new Error(`golden file ${relativePath} is missing; run UPDATE_GOLDEN=1 npm test and commit it`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
