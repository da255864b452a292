// The anomaly detection benchmark's data: 200 synthetic daily metric series
// with labelled anomalies, generated from a fixed seed (so the checked-in
// series.json is reproducible: `node bench/anomaly/generate.mjs` rewrites it).
//
// Each series: 120 days from 2026-01-05 (a Monday); a level between 100 and
// 100,000; a trend (none, or up to ±0.4% a day); a weekly season (none, a
// weekend dip of 20–70%, or a weekday profile); multiplicative noise with a
// coefficient of variation of 1%, 3% or 8%; 5% of days missing (a run that
// did not happen). Anomalies, labelled, from day 35 on, at least 4 days
// apart: spikes and drops of 6–15 noise standard deviations (and at least 10%),
// outages (a drop to 5–60% of the expected value), and level shifts (the
// level moves by 20–50% for the rest of the series; only the first day of a
// shift is labelled: after it, the new level is normal).
import { writeFileSync } from 'node:fs';

const DAY = 86_400_000;
const START = Date.parse('2026-01-05T06:00:00Z');
const DAYS = 120;
const FIRST_ANOMALY = 35;

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(seed = 20260105, count = 200) {
  const random = mulberry32(seed);
  const uniform = (a, b) => a + (b - a) * random();
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const series = [];
  for (let s = 0; s < count; s++) {
    const level = 10 ** uniform(2, 5);
    const trend = pick(['none', 'up', 'down']);
    const slope = trend === 'none' ? 0 : (trend === 'up' ? 1 : -1) * uniform(0.001, 0.004);
    const season = pick(['none', 'weekend', 'profile']);
    const dip = uniform(0.2, 0.7);
    const profile = Array.from({ length: 7 }, () => uniform(0.8, 1.2));
    const cv = pick([0.01, 0.03, 0.08]);
    const seasonal = (day) => {
      const weekday = new Date(START + day * DAY).getUTCDay();
      if (season === 'weekend') return weekday === 0 || weekday === 6 ? 1 - dip : 1;
      if (season === 'profile') return profile[weekday];
      return 1;
    };
    // Anomalies: at least 4 days apart, from FIRST_ANOMALY on.
    const kinds = new Map();
    let day = FIRST_ANOMALY + Math.floor(uniform(0, 10));
    while (day < DAYS) {
      kinds.set(day, pick(['spike', 'spike', 'drop', 'drop', 'outage', 'shift']));
      day += 4 + Math.floor(uniform(0, 25));
    }
    let shift = 1;
    const points = [];
    for (let d = 0; d < DAYS; d++) {
      const kind = kinds.get(d);
      if (kind === 'shift') shift *= pick([-1, 1]) > 0 ? 1 + uniform(0.2, 0.5) : 1 - uniform(0.2, 0.5);
      const expected = level * (1 + slope) ** d * seasonal(d) * shift;
      let value = expected * (1 + cv * gaussian());
      if (kind === 'spike' || kind === 'drop') {
        const size = Math.max(uniform(6, 15) * cv, 0.1);
        value = expected * (kind === 'spike' ? 1 + size : Math.max(0.01, 1 - size));
      }
      if (kind === 'outage') value = expected * uniform(0.05, 0.6);
      // A missing day is a run that did not happen; never an anomaly's day.
      if (!kind && random() < 0.05) continue;
      const rounded = level >= 1000 ? Math.round(value) : Math.round(value * 100) / 100;
      points.push({ time: new Date(START + d * DAY).toISOString(), value: rounded, ...(kind ? { anomaly: kind } : {}) });
    }
    series.push({ id: `s${String(s).padStart(3, '0')}`, trend, season, cv, points });
  }
  return series;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const series = generate();
  const file = new URL('./series.json', import.meta.url);
  writeFileSync(file, `${JSON.stringify({ seed: 20260105, first_evaluated_day: FIRST_ANOMALY - 7, series })}\n`);
  const labels = series.reduce((n, s) => n + s.points.filter((p) => p.anomaly).length, 0);
  console.log(`wrote ${series.length} series, ${labels} labelled anomalies, to ${file.pathname}`);
}
