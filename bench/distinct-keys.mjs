// Exact key counting beyond V8's Map limit (2^24 = 16,777,216 entries), issue 19.
// `unique`/`duplicate_count` keep a KeyCountState and distinct counts a DistinctState;
// both used a plain Map/Set, which throws a RangeError at the 16,777,217th key.
// Run after `npm run build`: node bench/distinct-keys.mjs [keys=20000000]
// Folds `keys` distinct keys plus 1,000 repeats into both states (as the
// executor does, row by row) and checks the exact counts. Takes ~2-4 GB and
// tens of seconds, so it is a benchmark, not a unit test.
import { DistinctState, KeyCountState } from '../dist/engine/in-process/states.js';

const keys = Number(process.argv[2] ?? 20_000_000);
const repeats = 1000;
const started = process.cpuUsage();
const counts = new KeyCountState(5);
const distinct = new DistinctState();
let row = 0;
for (let k = 0; k < keys; k++) {
  const key = `k${k}`;
  counts.add(key, row++);
  distinct.add(key);
}
for (let k = 0; k < repeats; k++) {
  const key = `k${k * 7919}`;
  counts.add(key, row++);
  distinct.add(key);
}
const cpu = process.cpuUsage(started);
const ok = counts.counts.size === keys && distinct.values.size === keys && counts.failed === 2 * repeats && counts.evaluated === keys + repeats;
console.log(
  JSON.stringify({
    keys,
    mapEntries: counts.counts.size,
    distinct: distinct.values.size,
    failedRows: counts.failed,
    samples: counts.samples(),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    exact: ok,
  }),
);
process.exit(ok ? 0 : 1);
