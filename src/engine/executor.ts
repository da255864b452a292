/**
 * What an executor returns for one dataset: a value per measure key. The
 * evaluator turns these into check results; it never sees the engine.
 */
import type { ObservedColumn, Scalar } from '../plan/plan.js';
import type { SampledRow } from './batch-context.js';

export type { SampledRow };

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
