// Part of `npm run build`, after tsc: bundle the CLI into one CommonJS file,
// dist/cli/assay.bundle.cjs, and make its V8 code cache (see src/cli/bin.cts).
// One file instead of some 300 modules, compiled from a cache: start-up is
// measured by bench/startup.mjs.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const bundle = join(dist, 'cli/assay.bundle.cjs');

/** In the bundle, the policy validators are the code ajv generated at build time (dist/policy/schema-validators.cjs). */
const generatedValidators = {
  name: 'generated-validators',
  setup(b) {
    b.onLoad({ filter: /[/\\]dist[/\\]policy[/\\]validators\.js$/ }, () => ({
      contents: "import validators from './schema-validators.cjs';\nexport { validators };\n",
      resolveDir: join(dist, 'policy'),
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [join(dist, 'cli/main.js')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Native (DuckDB) or loaded only for a connection (pg): required from node_modules when used,
  // import() becoming require() (both are CommonJS packages; a script run by node:vm has no import()).
  // protobufjs/minimal: @datadog/sketches-js requires it only inside toProto/fromProto, which
  // assay never calls, and does not declare it as a dependency.
  external: ['@duckdb/node-api', 'pg', 'protobufjs/minimal'],
  supported: { 'dynamic-import': false },
  plugins: [generatedValidators],
  // Dependencies' ESM (yargs-parser) call createRequire(import.meta.url): the bundle's own URL.
  define: { 'import.meta.url': '__assay_bundle_url' },
  banner: { js: "var __assay_bundle_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

// A representative run compiles what start-up needs; its code cache is written next to the bundle.
rmSync(`${bundle}.cache`, { force: true });
const run = spawnSync(process.execPath, [join(dist, 'cli/bin.cjs'), 'validate', join(root, 'rules')], {
  cwd: root,
  env: { ...process.env, ASSAY_WRITE_CODE_CACHE: '1', NO_COLOR: '1' },
  encoding: 'utf8',
});
if (run.status !== 0) throw new Error(`the bundled CLI failed its warm-up run (exit ${run.status}): ${run.stderr}`);
