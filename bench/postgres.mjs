// npm run build && node bench/postgres.mjs [--rows 1000000,5000000] [--reps 3]
//
// The 12-check suite (bench/suite/orders.yaml) on a PostgreSQL table:
// assay's PostgreSQL executor against the same conditions written by hand as
// one SQL query (the limit; with and without the failing-row samples assay's
// report carries), and Soda Core (soda-core-postgres) when a `soda` command
// is found (ASSAY_BENCH_SODA, else `soda` on PATH; bench only, never a
// dependency of assay). Each run is its own child process, interleaved.
//
// CPU time is what is compared: the server's (the postmaster's children,
// read from /proc: the server must run on this machine, as the throw-away
// cluster of .ci/postgres.sh does) plus the client's. Wall time is shown
// too but means little on a busy machine. Medians of --reps runs. The server
// is ASSAY_BENCH_POSTGRES_URL (else ASSAY_TEST_POSTGRES_URL), used by nothing
// else during the run; the table bench_orders_<rows> is loaded once from the
// generated CSV with psql's \copy. assay and the hand-written query must
// agree on every metric, or the bench exits 1.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
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
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The server's CPU: the postmaster's own and its reaped children's (every backend, once it exits).
const monitor = new pg.Client({ connectionString: url });
await monitor.connect();
const dataDirectory = (await monitor.query('SHOW data_directory')).rows[0].data_directory;
const postmaster = Number(readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const serverCpuMs = () => {
  const fields = readFileSync(`/proc/${postmaster}/stat`, 'utf8').split(') ')[1].split(' ');
  return fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0) * TICK_MS; // utime, stime, cutime, cstime
};
/** Wait until no other client backend is left, so its CPU has been reaped into the postmaster's. */
async function settled() {
  for (let i = 0; i < 100; i++) {
    const { rows } = await monitor.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
    if (rows[0].n === 0) return;
    await sleep(50);
  }
}

const sodaCommand = process.env.ASSAY_BENCH_SODA || 'soda';
const sodaFound = spawnSync(sodaCommand, ['--help'], { encoding: 'utf8' }).status === 0;
const target = new URL(url);

const lines = [
  '| rows | assay CPU (s) | hand SQL CPU (s) | ratio | hand SQL + samples CPU (s) | ratio | Soda Core CPU (s) | assay wall (s) | hand SQL wall (s) | assay peak RSS (MB) |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
let disagree = false;
for (const rows of rowsList) {
  const { csv } = await ensureData(rows, (m) => console.error(m));
  const table = `bench_orders_${rows}`;
  const exists = psql(['-tAc', `SELECT to_regclass('public.${table}') IS NOT NULL`]).trim() === 't';
  if (!exists) {
    console.error(`loading ${csv} into ${table}`);
    psql(['-c', `CREATE TABLE ${table} (order_id bigint, customer_id integer, email text, country text, amount float8, quantity integer, status text, created_at timestamptz, updated_at timestamptz)`]);
    psql(['-c', `\\copy ${table} FROM '${csv}' WITH (FORMAT csv, HEADER true)`]);
    psql(['-c', `VACUUM ANALYZE ${table}`]);
  }
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-pg-'));
  const suite = readFileSync(new URL('./suite/orders.yaml', import.meta.url), 'utf8');
  writeFileSync(join(dir, 'orders.yaml'), suite.replace(/source:\n {2}path: .*\n/, `source:\n  connection: bench\n  table: public.${table}\n`) + '---\nkind: connection\nname: bench\ntype: postgres\nurl_env: ASSAY_BENCH_UNUSED\n');
  const sodaDir = mkdtempSync(join(tmpdir(), 'assay-bench-soda-')); // not among the policy files
  writeSodaFiles(sodaDir, table);
  const script = new URL('./impls/postgres.mjs', import.meta.url).pathname;
  const run = async (mode) => {
    await settled();
    const before = serverCpuMs();
    let result;
    if (mode === 'soda') {
      const start = performance.now();
      const child = spawnSync('/usr/bin/time', ['-f', '%U %S %M', sodaCommand, 'scan', '-d', 'bench', '-c', join(sodaDir, 'soda-config.yml'), join(sodaDir, 'soda-checks.yml')], { encoding: 'utf8', env: { ...process.env, OTEL_SDK_DISABLED: 'true' } });
      const [user, system, rssKB] = child.stderr.trim().split('\n').pop().split(' ').map(Number);
      result = { totalMs: performance.now() - start, cpuMs: (user + system) * 1000, maxRssMB: Math.round(rssKB / 1024), output: child.stdout };
    } else {
      result = JSON.parse(execFileSync(process.execPath, [script, mode, url, table, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop());
    }
    await settled();
    return { ...result, serverCpuMs: serverCpuMs() - before };
  };
  const modes = ['sql', 'sql-samples', 'assay', ...(sodaFound ? ['soda'] : [])];
  const cpuTimes = Object.fromEntries(modes.map((m) => [m, []]));
  const wallTimes = Object.fromEntries(modes.map((m) => [m, []]));
  const rss = [];
  const metrics = {};
  for (let r = 0; r < reps; r++) {
    for (const mode of modes) {
      const result = await run(mode);
      cpuTimes[mode].push(result.cpuMs + result.serverCpuMs);
      wallTimes[mode].push(result.totalMs);
      if (mode === 'assay') rss.push(result.maxRssMB);
      metrics[mode] = result.metrics;
      if (mode === 'soda' && r === 0) console.error(`Soda Core, ${rows} rows:\n${result.output.split('\n').filter((l) => /check_value|\[(PASSED|FAILED|ERROR)\]|Oops|All is good/.test(l)).join('\n')}`);
      console.error(`${rows} rows, ${mode}: CPU ${((result.cpuMs + result.serverCpuMs) / 1000).toFixed(2)} s (server ${(result.serverCpuMs / 1000).toFixed(2)}), wall ${(result.totalMs / 1000).toFixed(2)} s`);
    }
  }
  for (const m of METRICS) {
    for (const hand of ['sql', 'sql-samples']) {
      if (JSON.stringify(metrics.assay[m]) !== JSON.stringify(metrics[hand][m])) {
        disagree = true;
        console.error(`${rows} rows: ${m}: assay ${JSON.stringify(metrics.assay[m])}, ${hand} ${JSON.stringify(metrics[hand][m])}`);
      }
    }
  }
  const s = (mode) => median(cpuTimes[mode]) / 1000;
  const w = (mode) => median(wallTimes[mode]) / 1000;
  lines.push(
    `| ${rows.toLocaleString('en-US')} | ${s('assay').toFixed(2)} | ${s('sql').toFixed(2)} | ${(s('assay') / s('sql')).toFixed(2)}× | ${s('sql-samples').toFixed(2)} | ${(s('assay') / s('sql-samples')).toFixed(2)}× | ${sodaFound ? s('soda').toFixed(2) : 'n/a'} | ${w('assay').toFixed(2)} | ${w('sql').toFixed(2)} | ${Math.max(...rss)} |`,
  );
}
await monitor.end();
console.log(lines.join('\n'));
if (!sodaFound) console.log(`\nSoda Core not measured: no \`${sodaCommand}\` command (pip install soda-core-postgres==3.5.6 in a venv, then ASSAY_BENCH_SODA=<venv>/bin/soda).`);
process.exit(disagree ? 1 : 0);

/** The same 12 checks in SodaCL, and a data source for the same server (telemetry off: OTEL_SDK_DISABLED). */
function writeSodaFiles(dir, table) {
  writeFileSync(
    join(dir, 'soda-config.yml'),
    `data_source bench:\n  type: postgres\n  host: ${target.hostname}\n  port: "${target.port || 5432}"\n  username: ${decodeURIComponent(target.username)}\n  password: "${decodeURIComponent(target.password)}"\n  database: ${target.pathname.slice(1)}\n  schema: public\n`,
  );
  writeFileSync(
    join(dir, 'soda-checks.yml'),
    `checks for ${table}:
  - row_count > 0
  - missing_count(customer_id) = 0
  - missing_count(created_at) = 0
  - duplicate_count(order_id) = 0
  - missing_percent(email) < 2
  - invalid_count(email) = 0:
      valid regex: '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$'
  - invalid_count(country) = 0:
      valid values: [US, GB, DE, FR, ES, IT, NL]
  - invalid_count(status) = 0:
      valid values: [placed, paid, shipped, cancelled, refunded]
  - invalid_count(amount) = 0:
      valid min: 0
      valid max: 10000
  - invalid_count(quantity) = 0:
      valid min: 1
      valid max: 100
  - failed rows:
      name: updated_after_created
      fail condition: updated_at < created_at
  - freshness(created_at) < 100000d
`,
  );
}
