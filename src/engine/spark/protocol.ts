/**
 * The few Spark Connect messages assay sends and reads, declared here with
 * protobufjs: field names and numbers are facts of the Spark Connect
 * protocol (package spark.connect) and of google.rpc's error details; only
 * the fields assay uses are declared (protobuf skips the others when
 * decoding). assay runs SQL text only: a plan is a Relation holding an SQL
 * query, whose result comes back as Arrow IPC batches.
 */
import protobuf from 'protobufjs';

const root = protobuf.Root.fromJSON({
  nested: {
    spark: {
      nested: {
        connect: {
          nested: {
            Plan: { fields: { root: { type: 'Relation', id: 1 } } },
            Relation: { fields: { sql: { type: 'SQL', id: 10 } } },
            SQL: { fields: { query: { type: 'string', id: 1 } } },
            UserContext: { fields: { user_id: { type: 'string', id: 1 }, user_name: { type: 'string', id: 2 } } },
            ExecutePlanRequest: {
              fields: {
                session_id: { type: 'string', id: 1 },
                user_context: { type: 'UserContext', id: 2 },
                plan: { type: 'Plan', id: 3 },
                client_type: { type: 'string', id: 4 },
                operation_id: { type: 'string', id: 6 },
              },
            },
            ArrowBatch: { fields: { row_count: { type: 'int64', id: 1 }, data: { type: 'bytes', id: 2 } } },
            ExecutePlanResponse: {
              fields: {
                session_id: { type: 'string', id: 1 },
                arrow_batch: { type: 'ArrowBatch', id: 2 },
                operation_id: { type: 'string', id: 12 },
                server_side_session_id: { type: 'string', id: 15 },
              },
            },
            ReleaseSessionRequest: {
              fields: {
                session_id: { type: 'string', id: 1 },
                user_context: { type: 'UserContext', id: 2 },
                client_type: { type: 'string', id: 3 },
              },
            },
            ReleaseSessionResponse: { fields: { session_id: { type: 'string', id: 1 } } },
          },
        },
      },
    },
    google: {
      nested: {
        protobuf: { nested: { Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } } } },
        rpc: {
          nested: {
            Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 }, details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 } } },
            ErrorInfo: { fields: { reason: { type: 'string', id: 1 }, domain: { type: 'string', id: 2 }, metadata: { keyType: 'string', type: 'string', id: 3 } as protobuf.IField } },
          },
        },
      },
    },
  },
});

export const SERVICE = '/spark.connect.SparkConnectService';
export const ExecutePlanRequest = root.lookupType('spark.connect.ExecutePlanRequest');
export const ExecutePlanResponse = root.lookupType('spark.connect.ExecutePlanResponse');
export const ReleaseSessionRequest = root.lookupType('spark.connect.ReleaseSessionRequest');
export const ReleaseSessionResponse = root.lookupType('spark.connect.ReleaseSessionResponse');
export const RpcStatus = root.lookupType('google.rpc.Status');
export const ErrorInfo = root.lookupType('google.rpc.ErrorInfo');

/** A decoded ExecutePlanResponse, as far as assay reads it. */
export interface ExecuteResponse {
  arrow_batch?: { row_count?: unknown; data?: Uint8Array };
}

/** Spark's error details: the exception class (ErrorInfo.reason) and its metadata (errorClass, sqlState, …). */
export interface SparkErrorInfo {
  reason: string;
  metadata: Record<string, string>;
}

/** The ErrorInfo inside a `grpc-status-details-bin` trailer (a google.rpc.Status), if any. */
export function errorInfoOf(statusDetails: Uint8Array | undefined): SparkErrorInfo | undefined {
  if (!statusDetails) return undefined;
  try {
    const status = RpcStatus.toObject(RpcStatus.decode(statusDetails), { defaults: true }) as { details: { type_url: string; value: Uint8Array }[] };
    const any = status.details.find((d) => d.type_url.endsWith('/google.rpc.ErrorInfo'));
    if (!any) return undefined;
    const info = ErrorInfo.toObject(ErrorInfo.decode(any.value), { defaults: true }) as { reason: string; metadata: Record<string, string> };
    return { reason: info.reason, metadata: info.metadata ?? {} };
  } catch {
    return undefined; // details that do not decode leave the status message alone
  }
}
