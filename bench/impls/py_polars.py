# Python Polars (pip; bench only), single-threaded (POLARS_MAX_THREADS=1 from
# the orchestrator), the same 12 checks as one lazy query over the same CSV.
# Prints the same one-line JSON as the JavaScript implementations. (Not named
# polars.py: Python would import this file as the polars module.)
import json, resource, sys, time

import polars as pl  # noqa: E402

# Module loading excluded, as for the JavaScript implementations.
start_wall = time.perf_counter()
start_cpu = time.process_time()

SUITE = json.loads(sys.argv[2])
mode, file = sys.argv[1], sys.argv[3]
ts = lambda name: pl.col(name).str.strptime(pl.Datetime('ms'), '%Y-%m-%dT%H:%M:%SZ')
if mode == 'csv':
    frame = pl.scan_csv(file, schema_overrides={'order_id': pl.Int64, 'customer_id': pl.Int32, 'email': pl.Utf8, 'country': pl.Utf8, 'amount': pl.Float64, 'quantity': pl.Int32, 'status': pl.Utf8, 'created_at': pl.Utf8, 'updated_at': pl.Utf8}).with_columns(ts('created_at'), ts('updated_at'))
else:
    frame = pl.scan_parquet(file)
email = pl.col('email')
count = lambda p: p.cast(pl.UInt32).sum()
r = frame.select(
    pl.len().alias('rows'),
    count(pl.col('customer_id').is_null()).alias('customer_id_nulls'),
    count(pl.col('created_at').is_null()).alias('created_at_nulls'),
    count(pl.col('order_id').drop_nulls().is_duplicated()).alias('dup'),
    count(email.is_null()).alias('email_nulls'),
    count(email.is_not_null() & ~email.str.contains(SUITE['emailPattern'])).alias('email_pattern_failed'),
    email.count().alias('email_pattern_evaluated'),
    count(pl.col('country').is_not_null() & ~pl.col('country').is_in(SUITE['countries'])).alias('country_failed'),
    count(pl.col('status').is_not_null() & ~pl.col('status').is_in(SUITE['statuses'])).alias('status_failed'),
    count((pl.col('amount') < SUITE['amount'][0]) | (pl.col('amount') > SUITE['amount'][1])).alias('amount_range_failed'),
    pl.col('amount').count().alias('amount_range_evaluated'),
    count((pl.col('quantity') < SUITE['quantity'][0]) | (pl.col('quantity') > SUITE['quantity'][1])).alias('quantity_range_failed'),
    count((pl.col('updated_at') < pl.col('created_at')).fill_null(False)).alias('updated_before_created'),
    pl.col('created_at').max().alias('newest'),
).collect().to_dicts()[0]
rows = r['rows']
newest = r['newest']
print(json.dumps({
    'loadMs': None, 'checksMs': None,
    'totalMs': (time.perf_counter() - start_wall) * 1000,
    'maxRssMB': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    'cpuMs': (time.process_time() - start_cpu) * 1000,
    'checksCpuMs': None,
    'metrics': {
        'rows': rows,
        'customer_id_nulls': r['customer_id_nulls'],
        'created_at_nulls': r['created_at_nulls'],
        'order_id_duplicate_rows': r['dup'],
        'email_missing_percent': 0 if rows == 0 else round(r['email_nulls'] / rows * 100 * 1e4) / 1e4,
        'email_pattern_failed': r['email_pattern_failed'],
        'email_pattern_evaluated': r['email_pattern_evaluated'],
        'country_failed': r['country_failed'],
        'status_failed': r['status_failed'],
        'amount_range_failed': r['amount_range_failed'],
        'amount_range_evaluated': r['amount_range_evaluated'],
        'quantity_range_failed': r['quantity_range_failed'],
        'updated_before_created': r['updated_before_created'],
        'newest_created_at': None if newest is None else newest.strftime('%Y-%m-%dT%H:%M:%S.') + f'{newest.microsecond // 1000:03d}Z',
    },
}))
