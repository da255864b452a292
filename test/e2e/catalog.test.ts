/**
 * `assay catalog --out DIR` end to end: pages for every dataset with what the
 * policies and the last report say, the lineage graph, no value from the
 * report beyond outcomes and counts, and (in headless Chromium, like the
 * HTML report) no request, no script, no console error. The screenshot is
 * docs/img/catalog.png with UPDATE_SCREENSHOT=1.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type BrowserContext } from 'playwright-core';
import { CLI, runCli } from '../helpers/cli.js';

const NOW = '2026-01-05T12:00:00Z';
const CHROMIUM = '/usr/bin/chromium';
const work = mkdtempSync(join(tmpdir(), 'assay-catalog-'));
const site = join(work, 'site');
const reportFile = join(work, 'reports', 'assay-report.json');

beforeAll(() => {
  runCli(['check', '--out', join(work, 'reports'), '--no-audit', '--now', NOW]);
  const r = runCli(['catalog', '--out', site, '--report', reportFile]);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('catalog written: 4 pages');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const read = (name: string) => readFileSync(join(site, name), 'utf8');
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('assay catalog', () => {
  it('writes an index and one page per dataset, and nothing else', () => {
    expect(readdirSync(site).sort()).toEqual(['dataset-customers.html', 'dataset-orders.html', 'dataset-penguins.html', 'index.html']);
    const index = text(read('index.html'));
    expect(index).toContain('orders sales-data@acme.example sales tier-1 fail created_at : warn after 24h, fail after 48h One row per web-shop order.');
    expect(index).toContain('penguins research-data@acme.example public research fail none');
  });

  it('shows columns, classifications, checks with their latest outcome and counts, and who may see what', () => {
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    const orders = report.datasets.find((d: { name: string }) => d.name === 'orders');
    const page = text(read('dataset-orders.html'));
    expect(page).toContain('email string pii.email');
    for (const check of orders.checks) {
      const counts = check.failed_rows !== undefined ? ` ${check.failed_rows} of ${check.evaluated_rows}` : '';
      expect(page).toContain(`${check.id} ${check.type} ${check.column ? `${check.column} ` : ''}${check.severity} ${check.status}${counts}`);
    }
    // The matrix comes from the access decision function (rules/access.yaml).
    expect(page).toContain('analyst clear clear masked (hash) clear clear clear clear clear all');
    expect(page).toContain('support clear clear clear clear denied clear clear clear d.country == principal.attributes.region');
    const customers = text(read('dataset-customers.html'));
    expect(customers).toContain('analyst clear masked (hash) masked (hash) denied clear clear clear all');
    expect(customers).toContain('support clear clear clear masked (partial 4) clear masked (year_only) clear d.country == principal.attributes.region');
  });

  it('draws the lineage from upstream, references and reconcile', () => {
    const svg = /<svg class="lineage"[\s\S]*?<\/svg>/.exec(read('index.html'))![0];
    expect(svg).toContain('<title>customers → orders: upstream, references, reconcile</title>');
    expect(svg).toContain('href="dataset-customers.html"');
    expect(svg).not.toContain('penguins'); // no lineage of its own
  });

  it('never shows a message, an observed value or a sample from the report', () => {
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    // Plant values in every field the catalog must not read.
    for (const d of report.datasets)
      for (const c of d.checks)
        Object.assign(c, { message: 'LEAK-message', observed: 'LEAK-observed', samples: [{ row: 1, values: { email: 'LEAK-sample@x.example' } }] });
    const planted = join(work, 'planted.json');
    writeFileSync(planted, JSON.stringify(report));
    const out = join(work, 'site-planted');
    expect(runCli(['catalog', '--out', out, '--report', planted]).code).toBe(0);
    for (const file of readdirSync(out)) expect(readFileSync(join(out, file), 'utf8')).not.toContain('LEAK');
  });

  it('escapes what the policies say and refuses to write through a link', () => {
    const rules = join(work, 'hostile');
    writeFileSync(join(work, 'x.csv'), 'a\n1\n');
    const doc =
      'kind: dataset\nname: x\ndescription: "<script>alert(1)</script>"\nowner: "<img src=x onerror=alert(1)>"\nsource: { path: ../x.csv }\ncolumns: { a: { type: integer, description: "</td><b>bold</b>" } }\n';
    mkdirSync(rules);
    writeFileSync(join(rules, 'x.yaml'), doc);
    const out = join(work, 'site-hostile');
    expect(runCli(['catalog', rules, '--out', out]).code).toBe(0);
    const html = readFileSync(join(out, 'dataset-x.html'), 'utf8');
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Inside a work tree (a pull request's checkout), a committed link as --out is refused.
    const tree = join(work, 'tree');
    mkdirSync(join(tree, '.git'), { recursive: true });
    const elsewhere = mkdtempSync(join(tmpdir(), 'assay-elsewhere-'));
    symlinkSync(elsewhere, join(tree, 'site'));
    const r = spawnSync(process.execPath, [CLI, 'catalog', join(process.cwd(), 'rules'), '--out', 'site'], { cwd: tree, encoding: 'utf8' });
    expect(r.stderr).toContain('site: is a symbolic link; assay never writes through a link');
    expect(r.status).toBe(2);
    expect(readdirSync(elsewhere)).toEqual([]);
    rmSync(elsewhere, { recursive: true, force: true });
  });
});

const available = existsSync(CHROMIUM);
const describeBrowser = available || process.env.CI === 'true' ? describe : describe.skip;
if (!available && process.env.CI !== 'true') console.warn(`SKIPPED: the catalog browser test needs ${CHROMIUM}`);

describeBrowser('the catalog in headless Chromium', () => {
  let context: BrowserContext;
  let profile: string;
  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'assay-chromium-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      viewport: { width: 1100, height: 800 },
    });
  }, 60000);
  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('loads every page with no request but itself and no console error, and draws the graph', async () => {
    for (const file of readdirSync(site)) {
      const url = pathToFileURL(join(site, file)).href;
      const requests: string[] = [];
      const problems: string[] = [];
      const page = await context.newPage();
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(m.text()));
      await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
      await page.goto(url, { waitUntil: 'load' });
      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);
      expect(await page.locator('script').count()).toBe(0);
      if (file === 'index.html') {
        const nodes = await page.locator('svg.lineage g.node').all();
        expect(nodes).toHaveLength(2);
        const [a, b] = await Promise.all(nodes.map((n) => n.boundingBox()));
        expect(a!.x + a!.width).toBeLessThan(b!.x); // laid out left to right, not on top of each other
        await page.screenshot({ path: join(work, 'catalog.png'), fullPage: true });
      }
      if (file === 'dataset-orders.html') {
        await page.screenshot({ path: join(work, 'catalog-orders.png'), fullPage: true });
        if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(join(work, 'catalog-orders.png'), 'docs/img/catalog.png');
      }
      await page.close();
    }
  }, 60000);
});
