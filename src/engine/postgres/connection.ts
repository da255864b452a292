/**
 * Reaching PostgreSQL with the `pg` driver (imported lazily: a run without a
 * postgres connection never loads it). One client per connection per run
 * (RunSessions), with a statement timeout, UTC, and standard strings, so
 * the SQL the compiler writes means one thing. JIT is off: assay's one wide
 * aggregate query has hundreds of expressions, and compiling them took
 * PostgreSQL 15 five seconds on a 30,000-row table (1.4 s without). Messages name the connection,
 * host and database; the password never appears in one.
 */
import type { Client } from 'pg';
import { parseDuration } from '../../util/duration.js';
import { DataError } from '../../util/diagnostics.js';
import type { ResolvedConnection, RunSessions } from '../executor.js';

/** Used when the connection document sets no `options.statement_timeout`. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 10 * 60 * 1000;

/** A query's rows as arrays, with a message that names where it ran when it fails. */
export interface PostgresSession {
  rows(sql: string, params?: unknown[]): Promise<unknown[][]>;
  where: string;
}

export function postgresSession(connection: ResolvedConnection, sessions: RunSessions): Promise<PostgresSession> {
  const where = `connection "${connection.spec.name}" (${connection.describe})`;
  const scrub = (message: string) => (connection.password ? message.split(connection.password).join('***') : message);
  return sessions.get(
    `postgres:${connection.spec.name}`,
    async () => {
      const { default: pg } = await import('pg');
      // Numbers stay exact text until assay reads them (int8, numeric); dates and timestamps arrive as text and are typed by assay.
      const client: Client = new pg.Client({ connectionString: connection.url, ...(connection.password !== undefined ? { password: connection.password } : {}), application_name: 'assay' });
      client.on('error', () => undefined); // a dropped connection surfaces on the next query
      try {
        await client.connect();
        const timeout = connection.spec.options.statement_timeout ? parseDuration(connection.spec.options.statement_timeout) : DEFAULT_STATEMENT_TIMEOUT_MS;
        await client.query(`SET statement_timeout = ${Math.round(timeout ?? DEFAULT_STATEMENT_TIMEOUT_MS)}; SET TimeZone = 'UTC'; SET standard_conforming_strings = on; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET jit = off`);
      } catch (e) {
        await client.end().catch(() => undefined);
        throw new DataError(`${where}: cannot connect: ${scrub(reason(e))}`, 'check that the server is running and the URL (url_env, or --connection NAME=URL) is right');
      }
      return {
        client,
        where,
        rows: async (sql: string, params?: unknown[]) => {
          try {
            return (await client.query({ text: sql, values: params, rowMode: 'array' })).rows as unknown[][];
          } catch (e) {
            throw new DataError(`${where}: ${scrub(reason(e))}`);
          }
        },
      };
    },
    async (session) => {
      await session.client.end().catch(() => undefined);
    },
  );
}

function reason(e: unknown): string {
  const error = e as { message?: string; code?: string };
  const message = (error?.message ?? String(e)).split('\n')[0];
  return error?.code === '57014' ? `${message} (statement_timeout: raise options.statement_timeout in the connection document)` : message;
}
