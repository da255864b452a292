# Soda Core 3 on DuckDB (pip soda-core-duckdb; bench only), single-threaded
# (SET threads = 1), the 12 checks written in SodaCL over a DuckDB view of
# the same CSV with the same column types as the DuckDB baseline. Soda
# computes its own metrics (its duplicate_count counts duplicated values, not
# rows, and it collects failed-row samples its own way), so only the ones
# that mean the same as assay's are reported; run.mjs compares those.
import json, resource, sys, time

from soda.scan import Scan
import duckdb

start_wall = time.perf_counter()
start_cpu = time.process_time()
SUITE = json.loads(sys.argv[2])
file = sys.argv[3]
con = duckdb.connect()
con.execute('SET threads = 1')
types = "{'order_id': 'BIGINT', 'customer_id': 'INTEGER', 'email': 'VARCHAR', 'country': 'VARCHAR', 'amount': 'DOUBLE', 'quantity': 'INTEGER', 'status': 'VARCHAR', 'created_at': 'TIMESTAMP', 'updated_at': 'TIMESTAMP'}"
q = file.replace("'", "''")
con.execute(f"CREATE VIEW orders AS SELECT * FROM read_csv('{q}', header = true, auto_detect = false, timestampformat = '%Y-%m-%dT%H:%M:%SZ', columns = {types})")
values = lambda xs: '[' + ', '.join(xs) + ']'
checks = f"""
checks for orders:
  - row_count > 0
  - missing_count(customer_id) = 0
  - missing_count(created_at) = 0
  - duplicate_count(order_id) = 0
  - missing_percent(email) < 2
  - invalid_count(email) = 0:
      valid regex: '{SUITE['emailPattern']}'
  - invalid_count(country) = 0:
      valid values: {values(SUITE['countries'])}
  - invalid_count(status) = 0:
      valid values: {values(SUITE['statuses'])}
  - invalid_count(amount) = 0:
      valid min: {SUITE['amount'][0]}
      valid max: {SUITE['amount'][1]}
  - invalid_count(quantity) = 0:
      valid min: {SUITE['quantity'][0]}
      valid max: {SUITE['quantity'][1]}
  - failed rows:
      name: updated_after_created
      fail condition: updated_at < created_at
  - freshness(created_at) < 10000d
"""
scan = Scan()
scan.set_data_source_name('duckdb')
scan.add_duckdb_connection(duckdb_connection=con, data_source_name='duckdb')
scan.add_sodacl_yaml_str(checks)
scan.execute()
measured = {}
for check in scan.get_scan_results()['checks']:
    measured[check['name']] = check.get('diagnostics', {}).get('value')
wall = (time.perf_counter() - start_wall) * 1000
cpu = (time.process_time() - start_cpu) * 1000
get = lambda prefix: next((v for k, v in measured.items() if k.startswith(prefix)), None)
print(json.dumps({
    'loadMs': None, 'checksMs': None, 'totalMs': wall,
    'maxRssMB': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    'cpuMs': cpu, 'checksCpuMs': None, 'soda': measured,
    'metrics': {
        'rows': get('row_count'),
        'customer_id_nulls': get('missing_count(customer_id)'),
        'created_at_nulls': get('missing_count(created_at)'),
        'email_pattern_failed': get('invalid_count(email)'),
        'country_failed': get('invalid_count(country)'),
        'status_failed': get('invalid_count(status)'),
        'amount_range_failed': get('invalid_count(amount)'),
        'quantity_range_failed': get('invalid_count(quantity)'),
        'updated_before_created': get('updated_after_created'),
    },
}))
