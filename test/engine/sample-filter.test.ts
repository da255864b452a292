/**
 * `check --as P` picks samples among the rows P's row filters keep, in the
 * executor (BatchContext.sampleable). A filter that cannot be evaluated
 * shows no row and never changes a check's outcome.
 */
import { BatchContext } from '../../src/engine/in-process/batch-context.js';
import type { Batch } from '../../src/sources/stream.js';

function batch(columns: Record<string, unknown[]>): Batch {
  const rows = Object.values(columns)[0].length;
  return { offset: 0, rows, file: 0, firstRow: 1, columns: new Map(Object.entries(columns)), rawStatus: new Map(), invalidRaw: new Map() };
}

test('rows where the bound filter holds are sampleable; a null comparison is not', () => {
  const ctx = new BatchContext(batch({ region: ['EU', 'US', null, 'US'] }), new Set(['region']), new Map());
  expect([...ctx.sampleable("d.region == 'US'")]).toEqual([0, 1, 0, 1]);
});

test('a filter that cannot be evaluated makes no row sampleable (fail closed), without throwing', () => {
  const ctx = new BatchContext(batch({ region: ['EU', 'US'] }), new Set(['region']), new Map());
  expect([...ctx.sampleable('d.region ==')]).toEqual([0, 0]);
});
