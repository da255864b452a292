/**
 * The mergeable states of a column profile: distinct values and their counts
 * (exact up to a limit, then HyperLogLog and Misra–Gries), and numeric
 * moments and quantiles (exact up to a limit, then DDSketch). Every state has
 * `merge`, so profiles of parts of a dataset combine into the profile of the
 * whole; memory is bounded by the limits, whatever the row count.
 */
import { DDSketch } from '@datadog/sketches-js';
import { HLL_STANDARD_ERROR, HyperLogLog } from './hyperloglog.js';

/** Distinct values counted exactly (one map entry each) up to this many per column. */
export const EXACT_DISTINCT_LIMIT = 50_000;
/** Numbers kept for exact quantiles up to this many per column (8 bytes each). */
export const EXACT_QUANTILE_LIMIT = 200_000;
/** Counters kept by the frequent-items sketch once the exact counts are dropped. */
export const FREQUENT_CAPACITY = 1_000;
/** DDSketch's guarantee: a quantile is within this relative distance of a value at that rank. */
export const QUANTILE_RELATIVE_ACCURACY = 0.01;

/**
 * Frequent items with the Misra–Gries summary, in its mergeable form
 * (Agarwal et al., "Mergeable summaries", 2012): counters are added, then
 * the (k+1)-th largest count is subtracted from all and non-positive ones
 * dropped. A reported count is low by at most `maxError`; an item whose true
 * count exceeds `maxError` is never missed. Compaction runs when the map
 * reaches 2k entries, so each value costs amortised O(1).
 */
export class FrequentItems {
  readonly counts = new Map<string, number>();
  /** Sum of the amounts subtracted: the most any count may be low by. */
  maxError = 0;

  constructor(readonly capacity = FREQUENT_CAPACITY) {}

  add(item: string, weight = 1): void {
    this.counts.set(item, (this.counts.get(item) ?? 0) + weight);
    if (this.counts.size >= 2 * this.capacity) this.compact();
  }

  merge(other: FrequentItems): void {
    for (const [item, count] of other.counts) this.counts.set(item, (this.counts.get(item) ?? 0) + count);
    this.maxError += other.maxError;
    if (this.counts.size > this.capacity) this.compact();
  }

  private compact(): void {
    const sorted = [...this.counts.values()].sort((a, b) => b - a);
    const cut = sorted[this.capacity] ?? 0;
    if (cut === 0) return;
    for (const [item, count] of this.counts) {
      if (count <= cut) this.counts.delete(item);
      else this.counts.set(item, count - cut);
    }
    this.maxError += cut;
  }
}

export interface DistinctEstimate {
  count: number;
  exact: boolean;
  /** How the count was obtained, for the output: "exact" or the sketch and its error. */
  method: string;
}

export interface TopValue {
  value: string;
  count: number;
}

/**
 * Distinct values of a column by their text. Exact (a map of counts) up to
 * `limit` distinct values; past it the map is handed to `onOverflow` (so the
 * caller can fold per-value statistics it had deferred) and replaced by a
 * HyperLogLog for the count and a Misra–Gries summary for the top values.
 */
export class ValueCounts {
  exact: Map<string, number> | null = new Map();
  private hll: HyperLogLog | null = null;
  private frequent: FrequentItems | null = null;

  constructor(
    private readonly onOverflow: (entries: Map<string, number>) => void,
    readonly limit = EXACT_DISTINCT_LIMIT,
  ) {}

  add(text: string): void {
    if (this.exact) {
      const count = this.exact.get(text);
      if (count !== undefined) {
        this.exact.set(text, count + 1);
        return;
      }
      this.exact.set(text, 1);
      if (this.exact.size > this.limit) this.overflow();
      return;
    }
    this.hll!.add(text);
    this.frequent!.add(text);
  }

  get isExact(): boolean {
    return this.exact !== null;
  }

  /** Switch to the sketches; the exact entries go to `onOverflow` first. */
  overflow(): void {
    if (!this.exact) return;
    const entries = this.exact;
    this.exact = null;
    this.hll = new HyperLogLog();
    this.frequent = new FrequentItems();
    for (const [text, count] of entries) {
      this.hll.add(text);
      this.frequent.add(text, count);
    }
    this.onOverflow(entries);
  }

  /** Union with another column's counts (the other side must already have folded its own deferred statistics when it is not exact). */
  merge(other: ValueCounts): void {
    if (this.exact && other.exact) {
      for (const [text, count] of other.exact) this.exact.set(text, (this.exact.get(text) ?? 0) + count);
      if (this.exact.size > this.limit) this.overflow();
      return;
    }
    this.overflow();
    if (other.exact) {
      for (const [text, count] of other.exact) {
        this.hll!.add(text);
        this.frequent!.add(text, count);
      }
      return;
    }
    this.hll!.merge(other.hll!);
    this.frequent!.merge(other.frequent!);
  }

  distinct(): DistinctEstimate {
    if (this.exact) return { count: this.exact.size, exact: true, method: 'exact' };
    return { count: this.hll!.estimate(), exact: false, method: `HyperLogLog (2^14 registers, standard error ${(HLL_STANDARD_ERROR * 100).toFixed(2)}%)` };
  }

  /** The `k` most frequent values, most frequent first (ties by value); `maxError` is 0 when exact. */
  top(k: number): { values: TopValue[]; maxError: number } {
    const source = this.exact ?? this.frequent!.counts;
    const values = [...source].map(([value, count]) => ({ value, count }));
    values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return { values: values.slice(0, k), maxError: this.exact ? 0 : this.frequent!.maxError };
  }
}

/**
 * Count, mean, sample standard deviation (Welford, merged with Chan et al.'s
 * formula), min, max, and quantiles: exact (linear interpolation between
 * closest ranks, as numpy and the `metric` check) while at most
 * EXACT_QUANTILE_LIMIT values were seen, else from a DDSketch.
 */
export class NumericSummary {
  count = 0;
  mean = 0;
  private m2 = 0;
  min = Infinity;
  max = -Infinity;
  private values: Float64Array | null = new Float64Array(1024);
  private sketch: DDSketch | null = null;

  constructor(readonly exactLimit = EXACT_QUANTILE_LIMIT) {}

  add(x: number): void {
    this.count++;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (!this.values) {
      this.sketch!.accept(x);
      return;
    }
    const index = this.count - 1;
    if (index >= this.exactLimit) {
      this.sketch = this.sketchOf(this.values.subarray(0, index), null);
      this.values = null;
      this.sketch.accept(x);
      return;
    }
    if (index >= this.values.length) {
      const grown = new Float64Array(Math.min(this.exactLimit, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[index] = x;
  }

  merge(other: NumericSummary): void {
    if (other.count === 0) return;
    const n = this.count + other.count;
    const delta = other.mean - this.mean;
    const mean = this.mean + (delta * other.count) / n;
    this.m2 += other.m2 + (delta * delta * this.count * other.count) / n;
    const mine = this.exactValues();
    const theirs = other.exactValues();
    this.mean = mean;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    if (mine && theirs && n <= this.exactLimit) {
      const joined = new Float64Array(Math.max(n, 1024));
      joined.set(mine);
      joined.set(theirs, mine.length);
      this.values = joined;
      this.count = n;
      return;
    }
    const sketch = this.sketchOf(mine, this.sketch);
    sketch.merge(this.sketchOf(theirs, other.sketch));
    this.sketch = sketch;
    this.values = null;
    this.count = n;
  }

  private exactValues(): Float64Array | null {
    return this.values ? this.values.subarray(0, this.count) : null;
  }

  private sketchOf(values: Float64Array | null, sketch: DDSketch | null): DDSketch {
    if (!values) return sketch!;
    const made = new DDSketch({ relativeAccuracy: QUANTILE_RELATIVE_ACCURACY });
    for (const x of values) made.accept(x);
    return made;
  }

  /** Sample standard deviation (n − 1), as the `metric` check's `stddev`; null below two values. */
  get stddev(): number | null {
    return this.count > 1 ? Math.sqrt(this.m2 / (this.count - 1)) : null;
  }

  get quantilesExact(): boolean {
    return this.values !== null;
  }

  /** Quantiles at each of `qs` (0–1); exact or from the sketch (see quantilesExact). */
  quantiles(qs: number[]): number[] {
    if (this.count === 0) return qs.map(() => NaN);
    if (this.values) {
      const sorted = this.values.slice(0, this.count).sort();
      return qs.map((q) => {
        const position = q * (sorted.length - 1);
        const low = Math.floor(position);
        const high = Math.ceil(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
      });
    }
    // DDSketch answers within its relative accuracy; clamp to the exact extremes it also knows.
    return qs.map((q) => Math.min(this.max, Math.max(this.min, this.sketch!.getValueAtQuantile(q))));
  }
}
