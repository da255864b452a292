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

type Doc = Record<string, any>;

export function normalizeConnection(doc: RawDocument): ConnectionSpec {
  const value = doc.value as Doc;
  return {
    name: value.name,
    type: value.type,
    ...(value.description !== undefined ? { description: value.description } : {}),
    ...(value.url !== undefined ? { url: value.url } : {}),
    ...(value.url_env !== undefined ? { url_env: value.url_env } : {}),
    ...(value.password_env !== undefined ? { password_env: value.password_env } : {}),
    options: value.options ?? {},
    file: doc.file,
    location: doc.locate(['name']),
  };
}

/** The password part of a URL (`scheme://user:password@host`), if any. */
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
    }
  }
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
    if (source.path !== undefined && source.connection !== undefined) {
      error('connection', 'conflicting-options', 'a source is a file ("path") or a table ("connection" and "table"), not both');
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
