/**
 * The policy schema's validators, one per document kind. The built CLI loads
 * the code ajv generated at build time (schema-compile.ts, write-validators.ts);
 * the TypeScript sources, run by the tests, compile the same schema with the
 * same options. The CLI bundle (scripts/bundle-cli.mjs) replaces this module
 * with the generated code itself.
 */
import { createRequire } from 'node:module';
import type { Validators } from './schema-compile.js';

export const validators: Validators = import.meta.url.endsWith('.ts')
  ? (await import('./schema-compile.js')).compileValidators()
  : createRequire(import.meta.url)('./schema-validators.cjs');
