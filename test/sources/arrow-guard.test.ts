/**
 * The Arrow IPC structure checks made before flechette decodes anything:
 * valid files and streams pass (nested, dictionary and Null columns
 * included), and corrupted lengths, counts and offsets are refused with a
 * DataError saying what is wrong, before they can make the decoder loop.
 */
import { readFileSync } from 'node:fs';
import { dictionary, int32, list, nullType, tableFromArrays, tableFromIPC, tableToIPC, utf8 } from '@uwdata/flechette';
import { checkArrowStructure } from '../../src/sources/arrow-guard.js';
import { DataError } from '../../src/util/diagnostics.js';

const FILE = readFileSync('fixtures/data/shipments.arrow');
const STREAM = Buffer.from(tableToIPC(tableFromIPC(FILE), { format: 'stream' })!);

function refusal(bytes: Uint8Array): string {
  try {
    checkArrowStructure('f.arrow', bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message.replace('f.arrow: not a readable Arrow IPC file: ', '');
  }
  throw new Error('not refused');
}

test('valid files and streams pass: the example, nested lists, dictionaries, several batches, Null columns', () => {
  const ids = Array.from({ length: 3000 }, (_, i) => i);
  const table = tableFromArrays(
    { id: ids, tag: ids.map((i) => `t${i % 3}`), pair: ids.map((i) => (i % 5 ? [i, i] : null)), nothing: ids.map(() => null) },
    { types: { id: int32(), tag: dictionary(utf8()), pair: list(int32()), nothing: nullType() }, maxBatchRows: 1000 },
  );
  for (const bytes of [FILE, STREAM, tableToIPC(table, { format: 'file' })!, tableToIPC(table, { format: 'stream' })!]) {
    expect(() => checkArrowStructure('f.arrow', bytes)).not.toThrow();
  }
});

test('a footer length that does not fit the file is refused', () => {
  const bytes = Buffer.from(FILE);
  bytes.writeInt32LE(1 << 30, bytes.length - 10);
  expect(refusal(bytes)).toBe(`the footer length ${1 << 30} does not fit the file`);
});

test('a stream message whose length runs backwards, or past the end, is refused', () => {
  const second = 8 + STREAM.readInt32LE(4);
  const backwards = Buffer.from(STREAM);
  backwards.writeInt32LE(-8, second + 4);
  expect(refusal(backwards)).toBe(`the message at byte ${second} declares -8 metadata bytes; the file has ${STREAM.length - second - 8} left`);
  expect(refusal(STREAM.subarray(0, STREAM.length - 100))).toMatch(new RegExp(`^the message at byte ${second} declares a body of \\d+ bytes; the file has \\d+ left$`));
});

test('a record batch declaring more rows than its body can hold is refused', () => {
  // the batch length (int64) of the only record batch: 12 rows, found by its unique value after the second message's header
  const bytes = Buffer.from(STREAM);
  const second = 8 + STREAM.readInt32LE(4);
  const twelve = Buffer.alloc(8);
  twelve.writeBigInt64LE(12n);
  const at = bytes.indexOf(twelve, second);
  bytes.writeBigInt64LE(1n << 40n, at);
  expect(refusal(bytes)).toMatch(/^a record batch declares 1099511627776 rows in a body of \d+ bytes$/);
});

test('every valid shipments.arrow byte flipped to 0xFF still ends in a pass or a DataError, never another error', () => {
  for (let i = 0; i < FILE.length; i++) {
    const bytes = Buffer.from(FILE);
    bytes[i] = 0xff;
    try {
      checkArrowStructure('f.arrow', bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
    }
  }
});
