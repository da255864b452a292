/**
 * A Spark Connect client (gRPC, @grpc/grpc-js, imported lazily: a run
 * without a spark connection never loads it). assay sends SQL text only
 * (./protocol.ts) and decodes the Arrow IPC result batches with flechette.
 *
 * One Spark session per connection per run (RunSessions): temporary views
 * live in the session that created them. The session is set to ANSI mode
 * and UTC, so the SQL the compiler writes means one thing, and released at
 * the end of the run. Messages name the connection and host, never the
 * token.
 */
import { randomUUID } from 'node:crypto';
import { tableFromIPC } from '@uwdata/flechette';
import { DataError } from '../../util/diagnostics.js';
import { parseDuration } from '../../util/duration.js';
import type { ResolvedConnection, RunSessions } from '../executor.js';
import { parseSparkUrl } from '../../policy/spark-url.js';
import { errorInfoOf, ExecutePlanRequest, ExecutePlanResponse, ReleaseSessionRequest, ReleaseSessionResponse, SERVICE, type ExecuteResponse } from './protocol.js';

/** Used when the connection document sets no `options.statement_timeout`. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 10 * 60 * 1000;
/** Result batches may be large (Spark's default batch is 4 MiB); gRPC's default limit is 4 MiB. */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** A query's rows as arrays of JavaScript values (64-bit integers as BigInt), and the column names. */
export interface SparkResult {
  names: string[];
  rows: unknown[][];
}

export interface SparkSession {
  /** Run one SQL statement; its rows. */
  query(sql: string): Promise<SparkResult>;
  rows(sql: string): Promise<unknown[][]>;
  /** `connection "NAME" (host:port)`, for messages. */
  where: string;
  /** How many SQL statements this session ran (the bench counts them). */
  statements: number;
}

type GrpcModule = typeof import('@grpc/grpc-js');

export function sparkSession(connection: ResolvedConnection, sessions: RunSessions): Promise<SparkSession> {
  const where = `connection "${connection.spec.name}" (${connection.describe})`;
  return sessions.get(
    `spark:${connection.spec.name}`,
    () => openSession(connection, where),
    async (session) => session.close(),
  );
}

async function openSession(connection: ResolvedConnection, where: string): Promise<SparkSession & { close(): Promise<void> }> {
  const parsed = parseSparkUrl(connection.url);
  if (typeof parsed === 'string') throw new DataError(`${where}: ${parsed}`);
  const token = connection.token ?? (parsed.params.token || undefined);
  // As Spark's own clients do: a token is only ever sent over TLS.
  const tls = parsed.params.use_ssl === 'true' || token !== undefined;
  const grpc: GrpcModule = await import('@grpc/grpc-js');
  const credentials = tls
    ? token !== undefined
      ? grpc.credentials.combineChannelCredentials(
          grpc.credentials.createSsl(),
          grpc.credentials.createFromMetadataGenerator((_params, callback) => {
            const metadata = new grpc.Metadata();
            metadata.set('authorization', `Bearer ${token}`);
            callback(null, metadata);
          }),
        )
      : grpc.credentials.createSsl()
    : grpc.credentials.createInsecure();
  const host = parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host;
  const client = new grpc.Client(`${host}:${parsed.port}`, credentials, {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  const timeoutMs = (connection.spec.options.statement_timeout ? parseDuration(connection.spec.options.statement_timeout) : undefined) ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const sessionId = randomUUID();
  const userContext = { user_id: parsed.params.user_id || 'assay', user_name: parsed.params.user_id || 'assay' };
  const scrub = (message: string) => (token ? message.split(token).join('***') : message);

  const execute = (sql: string): Promise<SparkResult> =>
    new Promise((resolve, reject) => {
      const request = ExecutePlanRequest.create({ session_id: sessionId, user_context: userContext, client_type: 'assay', plan: { root: { sql: { query: sql } } } });
      const call = client.makeServerStreamRequest(
        `${SERVICE}/ExecutePlan`,
        (message: object) => Buffer.from(ExecutePlanRequest.encode(message as protobufMessage).finish()),
        (bytes: Buffer) => ExecutePlanResponse.decode(bytes) as unknown as ExecuteResponse,
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
      );
      const batches: Uint8Array[] = [];
      call.on('data', (response: ExecuteResponse) => {
        const data = response.arrow_batch?.data;
        if (data && data.length > 0) batches.push(new Uint8Array(data)); // a copy: Arrow reads typed arrays at aligned offsets
      });
      call.on('error', (e: unknown) => reject(e));
      call.on('end', () => {
        try {
          resolve(decodeBatches(batches));
        } catch (e) {
          reject(new DataError(`${where}: cannot read the result of a query: ${(e as Error).message}`));
        }
      });
    });

  const session = {
    where,
    statements: 0,
    query: async (sql: string): Promise<SparkResult> => {
      session.statements++;
      try {
        return await execute(sql);
      } catch (e) {
        throw e instanceof DataError ? e : new DataError(`${where}: ${scrub(reason(e, timeoutMs))}`, hintOf(e));
      }
    },
    rows: async (sql: string) => (await session.query(sql)).rows,
    close: async (): Promise<void> => {
      await new Promise<void>((resolve) => {
        client.makeUnaryRequest(
          `${SERVICE}/ReleaseSession`,
          (message: object) => Buffer.from(ReleaseSessionRequest.encode(message as protobufMessage).finish()),
          (bytes: Buffer) => ReleaseSessionResponse.decode(bytes),
          ReleaseSessionRequest.create({ session_id: sessionId, user_context: userContext, client_type: 'assay' }),
          new grpc.Metadata(),
          { deadline: Date.now() + 10_000 },
          () => resolve(), // a session that cannot be released expires on the server
        );
      });
      client.close();
    },
  };
  try {
    // Spark 4 defaults to ANSI mode; set it (and UTC) so an older or reconfigured server means the same.
    await session.query("SET spark.sql.ansi.enabled = true");
    await session.query("SET spark.sql.session.timeZone = UTC");
  } catch (e) {
    client.close();
    throw e;
  }
  return session;
}

type protobufMessage = Parameters<typeof ExecutePlanRequest.encode>[0];

/** Each Arrow batch is a complete IPC stream (schema and record batches); the rows of all of them, in order. */
function decodeBatches(batches: Uint8Array[]): SparkResult {
  let names: string[] = [];
  const rows: unknown[][] = [];
  for (const bytes of batches) {
    const table = tableFromIPC(bytes, { useBigInt: true });
    names = table.schema.fields.map((f) => f.name);
    const columns = names.map((_, i) => table.getChildAt(i).toArray() as ArrayLike<unknown>);
    for (let r = 0; r < table.numRows; r++) rows.push(columns.map((c) => normalize(c[r])));
  }
  return { names, rows };
}

/** Arrow lists arrive as typed arrays or arrays; assay's readers take plain arrays. */
function normalize(value: unknown): unknown {
  if (value === undefined) return null;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<unknown>);
  if (Array.isArray(value)) return value.map(normalize);
  return value;
}

/** gRPC status codes assay names (@grpc/grpc-js's `status`). */
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const UNAUTHENTICATED = 16;
const PERMISSION_DENIED = 7;

interface GrpcError {
  code?: number;
  details?: string;
  message?: string;
  metadata?: { get(key: string): (string | Buffer)[] };
}

/**
 * A failed call as one line: Spark's error class and SQLSTATE (from the
 * ErrorInfo in the `grpc-status-details-bin` trailer) and the first line of
 * its message.
 */
function reason(e: unknown, timeoutMs: number): string {
  const error = e as GrpcError;
  const details = (error?.details ?? error?.message ?? String(e)).split('\n')[0].replace(/\s*Resolution note:.*$/, '').trim();
  if (error?.code === UNAVAILABLE) return `cannot connect: ${details}`;
  if (error?.code === DEADLINE_EXCEEDED) return `a query ran longer than ${Math.round(timeoutMs / 1000)} s (statement_timeout: raise options.statement_timeout in the connection document)`;
  if (error?.code === UNAUTHENTICATED || error?.code === PERMISSION_DENIED) return `refused: ${details}`;
  const trailer = error?.metadata?.get('grpc-status-details-bin')?.[0];
  const info = errorInfoOf(typeof trailer === 'string' ? Buffer.from(trailer, 'binary') : trailer);
  const errorClass = info?.metadata.errorClass;
  const sqlState = info?.metadata.sqlState;
  const label = [errorClass && !details.includes(`[${errorClass}]`) ? errorClass : undefined, sqlState && !details.includes(sqlState) ? `SQLSTATE ${sqlState}` : undefined].filter(Boolean).join(', ');
  const text = details.length > 400 ? `${details.slice(0, 400)}…` : details;
  return label ? `${text} (${label})` : text || 'the query failed';
}

function hintOf(e: unknown): string | undefined {
  const code = (e as GrpcError)?.code;
  if (code === UNAVAILABLE) return 'check that the Spark Connect server is running and the URL (url_env, or --connection NAME=sc://host:port) is right';
  if (code === UNAUTHENTICATED || code === PERMISSION_DENIED) return 'check the token (token_env)';
  return undefined;
}
