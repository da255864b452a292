// npm run build && node bench/postgres.mjs [--rows 1000000,5000000] [--reps 3]
//
// The 12-check suite (bench/suite/orders.yaml) on a PostgreSQL table:
// assay's PostgreSQL executor against the same conditions written by hand as
// one SQL query (the limit), each in its own child process, interleaved;
// medians of wall time, the ratio, and assay's peak RSS. The server is
// ASSAY_BENCH_POSTGRES_URL (else ASSAY_TEST_POSTGRES_URL); the table
// bench_orders_<rows> is loaded once from the generated CSV with psql's \copy.
// Both must agree on every metric, or the bench exits 1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureData } from './generate.mjs';
import { METRICS } from './impls/common.mjs';

const url = process.env.ASSAY_BENCH_POSTGRES_URL || process.env.ASSAY_TEST_POSTGRES_URL;
if (!url) {
  console.error('set ASSAY_BENCH_POSTGRES_URL (or ASSAY_TEST_POSTGRES_URL) to a PostgreSQL server: see README "Checking a PostgreSQL table"');
  process.exit(2);
}
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const rowsList = opt('--rows', '1000000').split(',').map(Number);
const reps = Number(opt('--reps', '3'));
const psql = (sqlOrFlags) => execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', url, ...sqlOrFlags], { encoding: 'utf8', env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const lines = ['| rows | assay (s) | hand-written SQL (s) | ratio | assay peak RSS (MB) |', '|---:|---:|---:|---:|---:|'];
let disagree = false;
for (const rows of rowsList) {
  const { csv } = await ensureData(rows, (m) => console.error(m));
  const table = `bench_orders_${rows}`;
  const exists = psql(['-tAc', `SELECT to_regclass('public.${table}') IS NOT NULL`]).trim() === 't';
  if (!exists) {
    console.error(`loading ${csv} into ${table}`);
    psql(['-c', `CREATE TABLE ${table} (order_id bigint, customer_id integer, email text, country text, amount float8, quantity integer, status text, created_at timestamptz, updated_at timestamptz)`]);
    psql(['-c', `\\copy ${table} FROM '${csv}' WITH (FORMAT csv, HEADER true)`]);
    psql(['-c', `ANALYZE ${table}`]);
  }
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-pg-'));
  const suite = execFileSync('cat', [new URL('./suite/orders.yaml', import.meta.url).pathname], { encoding: 'utf8' });
  writeFileSync(join(dir, 'orders.yaml'), suite.replace(/source:\n {2}path: .*\n/, `source:\n  connection: bench\n  table: public.${table}\n`) + '---\nkind: connection\nname: bench\ntype: postgres\nurl_env: ASSAY_BENCH_UNUSED\n');
  const script = new URL('./impls/postgres.mjs', import.meta.url).pathname;
  const run = (mode) => JSON.parse(execFileSync(process.execPath, [script, mode, url, table, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop());
  const times = { assay: [], sql: [] };
  const rss = [];
  let metrics = {};
  for (let r = 0; r < reps; r++) {
    for (const mode of ['sql', 'assay']) {
      const result = run(mode);
      times[mode].push(result.totalMs);
      if (mode === 'assay') rss.push(result.maxRssMB);
      metrics[mode] = result.metrics;
    }
  }
  for (const m of METRICS) {
    if (JSON.stringify(metrics.assay[m]) !== JSON.stringify(metrics.sql[m])) {
      disagree = true;
      console.error(`${rows} rows: ${m}: assay ${JSON.stringify(metrics.assay[m])}, hand-written ${JSON.stringify(metrics.sql[m])}`);
    }
  }
  const a = median(times.assay) / 1000;
  const s = median(times.sql) / 1000;
  lines.push(`| ${rows.toLocaleString('en-US')} | ${a.toFixed(2)} | ${s.toFixed(2)} | ${(a / s).toFixed(2)}× | ${Math.max(...rss)} |`);
}
console.log(lines.join('\n'));
process.exit(disagree ? 1 : 0);
