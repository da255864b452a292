import { readFileSync } from 'node:fs';
import { bool, float64, int64, tableFromArrays, tableToIPC, utf8 } from '@uwdata/flechette';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { formatFromPath, type Format } from '../../src/sources/readers.js';
import { readTable } from '../../src/sources/read-table.js';
import { DataError } from '../../src/util/diagnostics.js';

const rows = (table: Awaited<ReturnType<typeof readTable>>) => table.objects() as Record<string, unknown>[];
const read = (text: string | Uint8Array, format: Format, options = {}) =>
  readTable(`data.${format}`, Buffer.from(text as Uint8Array), format, options);

/** The error a read fails with, as the one line a user sees. */
async function readError(content: string | Uint8Array, format: Format, options = {}): Promise<string> {
  try {
    await read(content, format, options);
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('expected the read to fail');
}

describe('format from the file extension', () => {
  test.each([
    ['a.csv', 'csv'],
    ['a.TSV', 'tsv'],
    ['a.tab', 'tsv'],
    ['a.json', 'json'],
    ['a.ndjson', 'ndjson'],
    ['a.jsonl', 'ndjson'],
    ['a.arrow', 'arrow'],
    ['a.feather', 'arrow'],
    ['a.parquet', 'parquet'],
    ['a.txt', undefined],
    ['noext', undefined],
  ])('%s → %s', (path, format) => expect(formatFromPath(path)).toBe(format));
});

describe('CSV and TSV', () => {
  test('every cell stays text (typing is the loader\'s job); empty cells are null', async () => {
    expect(rows(await read('id,amount,note\n1,2.50,\n2,,"a, b"\n', 'csv'))).toEqual([
      { id: '1', amount: '2.50', note: null },
      { id: '2', amount: null, note: 'a, b' },
    ]);
  });

  test('quoted fields keep delimiters, quotes and newlines', async () => {
    expect(rows(await read('a,b\n"x ""q"" y","line1\nline2"\n', 'csv'))).toEqual([{ a: 'x "q" y', b: 'line1\nline2' }]);
  });

  test('CRLF line endings', async () => {
    expect(rows(await read('a,b\r\n1,2\r\n', 'csv'))).toEqual([{ a: '1', b: '2' }]);
  });

  test('TSV uses tabs', async () => {
    expect(rows(await read('a\tb\n1,5\tx\n', 'tsv'))).toEqual([{ a: '1,5', b: 'x' }]);
  });

  test('delimiter option', async () => {
    expect(rows(await read('a;b\n1,5;x\n', 'csv', { delimiter: ';' }))).toEqual([{ a: '1,5', b: 'x' }]);
    expect(rows(await read('a|b\n1|2\n', 'csv', { delimiter: '|' }))).toEqual([{ a: '1', b: '2' }]);
  });

  test('null_values: listed strings become null, empty cells stay null', async () => {
    const table = await read('a,b\nNA,1\nn/a,\nx,NA\n', 'csv', { nullValues: ['NA', 'n/a'] });
    expect(rows(table)).toEqual([
      { a: null, b: '1' },
      { a: null, b: null },
      { a: 'x', b: null },
    ]);
  });

  test('null_values match whole cells, case-sensitively', async () => {
    expect(rows(await read('a\nNAN\nna\n NA\n', 'csv', { nullValues: ['NA'] }))).toEqual([{ a: 'NAN' }, { a: 'na' }, { a: ' NA' }]);
  });

  test('header: false names the columns col1, col2, … and keeps the first line as data', async () => {
    const table = await read('1,2\n3,4\n', 'csv', { header: false });
    expect(table.columnNames()).toEqual(['col1', 'col2']);
    expect(rows(table)).toEqual([
      { col1: '1', col2: '2' },
      { col1: '3', col2: '4' },
    ]);
  });

  test('a header-only file has columns and no rows', async () => {
    const table = await read('a,b\n', 'csv');
    expect(table.columnNames()).toEqual(['a', 'b']);
    expect(table.numRows()).toBe(0);
  });

  test('an empty file is an error', async () => {
    expect(await readError('', 'csv')).toBe('data.csv: file is empty (no header row)');
  });

  test('blank lines are skipped, not read as rows of nulls', async () => {
    expect(rows(await read('a,b\n1,2\n\n3,4\n\n', 'csv'))).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ]);
  });

  test('a row with fewer fields than the header has nulls for the missing cells', async () => {
    expect(rows(await read('a,b,c\n1,2\n', 'csv'))).toEqual([{ a: '1', b: '2', c: null }]);
  });

  test('a row with more fields than the header is an error (the extra cells would be lost)', async () => {
    expect(await readError('a,b\n1,2\n3,4,5\n', 'csv')).toBe('data.csv: data row 2 has 3 fields; the header has 2');
    expect(await readError('a\tb\n1\t2\t\n', 'tsv')).toBe('data.tsv: data row 1 has 3 fields; the header has 2');
  });

  test('a quote that is never closed is an error, not a cell holding the rest of the file', async () => {
    expect(await readError('a,b\n1,2\n"x,3\n4,5\n', 'csv')).toBe('data.csv: data row 2: a quote is never closed');
    expect(await readError('a,b\n1,"2', 'csv')).toBe('data.csv: data row 1: a quote is never closed');
  });

  test('a value that itself starts and ends with a quote is fine', async () => {
    expect(rows(await read('a\n"""hi"""\n', 'csv'))).toEqual([{ a: '"hi"' }]);
  });
});

describe('JSON (an array of objects)', () => {
  test('values keep their JSON types; missing keys are null; columns are the union of keys', async () => {
    const table = await read('[{"a": 1, "b": "x"}, {"a": 2.5, "c": true}, {"b": null}]', 'json');
    expect(table.columnNames()).toEqual(['a', 'b', 'c']);
    expect(rows(table)).toEqual([
      { a: 1, b: 'x', c: null },
      { a: 2.5, b: null, c: true },
      { a: null, b: null, c: null },
    ]);
  });

  test('an empty array is an empty table', async () => {
    expect((await read('[]', 'json')).numRows()).toBe(0);
  });

  test('null_values apply to string values only when given', async () => {
    expect(rows(await read('[{"a": "NA", "b": ""}]', 'json'))).toEqual([{ a: 'NA', b: '' }]);
    expect(rows(await read('[{"a": "NA", "b": ""}]', 'json', { nullValues: ['NA'] }))).toEqual([{ a: null, b: '' }]);
  });

  test('invalid JSON names file:line:col', async () => {
    expect(await readError('[{"a": 1},\n {"a": 2,}]', 'json')).toBe('data.json:2:10: invalid JSON: Expected double-quoted property name');
  });

  test('truncated JSON points at the end', async () => {
    expect(await readError('[{"a": 1},\n{"a"', 'json')).toMatch(/^data\.json:2:5: invalid JSON: /);
  });

  test('an empty file is invalid JSON', async () => {
    expect(await readError('', 'json')).toBe('data.json:1:1: invalid JSON: Unexpected end of JSON input');
  });

  test.each([
    ['{"a": 1}', 'an object'],
    ['"text"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
  ])('non-array JSON %s is refused', async (text, found) => {
    expect(await readError(text, 'json')).toBe(`data.json: expected a JSON array of objects, found ${found}`);
  });

  test('an element that is not an object is refused, with its position', async () => {
    expect(await readError('[{"a": 1}, [1, 2]]', 'json')).toBe('data.json: expected an object, found an array (element 2 of the array)');
    expect(await readError('[{"a": 1}, 3]', 'json')).toBe('data.json: expected an object, found a number (element 2 of the array)');
  });
});

describe('NDJSON', () => {
  test('one object per line; blank lines and CRLF are fine', async () => {
    expect(rows(await read('{"a": 1}\r\n\n{"a": 2, "b": "x"}\n', 'ndjson'))).toEqual([
      { a: 1, b: null },
      { a: 2, b: 'x' },
    ]);
  });

  test('a bad line is named as file:line', async () => {
    expect(await readError('{"a": 1}\n{"a": 2}\n{"a": \n{"a": 4}\n', 'ndjson')).toMatch(/^data\.ndjson:3: invalid JSON: /);
  });

  test('a line that is JSON but not an object is named as file:line', async () => {
    expect(await readError('{"a": 1}\n\n[1]\n', 'ndjson')).toBe('data.ndjson:3: expected an object, found an array (line 3)');
  });
});

describe('Arrow IPC', () => {
  const table = tableFromArrays(
    { id: [BigInt(1), BigInt(2), null], amount: [1.5, null, 3], name: ['a', null, 'NA'], ok: [true, false, null] },
    { types: { id: int64(), amount: float64(), name: utf8(), ok: bool() } },
  );

  test.each(['file', 'stream'] as const)('%s format: typed values, 64-bit integers as numbers', async (format) => {
    expect(rows(await read(tableToIPC(table, { format })!, 'arrow'))).toEqual([
      { id: 1, amount: 1.5, name: 'a', ok: true },
      { id: 2, amount: null, name: null, ok: false },
      { id: null, amount: 3, name: 'NA', ok: null },
    ]);
  });

  test('null_values apply to strings', async () => {
    const out = rows(await read(tableToIPC(table, { format: 'file' })!, 'arrow', { nullValues: ['NA'] }));
    expect(out.map((r) => r.name)).toEqual(['a', null, null]);
  });

  test('dates and timestamps arrive as Dates (fixtures/data/shipments.arrow)', async () => {
    const out = rows(await read(readFileSync('fixtures/data/shipments.arrow'), 'arrow'));
    expect(out[4].ship_date).toEqual(new Date('2026-01-03T00:00:00Z'));
    expect(out[4].delivered_at).toEqual(new Date('2026-01-05T08:05:30.250Z'));
    expect(out[2].delivered_at).toBeNull();
  });

  test('garbage and truncated files are refused', async () => {
    expect(await readError('not arrow at all', 'arrow')).toMatch(/^data\.arrow: not a readable Arrow IPC file: /);
    const bytes = readFileSync('fixtures/data/shipments.arrow');
    expect(await readError(bytes.subarray(0, bytes.length - 100), 'arrow')).toMatch(/^data\.arrow: not a readable Arrow IPC file: /);
  });
});

describe('Parquet', () => {
  test('typed values; INT64 as numbers when exact', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: [BigInt(1), BigInt('9007199254740993'), null], type: 'INT64' },
        { name: 'name', data: ['a', null, 'NA'], type: 'STRING' },
        { name: 'ok', data: [true, false, null], type: 'BOOLEAN' },
      ],
    });
    const out = rows(await read(new Uint8Array(buffer), 'parquet', { nullValues: ['NA'] }));
    expect(out).toEqual([
      { id: 1, name: 'a', ok: true },
      { id: BigInt('9007199254740993'), name: null, ok: false },
      { id: null, name: null, ok: null },
    ]);
  });

  test('dates and timestamps arrive as Dates (fixtures/data/shipments.parquet)', async () => {
    const out = rows(await read(readFileSync('fixtures/data/shipments.parquet'), 'parquet'));
    expect(out).toHaveLength(12);
    expect(out[4]).toEqual({
      shipment_id: 5,
      weight_kg: 3.3,
      carrier: 'UPX',
      delivered: true,
      ship_date: new Date('2026-01-03T00:00:00Z'),
      delivered_at: new Date('2026-01-05T08:05:30.250Z'),
    });
  });

  test('a truncated file is refused', async () => {
    const bytes = readFileSync('fixtures/data/shipments.parquet');
    expect(await readError(bytes.subarray(0, bytes.length - 10), 'parquet')).toMatch(/^data\.parquet: not a readable Parquet file: /);
    expect(await readError(bytes.subarray(0, 200), 'parquet')).toMatch(/^data\.parquet: not a readable Parquet file: /);
  });

  test('a file that is not Parquet is refused', async () => {
    expect(await readError('a,b\n1,2\n', 'parquet')).toMatch(/^data\.parquet: not a readable Parquet file: /);
    expect(await readError('', 'parquet')).toMatch(/^data\.parquet: not a readable Parquet file: /);
  });
});
