// npm run bench [-- --rows 1000000,5000000 --reps 3 --only assay-csv,duckdb-csv]
//
// Generates the orders table (bench/generate.mjs), then runs every
// implementation of the 12-check suite in its own child process, several
// times, interleaved, and reports medians: total, load/parse vs checks, rows
// per second, peak RSS (the child's maxRSS). Every implementation must agree
// on every metric, or the bench exits 1. Results go to bench/results/
// (gitignored) and a markdown table to stdout.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ensureData } from './generate.mjs';
import { METRICS, SUITE } from './impls/common.mjs';

const IMPLS = [
  { id: 'assay-csv', label: 'assay, CSV end to end', script: 'assay.mjs', args: (d) => ['csv', d.csv] },
  { id: 'assay-parquet', label: 'assay, Parquet (hyparquet-writer, uncompressed) end to end', script: 'assay.mjs', args: (d) => ['parquet', d.parquet] },
  { id: 'assay-parquet-zstd', label: 'assay, ZSTD Parquet end to end', script: 'assay.mjs', args: (d) => ['parquet', d.zstd] },
  { id: 'assay-parquet-snappy', label: 'assay, Snappy Parquet end to end', script: 'assay.mjs', args: (d) => ['parquet', d.snappy] },
  { id: 'assay-duckdb', label: 'assay --engine duckdb, CSV end to end, 1 thread', script: 'assay.mjs', args: (d) => ['duckdb', d.csv] },
  { id: 'assay-memory', label: 'assay, checks on data in memory', script: 'assay.mjs', args: (d) => ['memory', d.csv] },
  { id: 'hand-csv', label: 'hand-written loop, CSV end to end (split lines, V8 RegExp, Map)', script: 'handcsv.mjs', args: (d) => ['csv', d.csv] },
  { id: 'hand-re2', label: 'hand-written loop, in memory (RE2JS regex)', script: 'handloop.mjs', args: (d) => ['re2', d.csv] },
  { id: 'duckdb-csv', label: 'DuckDB 1 thread, one query over read_csv', script: 'duckdb.mjs', args: (d) => ['csv', d.csv] },
  { id: 'duckdb-parquet-zstd', label: 'DuckDB 1 thread, one query over read_parquet (ZSTD)', script: 'duckdb.mjs', args: (d) => ['parquet', d.zstd] },
  { id: 'duckdb-parquet-snappy', label: 'DuckDB 1 thread, one query over read_parquet (Snappy)', script: 'duckdb.mjs', args: (d) => ['parquet', d.snappy] },
  { id: 'polars-py-csv', label: 'Polars (Python) 1 thread, lazy scan_csv', python: 'py_polars.py', args: (d) => ['csv', JSON.stringify(SUITE), d.csv] },
  { id: 'soda-duckdb', label: 'Soda Core 3.5 on DuckDB 1 thread, SodaCL over read_csv (metrics: the 9 it shares)', python: 'py_soda.py', partial: true, args: (d) => ['csv', JSON.stringify(SUITE), d.csv] },
  { id: 'polars-py-zstd', label: 'Polars (Python) 1 thread, lazy scan_parquet (ZSTD)', python: 'py_polars.py', args: (d) => ['parquet', JSON.stringify(SUITE), d.zstd] },
];

/** Which DuckDB run each implementation is compared with: the same input format. */
const BASELINE = { 'assay-parquet-zstd': 'duckdb-parquet-zstd', 'assay-parquet-snappy': 'duckdb-parquet-snappy', 'polars-py-zstd': 'duckdb-parquet-zstd', 'duckdb-parquet-zstd': 'duckdb-parquet-zstd', 'duckdb-parquet-snappy': 'duckdb-parquet-snappy' };
const baselineOf = (id) => BASELINE[id] ?? 'duckdb-csv';

/** Python interpreter for the Python peers (`ASSAY_BENCH_PYTHON`, e.g. a venv's). */
const PYTHON = process.env.ASSAY_BENCH_PYTHON || 'python3';

/** True when `module` imports in the bench's Python. */
function pythonHas(module) {
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function parseArgs(argv) {
  const opts = { rows: [100_000, 1_000_000, 5_000_000], reps: 3, only: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = inline ?? argv[++i];
    if (flag === '--rows') opts.rows = value.split(',').map((v) => Number(v.replace(/_/g, '')));
    else if (flag === '--reps') opts.reps = Number(value);
    else if (flag === '--only') opts.only = value.split(',');
    else throw new Error(`unknown option ${flag} (use --rows N[,N], --reps N, --only id,id)`);
  }
  if (opts.rows.some((n) => !(n > 0)) || !(opts.reps >= 1)) throw new Error('--rows and --reps must be positive');
  return opts;
}

const median = (xs) => {
  const v = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

function runChild(impl, data) {
  const script = new URL(`./impls/${impl.script ?? impl.python}`, import.meta.url).pathname;
  const out = execFileSync(impl.python ? PYTHON : process.execPath, [script, ...impl.args(data)], {
    encoding: 'utf8',
    env: { ...process.env, POLARS_MAX_THREADS: '1', ...impl.env },
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop());
}

const s = (ms) => (ms === null ? '—' : (ms / 1000).toFixed(2));

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let impls = opts.only ? IMPLS.filter((i) => opts.only.includes(i.id)) : IMPLS;
  // The Python peers are installed for the bench only (bench/README.md).
  const notes = [];
  if (!pythonHas('polars')) {
    notes.push(`Polars (Python) absent: \`pip install polars\` (or set ASSAY_BENCH_PYTHON to a venv's python) to include it.`);
    impls = impls.filter((i) => i.python !== 'py_polars.py');
  }
  if (!pythonHas('soda.scan')) {
    notes.push('Soda Core absent: `pip install soda-core-duckdb` to include it.');
    impls = impls.filter((i) => i.id !== 'soda-duckdb');
  }
  // Great Expectations is a peer worth measuring but is not wired into this bench yet: say whether it is installed.
  notes.push(`Great Expectations: ${pythonHas('great_expectations') ? 'installed, not wired into this bench yet' : 'absent'}.`);
  for (const note of notes) console.error(note);
  const results = [];
  let agree = true;
  for (const rows of opts.rows) {
    const data = await ensureData(rows, (m) => console.error(m));
    const runs = Object.fromEntries(impls.map((i) => [i.id, []]));
    for (let rep = 0; rep < opts.reps; rep++) {
      for (const impl of impls) {
        console.error(`[${rows} rows] ${impl.id} run ${rep + 1}/${opts.reps}`);
        runs[impl.id].push(runChild(impl, data));
      }
    }
    // Agreement: every run of every implementation gives the same metrics.
    const reference = runs[impls[0].id][0].metrics;
    for (const impl of impls) {
      for (const run of runs[impl.id]) {
        for (const m of METRICS) {
          if (impl.partial && (run.metrics[m] === undefined || run.metrics[m] === null)) continue; // a metric this peer does not compute
          if (run.metrics[m] !== reference[m]) {
            agree = false;
            console.error(`DISAGREE at ${rows} rows: ${impl.id} ${m} = ${run.metrics[m]}, ${impls[0].id} says ${reference[m]}`);
          }
        }
      }
    }
    for (const impl of impls) {
      const r = runs[impl.id];
      results.push({
        rows,
        id: impl.id,
        label: impl.label,
        runs: r.length,
        totalMs: median(r.map((x) => x.totalMs)),
        loadMs: median(r.map((x) => x.loadMs)),
        checksMs: median(r.map((x) => x.checksMs)),
        setupMs: median(r.map((x) => x.setupMs)),
        cpuMs: median(r.map((x) => x.cpuMs)),
        checksCpuMs: median(r.map((x) => x.checksCpuMs)),
        maxRssMB: median(r.map((x) => x.maxRssMB)),
        metrics: r[0].metrics,
        raw: r,
      });
    }
  }
  const markdown = render(results, opts, agree, notes);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(new URL(`./results/${stamp}.json`, import.meta.url), JSON.stringify({ opts, results, agree }, null, 2));
  writeFileSync(new URL(`./results/${stamp}.md`, import.meta.url), markdown);
  console.log(markdown);
  if (!agree) {
    console.error('bench: implementations disagree on some metric (see above)');
    process.exitCode = 1;
  }
}

function render(results, opts, agree, notes) {
  const lines = [
    `Medians of ${opts.reps} runs per implementation, each run in its own process; ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${osLine()}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end.`,
    'Wall = elapsed time of the data work (module loading excluded); CPU = that process\'s user + system time, which a busy shared machine disturbs far less.',
    '',
    'Ratios compare with DuckDB reading the same input (read_csv for CSV, read_parquet of the same codec for Parquet).',
    '',
    '| rows | implementation | wall s | load/parse s | checks s | CPU s | checks CPU s | rows/s (wall) | peak RSS MB | wall vs DuckDB | CPU vs DuckDB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const duck = results.find((x) => x.rows === r.rows && x.id === baselineOf(r.id));
    const ratio = duck ? `${(r.totalMs / duck.totalMs).toFixed(2)}×` : '—';
    const cpuRatio = duck ? `${(r.cpuMs / duck.cpuMs).toFixed(2)}×` : '—';
    const rate = Math.round(r.rows / (r.totalMs / 1000)).toLocaleString('en-US');
    lines.push(`| ${r.rows.toLocaleString('en-US')} | ${r.label} | ${s(r.totalMs)} | ${s(r.loadMs)} | ${s(r.checksMs)} | ${s(r.cpuMs)} | ${s(r.checksCpuMs)} | ${rate} | ${r.maxRssMB} | ${ratio} | ${cpuRatio} |`);
  }
  lines.push('', 'Targets:');
  for (const rows of [...new Set(results.map((r) => r.rows))]) {
    const get = (id) => results.find((r) => r.rows === rows && r.id === id);
    const mem = get('assay-memory');
    const handRe2 = get('hand-re2');
    const csv = get('assay-csv');
    const duck = get('duckdb-csv');
    const n = rows.toLocaleString('en-US');
    if (mem && handRe2) lines.push(`- ${n} rows: in-memory checks ${s(mem.checksMs)} s vs hand-written loop ${s(handRe2.checksMs)} s = ${(mem.checksMs / handRe2.checksMs).toFixed(2)}× wall, ${(mem.checksCpuMs / handRe2.checksCpuMs).toFixed(2)}× CPU (target ≤ 1.5×)`);
    if (csv && duck) lines.push(`- ${n} rows: CSV end to end ${s(csv.totalMs)} s vs DuckDB ${s(duck.totalMs)} s = ${(csv.totalMs / duck.totalMs).toFixed(2)}× wall, ${(csv.cpuMs / duck.cpuMs).toFixed(2)}× CPU (target ≤ 1.2×)`);
    for (const id of ['assay-duckdb']) {
      const engine = get(id);
      const soda = get('soda-duckdb');
      if (engine && soda) lines.push(`- ${n} rows: --engine duckdb vs Soda Core on DuckDB: ${(engine.cpuMs / soda.cpuMs).toFixed(2)}× CPU (target ≤ 1×)`);
      if (engine && duck) lines.push(`- ${n} rows: CSV end to end with --engine duckdb (${id.endsWith('2t') ? '2 threads' : '1 thread'}) ${s(engine.totalMs)} s vs DuckDB ${s(duck.totalMs)} s = ${(engine.totalMs / duck.totalMs).toFixed(2)}× wall, ${(engine.cpuMs / duck.cpuMs).toFixed(2)}× CPU (target: ≤ Soda Core on DuckDB)`);
    }
    for (const codec of ['zstd', 'snappy']) {
      const pq = get(`assay-parquet-${codec}`);
      const duckPq = get(`duckdb-parquet-${codec}`);
      if (pq && duckPq) lines.push(`- ${n} rows: ${codec} Parquet end to end ${s(pq.totalMs)} s vs DuckDB read_parquet ${s(duckPq.totalMs)} s = ${(pq.cpuMs / duckPq.cpuMs).toFixed(2)}× CPU (target ≤ 1.5×)`);
    }
    const hand = get('hand-csv');
    if (csv && hand) lines.push(`- ${n} rows: CSV end to end vs the hand-written loop: ${(csv.cpuMs / hand.cpuMs).toFixed(2)}× CPU`);
    if (csv) lines.push(`- ${n} rows: assay CSV peak RSS ${csv.maxRssMB} MB (target < 1 GB at 5M rows, flat in the row count)`);
    if (csv?.setupMs) lines.push(`- ${n} rows: assay's fixed policy load + validation, not in the totals above: ${s(csv.setupMs)} s`);
  }
  lines.push('', ...notes.map((note) => `- ${note}`));
  lines.push('', agree ? `Every implementation agreed on all ${METRICS.length} metrics (${METRICS.join(', ')}); a peer that computes fewer (its label says so) agreed on those.` : 'IMPLEMENTATIONS DISAGREE: see stderr.');
  return lines.join('\n');
}

function osLine() {
  try {
    const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim();
    return `${cpu}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores`;
  } catch {
    return 'unknown CPU';
  }
}

main().catch((e) => {
  console.error(`bench: ${e.message}`);
  process.exitCode = 1;
});
