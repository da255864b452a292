/**
 * The NDJSON line limit (guard.ts MAX_LINE_CHARS, 256 M characters) with a
 * small limit set through the read options, so the test needs no 256 MB
 * file: a line over the limit is refused with its line number, whether it
 * arrives whole in one chunk or grows across many (an endless line is refused
 * before the rest of it is read).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRawBatches } from '../../src/sources/raw-batches.js';
import { readTable } from '../../src/sources/read-table.js';
import { DataError } from '../../src/util/diagnostics.js';

const record = (value: string) => JSON.stringify({ id: 1, note: value });

test('a line over the limit, in memory: DataError naming the line', async () => {
  const text = [record('short'), record('x'.repeat(200)), record('short')].join('\n');
  await expect(readTable('data.ndjson', Buffer.from(text), 'ndjson', { maxLineChars: 100 })).rejects.toThrow(new DataError('data.ndjson:2: line is longer than 100 characters'));
});

test('lines at the limit are read; the limit counts characters, not bytes', async () => {
  const at = record('é'.repeat(100 - record('').length));
  expect(at.length).toBe(100);
  const table = await readTable('data.ndjson', Buffer.from(`${at}\r\n${at}\n`), 'ndjson', { maxLineChars: 100 });
  expect(table.numRows()).toBe(2);
});

test('a line growing across stream chunks (1 MiB each) is refused before the file is read to its end', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-ndjson-'));
  try {
    const file = join(dir, 'data.ndjson');
    writeFileSync(file, `${record('a')}\n${record('b')}\n${record('y'.repeat(5 * 1024 * 1024))}\n${record('c')}\n`);
    const read = async () => {
      let rows = 0;
      for await (const batch of readRawBatches({ file }, 'ndjson', { maxLineChars: 1024 * 1024 }, 1000)) rows += batch.rows;
      return rows;
    };
    await expect(read()).rejects.toThrow(new DataError(`${file}:3: line is longer than 1048576 characters`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
