// npm run bench:anomaly — detection quality of the `anomaly` check on the
// labelled series of bench/anomaly/series.json, next to two baselines
// computed in the same run over the same points:
//   - z-score (14): |value − mean| > 3 × stddev of the last 14 points;
//   - Elementary's default: the same z-score, but over a training window
//     that includes the tested point (training_period 14 days, sensitivity 3).
// Every point from the first evaluated day on is judged, as a daily run
// would judge it, from the points before it. A labelled day counts as found
// when the detector flags it; any other flagged day is a false positive.
import { readFileSync } from 'node:fs';
import { DEFAULT_ANOMALY, judgeAnomaly } from '../../dist/checks/history/band.js';

const DAY = 86_400_000;
const data = JSON.parse(readFileSync(new URL('./series.json', import.meta.url), 'utf8'));
const firstDay = Date.parse(data.series[0].points[0].time) + data.first_evaluated_day * DAY;

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const stddev = (xs) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const zscore = (xs, v) => {
  const sd = stddev(xs);
  return sd === 0 ? (v === mean(xs) ? 0 : Infinity) : Math.abs(v - mean(xs)) / sd;
};

const DETECTORS = {
  assay: (past, p) => judgeAnomaly(past, p.time, p.value, DEFAULT_ANOMALY).anomalous,
  'z-score, last 14 points': (past, p) => past.length >= 14 && zscore(past.slice(-14).map((x) => x.value), p.value) > 3,
  "Elementary's default (window includes the tested point)": (past, p) => {
    const window = past.filter((x) => x.time >= p.time - 14 * DAY).map((x) => x.value);
    return window.length >= 14 - 1 && zscore([...window, p.value], p.value) > 3;
  },
};

const counts = Object.fromEntries(Object.keys(DETECTORS).map((k) => [k, { tp: 0, fp: 0, fn: 0, byKind: {} }]));
let labelled = 0;
let judged = 0;
const started = process.cpuUsage();
for (const s of data.series) {
  const points = s.points.map((p) => ({ time: Date.parse(p.time), value: p.value, anomaly: p.anomaly }));
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p.time < firstDay) continue;
    judged++;
    if (p.anomaly) labelled++;
    const past = points.slice(0, i);
    for (const [name, detect] of Object.entries(DETECTORS)) {
      const flagged = detect(past, p);
      const c = counts[name];
      if (p.anomaly) {
        c.byKind[p.anomaly] ??= { found: 0, of: 0 };
        c.byKind[p.anomaly].of++;
        if (flagged) c.byKind[p.anomaly].found++;
      }
      if (flagged && p.anomaly) c.tp++;
      else if (flagged) c.fp++;
      else if (p.anomaly) c.fn++;
    }
  }
}
const cpu = process.cpuUsage(started);
const f = (n) => n.toFixed(3);
console.log(`${data.series.length} series, ${judged} points judged, ${labelled} labelled anomalies (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s for all detectors)\n`);
console.log('| detector | precision | recall | F1 | true pos. | false pos. | missed | found by kind |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, c] of Object.entries(counts)) {
  const precision = c.tp / (c.tp + c.fp);
  const recall = c.tp / (c.tp + c.fn);
  const f1 = (2 * precision * recall) / (precision + recall);
  const kinds = Object.entries(c.byKind).sort().map(([k, v]) => `${k} ${v.found}/${v.of}`).join(', ');
  console.log(`| ${name} | ${f(precision)} | ${f(recall)} | ${f(f1)} | ${c.tp} | ${c.fp} | ${c.fn} | ${kinds} |`);
}
