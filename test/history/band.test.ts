import { changeBaseline, DEFAULT_ANOMALY, judgeAnomaly, MAX_TRAINING_POINTS, median, SHIFT_RUN, type HistoryPoint } from '../../src/checks/history/band.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-05T06:00:00Z'); // a Monday
/** Daily points from T0: values[i] at day i. */
const daily = (values: number[], start = T0): HistoryPoint[] => values.map((value, i) => ({ time: start + i * DAY, value }));
/** A repeatable noise sequence (no Math.random in tests). */
const noise = (i: number) => {
  const x = Math.sin(i * 12.9898) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1; // in [-1, 1), no pattern by weekday
};
const options = { ...DEFAULT_ANOMALY, seasonality: 'none' as const };

describe('anomaly band', () => {
  const flat = daily(Array.from({ length: 28 }, (_, i) => 1000 + 20 * noise(i)));
  const at = T0 + 28 * DAY;

  test('median ± sensitivity × 1.4826 × MAD of the training points (each point against the median of the others)', () => {
    // Both halves hold the same values: no trend.
    const values = Array.from({ length: 4 }, () => [990, 1010, 1000, 1020, 980, 1005, 995]).flat();
    const points = daily(values);
    const center = median(values);
    const deviations = values.map((v, i) => v - median(values.filter((_, k) => k !== i)));
    const mid = median(deviations);
    const mad = median(deviations.map((d) => Math.abs(d - mid)));
    const { result } = judgeAnomaly(points, T0 + 28 * DAY, 1000, options);
    expect(result.kind).toBe('band');
    if (result.kind !== 'band') return;
    expect(result.band.center).toBe(center);
    expect(result.band.high - center).toBeCloseTo(3 * 1.4826 * mad, 9);
    expect(center - result.band.low).toBeCloseTo(3 * 1.4826 * mad, 9);
    expect(result.band.training).toEqual({ from: points[0].time, to: points[27].time, points: 28 });
  });

  test('a trend is followed: a growing metric is compared with where it is heading, not with its past level', () => {
    const growing = daily(Array.from({ length: 28 }, (_, i) => 1000 + 20 * i + 5 * noise(i)));
    const { result } = judgeAnomaly(growing, T0 + 28 * DAY, 1560, options);
    if (result.kind !== 'band') throw new Error('expected a band');
    expect(result.band.center).toBeGreaterThan(1540);
    expect(result.band.low).toBeLessThan(1560);
    expect(result.band.high).toBeGreaterThan(1560);
  });

  test('deterministic: the same history in any order gives the same band', () => {
    const a = judgeAnomaly(flat, at, 1000, options);
    const b = judgeAnomaly([...flat].reverse(), at, 1000, options);
    const shuffled = [...flat].sort((x, y) => noise(x.time / DAY) - noise(y.time / DAY));
    const c = judgeAnomaly(shuffled, at, 1000, options);
    expect(b.result).toEqual(a.result);
    expect(c.result).toEqual(a.result);
  });

  test('the point under test, and points at or after its time, are never in the training window', () => {
    const withFuture = [...flat, { time: at, value: 5 }, { time: at + DAY, value: 1e9 }];
    expect(judgeAnomaly(withFuture, at, 1000, options).result).toEqual(judgeAnomaly(flat, at, 1000, options).result);
  });

  test('points that were themselves anomalous are left out of later training windows', () => {
    const spiked = flat.map((p, i) => (i === 20 ? { ...p, value: 100_000 } : p));
    const judged = judgeAnomaly(spiked, at, 1000, options);
    expect(judged.anomalousTimes).toEqual(new Set([flat[20].time]));
    if (judged.result.kind !== 'band') throw new Error('expected a band');
    expect(judged.result.band.training.points).toBe(27);
    // Without the exclusion the spike would sit in the window; the band equals the one learned without it.
    const without = judgeAnomaly(flat.filter((_, i) => i !== 20), at, 1000, options);
    expect(judged.result.band).toEqual(without.result.kind === 'band' ? without.result.band : undefined);
  });

  test('a drop is anomalous; a value inside the band is not; the bounds are inside', () => {
    expect(judgeAnomaly(flat, at, 500, options).anomalous).toBe(true);
    expect(judgeAnomaly(flat, at, 1005, options).anomalous).toBe(false);
    const { result } = judgeAnomaly(flat, at, 0, options);
    if (result.kind !== 'band') throw new Error('expected a band');
    expect(judgeAnomaly(flat, at, result.band.high, options).anomalous).toBe(false);
    expect(judgeAnomaly(flat, at, result.band.low, options).anomalous).toBe(false);
  });

  test('min_history: fewer training points is learning, with the count', () => {
    const few = flat.slice(0, 5);
    expect(judgeAnomaly(few, T0 + 5 * DAY, 1e9, options)).toMatchObject({ result: { kind: 'learning', points: 5 }, anomalous: false });
    expect(judgeAnomaly(few, T0 + 5 * DAY, 1e9, { ...options, minHistory: 5 }).anomalous).toBe(true);
  });

  test('the window bounds the training points', () => {
    const long = daily(Array.from({ length: 60 }, (_, i) => 1000 + noise(i)));
    const { result } = judgeAnomaly(long, T0 + 60 * DAY, 1000, { ...options, windowMs: 10 * DAY });
    expect(result).toMatchObject({ kind: 'learning', points: 10 });
  });

  test(`a level shift: ${SHIFT_RUN} consecutive points outside on one side become the new normal, and the check learns again`, () => {
    const before = flat;
    const shifted = [...before, { time: at, value: 2000 }];
    // The first point of the shift is anomalous…
    expect(judgeAnomaly(before, at, 2000, options).anomalous).toBe(true);
    // …the second on the same side starts a new level: not anomalous, learning from there.
    const second = judgeAnomaly(shifted, at + DAY, 2010, options);
    expect(second).toMatchObject({ anomalous: false, shift: true });
    const third = judgeAnomaly([...shifted, { time: at + DAY, value: 2010 }], at + 2 * DAY, 2005, options);
    expect(third.result).toMatchObject({ kind: 'learning', points: 2, since: at });
  });

  test('a constant series: MAD 0 falls back to the mean absolute deviation, then to a zero-width band', () => {
    const constant = daily(Array.from({ length: 20 }, () => 50));
    expect(judgeAnomaly(constant, T0 + 20 * DAY, 50, options).anomalous).toBe(false);
    expect(judgeAnomaly(constant, T0 + 20 * DAY, 51, options).anomalous).toBe(true);
    const oneOff = constant.map((p, i) => (i === 16 ? { ...p, value: 60 } : p));
    // The outlier was anomalous when it happened and is left out; the rest is constant.
    expect(judgeAnomaly(oneOff, T0 + 20 * DAY, 50, options).anomalousTimes).toEqual(new Set([oneOff[16].time]));
    // Points judged while learning are never flagged.
    const early = constant.map((p, i) => (i === 3 ? { ...p, value: 60 } : p));
    expect(judgeAnomaly(early, T0 + 20 * DAY, 50, options).anomalousTimes).toEqual(new Set());
  });
});

describe('seasonality', () => {
  // Weekends hold a third of a weekday's rows.
  const weekly = (days: number) => daily(Array.from({ length: days }, (_, i) => ([5, 6].includes(i % 7) ? 300 : 1000) + 10 * noise(i)));

  test('auto: with 3 weeks of history a Saturday is compared with Saturdays', () => {
    const history = weekly(26); // Jan 5 (Mon) .. Jan 30 (Fri)
    const saturday = T0 + 26 * DAY;
    expect(new Date(saturday).getUTCDay()).toBe(6);
    const judged = judgeAnomaly(history, saturday, 300, DEFAULT_ANOMALY);
    expect(judged.result).toMatchObject({ kind: 'band', band: { season: 'Saturday' } });
    expect(judged.anomalous).toBe(false);
    // A weekday's volume on a Saturday is anomalous, and a Saturday's volume on a Monday too.
    expect(judgeAnomaly(history, saturday, 1000, DEFAULT_ANOMALY).anomalous).toBe(true);
    expect(judgeAnomaly(weekly(28), T0 + 28 * DAY, 300, DEFAULT_ANOMALY).anomalous).toBe(true);
  });

  const flat = (days: number) => daily(Array.from({ length: days }, (_, i) => 1000 + 10 * noise(i)));

  test('auto: with less than 3 weeks of history there is no season bucket', () => {
    expect(judgeAnomaly(flat(18), T0 + 18 * DAY, 1000, DEFAULT_ANOMALY).result).toMatchObject({ kind: 'band', band: { season: null } });
    expect(judgeAnomaly(flat(26), T0 + 26 * DAY, 1000, DEFAULT_ANOMALY).result).toMatchObject({ kind: 'band', band: { season: 'Saturday' } });
  });

  test('none: weekdays are not told apart; weekly: a weekday needs 3 points of its own', () => {
    expect(judgeAnomaly(flat(26), T0 + 26 * DAY, 1000, { ...DEFAULT_ANOMALY, seasonality: 'none' }).result).toMatchObject({ kind: 'band', band: { season: null } });
    expect(judgeAnomaly(flat(14), T0 + 14 * DAY, 1000, { ...DEFAULT_ANOMALY, seasonality: 'weekly' }).result).toMatchObject({ kind: 'learning', points: 14 });
  });

  test('the seasonal band of a day is learned from that weekday, its spread from every day', () => {
    const history = weekly(26);
    const { result } = judgeAnomaly(history, T0 + 26 * DAY, 300, DEFAULT_ANOMALY);
    if (result.kind !== 'band') throw new Error('expected a band');
    // Three Saturdays: too few to estimate a trend from, so the centre is their median.
    const saturdays = history.filter((p) => new Date(p.time).getUTCDay() === 6).map((p) => p.value);
    expect(saturdays).toHaveLength(3);
    expect(result.band.high - result.band.low).toBeLessThan(200);
  });
});

describe('change baseline', () => {
  const points = daily([100, 110, 120, 130, 140, 150, 160, 170, 180]);
  const at = T0 + 9 * DAY;
  test('last: the previous point', () => {
    expect(changeBaseline(points, at, 'last')?.value).toBe(180);
  });
  test('avg_7d: the mean of the points in the 7 days before', () => {
    expect(changeBaseline(points, at, 'avg_7d')?.value).toBe((120 + 130 + 140 + 150 + 160 + 170 + 180) / 7);
  });
  test('same_weekday: the latest point 7 days ± 12 h earlier', () => {
    expect(changeBaseline(points, at, 'same_weekday')?.value).toBe(120);
    expect(changeBaseline(points, at + 11 * 3_600_000, 'same_weekday')?.value).toBe(120);
    const sparse = points.filter((_, i) => i !== 2 && i !== 1);
    expect(changeBaseline(sparse, at, 'same_weekday')).toBeUndefined();
  });
  test('no earlier point: no baseline; a point at the same time is not a baseline', () => {
    expect(changeBaseline([], at, 'last')).toBeUndefined();
    expect(changeBaseline([{ time: at, value: 1 }], at, 'last')).toBeUndefined();
  });
});

describe('anomaly cost does not grow with how often a metric is checked', () => {
  test('five-minute points over 200 days: judged in seconds of CPU (not minutes), trained on the latest MAX_TRAINING_POINTS points', () => {
    const STEP = 5 * 60_000;
    const at = T0 + 200 * DAY;
    const points: HistoryPoint[] = [];
    for (let t = T0, i = 0; t < at; t += STEP, i++) points.push({ time: t, value: 1000 + 20 * noise(i) });
    const start = process.cpuUsage();
    const judged = judgeAnomaly(points, at, 1000, DEFAULT_ANOMALY);
    const used = process.cpuUsage(start);
    // Uncapped, the replay is quadratic in the points: minutes for these 57,600.
    expect((used.user + used.system) / 1e6).toBeLessThan(5);
    if (judged.result.kind !== 'band') throw new Error('expected a band');
    expect(judged.result.band.training.points).toBe(MAX_TRAINING_POINTS);
    expect(judged.result.band.training.to).toBe(points[points.length - 1].time);
    expect(judged.anomalous).toBe(false);
    expect(judgeAnomaly(points, at, 2000, DEFAULT_ANOMALY).anomalous).toBe(true);
  });
});
