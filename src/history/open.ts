/**
 * Which store a run uses: the DuckDB file `history.duckdb` in the output
 * folder, unless the policies name a connection for history.
 */
import { join } from 'node:path';
import type { PolicySet } from '../policy/types.js';
import { DuckDBHistoryStore, HISTORY_FILE, type HistoryStore } from './store.js';

export interface OpenHistoryOptions {
  connectionOverrides?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

export function openHistoryStore(_policy: PolicySet | undefined, out: string, _options: OpenHistoryOptions = {}): HistoryStore {
  return new DuckDBHistoryStore(join(out, HISTORY_FILE));
}
