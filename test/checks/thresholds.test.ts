import { boundsOf, describeBounds, describeCondition, describeFailure, emptyBounds, holds, kindMismatch, nearlyEqual, parseCondition, withinBounds } from '../../src/checks/thresholds.js';

describe('parseCondition', () => {
  test.each([
    ['> 0', { comparator: '>', value: 0, percent: false }],
    ['>= 5', { comparator: '>=', value: 5, percent: false }],
    ['> 1%', { comparator: '>', value: 1, percent: true }],
    ['<0.5%', { comparator: '<', value: 0.5, percent: true }],
    ['  == 3  ', { comparator: '==', value: 3, percent: false }],
    ['!= -2', { comparator: '!=', value: -2, percent: false }],
    ['<= 1e3', { comparator: '<=', value: 1000, percent: false }],
  ])('%j', (text, condition) => {
    expect(parseCondition(text)).toEqual(condition);
  });

  test.each(['', '0', '> ', 'more than 3', '=> 1', '> 1%%', '> 1 %x', '>> 1', '> one', '= 1'])('%j is not a condition', (text) => {
    expect(parseCondition(text)).toBeUndefined();
  });
});

describe('holds: exactly at the boundary', () => {
  const c = (text: string) => parseCondition(text)!;
  test.each([
    ['> 5', 5, false],
    ['> 5', 5.000001, true],
    ['>= 5', 5, true],
    ['>= 5', 4.999999, false],
    ['< 5', 5, false],
    ['<= 5', 5, true],
    ['== 5', 5, true],
    ['== 5', 6, false],
    ['!= 5', 5, false],
    ['!= 5', 4, true],
  ])('%s with %d is %s', (text, observed, expected) => {
    expect(holds(c(text), observed as number)).toBe(expected);
  });

  test.each([
    ['> 1%', 1, 100, false], // exactly 1%
    ['> 1%', 2, 100, true],
    ['>= 1%', 7, 700, true], // exactly 1%
    ['> 29%', 29, 100, false], // (29 / 100) * 100 would be 28.999999999999996
    ['>= 29%', 29, 100, true],
    ['> 33.333333333333336%', 1, 3, false], // 1 of 3 written out is not more than itself
    ['> 0%', 0, 0, false], // 0% of no rows
    ['>= 0%', 0, 0, true],
  ])('%s with %i of %i rows is %s', (text, observed, base, expected) => {
    expect(holds(c(text), observed as number, base as number)).toBe(expected);
  });

  test('floating-point noise does not cross a boundary', () => {
    expect(holds(c('> 0.3'), 0.1 + 0.2)).toBe(false);
    expect(holds(c('<= 0.3'), 0.1 + 0.2)).toBe(true);
    expect(holds(c('== 0.3'), 0.1 + 0.2)).toBe(true);
  });
});

describe('nearlyEqual', () => {
  test('within a relative 1e-9, or 1e-9 near zero', () => {
    expect(nearlyEqual(0.1 + 0.2, 0.3)).toBe(true);
    expect(nearlyEqual(1e12, 1e12 + 1)).toBe(true);
    expect(nearlyEqual(1e-10, 0)).toBe(true);
    expect(nearlyEqual(1, 1.000001)).toBe(false);
    expect(nearlyEqual(0, 1e-6)).toBe(false);
  });
});

describe('bounds', () => {
  test('boundsOf: between wins, min/max, or none', () => {
    expect(boundsOf({ between: [1, 2] })).toEqual({ min: 1, max: 2 });
    expect(boundsOf({ min: 1 })).toEqual({ min: 1, max: undefined });
    expect(boundsOf({ max: 0 })).toEqual({ min: undefined, max: 0 });
    expect(boundsOf({})).toBeUndefined();
  });

  test.each([
    [5, { min: 5 }, true],
    [4.999, { min: 5 }, false],
    [10, { max: 10 }, true],
    [10.001, { max: 10 }, false],
    [7, { min: 5, max: 10 }, true],
    [0.1 + 0.2, { max: 0.3 }, true],
    [0.1 + 0.2, { min: 0.3 }, true],
    [null, { min: 0 }, false],
    ['b', { min: 'a', max: 'c' }, true],
    ['d', { min: 'a', max: 'c' }, false],
  ])('%p within %j is %s', (value, bounds, expected) => {
    expect(withinBounds(value, bounds)).toBe(expected);
  });

  test('dates compare as instants with ISO bounds, UTC when no zone is given, to the millisecond', () => {
    const at = new Date('2026-01-05T10:00:00Z');
    expect(withinBounds(at, { max: '2026-01-05T10:00:00' })).toBe(true);
    expect(withinBounds(at, { max: '2026-01-05T09:59:59.999Z' })).toBe(false);
    expect(withinBounds(at, { min: '2026-01-05T11:00:00+01:00', max: '2026-01-05' + 'T10:00:00Z' })).toBe(true);
    expect(withinBounds(at, { min: '2026-01-06' })).toBe(false);
    expect(withinBounds(at, { min: new Date('2026-01-05T10:00:00.001Z') })).toBe(false);
  });

  test('descriptions', () => {
    expect(describeBounds('row_count', { min: 1 })).toBe('row_count >= 1');
    expect(describeBounds('row_count', { max: 9 })).toBe('row_count <= 9');
    expect(describeBounds('mean(amount)', { min: 10, max: 500 })).toBe('mean(amount) between [10, 500]');
    expect(describeBounds('max(at)', { max: new Date('2026-01-05T00:00:00Z') })).toBe('max(at) <= 2026-01-05T00:00:00.000Z');
    expect(describeCondition('failed_rows', parseCondition('> 1%')!)).toBe('failed_rows > 1%');
    expect(describeCondition('failed_rows', parseCondition('>=5')!)).toBe('failed_rows >= 5');
  });

  test('the fail condition bounds stand for (the report\'s threshold field)', () => {
    expect(describeFailure('row_count', { min: 1 })).toBe('row_count < 1');
    expect(describeFailure('row_count', { max: 9 })).toBe('row_count > 9');
    expect(describeFailure('mean(amount)', { min: 10, max: 500 })).toBe('mean(amount) outside [10, 500]');
    expect(describeFailure('max(at)', { max: new Date('2026-01-05T00:00:00Z') })).toBe('max(at) > 2026-01-05T00:00:00.000Z');
  });
});

describe('like with like (SPEC §1.2)', () => {
  test('a value meets bounds of its own kind only', () => {
    expect(kindMismatch(5, [{ max: 1000 }], [])).toBeUndefined();
    expect(kindMismatch(9007199254740993n, [{ max: 1000 }], [parseCondition('> 0')])).toBeUndefined();
    expect(kindMismatch(new Date(0), [{ max: '2026-01-05' }], [])).toBeUndefined();
    expect(kindMismatch('N/A', [{ max: 1000 }], [])).toEqual({ observed: 'text', expected: 'numeric' });
    expect(kindMismatch('N/A', [undefined, { min: 0 }], [])).toEqual({ observed: 'text', expected: 'numeric' });
    expect(kindMismatch(['a'], [{ max: 1 }], [])).toEqual({ observed: 'a list', expected: 'numeric' });
    expect(kindMismatch({ a: 1 }, [{ max: 1 }], [])).toEqual({ observed: 'an object', expected: 'numeric' });
    expect(kindMismatch(true, [{ max: 1 }], [])).toEqual({ observed: 'a boolean', expected: 'numeric' });
    expect(kindMismatch(new Date(0), [{ max: 1000 }], [])).toEqual({ observed: 'a date', expected: 'numeric' });
    expect(kindMismatch(new Date(0), [], [parseCondition('> 0')])).toEqual({ observed: 'a date', expected: 'numeric' });
    expect(kindMismatch(5, [{ max: '2026-01-05' }], [])).toEqual({ observed: 'a number', expected: 'a date' });
  });

  test('integers beyond 2^53 compare exactly with bounds and conditions', () => {
    expect(withinBounds(9007199254740993n, { max: 9007199254740992 })).toBe(false);
    expect(withinBounds(9007199254740993n, { min: 9007199254740992, max: 1e16 })).toBe(true);
    expect(holds(parseCondition('> 9007199254740992')!, 9007199254740993n)).toBe(true);
    expect(holds(parseCondition('== 9007199254740992')!, 9007199254740993n)).toBe(false);
    expect(holds(parseCondition('!= 9007199254740992')!, 9007199254740993n)).toBe(true);
  });

  test('emptyBounds: one rule for min > max, numbers, instants and text', () => {
    expect(emptyBounds(5, 1)).toBe(true);
    expect(emptyBounds(1, 5)).toBe(false);
    expect(emptyBounds(1, 1)).toBe(false);
    expect(emptyBounds(undefined, 1)).toBe(false);
    expect(emptyBounds('2026-02-01', '2026-01-31T23:00:00Z')).toBe(true);
    expect(emptyBounds('2026-02-01T01:00:00+02:00', '2026-01-31T23:30:00Z')).toBe(false);
    expect(emptyBounds('b', 'a')).toBe(true);
    expect(emptyBounds(5, '2026-01-01')).toBe(false);
  });
});
