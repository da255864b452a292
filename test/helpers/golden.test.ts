import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectGolden } from './golden.js';

describe('expectGolden', () => {
  const saved = { CI: process.env.CI, UPDATE_GOLDEN: process.env.UPDATE_GOLDEN };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assay-golden-'));
    delete process.env.UPDATE_GOLDEN;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  test('with CI=true (as .ci/run sets) a missing golden file fails and is not written', () => {
    process.env.CI = 'true';
    const path = join(dir, 'missing.txt');
    expect(() => expectGolden(path, 'x')).toThrow(`golden file ${path} is missing; run UPDATE_GOLDEN=1 npm test and commit it`);
    expect(existsSync(path)).toBe(false);
  });

  test('outside CI a missing golden file is written', () => {
    delete process.env.CI;
    const path = join(dir, 'new.txt');
    expectGolden(path, 'x');
    expect(readFileSync(path, 'utf8')).toBe('x');
  });
});
