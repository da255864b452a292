/**
 * Policy types after validation and normalization: the compiler's input.
 * Field names follow the YAML (snake_case in YAML, camelCase here only where
 * the value is derived).
 */
import type { ColumnType, Scalar } from '../values/types.js';
import type { SourceLocation } from '../util/diagnostics.js';

export type Severity = 'error' | 'warn';

export interface ColumnSpec {
  type?: ColumnType;
  required?: boolean;
  unique?: boolean;
  values?: Scalar[];
  min?: number | string;
  max?: number | string;
  length?: { min?: number; max?: number };
  pattern?: string;
  /** A format name (`email`…): the `format` check. A strftime pattern is moved to `dateFormat`. */
  format?: string;
  /** Derived: a strftime `format:` of a date or timestamp column, how its text is parsed (values/date-format.ts). */
  dateFormat?: string;
  references?: string;
  classification?: string[];
  description?: string;
}

/** Data in files on this machine. */
export interface FileSource {
  /** Path or glob, resolved against the policy file's folder. */
  path: string;
  format?: 'csv' | 'tsv' | 'json' | 'ndjson' | 'arrow' | 'parquet';
  options?: { delimiter?: string; null_values?: string[]; header?: boolean };
  connection?: undefined;
  table?: undefined;
  where?: undefined;
}

/** A table in a database reached through a `kind: connection` document (SPEC §5.1). */
export interface TableSource {
  connection: string;
  /** `table` or `schema.table`: identifiers, quoted by assay and used exactly as written. */
  table: string;
  /** A row expression slicing the table (becomes part of the WHERE clause). */
  where?: string;
  path?: undefined;
  format?: undefined;
  options?: undefined;
}

/**
 * Files a cluster reads itself (a `spark` connection): `path` is any URI the
 * cluster reads (a glob is one dataset), `format` how to read it.
 */
export interface ClusterFilesSource {
  connection: string;
  path: string;
  format: 'csv' | 'tsv' | 'parquet' | 'json' | 'ndjson';
  where?: string;
  table?: undefined;
  options?: undefined;
}

export type DatasetSource = FileSource | TableSource | ClusterFilesSource;

export function isTableSource(source: DatasetSource): source is TableSource | ClusterFilesSource {
  return source.connection !== undefined;
}

/** Connection types a `kind: connection` document may name; each has an executor (src/engine/executors.ts). */
export const CONNECTION_TYPES = ['postgres', 'spark'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

/** Where a database is reached (SPEC §5.1); never a secret: those come from the environment. */
export interface ConnectionSpec {
  name: string;
  type: ConnectionType;
  description?: string;
  /** A URL without a password. */
  url?: string;
  /** The environment variable holding the URL (may include the password). */
  url_env?: string;
  /** The environment variable holding the password. */
  password_env?: string;
  /** Spark Connect: the environment variable holding the bearer token (sent over TLS only). */
  token_env?: string;
  options: { statement_timeout?: string };
  file: string;
  location: SourceLocation;
}

/** A check's own parameters before its type is known; each check type narrows them (checks/define.ts). */
export type CheckParams = Record<string, unknown>;

/** One check, normalized: shorthands expanded, name and id derived. */
export interface CheckSpec<Params = CheckParams> {
  /** `<dataset>.<name>`, stable across runs. */
  id: string;
  name: string;
  type: string;
  dataset: string;
  column?: string;
  columns?: string[];
  /** The check's own parameters as written (common options removed), as its type declares them. */
  params: Params;
  severity: Severity;
  where?: string;
  mostly?: number;
  fail_when?: string;
  warn_when?: string;
  samples: number;
  controls: string[];
  description?: string;
  /** Where the check is declared: the list entry, or the column property. */
  location: SourceLocation;
  /** Key path of the check's parameters inside its document, for diagnostics. */
  path: (string | number)[];
  /** Index of the document inside the policy file. */
  docIndex: number;
}

export interface DatasetSpec {
  name: string;
  description?: string;
  owner?: string;
  tags: string[];
  upstream: string[];
  /** `key:` columns that identify a row; every sample carries their values (masked like any other). */
  key: string[];
  source: DatasetSource;
  columns: Record<string, ColumnSpec>;
  schema?: { extra_columns?: 'fail' | 'warn' | 'allow'; missing_columns?: 'fail' | 'warn' | 'allow'; types?: 'fail' | 'warn' | 'allow' };
  freshness?: Record<string, unknown>;
  controls: string[];
  checks: CheckSpec[];
  /** The policy file that declares the dataset. */
  file: string;
  docIndex: number;
  location: SourceLocation;
}

export interface PolicySet {
  datasets: DatasetSpec[];
  /** access and controls documents, validated; given meaning by access/ and audit/. */
  access: Record<string, unknown>[];
  /** `kind: connection` documents, by name. */
  connections: ConnectionSpec[];
  controls: Record<string, unknown>[];
  /** sha256 over the policy files' contents, for the audit log. */
  policyHash: string;
  files: { file: string; sha256: string }[];
}
