// npm run build && node bench/spark.mjs [--rows 5000000] [--reps 3]
//
// The 12-check suite (bench/suite/orders.yaml) over the generated orders as
// one Parquet file, read by a Spark Connect server (ASSAY_BENCH_SPARK_URL,
// else ASSAY_TEST_SPARK_URL; on the same machine, since the path is local):
// assay's Spark executor against the same conditions written by hand as one
// Spark SQL query (the limit), and, for the record, assay on DuckDB (the CSV)
// and assay in-process (the Parquet file); each in its own child process,
// interleaved; medians of wall time (Spark's work is in the server, not in
// the client's CPU time). Prints the SQL statements assay sent and the scans
// of the data each made. Every implementation must agree on every metric,
// or the bench exits 1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureData } from './generate.mjs';
import { METRICS } from './impls/common.mjs';

const url = process.env.ASSAY_BENCH_SPARK_URL || process.env.ASSAY_TEST_SPARK_URL;
if (!url) {
  console.error('set ASSAY_BENCH_SPARK_URL (or ASSAY_TEST_SPARK_URL) to a Spark Connect server: see README "Checking data on Spark"');
  process.exit(2);
}
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const rowsList = opt('--rows', '5000000').split(',').map(Number);
const reps = Number(opt('--reps', '3'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const lines = [
  `load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  '',
  '| rows | assay on Spark (s) | hand-written Spark SQL (s) | ratio | assay on DuckDB, CSV (s) | assay in-process, Parquet (s) | statements | scans of the data |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|',
];
let disagree = false;
for (const rows of rowsList) {
  const { csv, parquet } = await ensureData(rows, (m) => console.error(m));
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-spark-'));
  const suite = readFileSync(new URL('./suite/orders.yaml', import.meta.url), 'utf8');
  writeFileSync(join(dir, 'orders.yaml'), suite.replace(/source:\n {2}path: .*\n/, `source:\n  connection: bench\n  path: ${parquet}\n  format: parquet\n`) + '---\nkind: connection\nname: bench\ntype: spark\nurl_env: ASSAY_BENCH_UNUSED\n');
  const impl = (script, argv) => JSON.parse(execFileSync(process.execPath, [new URL(`./impls/${script}`, import.meta.url).pathname, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 }).trim().split('\n').pop());
  const runs = {
    sql: () => impl('spark.mjs', ['sql', url, parquet, dir]),
    assay: () => impl('spark.mjs', ['assay', url, parquet, dir]),
    duckdb: () => impl('assay.mjs', ['duckdb', csv]),
    parquet: () => impl('assay.mjs', ['parquet', parquet]),
  };
  const times = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  const metrics = {};
  let last;
  for (let r = 0; r < reps; r++) {
    for (const [mode, run] of Object.entries(runs)) {
      const result = run();
      console.error(`${rows} rows, ${mode}: ${(result.totalMs / 1000).toFixed(2)} s`);
      times[mode].push(result.totalMs);
      metrics[mode] = result.metrics;
      if (mode === 'assay') last = result;
    }
  }
  for (const mode of ['assay', 'duckdb', 'parquet']) {
    for (const m of METRICS) {
      if (JSON.stringify(metrics[mode][m]) !== JSON.stringify(metrics.sql[m])) {
        disagree = true;
        console.error(`${rows} rows: ${m}: ${mode} ${JSON.stringify(metrics[mode][m])}, hand-written ${JSON.stringify(metrics.sql[m])}`);
      }
    }
  }
  console.error(`assay's statements (scans of the data): ${last.queries.map((q, i) => `\n  ${last.scans[i]}  ${q}…`).join('')}`);
  const s = (mode) => median(times[mode]) / 1000;
  const scans = last.scans.reduce((a, b) => a + b, 0);
  lines.push(`| ${rows.toLocaleString('en-US')} | ${s('assay').toFixed(2)} | ${s('sql').toFixed(2)} | ${(s('assay') / s('sql')).toFixed(2)}× | ${s('duckdb').toFixed(2)} | ${s('parquet').toFixed(2)} | ${last.statements} | ${scans} |`);
}
lines.push('', `load average at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(lines.join('\n'));
process.exit(disagree ? 1 : 0);
