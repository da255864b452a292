// DuckDB (embedded, single-threaded: SET threads = 1) with the same 12 checks
// as one SQL query over the same CSV. `csv` times the query straight over
// read_csv (end to end); `table` first loads the CSV into a table (load),
// then times the same query over the table (checks). `parquet` reads the
// Parquet file instead.
import { DuckDBInstance } from '@duckdb/node-api';
import { cpu, emit, isoOf, now, percent, SUITE } from './common.mjs';

const [mode, file] = process.argv.slice(2);
const quote = (s) => `'${String(s).replace(/'/g, "''")}'`;
const TYPES = {
  order_id: 'BIGINT', customer_id: 'INTEGER', email: 'VARCHAR', country: 'VARCHAR', amount: 'DOUBLE',
  quantity: 'INTEGER', status: 'VARCHAR', created_at: 'TIMESTAMP', updated_at: 'TIMESTAMP',
};
const source = mode === 'parquet'
  ? `read_parquet(${quote(file)})`
  : `read_csv(${quote(file)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', timestampformat = '%Y-%m-%dT%H:%M:%SZ', columns = {${Object.entries(TYPES).map(([k, v]) => `${quote(k)}: ${quote(v)}`).join(', ')}})`;

const checks = (t) => `
WITH t AS MATERIALIZED (SELECT * FROM ${t}),
a AS (
  SELECT
    count(*) AS rows,
    count(*) FILTER (WHERE customer_id IS NULL) AS customer_id_nulls,
    count(*) FILTER (WHERE created_at IS NULL) AS created_at_nulls,
    count(*) FILTER (WHERE email IS NULL) AS email_nulls,
    count(*) FILTER (WHERE email IS NOT NULL AND NOT regexp_matches(email, ${quote(SUITE.emailPattern)})) AS email_pattern_failed,
    count(email) AS email_pattern_evaluated,
    count(*) FILTER (WHERE country NOT IN (${SUITE.countries.map(quote).join(', ')})) AS country_failed,
    count(*) FILTER (WHERE status NOT IN (${SUITE.statuses.map(quote).join(', ')})) AS status_failed,
    count(*) FILTER (WHERE amount < ${SUITE.amount[0]} OR amount > ${SUITE.amount[1]}) AS amount_range_failed,
    count(amount) AS amount_range_evaluated,
    count(*) FILTER (WHERE quantity < ${SUITE.quantity[0]} OR quantity > ${SUITE.quantity[1]}) AS quantity_range_failed,
    count(*) FILTER (WHERE updated_at < created_at) AS updated_before_created,
    epoch_ms(max(created_at)) AS newest
  FROM t),
d AS (SELECT coalesce(sum(n), 0) AS dup FROM (SELECT count(*) AS n FROM t WHERE order_id IS NOT NULL GROUP BY order_id HAVING count(*) > 1))
SELECT * FROM a, d`;

const start = now();
const cpuStart = cpu();
let checksCpuStart = null;
const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
await db.run('SET threads = 1');
let loadMs = null;
let checksStart = start;
let from = source;
if (mode === 'table') {
  await db.run(`CREATE TABLE orders AS SELECT * FROM ${source}`);
  loadMs = now() - start;
  checksStart = now();
  checksCpuStart = cpu();
  from = 'orders';
}
const reader = await db.runAndReadAll(checks(from));
const r = Object.fromEntries(Object.entries(reader.getRowObjects()[0]).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
const end = now();
emit({
  loadMs,
  checksMs: mode === 'table' ? end - checksStart : null,
  totalMs: end - start,
  cpuMs: cpu() - cpuStart,
  checksCpuMs: checksCpuStart === null ? null : cpu() - checksCpuStart,
  metrics: {
    rows: r.rows,
    customer_id_nulls: r.customer_id_nulls,
    created_at_nulls: r.created_at_nulls,
    order_id_duplicate_rows: r.dup,
    email_missing_percent: percent(r.email_nulls, r.rows),
    email_pattern_failed: r.email_pattern_failed,
    email_pattern_evaluated: r.email_pattern_evaluated,
    country_failed: r.country_failed,
    status_failed: r.status_failed,
    amount_range_failed: r.amount_range_failed,
    amount_range_evaluated: r.amount_range_evaluated,
    quantity_range_failed: r.quantity_range_failed,
    updated_before_created: r.updated_before_created,
    newest_created_at: isoOf(r.newest),
  },
});
