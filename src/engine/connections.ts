/**
 * A connection's URL for one run: from `--connection NAME=URL`, else from the
 * environment variable its document names (`url_env`), else its `url`; the
 * password from `password_env` when given. Messages name the connection,
 * host and database, never the URL's password.
 */
import type { ConnectionSpec } from '../policy/types.js';
import { DataError } from '../util/diagnostics.js';
import type { ResolvedConnection } from './executor.js';

/** What a connection's URL looks like, for messages. */
export const EXAMPLE_URL: Record<ConnectionSpec['type'], string> = { postgres: 'postgres://user@host:5432/database', spark: 'sc://host:15002' };

export function resolveConnection(spec: ConnectionSpec, overrides: Readonly<Record<string, string>> = {}, env: NodeJS.ProcessEnv = process.env): ResolvedConnection {
  const where = `connection "${spec.name}" (${spec.file}:${spec.location.line})`;
  let url: string | undefined = overrides[spec.name];
  if (url === undefined && spec.url_env !== undefined) {
    url = env[spec.url_env];
    if (!url) throw new DataError(`${where}: the environment variable ${spec.url_env} is not set (set it to ${EXAMPLE_URL[spec.type]}, or give --connection ${spec.name}=URL)`);
  }
  url ??= spec.url ?? '';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DataError(`${where}: the URL is not a URL`, EXAMPLE_URL[spec.type]);
  }
  let password: string | undefined;
  if (spec.password_env !== undefined) {
    password = env[spec.password_env];
    if (password === undefined) throw new DataError(`${where}: the environment variable ${spec.password_env} (the password) is not set`);
  }
  let token: string | undefined;
  if (spec.token_env !== undefined) {
    token = env[spec.token_env];
    if (!token) throw new DataError(`${where}: the environment variable ${spec.token_env} (the token) is not set`);
  }
  if (spec.type === 'spark') return { spec, url, token, describe: `${parsed.hostname || 'localhost'}:${parsed.port || '15002'}` };
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  return { spec, url, password, describe: `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${database}` };
}

