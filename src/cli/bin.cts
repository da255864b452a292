#!/usr/bin/env node
/**
 * The `assay` executable. It runs the CLI as one bundle
 * (dist/cli/assay.bundle.cjs, made by scripts/bundle-cli.mjs) with the V8
 * code cache made for it at build time: most of a command's start-up was
 * reading and compiling JavaScript, module by module, and Node 20 has no
 * compile cache for modules (module.enableCompileCache is Node 22). V8
 * rejects a cache made by another V8 version or for other code, and then
 * compiles as usual, so the cache changes speed, never behaviour.
 *
 * `--version` and a build without the bundle run the unbundled entry, main.js
 * (`--version` loads three small modules there, less than the bundle).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

export const BUNDLE = join(__dirname, 'assay.bundle.cjs');
export const CODE_CACHE = `${BUNDLE}.cache`;

/** The bundle as a script in CommonJS's function wrapper, compiled from the code cache when V8 accepts it. */
export function bundleScript(): Script {
  // The bundle's first line is `#!…`, which a function body cannot hold: commented out, same length.
  const source = readFileSync(BUNDLE, 'utf8').replace(/^#!/, '//');
  const cachedData = existsSync(CODE_CACHE) ? readFileSync(CODE_CACHE) : undefined;
  return new Script(Module.wrap(source), { filename: BUNDLE, cachedData });
}

function main(): void {
  if ((process.argv.length === 3 && process.argv[2] === '--version') || !existsSync(BUNDLE)) {
    void import('./main.js');
    return;
  }
  const script = bundleScript();
  // Set only by scripts/bundle-cli.mjs: after a representative run the cache holds every function it compiled.
  if (process.env.ASSAY_WRITE_CODE_CACHE === '1') process.once('exit', () => writeFileSync(CODE_CACHE, script.createCachedData()));
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const bundleModule = { exports: {} };
  run(bundleModule.exports, Module.createRequire(BUNDLE), bundleModule, BUNDLE, __dirname);
}

if (require.main === module) main();
