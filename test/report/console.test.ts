import { consoleFormat } from '../../src/report/formats/console.js';
import { json } from '../../src/report/formats/json.js';
import { expectGolden } from '../helpers/golden.js';
import { examplesReport, hostileReport } from './reports.js';

describe('console and json formats on the bundled examples', () => {
  test('console matches the golden file (no colour)', async () => {
    expectGolden('reports/console.txt', consoleFormat.render(await examplesReport(), { color: false }));
  });

  test('json matches the golden file', async () => {
    expectGolden('reports/assay-report.json', json.render(await examplesReport()));
  });

  test('failing checks come first and the one-line summary last', async () => {
    const report = await examplesReport();
    const lines = consoleFormat.render(report, { color: false }).trimEnd().split('\n');
    expect(lines.at(-1)).toBe(`FAIL  ${report.summary.checks} checks: ${report.summary.pass} pass, ${report.summary.warn} warn, ${report.summary.fail} fail, ${report.summary.error} error`);
    const marks = lines.filter((l) => /^ {2}[!✗▲✓] /.test(l)).map((l) => l[2]);
    const datasetBlocks = lines.join('\n').split('\n\n');
    for (const block of datasetBlocks) {
      const order = block.split('\n').filter((l) => /^ {2}[!✗▲✓] /.test(l)).map((l) => '!✗▲✓'.indexOf(l[2]));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(marks).toContain('✗');
  });

  test('colour only when asked for', async () => {
    const report = await examplesReport();
    expect(consoleFormat.render(report, { color: false })).not.toContain('\u001b[');
    expect(consoleFormat.render(report, { color: true })).toContain('\u001b[31m');
  });
});

test('an unreadable dataset is reported once, not check by check', () => {
  const text = consoleFormat.render(hostileReport(), { color: false });
  expect(text).toContain('unreadable  missing.csv  ERROR\n  ! cannot read <script>');
  expect(text).toContain('  1 check not run');
  expect(text).not.toContain('not run: cannot read');
});
