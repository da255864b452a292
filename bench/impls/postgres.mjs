// The 12-check suite on a PostgreSQL table (bench/postgres.mjs loads it and
// measures the server's CPU around each child).
// `assay`: assay's PostgreSQL executor through the library functions
// `assay check` runs (policy load excluded, as setupMs), samples included.
// `sql`: the same conditions written by hand as one query (one scan for the
// aggregates plus one GROUP BY for the duplicate keys): the limit.
// `sql-samples`: the same, plus the first 5 failing rows per check (their
// ctid, in table order), which assay's report carries.
// Every mode runs with the session settings assay's connection sets (JIT
// off, UTC) and without parallel workers, so the server's CPU time is the
// backend's and the comparison is like for like.
import pg from 'pg';
import { loadValidatedPolicies } from '../../dist/pipeline.js';
import { compilePlan } from '../../dist/plan/compile.js';
import { RunSessions } from '../../dist/engine/executor.js';
import { resolveConnection } from '../../dist/engine/connections.js';
import { executeInPostgres } from '../../dist/engine/postgres/execute.js';
import { postgresSession } from '../../dist/engine/postgres/connection.js';
import { evaluateDataset } from '../../dist/evaluate.js';
import { cpu, emit, isoOf, now, percent, SUITE } from './common.mjs';

const [mode, url, table, policyDir] = process.argv.slice(2);
const quote = (s) => `'${String(s).replace(/'/g, "''")}'`;
const SESSION = 'SET jit = off; SET max_parallel_workers_per_gather = 0';

if (mode === 'assay') {
  const setupStart = now();
  const { policy } = loadValidatedPolicies([policyDir]);
  const plan = compilePlan(policy).datasets[0];
  const setupMs = now() - setupStart;
  const start = now();
  const cpuStart = cpu();
  const spec = policy.datasets[0];
  const sampleLimits = new Map(plan.checks.filter((c) => c.measures.rows).map((c) => [c.measures.rows, c.spec.samples]));
  const sessions = new RunSessions();
  const connection = resolveConnection(policy.connections[0], { [policy.connections[0].name]: url });
  // The run's one session: the executor reuses it (one connection per run).
  await (await postgresSession(connection, sessions)).rows(SESSION);
  const measured = await executeInPostgres({ plan, load: { dataset: spec.name, source: { path: '' }, policyFile: spec.file, columns: spec.columns }, table: { source: spec.source, connection }, sampleLimits, keySets: new Map(), batchRows: 1, sessions });
  await sessions.closeAll();
  const results = evaluateDataset(plan, measured.results, { datasets: new Map([[spec.name, spec]]) });
  emit({ totalMs: now() - start, cpuMs: cpu() - cpuStart, metrics: metricsOf(results, measured.stream.rows), extra: { setupMs } });
} else {
  const start = now();
  const cpuStart = cpu();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`${SESSION}; SET TimeZone = 'UTC'`);
  const conditions = {
    customer_id_nulls: 'customer_id IS NULL',
    created_at_nulls: 'created_at IS NULL',
    email_pattern_failed: `email IS NOT NULL AND email !~ ${quote(SUITE.emailPattern)}`,
    country_failed: `country NOT IN (${SUITE.countries.map(quote).join(', ')})`,
    status_failed: `status NOT IN (${SUITE.statuses.map(quote).join(', ')})`,
    amount_range_failed: `amount < ${SUITE.amount[0]} OR amount > ${SUITE.amount[1]}`,
    quantity_range_failed: `quantity < ${SUITE.quantity[0]} OR quantity > ${SUITE.quantity[1]}`,
    updated_before_created: 'updated_at < created_at',
  };
  const samples = mode === 'sql-samples';
  const sampleColumns = samples ? Object.entries(conditions).map(([name, c]) => `, (array_agg(ctid ORDER BY ctid) FILTER (WHERE ${c}))[1:5] AS ${name}_samples`).join('') : '';
  const {
    rows: [r],
  } = await client.query(`
WITH a AS (
  SELECT
    count(*) AS rows,
    ${Object.entries(conditions).map(([name, c]) => `count(*) FILTER (WHERE ${c}) AS ${name}`).join(',\n    ')},
    count(*) FILTER (WHERE email IS NULL) AS email_nulls,
    count(email) AS email_pattern_evaluated,
    count(amount) AS amount_range_evaluated,
    extract(epoch FROM max(created_at)) * 1000 AS newest${sampleColumns}
  FROM ${table}),
g AS MATERIALIZED (SELECT order_id, count(*) AS n FROM ${table} WHERE order_id IS NOT NULL GROUP BY order_id HAVING count(*) > 1),
d AS (SELECT coalesce(sum(n), 0) AS dup${samples ? `, (SELECT array_agg(ctid) FROM (SELECT ctid FROM ${table} WHERE order_id IN (SELECT order_id FROM g) ORDER BY ctid LIMIT 5) AS s) AS dup_samples` : ''} FROM g)
SELECT * FROM a, d`);
  await client.end();
  const n = (k) => Number(r[k]);
  emit({
    totalMs: now() - start,
    cpuMs: cpu() - cpuStart,
    metrics: {
      rows: n('rows'), customer_id_nulls: n('customer_id_nulls'), created_at_nulls: n('created_at_nulls'), order_id_duplicate_rows: n('dup'),
      email_missing_percent: percent(n('email_nulls'), n('rows')), email_pattern_failed: n('email_pattern_failed'), email_pattern_evaluated: n('email_pattern_evaluated'),
      country_failed: n('country_failed'), status_failed: n('status_failed'), amount_range_failed: n('amount_range_failed'), amount_range_evaluated: n('amount_range_evaluated'),
      quantity_range_failed: n('quantity_range_failed'), updated_before_created: n('updated_before_created'), newest_created_at: isoOf(n('newest')),
    },
  });
}

function metricsOf(checks, rows) {
  const by = Object.fromEntries(checks.map((c) => [c.planned.spec.id, c]));
  const failed = (id) => by[id].failedRows;
  return {
    rows: by['orders.row_count'].observed,
    customer_id_nulls: failed('orders.customer_id.not_null'),
    created_at_nulls: failed('orders.created_at.not_null'),
    order_id_duplicate_rows: failed('orders.order_id.unique'),
    email_missing_percent: percent(Math.round((by['orders.email.missing_percent'].observed * rows) / 100), rows),
    email_pattern_failed: failed('orders.email.pattern'),
    email_pattern_evaluated: by['orders.email.pattern'].evaluatedRows,
    country_failed: failed('orders.country.accepted_values'),
    status_failed: failed('orders.status.accepted_values'),
    amount_range_failed: failed('orders.amount.range'),
    amount_range_evaluated: by['orders.amount.range'].evaluatedRows,
    quantity_range_failed: failed('orders.quantity.range'),
    updated_before_created: failed('orders.updated_after_created'),
    newest_created_at: isoOf(by['orders.newest_created_at'].observed),
  };
}
