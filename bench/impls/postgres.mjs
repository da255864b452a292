// The 12-check suite on a PostgreSQL table (bench/postgres.mjs loads it).
// `assay`: assay's PostgreSQL executor through the library functions
// `assay check` runs (policy load excluded, as setupMs). `sql`: the same
// conditions written by hand as one query (one scan for the aggregates plus
// one GROUP BY for the duplicate keys, as assay needs): the limit.
import pg from 'pg';
import { loadValidatedPolicies } from '../../dist/pipeline.js';
import { compilePlan } from '../../dist/plan/compile.js';
import { RunSessions } from '../../dist/engine/executor.js';
import { resolveConnection } from '../../dist/engine/connections.js';
import { executeInPostgres } from '../../dist/engine/postgres/execute.js';
import { evaluateDataset } from '../../dist/evaluate.js';
import { cpu, emit, isoOf, now, percent, SUITE } from './common.mjs';

const [mode, url, table, policyDir] = process.argv.slice(2);
const quote = (s) => `'${String(s).replace(/'/g, "''")}'`;

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
  const measured = await executeInPostgres({ plan, load: { dataset: spec.name, source: { path: '' }, policyFile: spec.file, columns: spec.columns }, table: { source: spec.source, connection }, sampleLimits, keySets: new Map(), batchRows: 1, sessions });
  await sessions.closeAll();
  const results = evaluateDataset(plan, measured.results, { datasets: new Map([[spec.name, spec]]) });
  if (process.env.DEBUG_BENCH) console.error(results.map(r => [r.planned.spec.id, r.status, r.observed, r.message]));
  emit({ totalMs: now() - start, cpuMs: cpu() - cpuStart, metrics: metricsOf(results, measured.stream.rows), extra: { setupMs } });
} else {
  const start = now();
  const cpuStart = cpu();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows: [r] } = await client.query(`
WITH a AS (
  SELECT
    count(*) AS rows,
    count(*) FILTER (WHERE customer_id IS NULL) AS customer_id_nulls,
    count(*) FILTER (WHERE created_at IS NULL) AS created_at_nulls,
    count(*) FILTER (WHERE email IS NULL) AS email_nulls,
    count(*) FILTER (WHERE email IS NOT NULL AND email !~ ${quote(SUITE.emailPattern)}) AS email_pattern_failed,
    count(email) AS email_pattern_evaluated,
    count(*) FILTER (WHERE country NOT IN (${SUITE.countries.map(quote).join(', ')})) AS country_failed,
    count(*) FILTER (WHERE status NOT IN (${SUITE.statuses.map(quote).join(', ')})) AS status_failed,
    count(*) FILTER (WHERE amount < ${SUITE.amount[0]} OR amount > ${SUITE.amount[1]}) AS amount_range_failed,
    count(amount) AS amount_range_evaluated,
    count(*) FILTER (WHERE quantity < ${SUITE.quantity[0]} OR quantity > ${SUITE.quantity[1]}) AS quantity_range_failed,
    count(*) FILTER (WHERE NOT coalesce(updated_at >= created_at, false)) AS updated_before_created,
    extract(epoch FROM max(created_at)) * 1000 AS newest
  FROM ${table}),
d AS (SELECT coalesce(sum(n), 0) AS dup FROM (SELECT count(*) AS n FROM ${table} WHERE order_id IS NOT NULL GROUP BY order_id HAVING count(*) > 1) AS g)
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
