import { HLL_STANDARD_ERROR, HyperLogLog } from '../../src/profile/hyperloglog.js';
import { FrequentItems, NumericSummary, ValueCounts } from '../../src/profile/sketches.js';

describe('HyperLogLog', () => {
  test.each([1_000, 20_000, 300_000])('estimates %i distinct values within 3 standard errors (0.81%% each)', (n) => {
    const hll = new HyperLogLog();
    for (let i = 0; i < n; i++) hll.add(`value-${i}`);
    for (let i = 0; i < n; i += 3) hll.add(`value-${i}`); // repeats do not count
    expect(Math.abs(hll.estimate() - n) / n).toBeLessThan(3 * HLL_STANDARD_ERROR);
  });

  test('the mean error over many independent sets is close to the documented standard error', () => {
    const errors: number[] = [];
    for (let set = 0; set < 30; set++) {
      const hll = new HyperLogLog();
      for (let i = 0; i < 50_000; i++) hll.add(`s${set}-${i}`);
      errors.push((hll.estimate() - 50_000) / 50_000);
    }
    const rms = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
    expect(rms).toBeLessThan(1.5 * HLL_STANDARD_ERROR);
    expect(rms).toBeGreaterThan(0.3 * HLL_STANDARD_ERROR); // an estimator that is exact here would be suspicious
  });

  test('merging two sketches estimates the union', () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    for (let i = 0; i < 60_000; i++) a.add(String(i));
    for (let i = 40_000; i < 100_000; i++) b.add(String(i));
    a.merge(b);
    expect(Math.abs(a.estimate() - 100_000) / 100_000).toBeLessThan(3 * HLL_STANDARD_ERROR);
  });
});

describe('FrequentItems (Misra-Gries)', () => {
  test('finds every item more frequent than its error bound, with counts low by at most that bound', () => {
    const f = new FrequentItems(50);
    const truth = new Map<string, number>();
    const add = (item: string) => {
      f.add(item);
      truth.set(item, (truth.get(item) ?? 0) + 1);
    };
    for (let i = 0; i < 20_000; i++) add(`rare-${i}`);
    for (let k = 0; k < 5; k++) for (let i = 0; i < 2_000 * (k + 1); i++) add(`heavy-${k}`);
    for (const [item, count] of truth) {
      const reported = f.counts.get(item) ?? 0;
      expect(reported).toBeLessThanOrEqual(count);
      expect(count - reported).toBeLessThanOrEqual(f.maxError);
      if (count > f.maxError) expect(f.counts.has(item)).toBe(true);
    }
    expect(f.counts.size).toBeLessThan(100);
  });
});

describe('ValueCounts', () => {
  test('counts exactly up to its limit, then hands the exact counts over and estimates', () => {
    const handed: number[] = [];
    const v = new ValueCounts((entries) => handed.push(entries.size), 100);
    for (let i = 0; i < 100; i++) v.add(String(i % 50));
    expect(v.distinct()).toEqual({ count: 50, exact: true, method: 'exact' });
    expect(v.top(2).values).toEqual([
      { value: '0', count: 2 },
      { value: '1', count: 2 },
    ]);
    for (let i = 0; i < 5_000; i++) v.add(`x${i}`);
    expect(handed).toEqual([101]);
    const d = v.distinct();
    expect(d.exact).toBe(false);
    expect(d.method).toMatch(/HyperLogLog/);
    expect(Math.abs(d.count - 5_050) / 5_050).toBeLessThan(0.03);
  });
});

describe('NumericSummary', () => {
  const values = Array.from({ length: 1_001 }, (_, i) => (i * 7919) % 1_001); // 0..1000, shuffled

  test('exact mean, sample stddev and quantiles interpolated as numpy does', () => {
    const s = new NumericSummary();
    values.forEach((x) => s.add(x));
    expect(s.mean).toBeCloseTo(500, 10);
    expect(s.stddev).toBeCloseTo(Math.sqrt((1001 * 1002) / 12), 6); // variance of 0..n with n−1 denominator
    expect(s.quantiles([0, 0.01, 0.5, 0.995, 1])).toEqual([0, 10, 500, 995, 1000]);
    expect(s.quantilesExact).toBe(true);
  });

  test('past the exact limit, quantiles come from DDSketch within 1% relative error', () => {
    const s = new NumericSummary(1_000);
    for (let i = 1; i <= 100_000; i++) s.add(i);
    expect(s.quantilesExact).toBe(false);
    const [p1, p50, p99] = s.quantiles([0.01, 0.5, 0.99]);
    expect(Math.abs(p1 - 1_000) / 1_000).toBeLessThan(0.02);
    expect(Math.abs(p50 - 50_000) / 50_000).toBeLessThan(0.02);
    expect(Math.abs(p99 - 99_000) / 99_000).toBeLessThan(0.02);
    expect(s.min).toBe(1);
    expect(s.max).toBe(100_000);
  });

  test('merging two halves gives the statistics of the whole, exact or sketched', () => {
    for (const limit of [10_000, 300]) {
      const whole = new NumericSummary(limit);
      const a = new NumericSummary(limit);
      const b = new NumericSummary(limit);
      values.forEach((x, i) => {
        whole.add(x);
        (i % 3 === 0 ? a : b).add(x);
      });
      a.merge(b);
      expect(a.count).toBe(whole.count);
      expect(a.mean).toBeCloseTo(whole.mean, 9);
      expect(a.stddev!).toBeCloseTo(whole.stddev!, 9);
      const [m1, w1] = [a.quantiles([0.5])[0], whole.quantiles([0.5])[0]];
      if (limit === 10_000) expect(m1).toBe(w1);
      else expect(Math.abs(m1 - 500) / 500).toBeLessThan(0.02);
    }
  });
});
