/**
 * The CLI starts from one bundle and its V8 code cache (src/cli/bin.cts,
 * scripts/bundle-cli.mjs). A cache V8 rejects still works, only slowly: this
 * test makes a stale or mismatched cache a failure instead of a quiet loss
 * of start-up time. Needs `npm run build`.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const bin = createRequire(import.meta.url)(join(process.cwd(), 'dist/cli/bin.cjs')) as {
  BUNDLE: string;
  CODE_CACHE: string;
  bundleScript(): { cachedDataRejected?: boolean };
};

describe('CLI bundle and code cache', () => {
  test('the build made the bundle and a code cache V8 accepts for it', () => {
    expect(existsSync(bin.BUNDLE)).toBe(true);
    expect(existsSync(bin.CODE_CACHE)).toBe(true);
    expect(bin.bundleScript().cachedDataRejected).toBe(false);
  });

  test('the bundled CLI runs commands, and --version without the bundle', () => {
    const validate = runCli(['validate', 'rules']);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(/^ok: \d+ files, \d+ datasets, \d+ checks/);
    const version = runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${(createRequire(import.meta.url)(join(process.cwd(), 'package.json')) as { version: string }).version}\n`);
  });
});
