/**
 * Files that change under assay: truncated or grown while being read,
 * deleted between the glob that listed them and the read. The reader either
 * returns every byte of one consistent file or refuses with a reason.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRawBatches } from '../../src/sources/raw-batches.js';
import { resolveFiles } from '../../src/sources/resolve.js';
import { DataError } from '../../src/util/diagnostics.js';
import { readRegularFile, UnreadableFileError } from '../../src/util/read-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const BIG = 20 * 1024 * 1024; // more than one 8 MiB chunk, so the hook runs mid-read
/** 4 MB of CSV in 40,000 rows: several 1 MiB stream chunks, 40 batches. */
const STREAMED = `a\n${`${'x'.repeat(99)}\n`.repeat(40_000)}`;

test('a file read whole comes back byte for byte', () => {
  const file = join(dir, 'f.csv');
  const bytes = Buffer.alloc(BIG, 'a');
  writeFileSync(file, bytes);
  let chunks = 0;
  expect(readRegularFile(file, BIG, { afterChunk: () => chunks++ }).equals(bytes)).toBe(true);
  expect(chunks).toBe(3);
});

test('truncated while being read: refused, with how far it got', () => {
  const file = join(dir, 'f.csv');
  writeFileSync(file, Buffer.alloc(BIG, 'a'));
  const read = () => readRegularFile(file, BIG, { afterChunk: (n) => n < BIG && truncateSync(file, 1024) });
  expect(read).toThrow(UnreadableFileError);
  expect(read).toThrow(/^file changed while it was read \(\d+ of \d+ bytes read\); read it again when it is complete$/);
});

test('grown while being read (a writer still appending): refused', () => {
  const file = join(dir, 'f.csv');
  writeFileSync(file, Buffer.alloc(BIG, 'a'));
  expect(() => readRegularFile(file, 2 * BIG, { afterChunk: () => appendFileSync(file, 'more\n') })).toThrow(/file changed while it was read/);
});

test('deleted while being read: the open file is read whole (POSIX keeps it until closed)', () => {
  const file = join(dir, 'f.csv');
  writeFileSync(file, Buffer.alloc(BIG, 'b'));
  let deleted = false;
  const bytes = readRegularFile(file, BIG, { afterChunk: () => { if (!deleted) { unlinkSync(file); deleted = true; } } });
  expect(deleted).toBe(true);
  expect(bytes.length).toBe(BIG);
});

/** Stream a CSV file in small batches; `afterFirst` runs once, after the first batch. */
async function streamCsv(file: string, afterFirst: () => void = () => {}): Promise<number> {
  let rows = 0;
  let first = true;
  for await (const batch of readRawBatches({ file }, 'csv', {}, 1000)) {
    rows += batch.rows;
    if (first) afterFirst();
    first = false;
  }
  return rows;
}

test('a streamed file truncated while it is read: DataError "file changed while it was read"', async () => {
  const file = join(dir, 'f.csv');
  writeFileSync(file, STREAMED);
  await expect(streamCsv(file, () => truncateSync(file, 1002))).rejects.toThrow(DataError);
  await expect(streamCsv(file)).resolves.toBe(10); // once it is stable, it reads
  writeFileSync(file, STREAMED);
  await expect(streamCsv(file, () => truncateSync(file, 1002))).rejects.toThrow(/f\.csv: file changed while it was read \(\d+ of \d+ bytes read\)$/);
});

test('a streamed file appended to while it is read: DataError', async () => {
  const file = join(dir, 'f.csv');
  writeFileSync(file, STREAMED);
  await expect(streamCsv(file, () => appendFileSync(file, '2\n'))).rejects.toThrow(/file changed while it was read/);
});

test('deleted between the glob that listed it and the read: DataError "no such file" (exit 3)', async () => {
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data/1.csv'), 'a\n1\n');
  writeFileSync(join(dir, 'data/2.csv'), 'a\n2\n');
  writeFileSync(join(dir, 'p.yaml'), '');
  const files = resolveFiles({ dataset: 't', source: { path: 'data/*.csv' }, policyFile: join(dir, 'p.yaml') });
  expect(files).toHaveLength(2);
  unlinkSync(join(dir, 'data/2.csv'));
  await expect(streamCsv(files[0])).resolves.toBe(1);
  await expect(streamCsv(files[1])).rejects.toThrow(DataError);
  await expect(streamCsv(files[1])).rejects.toThrow(/2\.csv: no such file$/);
});

test('over the limit: refused before a byte is read', () => {
  const file = join(dir, 'f.csv');
  writeFileSync(file, 'abc');
  expect(() => readRegularFile(file, 2)).toThrow('file is 3 bytes; the limit is 2');
});
