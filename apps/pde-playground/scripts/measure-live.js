// What the solution's redraws during training cost: trains one experiment in headless Chromium with
// the redraws on and off (`?live=0`), alternating, and prints per round the training wall time the
// page reports and the CPU time all of Chromium's processes spent from Train to done (CDP
// SystemInfo.getProcessInfo: renderer with its wasm threads, GPU process, browser), then the medians
// and their ratios. CPU time hardly depends on what else runs on the machine; wall time does. Run: node apps/pde-playground/scripts/measure-live.js [experiment] [rounds]
// (defaults: exp-decay, 3 rounds; needs /usr/bin/chromium and the fused kernel from npm run build).
const { chromium } = require('playwright-core');
const { buildPlayground } = require('./build');
const { serve } = require('./serve');

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function trainOnce(browser, base, experiment, live) {
  const system = await browser.newBrowserCDPSession();
  const cpu = async () =>
    (await system.send('SystemInfo.getProcessInfo')).processInfo.reduce((sum, p) => sum + p.cpuTime, 0);
  const page = await browser.newPage();
  try {
    await page.goto(`${base}/?experiment=${experiment}&backend=wasm&live=${live ? 1 : 0}`, { timeout: 120_000 });
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    const before = await cpu();
    await page.click('#train');
    await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset.state), null, {
      timeout: 600_000,
    });
    const after = await cpu();
    const d = await page.evaluate(() => ({
      ...document.body.dataset,
      error: document.getElementById('error').textContent,
    }));
    if (d.state !== 'done') throw new Error(`${experiment} failed in the page: ${d.error}`);
    return {
      seconds: Number(d.seconds),
      cpu: after - before,
      updates: Number(d.solutionUpdates ?? 0),
      redrawSeconds: Number(d.solutionMs ?? 0) / 1000,
    };
  } finally {
    await page.close();
    await system.detach();
  }
}

async function main() {
  const experiment = process.argv[2] ?? 'exp-decay';
  const rounds = Number(process.argv[3] ?? 3);
  const server = await serve(buildPlayground(), 0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const base = `http://127.0.0.1:${server.address().port}`;
  const on = [];
  const off = [];
  try {
    for (let r = 0; r < rounds; r++) {
      for (const live of r % 2 ? [false, true] : [true, false]) {
        const m = await trainOnce(browser, base, experiment, live);
        (live ? on : off).push(m);
        console.log(
          `round ${r + 1} live ${live ? 'on ' : 'off'}: train ${m.seconds.toFixed(2)} s, Chromium CPU ${m.cpu.toFixed(2)} s, ${m.updates} redraws taking ${m.redrawSeconds.toFixed(3)} s`,
        );
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const s = (xs, k) => median(xs.map((m) => m[k]));
  console.log(
    `${experiment}, ${rounds} rounds, medians: train ${s(on, 'seconds').toFixed(2)} s with redraws vs ${s(off, 'seconds').toFixed(2)} s without ` +
      `(ratio ${(s(on, 'seconds') / s(off, 'seconds')).toFixed(3)}); Chromium CPU ${s(on, 'cpu').toFixed(2)} s vs ${s(off, 'cpu').toFixed(2)} s ` +
      `(ratio ${(s(on, 'cpu') / s(off, 'cpu')).toFixed(3)}); ${s(on, 'updates')} redraws taking ${s(on, 'redrawSeconds').toFixed(3)} s ` +
      `(${((100 * s(on, 'redrawSeconds')) / s(on, 'seconds')).toFixed(1)}% of the training time, measured in the page)`,
  );
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
