/**
 * `kind: connection` documents and the table sources that name them (SPEC
 * §5.1): rules the JSON Schema cannot express. Policy files come from pull
 * requests and are committed, so they never hold a secret: a URL with a
 * password is an error that says where the password goes instead.
 */
import type { Diagnostic } from '../util/diagnostics.js';
import { parseDuration } from '../util/duration.js';
import { suggest } from '../util/did-you-mean.js';
import type { KeyPath, RawDocument } from './load.js';
import { formatPath } from './schema-errors.js';
import type { ConnectionSpec, DatasetSpec } from './types.js';
import { parseSparkUrl } from './spark-url.js';

type Doc = Record<string, any>;

/** The file formats a spark connection reads for a `path` source. */
export const SPARK_FORMATS = ['csv', 'tsv', 'parquet', 'json', 'ndjson'] as const;

export function normalizeConnection(doc: RawDocument): ConnectionSpec {
  const value = doc.value as Doc;
  return {
    name: value.name,
    type: value.type,
    ...(value.description !== undefined ? { description: value.description } : {}),
    ...(value.url !== undefined ? { url: value.url } : {}),
    ...(value.url_env !== undefined ? { url_env: value.url_env } : {}),
    ...(value.password_env !== undefined ? { password_env: value.password_env } : {}),
    ...(value.token_env !== undefined ? { token_env: value.token_env } : {}),
    options: value.options ?? {},
    file: doc.file,
    location: doc.locate(['name']),
  };
}

/** The password part of a URL (`scheme://user:password@host`), if any. */
// (A Spark Connect token is a URL parameter: parseSparkUrl finds it.)
export function urlPassword(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.password ? decodeURIComponent(parsed.password) : undefined;
  } catch {
    return undefined;
  }
}

/** One connection document's own rules. */
export function validateConnection(connection: ConnectionSpec, doc: RawDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const error = (path: KeyPath, code: string, message: string, expected?: string): void => {
    out.push({ code, severity: 'error', path: formatPath(path), location: doc.locate(path), message, expected });
  };
  if (connection.url !== undefined && connection.url_env !== undefined) {
    error(['url'], 'conflicting-options', 'give "url" or "url_env", not both');
  } else if (connection.url === undefined && connection.url_env === undefined) {
    error([], 'missing-key', `connection "${connection.name}" needs "url_env" (the environment variable holding its URL) or "url"`);
  }
  const timeout = connection.options.statement_timeout;
  if (timeout !== undefined && !(parseDuration(timeout)! > 0)) error(['options', 'statement_timeout'], 'invalid-duration', `not a duration: ${JSON.stringify(timeout)}`, '30s, 15m, 10min, 2h or ISO 8601 (PT10M)');
  if (connection.url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(connection.url);
    } catch {
      error(['url'], 'invalid-value', 'not a URL', 'postgres://user@host:5432/database');
    }
    if (parsed && urlPassword(connection.url) !== undefined) {
      const where = 'remove the password and set "password_env: NAME" (the environment variable holding it), or move the whole URL to an environment variable named by "url_env"';
      error(['url'], 'secret-in-policy', 'the URL holds a password; policy files are committed and must not', where);
    } else if (parsed && connection.type === 'postgres' && !['postgres:', 'postgresql:'].includes(parsed.protocol)) {
      error(['url'], 'invalid-value', `a postgres connection URL starts with postgres://, found ${JSON.stringify(parsed.protocol.replace(/:$/, ''))}`);
    } else if (parsed && connection.type === 'spark') {
      const spark = parseSparkUrl(connection.url);
      if (typeof spark === 'string') error(['url'], 'invalid-value', spark, 'sc://host:15002');
      else if (spark.params.token !== undefined) error(['url'], 'secret-in-policy', 'the URL holds a token; policy files are committed and must not', 'remove ";token=…" and set "token_env: NAME" (the environment variable holding it)');
    }
  }
  if (connection.type !== 'postgres' && connection.password_env !== undefined) error(['password_env'], 'invalid-option', `"password_env" belongs to a postgres connection; a ${connection.type} connection takes "token_env"`);
  if (connection.type !== 'spark' && connection.token_env !== undefined) error(['token_env'], 'invalid-option', `"token_env" belongs to a spark connection; a ${connection.type} connection takes "password_env"`);
  return out;
}

/** Every dataset source: a file or a table, not a mix, and the connection a table names exists (the schema requires `path`, or `table` with `connection`). */
export function validateSources(datasets: readonly DatasetSpec[], connections: readonly ConnectionSpec[], docOf: (d: DatasetSpec) => RawDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = connections.map((c) => c.name);
  const seen = new Map<string, ConnectionSpec>();
  for (const c of connections) {
    const previous = seen.get(c.name);
    if (previous) out.push({ code: 'duplicate-connection', severity: 'error', path: 'name', location: c.location, message: `connection "${c.name}" is already declared in ${previous.file}:${previous.location.line}` });
    else seen.set(c.name, c);
  }
  for (const dataset of datasets) {
    const doc = docOf(dataset);
    const source = dataset.source as Doc;
    const error = (key: string | undefined, code: string, message: string, expected?: string): void => {
      const path: KeyPath = key ? ['source', key] : ['source'];
      out.push({ code, severity: 'error', path: formatPath(path), location: doc.locate(path, key !== undefined), message, expected });
    };
    const connection = source.connection !== undefined ? seen.get(source.connection) : undefined;
    if (source.path !== undefined && source.connection !== undefined && connection?.type !== 'spark') {
      if (connection === undefined) {
        error('connection', 'unknown-connection', `unknown connection "${source.connection}"`, names.length ? suggest(source.connection, names) : 'declare it in a kind: connection document under the policy paths');
      } else {
        error('connection', 'conflicting-options', `a source is a file ("path") or a table ("connection" and "table"), not both; only a spark connection reads files itself (connection "${source.connection}" is ${connection.type})`);
      }
      continue;
    }
    if (source.connection !== undefined && connection?.type === 'spark' && source.path !== undefined) {
      // Files the cluster reads: any URI it reads, in a format Spark reads the way assay does.
      if (source.table !== undefined) error('table', 'conflicting-options', 'give "table" or "path", not both');
      if (source.format === undefined) error(undefined, 'missing-key', 'files a spark connection reads need "format"', SPARK_FORMATS.join(', '));
      else if (!(SPARK_FORMATS as readonly string[]).includes(source.format)) error('format', 'invalid-value', `a spark connection does not read ${source.format} files`, SPARK_FORMATS.join(', '));
      if (source.options !== undefined) error('options', 'invalid-option', '"options" belongs to a file source assay reads; Spark reads CSV with a header row, comma-separated (tsv: tab), empty cells as null');
      continue;
    }
    if (source.connection !== undefined && source.table === undefined) {
      error(undefined, 'missing-key', `a source with "connection" needs "table"${connection?.type === 'spark' ? ' (or "path" and "format")' : ''}`);
      continue;
    }
    if (source.connection === undefined) {
      for (const key of ['table', 'where']) if (source[key] !== undefined) error(key, 'invalid-option', `"${key}" belongs to a table source (with "connection"); a file source reads every row`);
      continue;
    }
    for (const key of ['format', 'options']) if (source[key] !== undefined) error(key, 'invalid-option', `"${key}" belongs to a file source; a table's columns keep their database types`);
    if (!seen.has(source.connection)) {
      error('connection', 'unknown-connection', `unknown connection "${source.connection}"`, names.length ? suggest(source.connection, names) : 'declare it in a kind: connection document under the policy paths');
    }
  }
  return out;
}
