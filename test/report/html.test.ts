import { XMLParser } from 'fast-xml-parser';
import { columnsChart, outcomesChart, percentAxisMax, stackSegments } from '../../src/report/formats/html-charts.js';
import { html } from '../../src/report/formats/html.js';
import type { RunReport } from '../../src/report/model.js';
import { expectGolden } from '../helpers/golden.js';
import { examplesReport, hostileReport } from './reports.js';

const svgParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['rect', 'text', 'line'].includes(name) });

function bars(svg: string): { x: number; width: number; fill: string; title: string }[] {
  return svgParser.parse(svg).svg.rect
    .filter((r: { class?: string }) => r.class === 'bar')
    .map((r: { x: string; width: string; fill: string; title: string }) => ({ x: Number(r.x), width: Number(r.width), fill: r.fill, title: String(r.title) }));
}

describe('html format on the bundled examples', () => {
  let report: RunReport;
  let page: string;
  beforeAll(async () => {
    report = await examplesReport();
    page = html.render(report);
  });

  test('matches the golden file', () => {
    expectGolden('reports/report.html', page);
  });

  test('is self-contained: no external resource, no script, a CSP that forbids any request', () => {
    expect(page).not.toMatch(/<(script|link|iframe|object|embed|img)\b/i);
    expect(page).not.toMatch(/\b(src|srcset|action|formaction)=/i);
    expect(page).not.toMatch(/url\(/i);
    for (const href of page.match(/href="[^"]*"/g) ?? []) expect(href).toMatch(/^href="#dataset-\d+"$/);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-`);
  });

  test('lists the checks that did not pass before the datasets, failing first', () => {
    const problems = report.datasets.flatMap((d) => d.checks.filter((c) => c.status !== 'pass'));
    expect(page).toContain(`Checks that did not pass (${problems.length})`);
    const firstDataset = page.indexOf('<section class="dataset"');
    for (const check of problems) {
      const at = page.indexOf(`<code>${check.id.replace(/\./g, '.<wbr>')}</code>`);
      expect(at).toBeGreaterThan(0);
      expect(at).toBeLessThan(firstDataset);
    }
  });

  test('every dataset has its per-column chart and table from the report', () => {
    for (const dataset of report.datasets) {
      expect(page).toContain(`<title>Missing and failing rows per column of ${dataset.name}</title>`);
      for (const column of Object.keys(dataset.columns ?? {})) expect(page).toContain(`<td><code>${column}</code></td>`);
    }
  });
});

describe('html format with hostile values', () => {
  const page = html.render(hostileReport());

  test('no value becomes markup', () => {
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).not.toContain('\u0000');
  });
});

describe('charts', () => {
  test('stackSegments lays values end to end, in proportion to the total', () => {
    expect(stackSegments([2, 1, 1], 8, 400)).toEqual([
      { x: 0, width: 100 },
      { x: 100, width: 50 },
      { x: 150, width: 50 },
    ]);
    expect(stackSegments([0, 0], 0, 100)).toEqual([
      { x: 0, width: 0 },
      { x: 0, width: 0 },
    ]);
  });

  test('percentAxisMax picks a round axis that holds the largest value', () => {
    expect([0, 0.4, 1, 1.2, 7, 10, 33, 99.9, 100].map(percentAxisMax)).toEqual([1, 1, 1, 2, 10, 10, 50, 100, 100]);
  });

  test('the outcomes chart draws one bar segment per non-zero outcome, widths proportional to counts', async () => {
    const report = await examplesReport();
    const drawn = bars(outcomesChart(report.datasets));
    const expected = report.datasets.flatMap((d) => (['pass', 'warn', 'fail', 'error'] as const).map((s) => ({ dataset: d.name, status: s, n: d.checks.filter((c) => c.status === s).length })).filter((e) => e.n > 0));
    expect(drawn.map((b) => b.title)).toEqual(expected.map((e) => `${e.dataset}: ${e.n} ${e.status}`));
    const perCheck = drawn[0].width / expected[0].n;
    for (const [i, bar] of drawn.entries()) expect(bar.width).toBeCloseTo(perCheck * expected[i].n, 0);
  });

  test('the columns chart draws a missing and a failing bar per column on a shared axis', () => {
    const svg = columnsChart('t', {
      a: { missing: 1, missing_percent: 10, failed_rows: 2, failed_percent: 20 },
      'b <&>': { missing: 0, missing_percent: 0, failed_rows: 1, failed_percent: 5 },
    });
    const drawn = bars(svg);
    expect(drawn.map((b) => b.title)).toEqual(['a: 1 missing (10%)', 'a: 2 failing rows (20%)', 'b <&>: 0 missing (0%)', 'b <&>: 1 failing rows (5%)']);
    expect(drawn[1].width).toBeCloseTo(drawn[0].width * 2, 0);
    expect(drawn[3].width).toBeCloseTo(drawn[0].width / 2, 0);
    expect(drawn[2].width).toBe(0);
    expect(svg).toContain('>20%</text>');
  });

  test('long labels are shortened, with the full name in a tooltip', () => {
    const name = 'a_really_long_column_name_that_goes_on_and_on';
    const svg = columnsChart('t', { [name]: { missing: 0, missing_percent: 0, failed_rows: 0, failed_percent: 0 } });
    expect(svg).toContain(`>${name.slice(0, 25)}…<title>${name}</title>`);
  });
});
