/**
 * The metrics store (SPEC §6): one row per measured value per dataset and
 * run. The default is an embedded DuckDB file (`<out>/history.duckdb`);
 * `history: { connection: NAME }` keeps it in PostgreSQL (./store-postgres.ts).
 * Both hold the same table and answer the same questions; the SQL is standard
 * enough to be shared.
 *
 * Concurrent runs: a DuckDB file admits one writing process, so every use of
 * the file (open, read or write, close) holds the file's lock
 * (util/lock.ts), and another run waits for it instead of failing or
 * corrupting the file. PostgreSQL serialises writers itself; a point's
 * primary key (dataset, metric, run id) makes a repeated import a no-op.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { withFileLock } from '../util/lock.js';
import { ensureOutputFolder, refuseLink } from '../util/write-file.js';
import { AssayError, errorMessage } from '../util/diagnostics.js';
import type { HistoryPoint } from '../checks/history/band.js';

/** One point, as stored and as `history show --json` prints it. */
export interface StoredPoint {
  dataset: string;
  metric: string;
  value: number;
  run_id: string;
  /** The run's `now` (ISO 8601, UTC, milliseconds). */
  time: string;
  fingerprint: string | null;
  /** The hash of the dataset's `check.run` audit event; null when the run kept no audit log. */
  audit_hash: string | null;
}

export interface PointFilter {
  dataset?: string;
  metric?: string;
}

export interface HistoryStore {
  /** Where the store is, for messages (`reports/history.duckdb`, `connection "warehouse"`). */
  readonly label: string;
  /** Past points of these metrics of one dataset, strictly before `before`, oldest first. */
  series(dataset: string, metrics: readonly string[], before: Date): Promise<Map<string, HistoryPoint[]>>;
  /** Add points; a point already stored (same dataset, metric and run) is kept as it is. Returns how many were added. */
  append(points: readonly StoredPoint[]): Promise<number>;
  /** Points in (dataset, metric, time) order. */
  list(filter: PointFilter): Promise<StoredPoint[]>;
  /** Remove points older than `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

export const HISTORY_FILE = 'history.duckdb';
export const TABLE = 'assay_history';

export const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${TABLE} (
  dataset VARCHAR NOT NULL,
  metric VARCHAR NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  run_id VARCHAR NOT NULL,
  time VARCHAR NOT NULL,
  fingerprint VARCHAR,
  audit_hash VARCHAR,
  PRIMARY KEY (dataset, metric, run_id)
)`;

const COLUMNS = ['dataset', 'metric', 'value', 'run_id', 'time', 'fingerprint', 'audit_hash'] as const;
/** Rows per INSERT statement (parameters stay well under every driver's limit). */
const INSERT_ROWS = 500;

/** A statement with positional parameters `$1, $2, …` (DuckDB and PostgreSQL alike). */
export interface Statement {
  sql: string;
  params: (string | number | null)[];
}

/** The shared SQL of every store. Times are ISO 8601 text in UTC, which sorts as time does. */
export const historySql = {
  series(dataset: string, metrics: readonly string[], before: Date): Statement {
    const list = metrics.map((_m, i) => `$${i + 3}`).join(', ');
    return {
      sql: `SELECT metric, time, value FROM ${TABLE} WHERE dataset = $1 AND time < $2 AND metric IN (${list}) ORDER BY metric, time, run_id`,
      params: [dataset, before.toISOString(), ...metrics],
    };
  },
  inserts(points: readonly StoredPoint[]): Statement[] {
    const out: Statement[] = [];
    for (let i = 0; i < points.length; i += INSERT_ROWS) {
      const chunk = points.slice(i, i + INSERT_ROWS);
      const rows = chunk.map((_p, r) => `(${COLUMNS.map((_c, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`);
      out.push({
        sql: `INSERT INTO ${TABLE} (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')} ON CONFLICT DO NOTHING`,
        params: chunk.flatMap((p) => COLUMNS.map((c) => p[c])),
      });
    }
    return out;
  },
  list(filter: PointFilter): Statement {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.dataset !== undefined) where.push(`dataset = $${params.push(filter.dataset)}`);
    if (filter.metric !== undefined) where.push(`metric = $${params.push(filter.metric)}`);
    return {
      sql: `SELECT ${COLUMNS.join(', ')} FROM ${TABLE}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY dataset, metric, time, run_id`,
      params,
    };
  },
  prune(before: Date): Statement {
    return { sql: `DELETE FROM ${TABLE} WHERE time < $1`, params: [before.toISOString()] };
  },
};

/** Rows of `series` grouped by metric. */
export function groupSeries(rows: { metric: string; time: string; value: number }[], metrics: readonly string[]): Map<string, HistoryPoint[]> {
  const out = new Map<string, HistoryPoint[]>(metrics.map((m) => [m, []]));
  for (const row of rows) out.get(row.metric)?.push({ time: Date.parse(row.time), value: Number(row.value) });
  return out;
}

export function toStoredPoint(row: Record<string, unknown>): StoredPoint {
  return {
    dataset: String(row.dataset),
    metric: String(row.metric),
    value: Number(row.value),
    run_id: String(row.run_id),
    time: String(row.time),
    fingerprint: row.fingerprint === null || row.fingerprint === undefined ? null : String(row.fingerprint),
    audit_hash: row.audit_hash === null || row.audit_hash === undefined ? null : String(row.audit_hash),
  };
}

/** Files DuckDB creates beside a database file: its write-ahead log and its spill folder. */
const DUCKDB_SIDE_FILES = ['.wal', '.tmp'];

/** The embedded store: a DuckDB file, opened under its lock for each use. */
export class DuckDBHistoryStore implements HistoryStore {
  readonly label: string;
  constructor(private readonly path: string) {
    this.label = path;
  }

  async series(dataset: string, metrics: readonly string[], before: Date): Promise<Map<string, HistoryPoint[]>> {
    if (metrics.length === 0) return new Map();
    return this.use(false, async (db) => {
      if (!db) return groupSeries([], metrics);
      const { sql, params } = historySql.series(dataset, metrics, before);
      const rows = (await db.runAndReadAll(sql, params)).getRowObjectsJS() as { metric: string; time: string; value: number }[];
      return groupSeries(rows, metrics);
    });
  }

  async append(points: readonly StoredPoint[]): Promise<number> {
    if (points.length === 0) return 0;
    return this.use(true, async (db) => {
      const before = await count(db!);
      await db!.run('BEGIN TRANSACTION');
      try {
        for (const { sql, params } of historySql.inserts(points)) await db!.run(sql, params);
        await db!.run('COMMIT');
      } catch (e) {
        await db!.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
      return (await count(db!)) - before;
    });
  }

  async list(filter: PointFilter): Promise<StoredPoint[]> {
    return this.use(false, async (db) => {
      if (!db) return [];
      const { sql, params } = historySql.list(filter);
      return (await db.runAndReadAll(sql, params)).getRowObjectsJS().map((r) => toStoredPoint(r as Record<string, unknown>));
    });
  }

  async prune(before: Date): Promise<number> {
    return this.use(false, async (db) => {
      if (!db) return 0;
      const was = await count(db);
      const { sql, params } = historySql.prune(before);
      await db.run(sql, params);
      return was - (await count(db));
    });
  }

  /**
   * Open the file under its lock, run `fn`, close. Reading a store that does
   * not exist yet gives `fn` no connection (nothing is created by a read).
   */
  private async use<T>(create: boolean, fn: (db: DuckDBConnection | undefined) => Promise<T>): Promise<T> {
    const folder = dirname(this.path) || '.';
    if (!create && !existsSync(this.path)) return fn(undefined);
    ensureOutputFolder(folder);
    // DuckDB writes its log and spill files beside the store, following links: a committed link there would be written through.
    for (const file of [this.path, ...DUCKDB_SIDE_FILES.map((suffix) => `${this.path}${suffix}`)]) refuseLink(file);
    return withFileLock(this.path, `history store ${this.path}`, async () => {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      let instance;
      try {
        instance = await DuckDBInstance.create(this.path, { threads: '1' });
      } catch (e) {
        throw new AssayError('usage', `cannot open history store ${this.path}: ${errorMessage(e)}`, 'give another --out, or --no-history');
      }
      const db = await instance.connect();
      try {
        await db.run(CREATE_TABLE);
        return await fn(db);
      } finally {
        db.closeSync();
        instance.closeSync();
      }
    });
  }
}

async function count(db: DuckDBConnection): Promise<number> {
  const rows = (await db.runAndReadAll(`SELECT count(*) AS n FROM ${TABLE}`)).getRowObjectsJS();
  return Number(rows[0].n);
}
