/**
 * Corrupted Parquet and Arrow files that once made assay hang or crash
 * (fixtures/hostile/, made by fixtures/make-hostile.mjs), run through the
 * real CLI with a timeout: each now ends in exit 3 and one line naming the
 * file and what is wrong. The fuzz tests (test/hostile/fuzz-data.test.ts)
 * found them; these pin each one down.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import { expectNoCrash, runCli, scratchProject } from './cli.js';

jest.setTimeout(120_000);

const CASES: [fixture: string, error: string][] = [
  ['parquet-v2-page-without-level-lengths.parquet', 'not a readable Parquet file: row group 1, column "carrier", page at byte 212: the null count is invalid (2.1493980108787446e-207)'],
  ['parquet-orphaned-column-error.parquet', 'not a readable Parquet file: row group 1, column "ship_date": the column chunk names "shiq_date" instead'],
];

function checkFile(fixture: string) {
  const ext = fixture.slice(fixture.lastIndexOf('.'));
  const p = scratchProject({
    [`data${ext}`]: readFileSync(`fixtures/hostile/${fixture}`),
    'rules/t.yaml': ['kind: dataset', 'name: t', `source: { path: ../data${ext} }`, 'checks:', '  - row_count: { min: 1 }'].join('\n'),
  });
  try {
    return runCli(['check', 'rules', '--no-audit', '--format', 'json', '--out', 'out'], p.dir, 60_000);
  } finally {
    p.cleanup();
  }
}

test.each(CASES)('%s: exit 3, one line naming the file and the problem', (fixture, error) => {
  const r = checkFile(fixture);
  expectNoCrash(r);
  expect(r.status).toBe(3);
  const ext = fixture.slice(fixture.lastIndexOf('.'));
  // stderr also says where the report went; the error is one line
  expect(r.stderr.split('\n').filter((line) => line.startsWith('assay:'))).toEqual([`assay: cannot read data for dataset "t": data${ext}: ${error}`]);
});

test('the hostile fixtures are what fixtures/make-hostile.mjs generates', () => {
  expect(() => execFileSync(process.execPath, ['fixtures/make-hostile.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
});
