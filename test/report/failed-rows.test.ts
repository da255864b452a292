/** `--failed-rows`: file names that cannot leave the folder, the CSV written through arquero, and Parquet written by DuckDB. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { failedRowsFileName, writeFailedRows, type FailedRows } from '../../src/report/failed-rows.js';
import { parquetTypes } from '../../src/report/failed-rows-parquet.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-failed-rows-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test.each([
  ['movies.IMDB Rating.range', 'movies.IMDB_Rating.range.csv'],
  ['t.../../etc/passwd.not_null', 't..._.._etc_passwd.not_null.csv'],
  ['.hidden', '_hidden.csv'],
  ['a/b\\c:d\u0000e', 'a_b_c_d_e.csv'],
])('%j is written as %j', (check, name) => {
  expect(failedRowsFileName(check)).toBe(name);
});

test('one CSV per check, quoted where needed, null as an empty cell; two ids that clean to one name get two files', async () => {
  const written = await writeFailedRows(dir, [
    { check: 'd.a b.not_null', columns: ['assay_row', 'a b', 'note'], types: ['integer', 'string', 'string'], rows: [{ assay_row: 3, 'a b': null, note: 'says "hi", twice\nthen stops' }] },
    { check: 'd.a/b.not_null', columns: ['assay_row', 'x'], types: ['integer', 'string'], rows: [] },
  ]);
  expect(readdirSync(dir).sort()).toEqual(['d.a_b.not_null.2.csv', 'd.a_b.not_null.csv']);
  expect(written).toEqual([join(dir, 'd.a_b.not_null.csv'), join(dir, 'd.a_b.not_null.2.csv')]);
  expect(readFileSync(written[0], 'utf8')).toBe('assay_row,a b,note\n3,,"says ""hi"", twice\nthen stops"\n');
  expect(readFileSync(written[1], 'utf8')).toBe('assay_row,x\n');
});

/** A Parquet file's column types (physical/logical, as hyparquet names them) and its rows. */
async function readParquet(path: string) {
  const bytes = readFileSync(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const metadata = parquetMetadata(file);
  const types = Object.fromEntries(parquetSchema(metadata).children.map((c) => [c.element.name, c.element.logical_type?.type ?? c.element.converted_type ?? c.element.type]));
  return { types, rows: await parquetReadObjects({ file, utf8: true }) };
}

const TYPED: FailedRows = {
  check: 'd.typed.not_null',
  columns: ['assay_row', 'id', 'big', 'amount', 'ok', 'day', 'at', 'name', 'email'],
  types: ['integer', 'integer', 'integer', 'number', 'boolean', 'date', 'timestamp', 'string', 'string'],
  rows: [
    { assay_row: 1, id: 7, big: '9007199254740993', amount: 0.1, ok: true, day: '1998-06-12', at: '2026-01-05T10:00:00.123Z', name: 'Ann, "A"', email: '***' },
    { assay_row: 2, id: null, big: '-9223372036854775808', amount: -1e21, ok: false, day: null, at: '0999-01-01T00:00:00.000Z', name: null, email: null },
  ],
};

describe('--failed-rows-format parquet', () => {
  test('columns keep their type, exactly: integers beyond 2^53, doubles, booleans, dates, instants; nulls stay null', async () => {
    const [path] = await writeFailedRows(dir, [TYPED], 'parquet');
    expect(path).toBe(join(dir, 'd.typed.not_null.parquet'));
    const { types, rows } = await readParquet(path);
    expect(types).toEqual({ assay_row: 'INT_64', id: 'INT_64', big: 'INT_64', amount: 'DOUBLE', ok: 'BOOLEAN', day: 'DATE', at: 'TIMESTAMP', name: 'UTF8', email: 'UTF8' });
    expect(rows).toEqual([
      { assay_row: 1n, id: 7n, big: 9007199254740993n, amount: 0.1, ok: true, day: new Date('1998-06-12T00:00:00Z'), at: new Date('2026-01-05T10:00:00.123Z'), name: 'Ann, "A"', email: '***' },
      { assay_row: 2n, id: null, big: -9223372036854775808n, amount: -1e21, ok: false, day: null, at: new Date('0999-01-01T00:00:00.000Z'), name: null, email: null },
    ]);
  });

  test('a year beyond 9999 cannot be written as DuckDB reads ISO text: the column stays text', async () => {
    const table: FailedRows = { check: 'd.t.x', columns: ['at'], types: ['timestamp'], rows: [{ at: '2026-01-05T10:00:00.123Z' }, { at: '+010000-01-01T00:00:00.000Z' }] };
    const { types, rows } = await readParquet((await writeFailedRows(dir, [table], 'parquet'))[0]);
    expect(types.at).toBe('UTF8');
    expect(rows).toEqual([{ at: '2026-01-05T10:00:00.123Z' }, { at: '+010000-01-01T00:00:00.000Z' }]);
  });

  test('a column with any value not shown as its type (a mask, raw text the type check rejected) is text, each value as shown', () => {
    const table: FailedRows = {
      check: 'd.x.type',
      columns: ['n', 'd', 'b', 'i'],
      types: ['integer', 'date', 'boolean', 'integer'],
      rows: [{ n: 5, d: 'Jun 31 1963', b: 'yes', i: '007' }, { n: 'abc', d: '1998-06-12', b: true, i: 1.5 }],
    };
    expect(parquetTypes(table)).toEqual(['VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR']);
  });

  test('names that are not identifiers are columns as written; the file name cannot leave the folder', async () => {
    const table: FailedRows = { check: '../evil"; DROP', columns: ['a "b"', 'c; DROP TABLE rows'], types: ['string', 'integer'], rows: [{ 'a "b"': "it's", 'c; DROP TABLE rows': 1 }] };
    const [path] = await writeFailedRows(dir, [table], 'parquet');
    expect(readdirSync(dir)).toEqual(['_._evil___DROP.parquet']);
    expect((await readParquet(path)).rows).toEqual([{ 'a "b"': "it's", 'c; DROP TABLE rows': 1n }]);
  });
});
