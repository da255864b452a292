import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import type { ColumnSpec, FileSource } from '../../src/policy/types.js';
import { loadDataset, RAW_INVALID, RAW_NULL, RAW_VALID, ROW_COLUMN, type LoadedData } from '../../src/sources/load.js';
import { DataError } from '../../src/util/diagnostics.js';
import { tempDir, type TempDir } from '../helpers/files.js';

let dir: TempDir;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

function load(source: FileSource, columns: Record<string, ColumnSpec> = {}, overridePath?: string): Promise<LoadedData> {
  return loadDataset({ dataset: 'd', source, policyFile: join(dir.path, 'rules', 'd.yaml'), columns, overridePath });
}

const values = (data: LoadedData, column: string) =>
  Array.from(data.table.array(column) as ArrayLike<unknown>, (v) => (v instanceof Date ? v.toISOString() : v));

describe('declared types', () => {
  const columns: Record<string, ColumnSpec> = {
    id: { type: 'integer' },
    amount: { type: 'number' },
    ok: { type: 'boolean' },
    day: { type: 'date' },
    at: { type: 'timestamp' },
    note: { type: 'string' },
  };

  test('CSV text is parsed as the declared type; values that do not parse are kept aside, never coerced', async () => {
    dir.write(
      'data/t.csv',
      'id,amount,ok,day,at,note\n1,2.5,yes,2026-01-05,2026-01-05T10:00:00+02:00,a\nx,12;50,maybe,2026-02-30,2026-01-05 25:00,b\n,,,,,\n3,-1e2,0,2024-02-29,2026-01-05T10:00:00,c\n',
    );
    const data = await load({ path: '../data/t.csv' }, columns);
    expect(data.rows).toBe(4);
    expect(values(data, 'id')).toEqual([1, null, null, 3]);
    expect(values(data, 'amount')).toEqual([2.5, null, null, -100]);
    expect(values(data, 'ok')).toEqual([true, null, null, false]);
    expect(values(data, 'day')).toEqual(['2026-01-05T00:00:00.000Z', null, null, '2024-02-29T00:00:00.000Z']);
    expect(values(data, 'at')).toEqual(['2026-01-05T08:00:00.000Z', null, null, '2026-01-05T10:00:00.000Z']);
    expect(values(data, 'note')).toEqual(['a', 'b', null, 'c']);
    for (const column of ['id', 'amount', 'ok', 'day', 'at']) {
      expect(Array.from(data.rawStatus.get(column)!)).toEqual([RAW_VALID, RAW_INVALID, RAW_NULL, RAW_VALID]);
    }
    expect(data.invalidRaw.get('id')).toEqual(new Map([[1, 'x']]));
    expect(data.invalidRaw.get('amount')).toEqual(new Map([[1, '12;50']]));
    expect(data.invalidRaw.get('ok')).toEqual(new Map([[1, 'maybe']]));
    expect(data.invalidRaw.get('day')).toEqual(new Map([[1, '2026-02-30']]));
    expect(data.invalidRaw.get('at')).toEqual(new Map([[1, '2026-01-05 25:00']]));
    expect(data.types).toMatchObject({ id: 'integer', amount: 'number', ok: 'boolean', day: 'date', at: 'timestamp', note: 'string' });
  });

  test('JSON values of the wrong JSON type do not parse (a number is not a string, "5" is not coerced from 5.5)', async () => {
    dir.write('data/t.json', JSON.stringify([{ id: 1, note: 'a', ok: true }, { id: 5.5, note: 7, ok: 'no' }, { id: '6', note: null, ok: 1 }]));
    const data = await load({ path: '../data/t.json' }, { id: { type: 'integer' }, note: { type: 'string' }, ok: { type: 'boolean' } });
    expect(values(data, 'id')).toEqual([1, null, 6]);
    expect(values(data, 'note')).toEqual(['a', null, null]);
    expect(values(data, 'ok')).toEqual([true, false, null]);
    expect(data.invalidRaw.get('id')).toEqual(new Map([[1, 5.5]]));
    expect(data.invalidRaw.get('note')).toEqual(new Map([[1, 7]]));
    expect(data.invalidRaw.get('ok')).toEqual(new Map([[2, 1]]));
  });

  test.each(['arrow', 'parquet'])('%s: native dates and timestamps satisfy declared date/timestamp columns', async (format) => {
    const file = relative(join(dir.path, 'rules'), join(process.cwd(), `fixtures/data/shipments.${format}`));
    const data = await load(
      { path: file },
      {
        shipment_id: { type: 'integer' },
        weight_kg: { type: 'number' },
        carrier: { type: 'string' },
        delivered: { type: 'boolean' },
        ship_date: { type: 'date' },
        delivered_at: { type: 'timestamp' },
      },
    );
    expect(data.rows).toBe(12);
    for (const [column, invalid] of data.invalidRaw) expect([column, invalid.size]).toEqual([column, 0]);
    expect(values(data, 'ship_date')[0]).toBe('2026-01-02T00:00:00.000Z');
    expect(values(data, 'delivered_at')[4]).toBe('2026-01-05T08:05:30.250Z');
    expect(values(data, 'shipment_id').slice(-2)).toEqual([11, 11]);
  });

  test('arrow: a timestamp column declared as date is not truncated', async () => {
    const file = relative(join(dir.path, 'rules'), join(process.cwd(), 'fixtures/data/shipments.arrow'));
    const data = await load({ path: file }, { delivered_at: { type: 'date' }, carrier: { type: 'integer' } });
    expect(data.invalidRaw.get('delivered_at')!.size).toBe(7);
    expect(data.invalidRaw.get('carrier')!.size).toBe(11);
  });

  test('a declared column absent from the data stays absent', async () => {
    dir.write('data/t.csv', 'a\n1\n');
    const data = await load({ path: '../data/t.csv' }, { a: { type: 'integer' }, missing: { type: 'string' } });
    expect(data.columns).toEqual(['a']);
    expect(data.table.columnNames()).not.toContain('missing');
  });

  test('undeclared CSV columns get an inferred type', async () => {
    dir.write('data/t.csv', 'n,x,when\n1,a,2026-01-05\n2,b,2026-01-06\n');
    const data = await load({ path: '../data/t.csv' });
    expect(data.types).toEqual({ n: 'integer', x: 'string', when: 'date' });
    expect(values(data, 'n')).toEqual([1, 2]);
    expect(data.rawStatus.size).toBe(0);
  });
});

describe('source options', () => {
  test('delimiter, null_values and header reach the reader', async () => {
    dir.write('data/t.csv', '1;NA\n2;x\n');
    const data = await load({ path: '../data/t.csv', options: { delimiter: ';', null_values: ['NA'], header: false } }, { col1: { type: 'integer' } });
    expect(values(data, 'col1')).toEqual([1, 2]);
    expect(values(data, 'col2')).toEqual([null, 'x']);
  });

  test('null_values make a value null before typing, so it is not a type failure', async () => {
    dir.write('data/t.csv', 'amount\n1\nN/A\n-\n');
    const data = await load({ path: '../data/t.csv', options: { null_values: ['N/A', '-'] } }, { amount: { type: 'number' } });
    expect(Array.from(data.rawStatus.get('amount')!)).toEqual([RAW_VALID, RAW_NULL, RAW_NULL]);
  });

  test('format overrides the extension', async () => {
    dir.write('data/t.txt', '{"a": 1}\n{"a": 2}\n');
    const data = await load({ path: '../data/t.txt', format: 'ndjson' });
    expect(data.rows).toBe(2);
  });

  test('an unknown extension without a format is a data error with a hint', async () => {
    dir.write('data/t.txt', 'a\n1\n');
    await expect(load({ path: '../data/t.txt' })).rejects.toMatchObject({ kind: 'data', hint: expect.stringContaining('source.format') });
  });
});

describe('globs make one dataset of many files', () => {
  test('files are read in sorted order; rows are numbered within their own file', async () => {
    dir.write('data/part-2.csv', 'id\n3\n4\n5\n');
    dir.write('data/part-1.csv', 'id\n1\n2\n');
    dir.write('data/other.csv', 'id\n99\n');
    const data = await load({ path: '../data/part-*.csv' }, { id: { type: 'integer' } });
    expect(data.rows).toBe(5);
    expect(values(data, 'id')).toEqual([1, 2, 3, 4, 5]);
    expect(values(data, ROW_COLUMN)).toEqual([1, 2, 1, 2, 3]);
    expect(data.files.map((f) => f.split('/').pop())).toEqual(['part-1.csv', 'part-2.csv']);
    expect(Array.from(data.fileOfRow!)).toEqual([0, 0, 1, 1, 1]);
  });

  test('files with different columns are unioned; missing columns are null', async () => {
    dir.write('data/a.ndjson', '{"id": 1, "x": "a"}\n');
    dir.write('data/b.ndjson', '{"id": 2, "y": true}\n');
    const data = await load({ path: '../data/*.ndjson' });
    expect((data.table.objects() as Record<string, unknown>[]).map(({ [ROW_COLUMN]: _, ...r }) => r)).toEqual([
      { id: 1, x: 'a', y: null },
      { id: 2, x: null, y: true },
    ]);
  });

  test('mixed formats in one glob are each read by their extension', async () => {
    dir.write('data/a.csv', 'id\n1\n');
    dir.write('data/b.json', '[{"id": 2}]');
    const data = await load({ path: '../data/*.{csv,json}' }, { id: { type: 'integer' } });
    expect(values(data, 'id')).toEqual([1, 2]);
  });

  test('a single file has no fileOfRow', async () => {
    dir.write('data/a.csv', 'id\n1\n');
    expect((await load({ path: '../data/a.csv' })).fileOfRow).toBeUndefined();
  });

  test('the fingerprint covers every file, in order', async () => {
    dir.write('data/p1.csv', 'id\n1\n');
    dir.write('data/p2.csv', 'id\n2\n');
    const both = await load({ path: '../data/p*.csv' });
    const one = await load({ path: '../data/p1.csv' });
    expect(both.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(both.fingerprint).not.toBe(one.fingerprint);
  });

  test('a glob that matches nothing is a data error naming the pattern and the policy file', async () => {
    const error = await load({ path: '../data/none-*.csv' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(/^cannot read data for dataset "d": .*data\/none-\*\.csv: no files match \(.*d\.yaml: source\.path\)$/);
  });
});

describe('unreadable data', () => {
  test('a missing file is a data error naming the dataset and the file', async () => {
    const error = await load({ path: '../data/nope.csv' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(/^cannot read data for dataset "d": .*data\/nope\.csv: no such file$/);
  });

  test('--data overrides are relative to the working directory and use their own extension', async () => {
    const file = dir.write('batch.ndjson', '{"id": 7}\n');
    const data = await load({ path: '../data/a.csv', format: 'csv' }, { id: { type: 'integer' } }, relative(process.cwd(), file));
    expect(values(data, 'id')).toEqual([7]);
  });

  test('a malformed file in a glob names that file', async () => {
    dir.write('data/a.ndjson', '{"id": 1}\n');
    dir.write('data/b.ndjson', '{"id": 2}\n{oops\n');
    const error = await load({ path: '../data/*.ndjson' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/data\/b\.ndjson:2: invalid JSON: /);
  });
});

test('the binary fixtures are what fixtures/make-binary.mjs generates', () => {
  expect(() => execFileSync(process.execPath, ['fixtures/make-binary.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
});
