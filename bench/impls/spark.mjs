// The 12-check suite on a Parquet file read by Spark (bench/spark.mjs runs it).
// `assay`: assay's Spark executor through the library functions `assay check`
// runs (policy load excluded, as setupMs), counting the SQL statements it
// sends and the scans of the data they make (references to the source view).
// `sql`: the same conditions written by hand as one Spark SQL query (one
// scan for the aggregates plus one GROUP BY for the duplicate keys, as assay
// needs): the limit.
import { loadValidatedPolicies } from '../../dist/pipeline.js';
import { compilePlan } from '../../dist/plan/compile.js';
import { RunSessions } from '../../dist/engine/executor.js';
import { resolveConnection } from '../../dist/engine/connections.js';
import { sparkSession } from '../../dist/engine/spark/connection.js';
import { executeInSpark } from '../../dist/engine/spark/execute.js';
import { evaluateDataset } from '../../dist/evaluate.js';
import { cpu, emit, isoOf, now, percent, SUITE } from './common.mjs';

const [mode, url, parquet, policyDir] = process.argv.slice(2);
const quote = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const sessions = new RunSessions();
const connectionSpec = { name: 'bench', type: 'spark', url_env: 'ASSAY_BENCH_UNUSED', options: {}, file: 'bench', location: { file: 'bench', line: 1, col: 1 } };

if (mode === 'assay') {
  const setupStart = now();
  const { policy } = loadValidatedPolicies([policyDir]);
  const plan = compilePlan(policy).datasets[0];
  const setupMs = now() - setupStart;
  const start = now();
  const cpuStart = cpu();
  const spec = policy.datasets[0];
  const sampleLimits = new Map(plan.checks.filter((c) => c.measures.rows).map((c) => [c.measures.rows, c.spec.samples]));
  const connection = resolveConnection(policy.connections[0], { [policy.connections[0].name]: url });
  // The executor's session, with its statements recorded: how many, and how many scans of the source each makes.
  const session = await sparkSession(connection, sessions);
  const sessionMs = now() - start;
  const statements = [];
  const query = session.query;
  session.query = (sql) => {
    statements.push(sql);
    return query(sql);
  };
  const measured = await executeInSpark({ plan, load: { dataset: spec.name, source: { path: '' }, policyFile: spec.file, columns: spec.columns }, table: { source: spec.source, connection }, sampleLimits, keySets: new Map(), batchRows: 1, sessions });
  await sessions.closeAll();
  const results = evaluateDataset(plan, measured.results, { datasets: new Map([[spec.name, spec]]) });
  // DESCRIBE analyses the plan only; every other reference to the source view is a scan of the files.
  const scans = statements.map((s) => (s.startsWith('DESCRIBE') ? 0 : (s.match(/FROM `assay_source_\d+_\d+`/g) ?? []).length));
  emit({ totalMs: now() - start, cpuMs: cpu() - cpuStart, metrics: metricsOf(results), extra: { setupMs, sessionMs, statements: statements.length, scans, queries: statements.map((s) => s.slice(0, 60)) } });
} else {
  const start = now();
  const cpuStart = cpu();
  const session = await sparkSession(resolveConnection(connectionSpec, { bench: url }), sessions);
  const sessionMs = now() - start;
  const source = `parquet.\`${parquet}\``;
  const [r] = await session.rows(`
WITH a AS (
  SELECT
    count(*) AS rows,
    count(*) FILTER (WHERE customer_id IS NULL) AS customer_id_nulls,
    count(*) FILTER (WHERE created_at IS NULL) AS created_at_nulls,
    count(*) FILTER (WHERE email IS NULL) AS email_nulls,
    count(*) FILTER (WHERE email IS NOT NULL AND NOT email RLIKE ${quote(SUITE.emailPattern)}) AS email_pattern_failed,
    count(email) AS email_pattern_evaluated,
    count(*) FILTER (WHERE country NOT IN (${SUITE.countries.map(quote).join(', ')})) AS country_failed,
    count(*) FILTER (WHERE status NOT IN (${SUITE.statuses.map(quote).join(', ')})) AS status_failed,
    count(*) FILTER (WHERE amount < ${SUITE.amount[0]} OR amount > ${SUITE.amount[1]}) AS amount_range_failed,
    count(amount) AS amount_range_evaluated,
    count(*) FILTER (WHERE quantity < ${SUITE.quantity[0]} OR quantity > ${SUITE.quantity[1]}) AS quantity_range_failed,
    count(*) FILTER (WHERE updated_at < created_at) AS updated_before_created,
    unix_millis(max(created_at)) AS newest
  FROM ${source}),
d AS (SELECT coalesce(sum(n), 0) AS dup FROM (SELECT count(*) AS n FROM ${source} WHERE order_id IS NOT NULL GROUP BY order_id HAVING count(*) > 1) AS g)
SELECT * FROM a, d`);
  await sessions.closeAll();
  const n = (i) => Number(r[i]);
  emit({
    totalMs: now() - start,
    cpuMs: cpu() - cpuStart,
    metrics: {
      rows: n(0), customer_id_nulls: n(1), created_at_nulls: n(2), order_id_duplicate_rows: n(13),
      email_missing_percent: percent(n(3), n(0)), email_pattern_failed: n(4), email_pattern_evaluated: n(5),
      country_failed: n(6), status_failed: n(7), amount_range_failed: n(8), amount_range_evaluated: n(9),
      quantity_range_failed: n(10), updated_before_created: n(11), newest_created_at: isoOf(n(12)),
    },
    extra: { sessionMs },
  });
}

function metricsOf(checks) {
  const by = Object.fromEntries(checks.map((c) => [c.planned.spec.id, c]));
  const failed = (id) => by[id].failedRows;
  const rows = by['orders.row_count'].observed;
  return {
    rows,
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
