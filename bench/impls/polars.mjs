// nodejs-polars with the same 12 checks as one lazy query over the same CSV
// (run with POLARS_MAX_THREADS=1 by the orchestrator, like DuckDB).
import pl from 'nodejs-polars';
import { cpu, emit, isoOf, now, percent, SUITE } from './common.mjs';

const [, file] = process.argv.slice(2);
const start = now();
const cpuStart = cpu();
const ts = (name) => pl.col(name).str.strptime(pl.Datetime('ms'), '%Y-%m-%dT%H:%M:%SZ');
const frame = pl
  .scanCSV(file, {
    dtypes: { order_id: pl.Int64, customer_id: pl.Int32, email: pl.Utf8, country: pl.Utf8, amount: pl.Float64, quantity: pl.Int32, status: pl.Utf8, created_at: pl.Utf8, updated_at: pl.Utf8 },
  })
  .withColumns(ts('created_at').alias('created_at'), ts('updated_at').alias('updated_at'));
const email = pl.col('email');
const count = (predicate) => predicate.cast(pl.UInt32).sum();
const out = frame
  .select(
    pl.len().alias('rows'),
    count(pl.col('customer_id').isNull()).alias('customer_id_nulls'),
    count(pl.col('created_at').isNull()).alias('created_at_nulls'),
    count(pl.col('order_id').filter(pl.col('order_id').isNotNull()).isDuplicated()).alias('dup'),
    count(email.isNull()).alias('email_nulls'),
    count(email.isNotNull().and(email.str.contains(SUITE.emailPattern).not())).alias('email_pattern_failed'),
    email.count().alias('email_pattern_evaluated'),
    count(pl.col('country').isNotNull().and(pl.col('country').isIn(SUITE.countries).not())).alias('country_failed'),
    count(pl.col('status').isNotNull().and(pl.col('status').isIn(SUITE.statuses).not())).alias('status_failed'),
    count(pl.col('amount').lt(SUITE.amount[0]).or(pl.col('amount').gt(SUITE.amount[1]))).alias('amount_range_failed'),
    pl.col('amount').count().alias('amount_range_evaluated'),
    count(pl.col('quantity').lt(SUITE.quantity[0]).or(pl.col('quantity').gt(SUITE.quantity[1]))).alias('quantity_range_failed'),
    count(pl.col('updated_at').lt(pl.col('created_at')).fillNull(false)).alias('updated_before_created'),
    pl.col('created_at').max().alias('newest'),
  )
  .collectSync();
const r = Object.fromEntries(Object.entries(out.toRecords()[0]).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
emit({
  totalMs: now() - start,
  cpuMs: cpu() - cpuStart,
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
    newest_created_at: isoOf(r.newest instanceof Date ? r.newest.getTime() : r.newest),
  },
});
