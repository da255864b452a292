/**
 * The HTML report in a real browser: Debian's Chromium, driven by
 * playwright-core. It must load with no console error and no request but the
 * file itself, show its charts, and the "hide passing checks" toggle must
 * work. A screenshot is taken (reports/report-screenshot.png; with
 * UPDATE_SCREENSHOT=1 also docs/img/report.png, the README's picture).
 *
 * Without /usr/bin/chromium the test is skipped loudly on a developer
 * machine; in CI (CI=true) it fails instead: .ci/run installs Chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { html } from '../../src/report/formats/html.js';
import { examplesReport, hostileReport } from '../report/reports.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const available = existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';

if (!available && !inCI) {
  console.warn(`\n${'!'.repeat(72)}\n!! SKIPPED: the HTML report browser test needs ${CHROMIUM} (apt-get install -y chromium)\n${'!'.repeat(72)}\n`);
}

const describeBrowser = available || inCI ? describe : describe.skip;

describeBrowser('report.html in headless Chromium', () => {
  let context: BrowserContext;
  let profile: string;
  const dir = mkdtempSync(join(tmpdir(), 'assay-html-'));

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run must install Debian's chromium`);
    profile = mkdtempSync(join(tmpdir(), 'assay-chromium-profile-'));
    // A persistent context is how Playwright takes a fresh --user-data-dir.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1100, height: 800 } });
  }, 60000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens a report; every request is intercepted and refused unless it is the file itself. */
  async function open(file: string) {
    const url = pathToFileURL(file).href;
    const requests: string[] = [];
    const problems: string[] = [];
    const page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url, { waitUntil: 'load' });
    return { page, url, requests, problems };
  }

  test('the examples report loads with no console error and no request but itself, and shows its charts', async () => {
    const file = join(dir, 'report.html');
    const report = await examplesReport();
    writeFileSync(file, html.render(report));
    const { page, url, requests, problems } = await open(file);

    expect(await page.title()).toBe('assay report: FAIL');
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(1 + report.datasets.length);
    for (const box of await Promise.all((await charts.all()).map((c) => c.boundingBox()))) {
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(40);
    }
    // The widest outcome bar is the dataset with the most checks, drawn at a real size.
    const barWidths = await page.locator('svg.chart').first().locator('rect.bar').evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().width));
    expect(Math.max(...barWidths)).toBeGreaterThan(100);

    // "hide passing checks" hides exactly the passing rows of its dataset.
    const section = page.locator('section.dataset').nth(1);
    const passing = section.locator('tr.check.pass');
    const failing = section.locator('tr.check.fail');
    expect(await passing.first().isVisible()).toBe(true);
    await section.locator('input.hide-passing').check();
    expect(await passing.first().isVisible()).toBe(false);
    expect(await failing.first().isVisible()).toBe(true);
    await section.locator('input.hide-passing').uncheck();

    mkdirSync('reports', { recursive: true });
    const shot = join('reports', 'report-screenshot.png');
    await page.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(10000);
    // The README's picture: `UPDATE_SCREENSHOT=1 npm test` retakes it.
    if (process.env.UPDATE_SCREENSHOT === '1') {
      await page.locator('h1').scrollIntoViewIfNeeded();
      await page.setViewportSize({ width: 1000, height: 820 });
      await page.screenshot({ path: join('docs', 'img', 'report.png') });
    }

    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  test('a report full of hostile values runs nothing and requests nothing', async () => {
    const file = join(dir, 'hostile.html');
    writeFileSync(file, html.render(hostileReport()));
    const { page, url, requests, problems } = await open(file);
    expect(await page.locator('script, img, iframe').count()).toBe(0);
    expect(await page.locator('h2').first().textContent()).toBe('Datasets');
    expect(await page.locator('body').textContent()).toContain('<script>alert("x")</script>');
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  test('the harness is real: a page that requests something or logs an error is caught', async () => {
    const file = join(dir, 'leaky.html');
    writeFileSync(file, '<!doctype html><title>leaky</title><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>');
    const { page, url, requests, problems } = await open(file);
    expect(requests).toEqual([url, 'http://127.0.0.1:9/x.png']);
    expect(problems).toContain('error: boom');
    await page.close();
  });
});
