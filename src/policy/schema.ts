/**
 * The JSON Schema of the policy language, assembled from the check
 * definitions and the document shapes below. `npm run schema` writes it to
 * schema/assay.schema.json for editors; a test fails when that file is stale.
 */
import { CHECKS } from '../checks/index.js';
import type { CheckDefinition, JsonSchema } from '../checks/define.js';
import { COLUMN_TYPES } from '../values/types.js';
import { FORMAT_NAMES } from '../checks/formats.js';
import { FORMATS } from '../sources/readers.js';
import { CONNECTION_TYPES } from './types.js';

export const SCHEMA_ID = 'assay.schema.json';

const NAME = { type: 'string', pattern: '^[a-z0-9_.-]+$', description: 'lowercase letters, digits, "_", "." and "-"' };
const STRINGS = { type: 'array', items: { type: 'string', minLength: 1 } };
// No two adjacent \s* around an optional "%": ajv runs this on policy text, and that backtracks quadratically on long runs of spaces.
const CONDITION = { type: 'string', pattern: '^\\s*(>=|<=|==|!=|>|<)\\s*-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?(\\s*%)?\\s*$', description: 'e.g. "> 0", ">= 5", "> 1%"' };
const BOUND = { type: ['number', 'string'] };
const BETWEEN = { type: 'array', items: BOUND, minItems: 2, maxItems: 2 };
/** `table` or `schema.table`: unquoted-style identifiers, so no quoting trick can reach SQL. */
export const TABLE_PATTERN = '^[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?$';
const ENV_NAME = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };
const DURATION = { type: 'string', minLength: 2, description: '30s, 15m, 24h, 7d or ISO 8601 (PT24H)' };
const LEVEL = { enum: ['fail', 'warn', 'allow'] };

/** Options every check accepts. */
const COMMON: Record<string, JsonSchema> = {
  name: { ...NAME, description: 'stable check name; default derived from type and column' },
  severity: { enum: ['error', 'warn'], description: 'a failing warn check never fails a gate' },
  where: { type: 'string', minLength: 1, description: 'row expression; the check sees only rows where it is true' },
  fail_when: CONDITION,
  warn_when: CONDITION,
  controls: STRINGS,
  description: { type: 'string' },
};
const ROW_OPTIONS: Record<string, JsonSchema> = {
  mostly: { type: 'number', minimum: 0, maximum: 100, description: 'percent of evaluated rows that must pass' },
  samples: { type: 'integer', minimum: 0, maximum: 1000, description: 'failing rows kept in the report (default 5)' },
};
const BOUNDS: Record<string, JsonSchema> = { min: BOUND, max: BOUND, between: BETWEEN };
const AGGREGATE_OPTIONS: Record<string, JsonSchema> = {
  ...BOUNDS,
  warn: { type: 'object', additionalProperties: false, properties: BOUNDS, minProperties: 1 },
};

export function checkParamsSchema(check: CheckDefinition): JsonSchema {
  const options = check.kind === 'row' ? ROW_OPTIONS : check.ownThresholds ? {} : AGGREGATE_OPTIONS;
  const common = { ...COMMON };
  if (check.ownThresholds) {
    delete common.fail_when;
    delete common.warn_when;
  }
  if (check.acceptsWhere === false) delete common.where;
  return {
    type: 'object',
    description: check.summary,
    additionalProperties: false,
    properties: { ...options, ...common, ...check.params },
    ...(check.required ? { required: check.required } : {}),
  };
}

const COLUMN: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { enum: COLUMN_TYPES },
    required: { type: 'boolean' },
    unique: { type: 'boolean' },
    values: { type: 'array', items: { type: ['string', 'number', 'boolean'] }, minItems: 1 },
    min: BOUND,
    max: BOUND,
    length: { type: 'object', additionalProperties: false, properties: { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 } }, minProperties: 1 },
    pattern: { type: 'string', minLength: 1 },
    format: {
      anyOf: [
        { enum: FORMAT_NAMES },
        { type: 'string', pattern: '%', description: 'a strftime pattern such as "%b %d %Y" for a date or timestamp column' },
      ],
      description: 'a format name (email, uuid…), or for type: date or timestamp the strftime pattern its text is read with ("%b %d %Y")',
    },
    references: { type: 'string', pattern: '^[a-z0-9_.-]+\\.[^.]+$', description: 'dataset.column' },
    classification: { anyOf: [{ type: 'string', minLength: 1 }, STRINGS] },
    description: { type: 'string' },
  },
};

const DATASET: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name', 'source'],
  properties: {
    kind: { const: 'dataset' },
    name: NAME,
    description: { type: 'string' },
    owner: { type: 'string', minLength: 1 },
    tags: STRINGS,
    upstream: STRINGS,
    key: { anyOf: [{ type: 'string', minLength: 1 }, { ...STRINGS, minItems: 1 }], description: 'columns that identify a row; every failing-row sample carries them' },
    source: {
      type: 'object',
      additionalProperties: false,
      description: 'a file (`path`), a table of a connection (`connection` + `table`), or files a spark connection reads (`connection` + `path` + `format`)',
      // A file source needs `path`; a source with `connection` needs `table` or `path` (checked with the connection's type in connections.ts).
      if: { properties: { connection: { type: 'string' } }, required: ['connection'] },
      then: { properties: { table: { type: 'string' } } },
      else: { properties: { path: { type: 'string' } }, required: ['path'] },
      properties: {
        path: { type: 'string', minLength: 1, description: 'relative to this file; a glob makes one dataset of many files' },
        connection: { ...NAME, description: 'the name of a kind: connection document' },
        table: { type: 'string', pattern: TABLE_PATTERN, description: 'table or schema.table: identifiers (letters, digits, _ and $), quoted by assay, used exactly as written' },
        where: { type: 'string', minLength: 1, description: 'a row expression: only the rows where it is true are checked' },
        format: { enum: FORMATS },
        options: {
          type: 'object',
          additionalProperties: false,
          properties: {
            delimiter: { type: 'string', minLength: 1, maxLength: 1 },
            null_values: { type: 'array', items: { type: 'string' } },
            header: { type: 'boolean' },
          },
        },
      },
    },
    columns: { type: 'object', additionalProperties: { $ref: '#/$defs/column' } },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { extra_columns: LEVEL, missing_columns: LEVEL, types: LEVEL },
    },
    freshness: {
      type: 'object',
      additionalProperties: false,
      properties: { column: { type: 'string', minLength: 1 }, source: { const: 'mtime' }, warn_after: DURATION, fail_after: DURATION },
    },
    checks: { type: 'array', items: { $ref: '#/$defs/check' } },
    controls: STRINGS,
  },
};

const SELECTOR_DATASETS: JsonSchema = {
  anyOf: [
    { const: '*' },
    { type: 'object', additionalProperties: false, properties: { names: STRINGS, tags: STRINGS }, minProperties: 1 },
  ],
};
const ACCESS: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'policies'],
  properties: {
    kind: { const: 'access' },
    description: { type: 'string' },
    classifications: { ...STRINGS, description: 'classifications columns may carry besides those a policy selects; "pii" declares "pii" and "pii.*"' },
    roles: {
      type: 'object',
      additionalProperties: { type: ['object', 'null'], additionalProperties: false, properties: { description: { type: 'string' } } },
    },
    principals: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          roles: STRINGS,
          attributes: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
        },
      },
    },
    policies: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'effect', 'roles'],
        properties: {
          name: NAME,
          description: { type: 'string' },
          effect: { enum: ['allow', 'deny', 'mask', 'row_filter'] },
          roles: STRINGS,
          except_roles: STRINGS,
          datasets: SELECTOR_DATASETS,
          columns: { type: 'object', additionalProperties: false, properties: { names: STRINGS, classification: { anyOf: [{ type: 'string' }, STRINGS] } }, minProperties: 1 },
          mask: { enum: ['null', 'redact', 'hash', 'partial', 'year_only'] },
          keep_last: { type: 'integer', minimum: 0, maximum: 64 },
          filter: { type: 'string', minLength: 1 },
          controls: STRINGS,
        },
      },
    },
    default: { enum: ['deny'] },
  },
};

const CONTROLS: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'frameworks'],
  properties: {
    kind: { const: 'controls' },
    description: { type: 'string' },
    frameworks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: { anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: false, properties: { title: { type: 'string' }, description: { type: 'string' } } }] },
      },
    },
  },
};

const CONNECTION: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name', 'type'],
  properties: {
    kind: { const: 'connection' },
    name: NAME,
    description: { type: 'string' },
    type: { enum: [...CONNECTION_TYPES] },
    url: { type: 'string', minLength: 1, description: 'postgres://user@host:5432/db without a password (use url_env or password_env), or sc://host:15002 for spark' },
    url_env: { ...ENV_NAME, description: 'the environment variable holding the URL' },
    password_env: { ...ENV_NAME, description: 'the environment variable holding the password' },
    token_env: { ...ENV_NAME, description: 'spark: the environment variable holding the Spark Connect bearer token (sent over TLS only)' },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: { statement_timeout: { ...DURATION, description: 'longest time one query may run (default 10min)' } },
    },
  },
};

export const KINDS = ['dataset', 'access', 'controls', 'connection'] as const;
export type Kind = (typeof KINDS)[number];

/** The whole published schema. Each document is dispatched on `kind`. */
export function buildSchema(): JsonSchema {
  const defs: Record<string, JsonSchema> = { dataset: DATASET, access: ACCESS, controls: CONTROLS, connection: CONNECTION, column: COLUMN };
  defs.check = {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    propertyNames: { enum: CHECKS.map((c) => c.type) },
    properties: Object.fromEntries(CHECKS.map((c) => [c.type, { $ref: `#/$defs/check.${c.type}` }])),
  };
  for (const c of CHECKS) defs[`check.${c.type}`] = checkParamsSchema(c);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'assay policy document',
    type: 'object',
    required: ['kind'],
    properties: { kind: { enum: [...KINDS] } },
    allOf: KINDS.map((kind) => ({ if: { properties: { kind: { const: kind } }, required: ['kind'] }, then: { $ref: `#/$defs/${kind}` } })),
    $defs: defs,
  };
}
