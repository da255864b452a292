/**
 * Running a compiled SQL plan (./plan-sql.ts) on any engine: one aggregate
 * query for every measure (row conditions computed once as flag columns;
 * one GROUP BY per `unique` key joined into it), one DISTINCT query per key set
 * other datasets read, and, when the dialect has no aggregate for them, one
 * LIMIT query per sampled check.
 */
import type { MeasureResult } from '../executor.js';
import type { SqlPlan } from './plan-sql.js';
import { countOf } from './sql.js';
import { LargeSet } from '../../util/large-collections.js';

/** How an untranslated measure's error starts (SPEC §5.1: it names the construct). */
export const NOT_TRANSLATED = 'not translated to SQL:';

/** What the runner needs of an engine connection: rows as arrays of JS values. */
export interface SqlSession {
  rows(sql: string): Promise<unknown[][]>;
}

/**
 * Measure every translated measure; `rowIndex` maps an engine's `__row`
 * value to the sample index the results carry (a file's 0-based row; an
 * ordinal for a table's keys).
 */
export async function runSqlPlan(session: SqlSession, sql: SqlPlan, rowIndex: (row: unknown) => number): Promise<{ results: Map<string, MeasureResult>; rows: number }> {
  const results = new Map<string, MeasureResult>();
  for (const [key, message] of sql.untranslated) results.set(key, { kind: 'error', message: `${NOT_TRANSLATED} ${message}` });
  // The dataset's row count is one more column of the one aggregate query. `OFFSET 0` keeps each
  // subquery a step of its own, so the typed values and then the flags are computed once per row:
  // PostgreSQL would otherwise copy their expressions into every aggregate that reads them.
  const flags = sql.conditions.map((c, j) => `${c} AS c${j}`).join(', ');
  const typed = `(SELECT * FROM ${sql.relation} OFFSET 0) AS assay_t`;
  const relation = `(SELECT *${flags ? `, ${flags}` : ''} FROM ${typed}${sql.joins.map((j) => ` ${j}`).join('')} OFFSET 0) AS assay_rows`;
  const row = (await session.rows(`SELECT ${[...sql.aggregates.map((a, i) => `${a.sql} AS a${i}`), 'count(*) AS assay_count'].join(', ')} FROM ${relation}`))[0];
  const value = (i: number) => row[i];
  for (const [key, read] of sql.readers) results.set(key, read(value, rowIndex));
  const rows = countOf(row[sql.aggregates.length]);
  for (const [key, query] of sql.sampleQueries) {
    const result = results.get(key);
    if (result?.kind !== 'rows' || result.failed === 0) continue;
    result.sampleIndexes = (await session.rows(query)).map((r) => rowIndex(r[0]));
  }
  for (const [key, column] of sql.keySetMeasures) {
    const values = (await session.rows(`SELECT DISTINCT ${column} FROM ${sql.relation} WHERE ${column} IS NOT NULL`)).map((r) => r[0]);
    results.set(key, { kind: 'keys', values: new LargeSet(values) });
  }
  for (const [key, guards] of sql.guards) {
    const broken = guards.find((g) => countOf(row[g.aggregate]) > 0);
    if (broken) results.set(key, { kind: 'error', message: `${NOT_TRANSLATED} ${broken.why}` });
  }
  return { results, rows };
}
