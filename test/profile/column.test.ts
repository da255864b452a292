import { ColumnState } from '../../src/profile/column.js';
import { summarise } from '../../src/profile/summary.js';

const values: unknown[] = [];
for (let i = 0; i < 600; i++) values.push(i % 7 === 0 ? null : i % 5 === 0 ? `user${i}@example.com` : String(i % 150));

function profileOf(parts: unknown[][], limit: number) {
  const states = parts.map((part) => {
    const s = new ColumnState('c', limit);
    part.forEach((v) => s.add(v));
    return s;
  });
  const merged = new ColumnState('c', limit);
  for (const s of states) merged.merge(s);
  return summarise(merged, false);
}

describe('ColumnState', () => {
  test('types each value by the narrowest type it parses as, and reports the share that fits', () => {
    const s = new ColumnState('c');
    ['1', '2', '2.5', 'x', null, '2026-01-05', '2026-01-05T10:00:00Z', 'true'].forEach((v) => s.add(v));
    const p = summarise(s, false);
    expect(p.kinds).toMatchObject({ integer: 2, number: 1, string: 1, date: 1, timestamp: 1, boolean: 1 });
    expect(p.type).toBe('string');
    expect(p.nulls).toBe(1);
    expect(p.numeric).toMatchObject({ count: 3, min: 1, max: 2.5 });
  });

  test('typed values (JSON, Parquet) keep their type; NaN is not a number value', () => {
    const s = new ColumnState('c');
    [1, 2, 3.5, Number.NaN, 10n].forEach((v) => s.add(v));
    const p = summarise(s, false);
    expect(p.kinds).toMatchObject({ integer: 3, number: 1, other: 1 });
    expect(p.type).toBe('number');
    expect(p.type_share).toBe(0.8);
    expect(p.text_values).toBe(0);
  });

  test.each([
    ['exact', 10_000],
    ['past the exact limit', 40],
  ])('profiles of parts merge into the profile of the whole (%s)', (_label, limit) => {
    const whole = profileOf([values], limit);
    const split = profileOf([values.slice(0, 100), values.slice(100, 350), values.slice(350)], limit);
    for (const key of ['rows', 'nulls', 'type', 'type_share', 'kinds', 'length', 'formats', 'matches', 'shapes', 'distinct_shapes', 'pii'] as const)
      expect(split[key]).toEqual(whole[key]);
    expect(split.numeric!.mean).toBeCloseTo(whole.numeric!.mean, 9);
    expect(split.distinct.exact).toBe(limit === 10_000);
    if (limit === 10_000) {
      expect(split.distinct).toEqual(whole.distinct);
      expect(split.top_values).toEqual(whole.top_values);
    } else {
      expect(Math.abs(split.distinct.count - 215) / 215).toBeLessThan(0.03);
    }
  });

  test('values of a masked column leave only masked: top values partially, no min, max or quantile', () => {
    const s = new ColumnState('email');
    for (let i = 0; i < 20; i++) s.add(`person${i % 3}@example.com`);
    const p = summarise(s, false);
    expect(p.masked).toBe(true);
    expect(p.top_values.map((v) => v.value)).toEqual(Array(3).fill('*****************om'));
    expect(JSON.stringify(p)).not.toMatch(/person\d/);
    const classified = new ColumnState('amount');
    [5, 7, 9].forEach((v) => classified.add(v));
    const c = summarise(classified, true);
    expect(c.numeric).toBeNull();
    expect(JSON.stringify(c.top_values)).not.toMatch(/[579]/);
  });
});

test('Date values past the exact limit get the same shapes and format matches as when counted exactly', () => {
  const dates = Array.from({ length: 300 }, (_, i) => new Date(Date.UTC(2020, 0, 1) + i * 3_600_000)); // every 24th at midnight: a date
  const exact = new ColumnState('t', 10_000);
  const sketched = new ColumnState('t', 50);
  for (const d of dates) {
    exact.add(d);
    sketched.add(d);
  }
  const [a, b] = [summarise(exact, false), summarise(sketched, false)];
  expect(b.distinct.exact).toBe(false);
  expect(b.shapes).toEqual(a.shapes);
  expect(b.matches).toEqual(a.matches);
  expect(b.formats).toEqual(a.formats);
  expect(a.formats).toEqual([
    { format: 'iso_timestamp', share: 287 / 300 },
    { format: 'iso_date', share: 13 / 300 },
  ]);
});

describe('shapes of a masked column keep no value', () => {
  const shapesOf = (values: string[], classified: boolean) => {
    const s = new ColumnState('national_id');
    for (const v of values) s.add(v);
    return summarise(s, classified).shapes.map((x) => x.shape);
  };

  test('digits and letters of any script become 9 / A / a; other non-ASCII characters ?', () => {
    // Persian digits are not ASCII: before, they were kept verbatim in the shape.
    const shapes = shapesOf(['۱۲۳۴۵۶۷۸۹۰', '٣٤٥', 'Ωmega€'], true);
    expect(shapes.sort()).toEqual(['999', '9999999999', 'Aaaaa?']);
  });

  test('a value of punctuation alone is its own shape: not shown for a masked column, shown otherwise', () => {
    const values = ['-+-', '-+-', '12-34'];
    expect(shapesOf(values, true)).toEqual(['99-99']);
    expect(shapesOf(values, false)).toEqual(['-+-', '99-99']);
  });
});
