/**
 * What history says a value should be: the baseline of a `change` check and
 * the band of an `anomaly` check (SPEC §6). Pure functions of the points and
 * the tested time, so the same history always gives the same answer.
 *
 * The anomaly band is robust: median ± sensitivity × 1.4826 × MAD (the MAD
 * scaled to a standard deviation for normal noise), learned from the
 * training window: the points of the `window` before the tested time (the
 * latest MAX_TRAINING_POINTS of them), never
 * the tested point itself, and never a point that was itself anomalous.
 * Which past points were anomalous is decided by replaying the same rule over
 * the history in time order, so imported history and history written by runs
 * give the same flags. With a weekly season, the centre is the median of the
 * tested weekday's points and the spread is the MAD of every training point's
 * deviation from the median of the other points of its weekday: a Monday is
 * compared with Mondays, while the spread is estimated from all points.
 *
 * A level shift is not an anomaly forever: after `SHIFT_RUN` consecutive
 * points outside the band on the same side, the new level is taken as normal
 * and the training window restarts at the shift (the check is learning again
 * until it has `min_history` points at the new level).
 */

export interface HistoryPoint {
  /** Milliseconds since the epoch (UTC). */
  time: number;
  value: number;
}

export interface AnomalyOptions {
  /** Band half-width in robust standard deviations (default 3). */
  sensitivity: number;
  /** Training points needed before the check judges (default 14). */
  minHistory: number;
  seasonality: 'auto' | 'none' | 'weekly';
  /** How far back training points are taken, in ms (default 56 days). */
  windowMs: number;
}

export interface Band {
  low: number;
  high: number;
  /** The expected value (median of the training points, or of the season bucket). */
  center: number;
  training: { from: number; to: number; points: number };
  /** The weekday bucket (`Monday`) with a weekly season; null without. */
  season: string | null;
}

export type BandResult = { kind: 'band'; band: Band } | { kind: 'learning'; points: number; since?: number };

const DAY = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Consecutive out-of-band points on one side after which the new level is normal. */
export const SHIFT_RUN = 2;
/** History span from which `seasonality: auto` compares weekdays with weekdays. */
const SEASON_SPAN = 21 * DAY;
/** Points a weekday bucket needs to give its own centre. */
const MIN_BUCKET = 3;
/** How many windows back the replay of past judgements starts. */
const REPLAY_WINDOWS = 3;
/**
 * At most this many (latest) points train a band, and at most REPLAY_WINDOWS
 * times as many are replayed: each band costs O(n log n) and the replay
 * computes one per point, so without a cap a metric checked every few minutes
 * would make one check take minutes. A daily metric never reaches it.
 */
export const MAX_TRAINING_POINTS = 500;
/** 1.4826 × MAD estimates the standard deviation of normal noise. */
const MAD_SCALE = 1.4826;

export const DEFAULT_ANOMALY: AnomalyOptions = { sensitivity: 3, minHistory: 14, seasonality: 'auto', windowMs: 56 * DAY };

/** The judgement of a value at `time`: its band (or learning), whether it is anomalous, and which past points were. */
export interface AnomalyJudgement {
  result: BandResult;
  /** Outside the band, and not the start of a new level. */
  anomalous: boolean;
  /** The value starts a new level (SHIFT_RUN points outside on one side): the check learns again. */
  shift: boolean;
  /** Times of the past points judged anomalous (left out of training). */
  anomalousTimes: Set<number>;
}

/**
 * Judge `value` at `time` against `points` (any order; points at or after
 * `time` are ignored): the same rule replayed over every past point first.
 */
export function judgeAnomaly(points: readonly HistoryPoint[], time: number, value: number, options: AnomalyOptions): AnomalyJudgement {
  // Past points are replayed from REPLAY_WINDOWS windows back: older flags cannot reach this band, and the cost stays bounded.
  const replayFrom = time - REPLAY_WINDOWS * options.windowMs;
  const series = points
    .filter((p) => p.time < time && p.time >= replayFrom && Number.isFinite(p.value))
    .sort((a, b) => a.time - b.time || a.value - b.value)
    .slice(-REPLAY_WINDOWS * MAX_TRAINING_POINTS);
  series.push({ time, value });
  // One decision for the whole replay, so every past point is judged by the model that judges this one.
  const weekly = options.seasonality === 'weekly' || (options.seasonality === 'auto' && time - series[0].time >= SEASON_SPAN);
  const anomalous = new Set<number>();
  // Start of the current level: moved forward when a level shift is accepted.
  let levelStart = -Infinity;
  let run: number[] = [];
  let runSide = 0;
  let last: { result: BandResult; shift: boolean } = { result: { kind: 'learning', points: 0 }, shift: false };
  for (let i = 0; i < series.length; i++) {
    const result = bandFrom(series, i, levelStart, anomalous, options, weekly);
    const side = result.kind === 'band' ? sideOf(result.band, series[i].value) : 0;
    let shift = false;
    if (side === 0) {
      run = [];
      runSide = 0;
    } else {
      run = runSide === side ? [...run, i] : [i];
      runSide = side;
      if (run.length >= SHIFT_RUN) {
        // A new level: its points are normal, and training restarts with them.
        for (const j of run) anomalous.delete(j);
        levelStart = series[run[0]].time;
        run = [];
        runSide = 0;
        shift = true;
      } else {
        anomalous.add(i);
      }
    }
    last = { result, shift };
  }
  const tested = series.length - 1;
  return {
    result: last.result,
    anomalous: anomalous.has(tested),
    shift: last.shift,
    anomalousTimes: new Set([...anomalous].filter((i) => i !== tested).map((i) => series[i].time)),
  };
}

/** -1 below the band, 1 above, 0 inside (the bounds are inside). */
export function sideOf(band: Band, value: number): number {
  return value < band.low ? -1 : value > band.high ? 1 : 0;
}

/** The band for series[end], from the points before it. */
function bandFrom(series: readonly HistoryPoint[], end: number, levelStart: number, anomalous: ReadonlySet<number>, options: AnomalyOptions, weekly: boolean): BandResult {
  const time = series[end].time;
  const from = Math.max(time - options.windowMs, levelStart);
  const training: HistoryPoint[] = [];
  for (let j = end - 1; j >= 0 && series[j].time >= from && training.length < MAX_TRAINING_POINTS; j--) if (!anomalous.has(j)) training.push(series[j]);
  training.reverse();
  const learning: BandResult = { kind: 'learning', points: training.length, ...(levelStart > -Infinity ? { since: levelStart } : {}) };
  if (training.length < options.minHistory) return learning;
  return robustBand(training, time, weekly, options.sensitivity) ?? learning;
}

/** The band from the training points; undefined when the weekly bucket of `time` has too few points of its own. */
function robustBand(training: HistoryPoint[], time: number, weekly: boolean, sensitivity: number): BandResult | undefined {
  const bucketOf = (t: number) => (weekly ? new Date(t).getUTCDay() : 0);
  const buckets = new Map<number, HistoryPoint[]>();
  for (const p of training) {
    const bucket = buckets.get(bucketOf(p.time));
    if (bucket) bucket.push(p);
    else buckets.set(bucketOf(p.time), [p]);
  }
  const own = buckets.get(bucketOf(time)) ?? [];
  if (weekly && own.length < MIN_BUCKET) return undefined;
  // Every point moved along the trend to the tested time, so a growing metric is not compared with its past level.
  const slope = trendSlope([...buckets.values()]);
  const projected = new Map([...buckets].map(([b, ps]) => [b, ps.map((p) => p.value + slope * (time - p.time))]));
  const center = median(projected.get(bucketOf(time))!);
  // Each point against the median of the other points of its bucket: the error of the prediction
  // the band makes (with 3 or 4 points a weekday, deviations from a median that includes the point
  // itself are a third zeros, and the band too narrow).
  const deviations: number[] = [];
  for (const vs of projected.values()) if (vs.length >= 2) deviations.push(...leaveOneOutDeviations(vs));
  const width = sensitivity * robustSpread(deviations);
  return {
    kind: 'band',
    band: {
      low: center - width,
      high: center + width,
      center,
      training: { from: training[0].time, to: training[training.length - 1].time, points: training.length },
      season: weekly ? WEEKDAYS[new Date(time).getUTCDay()] : null,
    },
  };
}

/**
 * A robust slope (value per ms): per bucket, the median of its later half
 * minus the median of its earlier half, over the time between the halves'
 * median times; the median of those slopes. With a weekly season the
 * buckets are weekdays, so the season does not read as a trend. Outliers
 * move a median of half the points little; O(n log n).
 */
function trendSlope(buckets: HistoryPoint[][]): number {
  const slopes: number[] = [];
  for (const ps of buckets) {
    if (ps.length < 4) continue;
    const half = ps.length >> 1;
    const early = ps.slice(0, half);
    const late = ps.slice(ps.length - half);
    const dt = median(late.map((p) => p.time)) - median(early.map((p) => p.time));
    if (dt > 0) slopes.push((median(late.map((p) => p.value)) - median(early.map((p) => p.value))) / dt);
  }
  return slopes.length === 0 ? 0 : median(slopes);
}

/** Each value minus the median of the other values, in O(n log n). */
function leaveOneOutDeviations(values: number[]): number[] {
  const sorted = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const rank = new Array<number>(values.length);
  sorted.forEach(([, i], r) => (rank[i] = r));
  const m = values.length - 1;
  // The k-th smallest of the others, when the value of rank r is left out.
  const kth = (k: number, r: number) => sorted[k < r ? k : k + 1][0];
  return values.map((v, i) => {
    const r = rank[i];
    const mid = m >> 1;
    const other = m % 2 === 1 ? kth(mid, r) : (kth(mid - 1, r) + kth(mid, r)) / 2;
    return v - other;
  });
}

/**
 * 1.4826 × MAD; when more than half the deviations are equal (MAD 0), the
 * mean absolute deviation × 1.2533 (its normal-noise scale), so one differing
 * point does not make every later value anomalous. Zero only when every
 * training value is the same: then any other value is outside the band.
 */
function robustSpread(deviations: number[]): number {
  const m = median(deviations);
  const absolute = deviations.map((d) => Math.abs(d - m));
  const mad = median(absolute);
  if (mad > 0) return MAD_SCALE * mad;
  return 1.2533 * (absolute.reduce((a, b) => a + b, 0) / absolute.length);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export type ChangeBaseline = 'last' | 'avg_7d' | 'same_weekday';

/**
 * The baseline of a `change` check at `time` (SPEC §6): the previous point;
 * the mean of the points in the 7 days before; or the latest point 7 days
 * ± 12 h earlier. Undefined when there is none. Points at or after `time`
 * are never a baseline (a rerun with the same `--now` compares with the past).
 */
export function changeBaseline(points: readonly HistoryPoint[], time: number, vs: ChangeBaseline): { value: number; points: HistoryPoint[] } | undefined {
  const past = points.filter((p) => p.time < time && Number.isFinite(p.value)).sort((a, b) => a.time - b.time || a.value - b.value);
  if (vs === 'last') {
    const last = past[past.length - 1];
    return last ? { value: last.value, points: [last] } : undefined;
  }
  if (vs === 'avg_7d') {
    const week = past.filter((p) => p.time >= time - 7 * DAY);
    return week.length ? { value: week.reduce((a, p) => a + p.value, 0) / week.length, points: week } : undefined;
  }
  const around = past.filter((p) => Math.abs(p.time - (time - 7 * DAY)) <= DAY / 2);
  const latest = around[around.length - 1];
  return latest ? { value: latest.value, points: [latest] } : undefined;
}
