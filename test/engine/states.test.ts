/** Measure states merge exactly: folding two halves and merging equals folding the whole. */
import { DistinctState, KeyCountState, NumericState, RowBits, RowsState } from '../../src/engine/in-process/states.js';
import { compositeKey } from '../../src/values/compare.js';

const values = [3, null, 7.5, -2, 7.5, NaN, 10, 0, 3, 1e6, 42, -0.25, 3];

function numeric(xs: unknown[], keep = true): NumericState {
  const s = new NumericState(keep);
  for (const x of xs) s.add(x);
  return s;
}

test.each([1, 4, 7, 12])('NumericState merge at split %i', (split) => {
  const whole = numeric(values);
  const merged = numeric(values.slice(0, split));
  merged.merge(numeric(values.slice(split)));
  expect([merged.count, merged.valid, merged.sum, merged.min, merged.max, merged.any]).toEqual([whole.count, whole.valid, whole.sum, whole.min, whole.max, whole.any]);
  // Chan's formula rounds differently from row-by-row Welford: equal to ~1e-12 relative.
  expect(Math.abs(merged.mean - whole.mean)).toBeLessThanOrEqual(1e-12 * Math.abs(whole.mean));
  expect(Math.abs(merged.variance()! - whole.variance()!)).toBeLessThanOrEqual(1e-12 * whole.variance()!);
  expect(merged.quantile(0.5)).toBe(whole.quantile(0.5));
  expect(merged.quantile(0.9)).toBe(whole.quantile(0.9));
});

test('NumericState follows arquero: null and NaN are not valid; quantiles interpolate', () => {
  const s = numeric([4, null, NaN, 1, 2, 3]);
  expect([s.count, s.valid, s.sum, s.min, s.max, s.mean]).toEqual([6, 4, 10, 1, 4, 2.5]);
  expect(s.quantile(0.5)).toBe(2.5);
  expect(s.quantile(0.25)).toBe(1.75);
  expect(s.variance()).toBeCloseTo(5 / 3, 12);
  expect(numeric([]).quantile(0.5)).toBeNull();
});

test('DistinctState merge is the set union', () => {
  const a = new DistinctState();
  const b = new DistinctState();
  ['x', 'y', null].forEach((v) => a.add(v));
  ['y', 'z', new Date(5), new Date(5)].forEach((v) => b.add(v));
  a.merge(b);
  expect([...a.values].sort()).toEqual([5, 'x', 'y', 'z']);
  expect(a.invalid).toBe(true);
});

function keys(xs: string[], offset: number, limit: number): KeyCountState {
  const s = new KeyCountState(limit);
  xs.forEach((k, i) => s.add(k, offset + i));
  return s;
}

test.each([0, 1, 3, 5, 8])('KeyCountState merge at split %i', (split) => {
  const xs = ['a', 'b', 'c', 'b', 'd', 'a', 'e', 'b'];
  const whole = keys(xs, 0, 3);
  const merged = keys(xs.slice(0, split), 0, 3);
  merged.merge(keys(xs.slice(split), split, 3));
  // a at 0,5 and b at 1,3,7 repeat: 5 failing rows, first three are 0,1,3
  expect([whole.failed, whole.evaluated, whole.samples()]).toEqual([5, 8, [0, 1, 3]]);
  expect([merged.failed, merged.evaluated, merged.samples()]).toEqual([5, 8, [0, 1, 3]]);
});

test('RowsState merge keeps the first samples', () => {
  const a = new RowsState(2);
  Object.assign(a, { failed: 1, evaluated: 5 });
  a.samples.push(3);
  const b = new RowsState(2);
  Object.assign(b, { failed: 2, evaluated: 4 });
  b.samples.push(6, 8);
  a.merge(b);
  expect([a.failed, a.evaluated, a.samples]).toEqual([3, 9, [3, 6]]);
});

test.each([0, 1, 3, 5, 8])('KeyCountState with hidden rows (check --as P) samples only visible ones, merged at split %i', (split) => {
  const xs = ['a', 'b', 'c', 'b', 'd', 'a', 'e', 'b'];
  const hidden = new Set([0, 1]); // the first occurrences of a and b belong to rows P may not see
  const build = (part: string[], offset: number) => {
    const s = new KeyCountState(3);
    part.forEach((k, i) => s.add(k, offset + i, hidden.has(offset + i)));
    return s;
  };
  const whole = build(xs, 0);
  const merged = build(xs.slice(0, split), 0);
  merged.merge(build(xs.slice(split), split));
  // Counts are those of every row; samples are the first visible failing rows: 3, 5, 7.
  expect([whole.failed, whole.evaluated, whole.samples()]).toEqual([5, 8, [3, 5, 7]]);
  expect([merged.failed, merged.evaluated, merged.samples()]).toEqual([5, 8, [3, 5, 7]]);
});

test('RowBits grows and answers membership exactly', () => {
  const bits = new RowBits();
  for (const row of [0, 7, 8, 1_000_003]) bits.set(row);
  expect([0, 1, 7, 8, 9, 1_000_002, 1_000_003, 5_000_000].map((r) => bits.has(r))).toEqual([true, false, true, true, false, false, true, false]);
  const other = new RowBits();
  other.set(2_000_000);
  bits.or(other);
  expect([bits.has(2_000_000), bits.has(7)]).toEqual([true, true]);
});

describe('integers beyond 2^53', () => {
  test('sum is exact when integers beyond 2^53 take part, min and max stay bigints, in one state or merged', () => {
    const whole = new NumericState(false);
    for (const v of [1, 9007199254740995n, 2]) whole.add(v);
    expect(whole.total()).toBe(9007199254740998n);
    expect(whole.max).toBe(9007199254740995n);
    expect(whole.min).toBe(1);
    const a = new NumericState(false);
    const b = new NumericState(false);
    a.add(9007199254740993n);
    b.add(-9007199254740993n);
    b.add(7);
    a.merge(b);
    expect(a.total()).toBe(7);
    expect(a.min).toBe(-9007199254740993n);
  });

  test('a fraction among them gives the nearest double', () => {
    const s = new NumericState(false);
    s.add(9007199254740993n);
    s.add(0.5);
    expect(s.total()).toBe(Number(9007199254740993n) + 0.5);
  });

  test('composite keys tell bigints apart and match JSON.stringify otherwise', () => {
    expect(compositeKey([9007199254740993n, 'a'])).not.toBe(compositeKey([9007199254740992n, 'a']));
    expect(compositeKey([9007199254740993n, null, undefined])).toBe('[9007199254740993,null,null]');
    expect(compositeKey([1, 'a', null])).toBe(JSON.stringify([1, 'a', null]));
  });
});
