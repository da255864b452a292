/**
 * The policy schema compiled by ajv. `npm run build` writes ajv's standalone
 * code for it to dist/policy/schema-validators.cjs (write-validators.ts), so
 * the CLI never compiles the schema at start-up (about 600 ms); the
 * TypeScript sources (tests) compile it here, with the same options.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { buildSchema, KINDS, SCHEMA_ID, type Kind } from './schema.js';

export type Validators = Record<Kind, ValidateFunction>;

/** `verbose` puts `parentSchema` on errors: schema-errors.ts reads the allowed keys from it. */
const OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true } as const;

const refOf = (kind: Kind) => `${SCHEMA_ID}#/$defs/${kind}`;

export function compileValidators(): Validators {
  const ajv = new Ajv2020(OPTIONS);
  ajv.addSchema(buildSchema());
  return Object.fromEntries(KINDS.map((kind) => [kind, ajv.getSchema(refOf(kind))!])) as Validators;
}

/** A CommonJS module exporting one validate function per document kind. */
export function standaloneValidators(): string {
  const ajv = new Ajv2020({ ...OPTIONS, code: { source: true, esm: false } });
  ajv.addSchema(buildSchema());
  return standaloneCode.default(ajv, Object.fromEntries(KINDS.map((kind) => [kind, refOf(kind)])));
}
