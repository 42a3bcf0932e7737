/**
 * Opens generated reports in headless Chromium and checks every figure rendered.
 * Locally, a missing Chromium skips these tests with a visible message; in CI (CI=true) it fails,
 * because `.ci/run` installs Debian's chromium and a silent skip would hide a broken report.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  confusionFigure,
  contourFigure,
  heatmapFigure,
  histogramFigure,
  imageGridFigure,
  lineFigure,
  Report,
  scatterFigure,
  tableFigure,
} from '../index';
import { exportPng, findChromium, NO_CHROMIUM_MESSAGE } from '../node';

const chromium = findChromium();
const inCi = process.env.CI === 'true';
if (!chromium) {
  if (inCi) {
    describe('report in headless Chromium', () => {
      it('needs chromium in CI', () => {
        throw new Error(`CI=true but ${NO_CHROMIUM_MESSAGE}`);
      });
    });
  } else {
    console.warn(`SKIPPED browser tests of @aml/plot: ${NO_CHROMIUM_MESSAGE}`);
  }
}
const maybe = chromium ? describe : describe.skip;

function sampleReport(): Report {
  const xs = [0, 0.5, 1];
  return new Report('browser test')
    .section('figures')
    .figure(lineFigure([{ name: 'loss', y: [1, 0.1, 0.01] }], { yScale: 'log' }))
    .figure(scatterFigure([1, 2, 3], [1, 2, 2.5], { labels: ['a', 'b', 'a'], diagonal: true }))
    .figure(heatmapFigure({ x: xs, y: xs, z: [1, 2, 3, 4, 5, 6, 7, 8, 9] }))
    .figure(contourFigure({ x: xs, y: xs, z: [1, 2, 3, 4, 5, 6, 7, 8, 9] }))
    .figure(
      imageGridFigure([
        { pixels: [0, 1, 1, 0], height: 2, width: 2 },
        { pixels: [1, 0, 0, 1], height: 2, width: 2 },
      ]),
    )
    .figure(
      confusionFigure(
        [
          [5, 1],
          [2, 7],
        ],
        ['x', 'y'],
      ),
    )
    .figure(histogramFigure([{ name: 'h', values: [1, 2, 2, 3, 3, 3] }]))
    .figure(tableFigure({ columns: ['a', 'b'], rows: [[1, 2]] }))
    .figure(heatmapFigure({ x: ['u', 'v'], y: ['u', 'v'], z: [1, -0.5, -0.5, 1] }))
    .metrics({ accuracy: 0.9 });
}

maybe('report in headless Chromium', () => {
  // playwright-core is a root devDependency; loaded lazily so the skip path needs nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium: pw } = require('playwright-core') as typeof import('playwright-core');
  let browser: import('playwright-core').Browser;
  beforeAll(async () => {
    browser = await pw.launch({
      executablePath: chromium!,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string) {
    const page = await browser.newPage();
    await page.goto('file://' + path.resolve(file));
    await page.waitForFunction(
      () => {
        const s = (globalThis as any).amlReport;
        return s && (s.rendered + s.errors.length >= s.figures || s.errors.length > 0);
      },
      undefined,
      { timeout: 30_000 },
    );
    return page;
  }

  it.each(['copy', 'reference'] as const)("renders every figure offline (plotly mode '%s')", async (mode) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-browser-'));
    const r = sampleReport();
    const page = await open(r.write(dir, { plotly: mode }));
    const state = await page.evaluate(() => (globalThis as any).amlReport);
    expect(state).toEqual({ figures: r.figureCount, rendered: r.figureCount, errors: [] });
    // plotly drew an <svg class="main-svg"> inside each figure div and laid it out
    const perDiv = await page.$$eval('div.plot', (ds) =>
      ds.map((d) => [d.querySelectorAll('.main-svg').length, !!(d as any)._fullLayout]),
    );
    expect(perDiv).toHaveLength(9);
    for (const [svgs, laidOut] of perDiv) {
      expect(svgs).toBeGreaterThan(0);
      expect(laidOut).toBe(true);
    }
    // the log axis really is logarithmic in the rendered layout
    expect(await page.$eval('#fig-0', (d) => (d as any)._fullLayout.yaxis.type)).toBe('log');
    // a heatmap with named axes is labelled by those names (a numeric axis would show numbers and no cells)
    expect(await page.$eval('#fig-8', (d) => (d as any)._fullLayout.xaxis.type)).toBe('category');
    expect(await page.$$eval('#fig-8 .xtick text', (els) => els.map((e) => e.textContent))).toEqual(['u', 'v']);
    await page.close();
  });

  it('says so in the page when the plotly bundle was moved away', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-browser-'));
    const file = sampleReport().write(dir);
    fs.rmSync(path.join(dir, 'plotly.js'));
    const page = await open(file);
    expect(await page.evaluate(() => (globalThis as any).amlReport.errors)).toEqual(['plotly.js not loaded']);
    expect(await page.textContent('#fig-0')).toContain('plotly.js did not load');
    await page.close();
  });

  it('exports a report to PNG through the chromium command line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-png-'));
    const png = exportPng(sampleReport().write(dir), path.join(dir, 'report.png'), { height: 800 });
    const head = fs.readFileSync(png).subarray(0, 8);
    expect([...head]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(fs.statSync(png).size).toBeGreaterThan(10_000); // a rendered page, not an empty frame
  });
});

describe('exportPng without a browser', () => {
  it('gives the install hint', () => {
    expect(() => exportPng('x.html', 'x.png', { executablePath: '/nonexistent/chromium' })).toThrow(
      'apt-get install -y chromium',
    );
  });
});
