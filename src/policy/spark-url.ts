/**
 * Spark Connect URLs (`sc://host:port/;use_ssl=true;user_id=NAME`), read
 * without loading the gRPC client: policy validation uses this too.
 */

/** The default Spark Connect port. */
export const DEFAULT_PORT = 15002;
/** The parameters after `/;` in a Spark Connect URL that assay reads; `token` is refused in a policy file (./connections.ts). */
export const URL_PARAMETERS = ['use_ssl', 'user_id', 'token'] as const;

/** An `sc://` URL's parts, or a one-line reason it is not one. */
export function parseSparkUrl(url: string): { host: string; port: number; params: Record<string, string> } | string {
  const match = /^sc:\/\/(\[[^\]]+\]|[^:/;]+)(?::(\d+))?\/?(?:;(.*))?$/.exec(url);
  if (!match) return 'a Spark Connect URL is sc://host:port, optionally followed by /;use_ssl=true';
  const params: Record<string, string> = {};
  for (const part of (match[3] ?? '').split(';').filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    if (!(URL_PARAMETERS as readonly string[]).includes(key)) return `unknown Spark Connect URL parameter "${key}" (assay reads ${URL_PARAMETERS.join(', ')})`;
    params[key] = eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1));
  }
  const port = match[2] === undefined ? DEFAULT_PORT : Number(match[2]);
  if (!(port > 0 && port < 65536)) return `not a port: ${match[2]}`;
  return { host: match[1].replace(/^\[|\]$/g, ''), port, params };
}

