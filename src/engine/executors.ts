/**
 * The executors (SPEC §5), one list. A file dataset is measured by the
 * executor `--engine` names (the in-process one by default); a table dataset
 * by the executor of its connection's type. Each entry imports its engine
 * lazily, so a run that does not use DuckDB or PostgreSQL never loads them.
 */
import type { ConnectionType } from '../policy/types.js';
import type { EngineName, Executor } from './executor.js';

export const EXECUTORS: readonly Executor[] = [
  {
    name: 'arquero',
    reads: 'files',
    execute: async (request) => (await import('./in-process/executor.js')).executeInProcess(request),
  },
  {
    name: 'duckdb',
    reads: 'files',
    execute: async (request) => (await import('./duckdb/execute.js')).executeInDuckDB(request),
  },
  {
    name: 'postgres',
    reads: 'postgres',
    execute: async (request) => (await import('./postgres/execute.js')).executeInPostgres(request),
    readRows: async function* (request) {
      yield* (await import('./postgres/execute.js')).readPostgresRows(request);
    },
  },
  {
    name: 'spark',
    reads: 'spark',
    execute: async (request) => (await import('./spark/execute.js')).executeInSpark(request),
    readRows: async function* (request) {
      yield* (await import('./spark/execute.js')).readSparkRows(request);
    },
  },
];

/** `--engine` choices: the executors that read files. */
export const FILE_ENGINES = EXECUTORS.filter((e) => e.reads === 'files').map((e) => e.name);

/** The default executor, and the one a file executor hands a dataset to when it declines. */
export const IN_PROCESS = EXECUTORS[0];

export function executorNamed(name: EngineName): Executor {
  const found = EXECUTORS.find((e) => e.name === name);
  if (!found) throw new Error(`no executor named ${name}`);
  return found;
}

export function executorForConnection(type: ConnectionType): Executor {
  const found = EXECUTORS.find((e) => e.reads === type);
  if (!found) throw new Error(`no executor reads ${type} connections`);
  return found;
}
