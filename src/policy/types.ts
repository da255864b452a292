/**
 * Policy types after validation and normalization: the compiler's input.
 * Field names follow the YAML (snake_case in YAML, camelCase here only where
 * the value is derived).
 */
import type { ColumnType, Scalar } from '../plan/plan.js';
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
  /** Derived: a strftime `format:` of a date or timestamp column, how its text is parsed (sources/date-format.ts). */
  dateFormat?: string;
  references?: string;
  classification?: string[];
  description?: string;
}

export interface DatasetSource {
  /** Path or glob, resolved against the policy file's folder. */
  path: string;
  format?: 'csv' | 'tsv' | 'json' | 'ndjson' | 'arrow' | 'parquet';
  options?: { delimiter?: string; null_values?: string[]; header?: boolean };
}

/** One check, normalized: shorthands expanded, name and id derived. */
export interface CheckSpec {
  /** `<dataset>.<name>`, stable across runs. */
  id: string;
  name: string;
  type: string;
  dataset: string;
  column?: string;
  columns?: string[];
  /** The check's own parameters as written (common options removed). */
  params: Record<string, unknown>;
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
  controls: Record<string, unknown>[];
  /** sha256 over the policy files' contents, for the audit log. */
  policyHash: string;
  files: { file: string; sha256: string }[];
}
