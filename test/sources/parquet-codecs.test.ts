/**
 * Every Parquet codec is readable (issue 19): DuckDB writes the same table
 * with each codec, and assay's reader must give exactly the rows of the
 * uncompressed file. A corrupted compressed page is refused with a
 * DataError, never a crash or a hang. `flights-3m.parquet` from
 * vega-datasets is ZSTD; the e2e test at the end checks a ZSTD file
 * through the CLI as a user would.
 */
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readTable } from '../../src/sources/read-table.js';
import { PARQUET_CODECS, PARQUET_COMPRESSORS } from '../../src/sources/parquet-codecs.js';
import { DataError } from '../../src/util/diagnostics.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/files.js';

const ROWS = 3000;
let dir: TempDir;

/** DuckDB's spelling of each codec (LZ4 is written as LZ4_RAW by DuckDB; both names read the same pages). */
const WRITTEN = ['uncompressed', 'snappy', 'gzip', 'brotli', 'zstd', 'lz4', 'lz4_raw'];

beforeAll(async () => {
  dir = tempDir('assay-parquet-codecs-');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  // Several pages per column chunk (small row groups), nulls, repeated strings (dictionary pages), instants.
  const table = `SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE 'name-' || (i % 50) END AS name,
      i * 1.25 AS amount, TIMESTAMP '2001-01-01 00:00:00' + to_seconds(i * 61) AS at, i % 3 = 0 AS flag
    FROM range(${ROWS}) t(i)`;
  for (const codec of WRITTEN) {
    await connection.run(`COPY (${table}) TO '${join(dir.path, `${codec}.parquet`)}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 1000)`);
  }
  connection.closeSync();
  instance.closeSync();
});
afterAll(() => dir.remove());

const read = async (name: string, bytes?: Buffer) => (await readTable(name, bytes ?? readFileSync(join(dir.path, name)), 'parquet', {})).objects();

test('the codecs assay reads are the Parquet spec\'s, except LZO', () => {
  expect([...PARQUET_CODECS].sort()).toEqual(['BROTLI', 'GZIP', 'LZ4', 'LZ4_RAW', 'SNAPPY', 'UNCOMPRESSED', 'ZSTD']);
});

test.each(WRITTEN.filter((c) => c !== 'uncompressed'))('%s: the same rows as the uncompressed file', async (codec) => {
  const expected = await read('uncompressed.parquet');
  expect(expected).toHaveLength(ROWS);
  expect(expected[8]).toEqual({ id: 8, name: 'name-8', amount: 10, at: new Date('2001-01-01T00:08:08Z'), flag: false });
  expect(expected[7]).toMatchObject({ name: null });
  expect(await read(`${codec}.parquet`)).toEqual(expected);
});

test('the files really use the codec under test (the footer names it)', async () => {
  const { parquetMetadata } = await import('hyparquet');
  for (const codec of ['zstd', 'gzip', 'brotli']) {
    const bytes = readFileSync(join(dir.path, `${codec}.parquet`));
    const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(metadata.row_groups[0].columns[0].meta_data!.codec).toBe(codec.toUpperCase());
  }
});

test.each(['zstd', 'gzip', 'brotli', 'snappy'])('%s: a corrupted page is refused with a DataError naming the file', async (codec) => {
  const bytes = Buffer.from(readFileSync(join(dir.path, `${codec}.parquet`)));
  // Scribble over the first column chunk's compressed bytes (after the 4-byte magic and the first page header).
  for (let i = 40; i < 400; i += 3) bytes[i] ^= 0x5a;
  let error: unknown;
  try {
    await read(`${codec}.parquet`, bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DataError);
  expect((error as Error).message).toMatch(new RegExp(`^${codec}\\.parquet: not a readable Parquet file: `));
});

test('a ZSTD file checks end to end through the CLI (as flights-3m.parquet from vega-datasets)', () => {
  const policy = dir.write(
    'zstd.yaml',
    `kind: dataset
name: flights
source: { path: zstd.parquet }
columns:
  id: { type: integer, required: true, unique: true }
  name: { type: string }
  amount: { type: number, min: 0 }
  at: { type: timestamp, required: true }
checks:
  - row_count: { min: ${ROWS}, max: ${ROWS} }
  - missing_count: { column: name, max: ${Math.ceil(ROWS / 7)} }
`,
  );
  const result = runCli(['check', policy, '--format', 'json', '--out', join(dir.path, 'out')]);
  expect(result.stderr).toMatch(/^reports written: /);
  expect(result.code).toBe(0);
  const report = JSON.parse(readFileSync(join(dir.path, 'out', 'assay-report.json'), 'utf8'));
  expect(report.summary).toMatchObject({ fail: 0, error: 0 });
  expect(report.datasets[0].rows).toBe(ROWS);
});

describe('a decompression bomb: a page that inflates far beyond the size its header declares', () => {
  const zeros = Buffer.alloc(64 * 1024 * 1024);
  test.each([
    ['GZIP', () => gzipSync(zeros, { level: 9 })],
    ['BROTLI', () => brotliCompressSync(zeros, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } })],
  ] as const)('%s: refused at the declared size, in milliseconds and without the memory', (codec, compress) => {
    const bomb = new Uint8Array(compress());
    const decompress = PARQUET_COMPRESSORS[codec]!;
    const rss = process.memoryUsage().rss;
    const start = process.cpuUsage();
    expect(() => decompress(bomb, 4096)).toThrow('the page decompresses to more than the 4096 bytes its header declares');
    const used = process.cpuUsage(start);
    // Inflated to the end, 64 MB take a second or more of CPU (and brotli's decoder the 64 MB of memory and more).
    expect((used.user + used.system) / 1e6).toBeLessThan(0.3);
    expect(process.memoryUsage().rss - rss).toBeLessThan(32 * 1024 * 1024);
  });

  test('through the CLI: a GZIP page spliced with a bomb of the same compressed size is exit 3, one line naming the file', async () => {
    // One row of 200 kB of hex digits: a single GZIP page of about 100 kB that DuckDB writes honestly.
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await instance.connect();
    const honest = join(dir.path, 'honest-gzip.parquet');
    await connection.run(`COPY (SELECT string_agg(md5(i::VARCHAR), '') AS s FROM range(6250) t(i)) TO '${honest}' (FORMAT parquet, COMPRESSION gzip, DICTIONARY_COMPRESSION_RATIO_THRESHOLD -1)`);
    connection.closeSync();
    instance.closeSync();
    const bytes = Buffer.from(readFileSync(honest));
    const { parquetMetadata } = await import('hyparquet');
    const chunk = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).row_groups[0].columns[0].meta_data!;
    const chunkStart = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
    // The largest gzip member in the chunk is the page body; replace it by a bomb of the same length.
    const body = bytes.indexOf(Buffer.from([0x1f, 0x8b, 0x08]), chunkStart);
    const length = Number(chunk.total_compressed_size) - (body - chunkStart);
    const bomb = gzipSync(Buffer.alloc(60 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(length);
    bomb.copy(bytes, body);
    bytes.fill(0, body + bomb.length, body + length);
    dir.write('bomb.parquet', bytes);
    const policy = dir.write('bomb.yaml', 'kind: dataset\nname: bomb\nsource: { path: bomb.parquet }\nchecks:\n  - row_count: { min: 1 }\n');
    const result = runCli(['check', policy, '--no-audit', '--out', join(dir.path, 'bomb-out')]);
    expect(result.code).toBe(3);
    const errors = result.stderr.trim().split('\n').filter((line) => !line.startsWith('reports written: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/bomb\.parquet: not a readable Parquet file: .*the page decompresses to more than the \d+ bytes its header declares/);
  });
});
