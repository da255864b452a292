// npm run bench:history-cost — the extra time a `check` run spends on
// history with one year of daily points for 50 metrics: reading their past
// points from the DuckDB store, judging 50 anomaly checks (band + replay),
// and appending the run's 50 points. CPU time and wall time, medians of 3.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBHistoryStore } from '../../dist/history/store.js';
import { DEFAULT_ANOMALY, judgeAnomaly } from '../../dist/checks/history/band.js';

const DAY = 86_400_000;
const METRICS = Array.from({ length: 50 }, (_, i) => `metric_${i}`);
const START = Date.parse('2025-01-01T06:00:00Z');
const NOW = new Date(START + 365 * DAY);

const dir = mkdtempSync(join(tmpdir(), 'assay-history-cost-'));
const store = new DuckDBHistoryStore(join(dir, 'history.duckdb'));
const year = [];
for (let d = 0; d < 365; d++) for (const m of METRICS) year.push({ dataset: 'orders', metric: m, value: 1000 + 50 * Math.sin(d) + (d % 7) * 10, run_id: `run-${d}`, time: new Date(START + d * DAY).toISOString(), fingerprint: null, audit_hash: null });
await store.append(year);

async function once(run) {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const series = await store.series('orders', METRICS, NOW);
  let fired = 0;
  for (const m of METRICS) if (judgeAnomaly(series.get(m), NOW.getTime(), 1000, DEFAULT_ANOMALY).anomalous) fired++;
  await store.append(METRICS.map((m) => ({ dataset: 'orders', metric: m, value: 1000, run_id: `now-${run}`, time: NOW.toISOString(), fingerprint: null, audit_hash: null })));
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall, points: [...series.values()].reduce((n, s) => n + s.length, 0), fired };
}
const runs = [];
for (let i = 0; i < 4; i++) runs.push(await once(i));
const timed = runs.slice(1); // the first loads the DuckDB driver
const med = (xs) => xs.sort((a, b) => a - b)[1];
console.log(`${timed[0].points} past points read for ${METRICS.length} metrics; median of 3 after a warm-up: CPU ${med(timed.map((r) => r.cpu)).toFixed(1)} ms, wall ${med(timed.map((r) => r.wall)).toFixed(1)} ms`);
console.log(`first run (loads the DuckDB driver): CPU ${runs[0].cpu.toFixed(1)} ms, wall ${runs[0].wall.toFixed(1)} ms`);
rmSync(dir, { recursive: true, force: true });
