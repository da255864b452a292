/**
 * The Parquet structure checks made before hyparquet decodes anything: the
 * bundled file passes, and each inconsistency a corrupted footer or page
 * header can carry is refused with a DataError saying what is wrong.
 */
import { readFileSync } from 'node:fs';
import { parquetMetadata, type FileMetaData } from 'hyparquet';
import { checkParquetChunk, checkParquetMetadata } from '../../src/sources/parquet-guard.js';
import { DataError } from '../../src/util/diagnostics.js';

const bytes = readFileSync('fixtures/data/shipments.parquet');
const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
const fresh = (): FileMetaData => parquetMetadata(buffer);

function refusal(edit: (m: FileMetaData) => void): string {
  const metadata = fresh();
  edit(metadata);
  try {
    checkParquetMetadata('f.parquet', metadata, bytes.length);
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message.replace('f.parquet: not a readable Parquet file: ', '');
  }
  throw new Error('not refused');
}

test('the bundled file passes, and its pages agree with its metadata', () => {
  const groups = checkParquetMetadata('f.parquet', fresh(), bytes.length);
  expect(groups).toHaveLength(1);
  expect(groups[0].map((c) => c.column)).toEqual(['shipment_id', 'weight_kg', 'carrier', 'delivered', 'ship_date', 'delivered_at']);
  for (const chunk of groups[0]) expect(() => checkParquetChunk('f.parquet', 0, chunk, bytes.subarray(chunk.start, chunk.end))).not.toThrow();
});

test('footer inconsistencies are refused with what is wrong', () => {
  expect(refusal((m) => (m.num_rows = 13n))).toBe('the row groups hold 12 rows; the footer says 13');
  expect(refusal((m) => (m.num_rows = -1n))).toBe('the file row count is invalid (-1)');
  expect(refusal((m) => (m.row_groups[0].num_rows = 2n ** 60n))).toBe('the row count of row group 1 is invalid (1152921504606846976)');
  expect(refusal((m) => m.row_groups[0].columns.pop())).toBe('row group 1 has 5 column chunks; the schema has 6 columns');
  expect(refusal((m) => (m.row_groups[0].columns[1].meta_data!.num_values = 1_000_000n))).toBe('row group 1, column "weight_kg": 1000000 values for 12 rows');
  expect(refusal((m) => (m.row_groups[0].columns[1].meta_data!.total_compressed_size = 5000n))).toMatch(/^row group 1, column "weight_kg": bytes 77\.\.5077 \(data page at 77\) are outside the data part of the file \(bytes 4\.\.\d+\)$/);
  expect(refusal((m) => (m.row_groups[0].columns[0].meta_data!.type = 'DOUBLE'))).toBe("row group 1, column \"shipment_id\": physical type DOUBLE does not match the schema's INT32");
});

test('duplicate and reserved column names are refused from the schema, before any row is built', () => {
  const names = (edit: (m: FileMetaData) => void) => {
    const metadata = fresh();
    edit(metadata);
    return () => checkParquetMetadata('f.parquet', metadata, bytes.length);
  };
  expect(names((m) => (m.schema[2].name = 'shipment_id'))).toThrow(new DataError('f.parquet: duplicate column name "shipment_id" in the schema'));
  for (const reserved of ['__proto__', 'constructor']) {
    expect(names((m) => (m.schema[2].name = reserved))).toThrow(new DataError(`f.parquet: column name "${reserved}" is not supported (it is reserved in JavaScript)`));
  }
});

test('a page that runs past its column chunk, or whose counts disagree, is refused before decoding', () => {
  const [chunk] = checkParquetMetadata('f.parquet', fresh(), bytes.length)[0];
  const shortened = { ...chunk, end: chunk.end - 10 };
  expect(() => checkParquetChunk('f.parquet', 0, shortened, bytes.subarray(shortened.start, shortened.end))).toThrow(/column "shipment_id", page at byte 4: the page \(\d+ bytes\) runs past the end of its column chunk$/);
  expect(() => checkParquetChunk('f.parquet', 0, { ...chunk, numValues: 13 }, bytes.subarray(chunk.start, chunk.end))).toThrow(/its pages hold 12 values; the column metadata says 13$/);
});

test('run-length streams: a run longer than the values the page has left is refused before hyparquet writes it', async () => {
  const { checkPageRuns } = await import('../../src/sources/parquet-rle.js');
  const column = { type: 'INT32', maxDefinition: 1, maxRepetition: 0, codec: 'UNCOMPRESSED' };
  // a v1 page, uncompressed: [4-byte length][definition levels], then PLAIN values (not walked)
  const page = (levels: number[]) => new Uint8Array([levels.length, 0, 0, 0, ...levels]);
  const header = (values: number, body: Uint8Array) =>
    ({ type: 'DATA_PAGE', compressed_page_size: body.length, uncompressed_page_size: body.length, data_page_header: { num_values: values, encoding: 'PLAIN' } }) as never;
  expect(checkPageRuns(header(12, page([0x18, 0x01])), page([0x18, 0x01]), column)).toBeUndefined(); // one run of 12 ones
  expect(checkPageRuns(header(12, page([0x1a, 0x01])), page([0x1a, 0x01]), column)).toBe('definition levels: a run of 13 values where 12 of 12 remain');
  const bomb = page([0xf8, 0xff, 0xff, 0xff, 0x02, 0x01]);
  expect(checkPageRuns(header(12, bomb), bomb, column)).toBe('definition levels: a run of 402653180 values where 12 of 12 remain');
  const negative = page([0xff, 0xff, 0xff, 0xff, 0x0f]); // bit-packed, (header >> 1) << 3 < 0 in 32-bit arithmetic
  expect(checkPageRuns(header(12, negative), negative, column)).toMatch(/^definition levels: a bit-packed run of -\d+ values$/);
  const long = page([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
  expect(checkPageRuns(header(12, long), long, column)).toBe('definition levels: a run header longer than 5 bytes');
});
