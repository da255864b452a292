/**
 * Second round of issue 12: a bound written beyond 2^53 was read as the
 * nearest double, so `min: 9007199254740993` let 9007199254740992 pass. Such
 * a number is a validation error, with its position; exact ones still load.
 */
import { parseFile, type LoadResult } from '../../src/policy/load.js';

const load = (text: string): LoadResult => {
  const loaded: LoadResult = { documents: [], files: [], diagnostics: [] };
  parseFile('p.yaml', text, loaded);
  return loaded;
};

test.each(['9007199254740993', '-9007199254740993', '0x20000000000001', '9007199254740993.0', '123456789012345678901'])('%s is refused', (written) => {
  const loaded = load(`kind: dataset\nname: d\ncolumns:\n  n: { type: integer, min: ${written} }\n`);
  expect(loaded.documents).toHaveLength(0);
  expect(loaded.diagnostics).toEqual([expect.objectContaining({ code: 'inexact-number', severity: 'error', location: { file: 'p.yaml', line: 4, col: 28 } })]);
  expect(loaded.diagnostics[0].message).toContain('beyond 2^53');
});

test.each(['9007199254740992', '9007199254740991', '1e20', '18446744073709551616', '1.5', '"9007199254740993"'])('%s loads', (written) => {
  const loaded = load(`kind: dataset\nname: d\ncolumns:\n  n: { type: integer, min: ${written} }\n`);
  expect(loaded.diagnostics).toEqual([]);
  expect(loaded.documents).toHaveLength(1);
});
