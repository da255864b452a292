/**
 * Corrupted Parquet and Arrow files that once made assay hang or crash
 * (fixtures/hostile/, made by fixtures/make-hostile.mjs), run through the
 * real CLI with a timeout: each now ends in exit 3 and one line naming the
 * file and what is wrong. The fuzz tests (test/hostile/fuzz-data.test.ts)
 * found them; these pin each one down.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { int32, tableFromArrays, tableToIPC, utf8 } from '@uwdata/flechette';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { expectNoCrash, runCli, scratchProject } from './cli.js';

jest.setTimeout(120_000);

const CASES: [fixture: string, error: string][] = [
  ['parquet-v2-page-without-level-lengths.parquet', 'not a readable Parquet file: row group 1, column "carrier", page at byte 212: the null count is invalid (2.1493980108787446e-207)'],
  ['parquet-orphaned-column-error.parquet', 'not a readable Parquet file: row group 1, column "ship_date": the column chunk names "shiq_date" instead'],
  ['parquet-rle-run-overflow.parquet', 'not a readable Parquet file: row group 1, column "delivered", page at byte 244: definition levels: a run of 402653180 values where 12 of 12 remain'],
  ['arrow-huge-vector-count.arrow', 'not a readable Arrow IPC file: the field nodes at byte 676: 100663302 entries declared, more than the message holds'],
  ['arrow-stream-negative-message-length.arrow', 'not a readable Arrow IPC file: the message at byte 368 declares -8 metadata bytes; the file has 872 left'],
  ['parquet-timestamp-out-of-range.parquet', 'column "at" holds a date or timestamp beyond year 275760, which cannot be represented (row 1)'],
  ['arrow-timestamp-out-of-range.arrow', 'not a readable Arrow IPC file: column "delivered_at", row 1: BigInt exceeds integer number representation: 9151316210248547872'],
];

function checkFile(fixture: string, columns: string[] = [], bytes: Buffer = readFileSync(`fixtures/hostile/${fixture}`)) {
  const ext = fixture.slice(fixture.lastIndexOf('.'));
  const p = scratchProject({
    [`data${ext}`]: bytes,
    'rules/t.yaml': ['kind: dataset', 'name: t', `source: { path: ../data${ext} }`, ...(columns.length ? ['columns:', ...columns] : []), 'checks:', '  - row_count: { min: 1 }'].join('\n'),
  });
  try {
    const r = runCli(['check', 'rules', '--no-audit', '--format', 'json', '--out', 'out'], p.dir, 60_000);
    let report;
    try {
      report = JSON.parse(readFileSync(join(p.dir, 'out/assay-report.json'), 'utf8'));
    } catch {
      report = undefined;
    }
    return { ...r, report };
  } finally {
    p.cleanup();
  }
}

test.each(CASES)('%s: exit 3, one line naming the file and the problem', (fixture, error) => {
  // a declared timestamp column: its invalid values become samples, where an unrepresentable date once crashed the report
  const r = checkFile(fixture, [`  ${fixture.startsWith('parquet-timestamp') ? 'at' : 'delivered_at'}: { type: timestamp }`]);
  expectNoCrash(r);
  expect(r.status).toBe(3);
  const ext = fixture.slice(fixture.lastIndexOf('.'));
  // stderr also says where the report went; the error is one line
  expect(r.stderr.split('\n').filter((line) => line.startsWith('assay:'))).toEqual([`assay: cannot read data for dataset "t": data${ext}: ${error}`]);
});

test('arrow-int64-beyond-2-53.arrow: read exactly (as a bigint, as Parquet INT64 is); an integer column holds it exactly (issue 12)', () => {
  const r = checkFile('arrow-int64-beyond-2-53.arrow', ['  shipment_id: { type: integer }']);
  expectNoCrash(r);
  expect(r.status).toBe(0);
  const dataset = r.report.datasets[0];
  expect(dataset.rows).toBe(12);
  expect(dataset.checks.find((c: { type: string }) => c.type === 'type')).toMatchObject({ status: 'pass', failed_rows: 0 });
});

test.each(['__proto__', 'constructor'])('a Parquet or Arrow column named %s: exit 3, refused from the schema (never silently dropped)', (name) => {
  const files: [string, Buffer][] = [
    ['named.parquet', Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'id', data: [1, 2] }, { name, data: ['a', 'b'] }] }))],
    ['named.arrow', Buffer.from(tableToIPC(tableFromArrays({ id: [1, 2], [name]: ['a', 'b'] }, { types: { id: int32(), [name]: utf8() } }), { format: 'file' })!)],
  ];
  for (const [file, bytes] of files) {
    const r = checkFile(file, [], bytes);
    expectNoCrash(r);
    expect([file, r.status]).toEqual([file, 3]);
    const ext = file.slice(file.lastIndexOf('.'));
    expect(r.report.datasets[0].error).toBe(`cannot read data for dataset "t": data${ext}: column name "${name}" is not supported (it is reserved in JavaScript)`);
  }
});

test('the hostile fixtures are what fixtures/make-hostile.mjs generates', () => {
  expect(() => execFileSync(process.execPath, ['fixtures/make-hostile.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
});
