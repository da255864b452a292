/**
 * What an executor returns for one dataset: a value per measure key. The
 * evaluator turns these into check results; it never sees the engine.
 */
import type { Expr } from '../expr/ast.js';
import type { DatasetPlan } from '../plan/plan.js';
import type { ColumnType, ObservedColumn, Scalar } from '../values/types.js';
import type { ClusterFilesSource, ColumnSpec, ConnectionSpec, ConnectionType, TableSource } from '../policy/types.js';
import type { DataStream, LoadRequest } from '../sources/stream.js';

/** A failing row kept for a report sample: its position and every value (raw text where it did not parse). */
export interface SampledRow {
  /** 1-based row number in its file (header excluded); for a table without a key, the ordinal in the engine's (unstable) order. */
  row: number;
  /** For a table: the values of the dataset's or the table's key columns, which identify the row instead of `row`. */
  key?: Record<string, unknown>;
  /** Index into the stream's files. */
  file: number;
  values: Record<string, unknown>;
}

export interface RowsResult {
  kind: 'rows';
  failed: number;
  evaluated: number;
  /** 0-based indexes (dataset-wide) of the first failing rows. */
  sampleIndexes: number[];
}

export interface ValueResult {
  kind: 'value';
  value: Scalar;
}

/** The columns the data has and their observed types (`columns` measures). */
export interface ColumnsResult {
  kind: 'columns';
  columns: ObservedColumn[];
}

/** The non-null values of a column, in comparable form (dates as epoch ms): a key set for reference checks. */
export interface KeysResult {
  kind: 'keys';
  values: ReadonlySet<unknown>;
}

/** The measure could not be computed (unknown column, failing expression). */
export interface ErrorResult {
  kind: 'error';
  message: string;
  /** The policy names something the data lacks (a column): the check's message then says where it is declared. */
  inPolicy?: boolean;
}

export type MeasureResult = RowsResult | ValueResult | ColumnsResult | KeysResult | ErrorResult;

/** Key sets another dataset provides to reference checks, by `keySetKey`: the values, or why they are missing. */
export type KeySets = ReadonlyMap<string, KeysResult | ErrorResult>;

export interface ExecutionStats {
  /** Reads of the data made to compute the measures (samples excluded); always 1. */
  passes: number;
  /** Extra scans made only to collect failing-row samples. */
  samplePasses: number;
}

export interface DatasetResults {
  measures: Map<string, MeasureResult>;
  stats: ExecutionStats;
  /** Failing rows kept for samples, by 0-based dataset-wide index. */
  samples: Map<number, SampledRow>;
}

/** What one executor is asked: measure a dataset's plan over its source. */
export interface ExecuteRequest {
  plan: DatasetPlan;
  /** The dataset's source, its policy file, declared columns and any `--data` override. */
  load: LoadRequest;
  /** The table source and its connection, for executors that read tables. */
  table?: {
    source: TableSource | ClusterFilesSource;
    connection: ResolvedConnection;
    /** The dataset's `key:` columns: they identify sampled rows and order them; else the table's primary key. */
    key?: string[];
  };
  /** Per `rows` measure key, how many failing rows to keep for samples. */
  sampleLimits: Map<string, number>;
  /** Key sets other datasets provide to this dataset's reference checks. */
  keySets: KeySets;
  batchRows: number;
  /** Connections opened for this run, shared by its datasets and closed when the run ends. */
  sessions: RunSessions;
  /** `--pull`: measures a table executor cannot translate stream only their columns through the in-process engine. */
  pull?: boolean;
  /**
   * `check --as P`: P's row filters, bound. Samples are picked among the rows
   * it keeps (executors that cannot, decline; a table executor picks without
   * it, and the Reader still hides what P may not see).
   */
  sampleWhere?: string;
}

/** What a run keeps open across datasets (one database connection per connection name), closed once at the end. */
export class RunSessions {
  private readonly open = new Map<string, { value: Promise<unknown>; close: () => Promise<void> }>();

  /** The session under `key`, opened on first use. */
  get<T>(key: string, open: () => Promise<T>, close: (session: T) => Promise<void>): Promise<T> {
    let entry = this.open.get(key);
    if (!entry) {
      const value = open();
      entry = { value, close: async () => close(await value) };
      this.open.set(key, entry);
    }
    return entry.value as Promise<T>;
  }

  async closeAll(): Promise<void> {
    const entries = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(entries.map((e) => e.close()));
  }
}

/** A dataset measured: the results, and what was read (columns, types, rows, fingerprint, name in reports). */
export interface Measured {
  results: DatasetResults;
  stream: DataStream;
  /** Checks measured by the engine itself, and checks whose columns were pulled into the in-process engine. */
  pushedDown?: number;
  /** Checks measured in-process over rows pulled from the engine (`--pull`). */
  pulled?: number;
}

/** `export` of a table (SPEC §5.1): which rows and columns to read from where they live. */
export interface TableRowsRequest {
  table: NonNullable<ExecuteRequest['table']>;
  dataset: string;
  /** The policy file declaring the dataset: a relative `path` a cluster reads is resolved against it. */
  policyFile: string;
  /** The dataset's declared columns (types, date formats). */
  columns: Record<string, ColumnSpec>;
  /** The columns to read, in this order (denied columns are never read). */
  read: string[];
  /** The principal's bound row filters: only rows where it is true leave the engine; `what` names it in errors. */
  filter?: { ast: Expr; what: string };
  batchRows: number;
  sessions: RunSessions;
}

/** One batch of rows read for an export: values typed as checks read them (raw text where a value does not parse). */
export interface TableRows {
  rows: unknown[][];
  types: ColumnType[];
  /** The table's rows (its source `where` applied), before the row filter. */
  sourceRows: number;
  /** `CONNECTION:schema.table`. */
  label: string;
  first: boolean;
}

/**
 * One executor (SPEC §5): takes a dataset plan plus a source and returns
 * measure values and samples. Registered in ./executors.ts. A file executor
 * other than the default may throw Unsupported (./sql/sql.ts) and the store
 * measures the dataset in-process instead; a table executor reports what it
 * cannot translate as an `error` result of that measure.
 */
export interface Executor {
  /** The `--engine` name, and the report's `engine.name`. */
  name: EngineName;
  /** Files on this machine (chosen with `--engine`) or tables of a connection type. */
  reads: 'files' | ConnectionType;
  execute(request: ExecuteRequest): Promise<Measured>;
  /** Table executors: stream the rows an export may write, the row filter in the engine's WHERE. */
  readRows?(request: TableRowsRequest): AsyncIterable<TableRows>;
}

export type EngineName = 'arquero' | 'duckdb' | 'postgres' | 'spark';

/** A connection with its URL read from the environment or `--connection`; `describe` never shows the password. */
export interface ResolvedConnection {
  spec: ConnectionSpec;
  url: string;
  password?: string;
  /** Spark Connect's bearer token (`token_env`). */
  token?: string;
  /** `host:port/database`, for messages. */
  describe: string;
}
