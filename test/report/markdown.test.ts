import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt, { type Token } from 'markdown-it';
import { markdown } from '../../src/report/formats/markdown.js';
import type { RunReport } from '../../src/report/model.js';
import { appendReportFile } from '../../src/report/write.js';
import { expectGolden } from '../helpers/golden.js';
import { examplesReport, HOSTILE, hostileReport } from './reports.js';

/** A CommonMark + GFM-tables parser with raw HTML allowed, as GitHub renders job summaries. */
const parser = new MarkdownIt({ html: true, linkify: false });

/** Our own markup; anything else HTML-like in the output came from a value and is a bug. */
const OWN_HTML = new Set(['<br>', '<sub>', '</sub>']);

interface Table {
  header: string[];
  rows: string[][];
  /** Inline token types seen in the cells (strong, em, link_open, html_inline…). */
  inlineTypes: Set<string>;
  html: string[];
}

function cellText(inline: Token): string {
  return (inline.children ?? []).map((t) => (t.type === 'text' ? t.content : t.type === 'html_inline' && t.content === '<br>' ? '\n' : '')).join('');
}

function tables(source: string): Table[] {
  const result: Table[] = [];
  let current: Table | undefined;
  let row: string[] | undefined;
  let inHead = false;
  for (const token of parser.parse(source, {})) {
    if (token.type === 'table_open') result.push((current = { header: [], rows: [], inlineTypes: new Set(), html: [] }));
    if (token.type === 'thead_open') inHead = true;
    if (token.type === 'thead_close') inHead = false;
    if (token.type === 'tr_open') row = [];
    if (token.type === 'tr_close' && current && row) {
      if (inHead) current.header = row;
      else current.rows.push(row);
    }
    if (token.type === 'inline' && current && row) {
      row.push(cellText(token));
      for (const child of token.children ?? []) {
        current.inlineTypes.add(child.type);
        if (child.type === 'html_inline') current.html.push(child.content);
      }
    }
    if (token.type === 'table_close') current = undefined;
  }
  return result;
}

describe('markdown format on the bundled examples', () => {
  let report: RunReport;
  let text: string;
  beforeAll(async () => {
    report = await examplesReport();
    text = markdown.render(report);
  });

  test('matches the golden file', () => {
    expectGolden('reports/summary.md', text);
  });

  test('starts with a status line and has one table row per dataset', () => {
    expect(text.split('\n')[0]).toBe('## ❌ assay: FAIL');
    const [datasets] = tables(text);
    expect(datasets.header).toEqual(['', 'dataset', 'source', 'rows', 'checks', 'pass', 'warn', 'fail', 'error']);
    expect(datasets.rows.map((r) => r[1])).toEqual(report.datasets.map((d) => d.name));
    expect(datasets.rows.map((r) => Number(r[7]))).toEqual(report.datasets.map((d) => d.checks.filter((c) => c.status === 'fail').length));
  });

  test('lists every check that did not pass, failing first, with its message and samples', () => {
    const problemTables = tables(text).slice(1);
    const listed = problemTables.flatMap((t) => t.rows);
    const expected = report.datasets.flatMap((d) => d.checks.filter((c) => c.status !== 'pass'));
    expect(listed.map((r) => r[1]).sort()).toEqual(expected.map((c) => c.id).sort());
    for (const row of listed) {
      const check = expected.find((c) => c.id === row[1])!;
      expect(row[2].startsWith(check.message)).toBe(true);
      for (const sample of check.samples.slice(0, 5)) expect(row[5]).toContain(`row ${sample.row}:`);
    }
    const rank = ['error', 'fail', 'warn'];
    for (const table of problemTables) {
      const ranks = table.rows.map((r) => rank.findIndex((s) => r[0].endsWith(s)));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
  });

  test('classified values appear masked, as the JSON report has them', () => {
    expect(text).toContain('email="\\*\\*\\*"');
  });
});

describe('markdown format with hostile values', () => {
  const report = hostileReport();
  const text = markdown.render(report);
  const parsed = tables(text);

  test('tables keep their shape: every row has as many cells as the header', () => {
    for (const table of parsed) for (const row of table.rows) expect(row).toHaveLength(table.header.length);
    expect(parsed[1].rows).toHaveLength(3);
  });

  test('values render as literal text: no markup, no HTML, no mention', () => {
    for (const table of parsed) {
      expect(table.html.filter((h) => !OWN_HTML.has(h))).toEqual([]);
      for (const type of ['em_open', 'link_open', 'code_inline', 's_open', 'image']) expect(table.inlineTypes.has(type)).toBe(false);
    }
    const [failing, warning, erroring] = [parsed[1].rows.find((r) => r[0].includes('fail'))!, parsed[1].rows.find((r) => r[0].includes('warn'))!, parsed[1].rows.find((r) => r[0].includes('error'))!];
    expect(failing[1]).toBe(report.datasets[0].checks[0].id);
    expect(failing[2].split('\n')[0]).toBe(HOSTILE.lines.replace(/\r?\n/g, ' '));
    expect(failing[2].split('\n')[1]).toBe(`why: ${HOSTILE.markdown}`);
    expect(failing[5]).toContain(`col pipes=${JSON.stringify(HOSTILE.pipes)}`);
    expect(failing[5]).toContain(`col markup=${JSON.stringify(HOSTILE.markup)}`);
    expect(erroring[1]).toBe(report.datasets[0].checks[1].id);
    expect(warning[2].split('\n')[0]).toBe(HOSTILE.mention);
    expect(text).toContain('\\@octocat');
  });

  test('an unreadable dataset is named once with its reason, not check by check', () => {
    expect(text).toContain('#### ❗ unreadable\n\nCould not be checked: cannot read &lt;script&gt;');
    expect(text).not.toContain('not run: cannot read');
  });

  test('rendered to HTML, no value becomes an element', () => {
    const html = parser.render(text);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<a ');
  });
});

test('appendReportFile appends the summary to an existing GITHUB_STEP_SUMMARY file', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'assay-summary-')), 'step_summary.md');
  writeFileSync(path, '# earlier step\n');
  appendReportFile(path, '## assay\n');
  appendReportFile(path, 'no newline');
  expect(readFileSync(path, 'utf8')).toBe('# earlier step\n## assay\nno newline\n');
});
