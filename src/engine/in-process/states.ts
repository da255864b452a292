/**
 * Mergeable measure states. Each state is updated row by row, batch after
 * batch, and `merge(other)` combines it with a state built over later rows
 * (another batch, another file, another worker). The executor folds batches
 * into one running state in row order, so floating-point results are the
 * same whatever the batch size; `merge` is exact for counts, sets and
 * min/max, and uses Chan et al.'s formula for mean and variance.
 *
 * The arithmetic of NumericState follows arquero's aggregate functions
 * (Welford mean and deviation, `+v` sums), so `aggregate` expressions give
 * what `table.rollup` would.
 */
import { LargeMap, LargeSet } from '../../util/large-collections.js';
import { comparableKey } from '../../values/compare.js';

/** A value counts for statistics when it is neither null nor NaN (arquero's rule). */
export const isValid = (v: unknown): boolean => v != null && v === v;

/** Failed and evaluated rows of a row check, and the first failing rows (0-based, dataset-wide). */
export class RowsState {
  failed = 0;
  evaluated = 0;
  readonly samples: number[] = [];
  /** When set, the failing rows of the current batch are also marked here (the per-column union). */
  marks?: Uint8Array;
  /** When set, only rows of the current batch marked 1 here may become samples (the reader's row filters). */
  sampleable?: Uint8Array;
  constructor(readonly sampleLimit: number) {}

  merge(other: RowsState): void {
    this.failed += other.failed;
    this.evaluated += other.evaluated;
    for (const index of other.samples) if (this.samples.length < this.sampleLimit) this.samples.push(index);
  }
}

/** Distinct non-null values: an exact set (memory: one entry per distinct value; no limit on their number). */
export class DistinctState {
  readonly values = new LargeSet<unknown>();
  /** Whether any null/NaN value was seen (arquero's `op.distinct` counts it as one more value). */
  invalid = false;

  add(value: unknown): void {
    if (isValid(value)) this.values.add(comparableKey(value));
    else this.invalid = true;
  }

  merge(other: DistinctState): void {
    for (const v of other.values) this.values.add(v);
    this.invalid ||= other.invalid;
  }
}

/**
 * How often each non-null key occurs, for `unique` and `duplicate_count`.
 * An exact hash map: memory is one entry per distinct key, with no limit on
 * their number (V8's Map stops at 2^24 entries: ../../util/large-collections.ts). An entry holds the
 * key's first row while it has been seen once, and minus its count after
 * that, so the first failing rows can be reported without a second map.
 */
export class KeyCountState {
  readonly counts = new LargeMap<unknown, number>();
  /** Rows whose key occurs more than once (every occurrence counts). */
  failed = 0;
  /** Rows with a complete key. */
  evaluated = 0;
  /** Smallest rows of keys that turned out to repeat, sorted, at most `sampleLimit`. */
  readonly firstRows: number[] = [];
  /** Later occurrences (all failing), in row order, at most `sampleLimit`. */
  readonly laterRows: number[] = [];
  /** Rows the report reader may not see (`hidden` in add), never kept as samples. */
  private readonly hidden = new RowBits();
  constructor(readonly sampleLimit: number) {}

  /** Count `key` at `row`; `hidden`: the row may be counted but not shown as a sample. */
  add(key: unknown, row: number, hidden = false): void {
    this.evaluated++;
    if (hidden) this.hidden.set(row);
    const entry = this.counts.get(key);
    if (entry === undefined) {
      this.counts.set(key, row);
    } else if (entry >= 0) {
      this.counts.set(key, -2);
      this.failed += 2;
      this.keepFirst(entry);
      if (this.laterRows.length < this.sampleLimit && !hidden) this.laterRows.push(row);
    } else {
      this.counts.set(key, entry - 1);
      this.failed++;
      if (this.laterRows.length < this.sampleLimit && !hidden) this.laterRows.push(row);
    }
  }

  private keepFirst(row: number): void {
    if (this.hidden.has(row)) return;
    const rows = this.firstRows;
    if (rows.length === this.sampleLimit && (rows.length === 0 || row > rows[rows.length - 1])) return;
    let at = rows.length;
    while (at > 0 && rows[at - 1] > row) at--;
    rows.splice(at, 0, row);
    if (rows.length > this.sampleLimit) rows.pop();
  }

  /** The first `sampleLimit` failing rows, in row order. */
  samples(): number[] {
    return [...this.firstRows, ...this.laterRows].sort((a, b) => a - b).slice(0, this.sampleLimit);
  }

  /** Combine with a state over later rows. */
  merge(other: KeyCountState): void {
    this.hidden.or(other.hidden);
    this.evaluated += other.evaluated;
    this.failed += other.failed;
    const later = [...this.laterRows, ...other.firstRows, ...other.laterRows];
    for (const [key, theirs] of other.counts) {
      const mine = this.counts.get(key);
      if (mine === undefined) {
        this.counts.set(key, theirs);
        continue;
      }
      const count = (mine >= 0 ? 1 : -mine) + (theirs >= 0 ? 1 : -theirs);
      if (mine >= 0) {
        this.failed++;
        this.keepFirst(mine);
      }
      if (theirs >= 0) {
        this.failed++;
        if (!this.hidden.has(theirs)) later.push(theirs);
      }
      this.counts.set(key, -count);
    }
    later.sort((a, b) => a - b);
    this.laterRows.splice(0, this.laterRows.length, ...later.slice(0, this.sampleLimit));
  }
}

/**
 * Count, sum, min, max, mean and deviation of the valid values of one
 * column, and (only when a median or quantile is needed) the values
 * themselves: exact quantiles cost 8 bytes per valid value.
 */
export class NumericState {
  count = 0;
  valid = 0;
  /** Sum of the number values; integers beyond 2^53 (bigints) add up exactly in `bigSum` (see total). */
  sum = 0;
  bigSum = 0n;
  private bigints = false;
  mean = 0;
  dev = 0;
  min: unknown = undefined;
  max: unknown = undefined;
  private minKey: number | bigint = NaN;
  private maxKey: number | bigint = NaN;
  /** First valid value (arquero's `op.any`). */
  any: unknown = undefined;
  private values: Float64Array | null;
  private length = 0;

  /**
   * `keepValues`: keep the values for exact quantiles. `moments`: track sum,
   * mean and deviation (off when only min/max/count are wanted, e.g. the
   * newest timestamp).
   */
  constructor(keepValues: boolean, private readonly moments = true) {
    this.values = keepValues ? new Float64Array(1024) : null;
  }

  /** Add a row's value; invalid values only count as rows. */
  add(v: unknown): void {
    this.count++;
    if (v == null || v !== v) return;
    this.valid++;
    if (this.any === undefined) this.any = v;
    // Mean, deviation and quantiles are floating-point statistics: a bigint takes part as the nearest double.
    const float = typeof v === 'bigint' ? Number(v) : (v as number);
    if (this.moments) {
      if (typeof v === 'bigint') {
        this.bigSum += v;
        this.bigints = true;
      } else {
        this.sum += +(v as number);
      }
      const d = float - this.mean;
      this.mean += d / this.valid;
      this.dev += d * (float - this.mean);
    }
    // Dates compare by their time value, read once (a Date comparison converts both sides); a
    // bigint compares with a number exactly.
    const x = v instanceof Date ? v.getTime() : (v as number | bigint);
    if (this.min === undefined || x < this.minKey) {
      this.min = v;
      this.minKey = x;
    }
    if (this.max === undefined || x > this.maxKey) {
      this.max = v;
      this.maxKey = x;
    }
    if (this.values) this.push(+float);
  }

  /**
   * The sum: the float sum, as arquero computes it, unless integers beyond
   * 2^53 took part; then exact while every other value was an integer with
   * an exact sum, else the nearest double.
   */
  total(): number | bigint {
    if (!this.bigints) return this.sum;
    if (!Number.isSafeInteger(this.sum)) return Number(this.bigSum) + this.sum;
    const exact = this.bigSum + BigInt(this.sum);
    return Number.isSafeInteger(Number(exact)) ? Number(exact) : exact;
  }

  private push(x: number): void {
    if (this.length === this.values!.length) {
      const grown = new Float64Array(this.values!.length * 2);
      grown.set(this.values!);
      this.values = grown;
    }
    this.values![this.length++] = x;
  }

  /** Linear interpolation between closest ranks (pandas/numpy default, arquero's quantile). */
  quantile(p: number): number | null {
    if (!this.values || this.length === 0) return null;
    const sorted = this.values.subarray(0, this.length).slice().sort();
    const n = sorted.length;
    if (p <= 0 || n < 2) return sorted[0];
    if (p >= 1) return sorted[n - 1];
    const i = (n - 1) * p;
    const i0 = Math.floor(i);
    return sorted[i0] + (sorted[i0 + 1] - sorted[i0]) * (i - i0);
  }

  variance(population = false): number | null {
    return this.valid > 1 ? this.dev / (population ? this.valid : this.valid - 1) : null;
  }

  /** Combine with a state over other rows (Chan et al. for mean and deviation). */
  merge(other: NumericState): void {
    this.count += other.count;
    if (other.valid === 0) return;
    if (this.any === undefined) this.any = other.any;
    const n = this.valid + other.valid;
    const delta = other.mean - this.mean;
    this.dev += other.dev + (delta * delta * this.valid * other.valid) / n;
    this.mean += (delta * other.valid) / n;
    this.valid = n;
    this.sum += other.sum;
    this.bigSum += other.bigSum;
    this.bigints ||= other.bigints;
    if (this.min === undefined || other.minKey < this.minKey) {
      this.min = other.min;
      this.minKey = other.minKey;
    }
    if (this.max === undefined || other.maxKey > this.maxKey) {
      this.max = other.max;
      this.maxKey = other.maxKey;
    }
    if (this.values && other.values) for (let i = 0; i < other.length; i++) this.push(other.values[i]);
  }
}

/** A growable set of row indexes, one bit per row (rows a reader may not see, for key samples). */
export class RowBits {
  private bits = new Uint8Array(0);

  set(row: number): void {
    const byte = row >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte] |= 1 << (row & 7);
  }

  has(row: number): boolean {
    const byte = row >>> 3;
    return byte < this.bits.length && (this.bits[byte] & (1 << (row & 7))) !== 0;
  }

  or(other: RowBits): void {
    if (other.bits.length > this.bits.length) {
      const grown = new Uint8Array(other.bits.length);
      grown.set(this.bits);
      this.bits = grown;
    }
    for (let i = 0; i < other.bits.length; i++) this.bits[i] |= other.bits[i];
  }
}
