/** `--failed-rows`: file names that cannot leave the folder, and the CSV written through arquero. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failedRowsFileName, writeFailedRows } from '../../src/report/failed-rows.js';

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

test('one CSV per check, quoted where needed, null as an empty cell; two ids that clean to one name get two files', () => {
  const written = writeFailedRows(dir, [
    { check: 'd.a b.not_null', columns: ['assay_row', 'a b', 'note'], rows: [{ assay_row: 3, 'a b': null, note: 'says "hi", twice\nthen stops' }] },
    { check: 'd.a/b.not_null', columns: ['assay_row', 'x'], rows: [] },
  ]);
  expect(readdirSync(dir).sort()).toEqual(['d.a_b.not_null.2.csv', 'd.a_b.not_null.csv']);
  expect(written).toEqual([join(dir, 'd.a_b.not_null.csv'), join(dir, 'd.a_b.not_null.2.csv')]);
  expect(readFileSync(written[0], 'utf8')).toBe('assay_row,a b,note\n3,,"says ""hi"", twice\nthen stops"\n');
  expect(readFileSync(written[1], 'utf8')).toBe('assay_row,x\n');
});
