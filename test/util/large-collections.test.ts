/**
 * LargeMap and LargeSet behave as Map and Set across segment boundaries
 * (small segments here; the real size, 2^23, is exercised beyond V8's 2^24
 * limit by `node bench/distinct-keys.mjs`, which is too slow for the suite).
 */
import fc from 'fast-check';
import { LargeMap, LargeSet, SEGMENT_ENTRIES } from '../../src/util/large-collections.js';

test('segments stay below V8\'s limit of 2^24 entries', () => {
  expect(SEGMENT_ENTRIES).toBeLessThan(2 ** 24);
});

test('LargeMap: the same gets, sizes and insertion order as a Map, whatever the segment size', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer())), fc.integer({ min: 1, max: 8 }), (ops, segment) => {
      const large = new LargeMap<number, number>(segment);
      const map = new Map<number, number>();
      for (const [k, v] of ops) {
        large.set(k, v);
        map.set(k, v);
      }
      expect(large.size).toBe(map.size);
      for (let k = -1; k <= 41; k++) {
        expect(large.get(k)).toBe(map.get(k));
        expect(large.has(k)).toBe(map.has(k));
      }
      expect([...large]).toEqual([...map]);
    }),
  );
});

test('LargeSet: the same membership, size and order as a Set, whatever the segment size', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constantFrom('a', 'b', 'c'))), fc.integer({ min: 1, max: 8 }), (values, segment) => {
      const large = new LargeSet<number | string>(values, segment);
      const set = new Set<number | string>(values);
      expect(large.size).toBe(set.size);
      expect([...large]).toEqual([...set]);
      expect([...large.keys()]).toEqual([...set.keys()]);
      for (const v of [...values, -1, 'z']) expect(large.has(v)).toBe(set.has(v));
      const seen: unknown[] = [];
      large.forEach((v) => seen.push(v));
      expect(seen).toEqual([...set]);
    }),
  );
});

test('a value stored as undefined is still found in a later segment', () => {
  const large = new LargeMap<string, number | undefined>(1);
  large.set('a', 1).set('b', undefined).set('c', 3);
  expect(large.has('b')).toBe(true);
  large.set('b', 2);
  expect(large.get('b')).toBe(2);
  expect(large.size).toBe(3);
});
