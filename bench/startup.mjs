// npm run bench:startup [-- --runs 15 --cli path/to/dist/cli/bin.cjs]
//
// Start-up cost of the CLI, as CPU time (user + system, all threads, from
// process start to exit; read by a preloaded hook, bench/startup-cpu.cjs)
// and wall time, medians of several runs interleaved. CPU time is what the
// targets are stated in: wall time on a shared CI machine mostly measures
// the neighbours. `node -e 0` is measured too, as the floor.
// --cli measures another build (e.g. an older commit's dist/cli/main.js, its entry then).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag('--runs', '15'));
const cli = flag('--cli', join(root, 'dist/cli/bin.cjs'));

const CASES = [
  { id: 'node -e 0', argv: ['-e', '0'], target: null },
  { id: 'assay --version', argv: [cli, '--version'], target: 150 },
  { id: 'assay validate rules', argv: [cli, 'validate', 'rules'], target: 300 },
  { id: 'assay --help', argv: [cli, '--help'], target: null },
];

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'assay-startup-'));
const cpuFile = join(work, 'cpu');
const samples = new Map(CASES.map((c) => [c.id, { cpu: [], wall: [] }]));
try {
  for (let i = 0; i < runs; i++) {
    for (const c of CASES) {
      const started = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['--require', join(root, 'bench/startup-cpu.cjs'), ...c.argv], {
        cwd: root,
        env: { ...process.env, ASSAY_BENCH_CPU_FILE: cpuFile, NO_COLOR: '1' },
        encoding: 'utf8',
      });
      const wall = Number(process.hrtime.bigint() - started) / 1e6;
      if (r.status !== 0) throw new Error(`${c.id} exited ${r.status}: ${r.stderr}`);
      samples.get(c.id).cpu.push(Number(readFileSync(cpuFile, 'utf8')));
      samples.get(c.id).wall.push(wall);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const rows = CASES.map((c) => {
  const s = samples.get(c.id);
  const cpu = median(s.cpu);
  return { id: c.id, cpu_ms: Math.round(cpu), wall_ms: Math.round(median(s.wall)), target_cpu_ms: c.target, met: c.target === null ? null : cpu <= c.target };
});
const load = loadavg()[0].toFixed(1);
console.log(`start-up, medians of ${runs} runs (${cli}; load average ${load})\n`);
console.log('| command | CPU ms | wall ms | target CPU ms |');
console.log('|---|---:|---:|---|');
for (const r of rows) console.log(`| \`${r.id}\` | ${r.cpu_ms} | ${r.wall_ms} | ${r.target_cpu_ms === null ? '' : `≤ ${r.target_cpu_ms} ${r.met ? 'met' : 'MISSED'}`} |`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(join(root, `bench/results/startup-${stamp}.json`), `${JSON.stringify({ cli, runs, load, rows }, null, 2)}\n`);
