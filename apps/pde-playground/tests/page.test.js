// The playground in headless Chromium (playwright-core, Debian's /usr/bin/chromium): the production
// bundle loads, a shipped experiment trains in the page to a relative L2 below 1e-2 with the backend
// report shown while the solution plot is redrawn during training, an invalid equation shows its
// message in the page, and every experiment the page offers trains in its quick form.
// Run: node --test apps/pde-playground/tests/   (about a minute; skipped without Chromium)
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { buildPlayground } = require('../scripts/build');
const { serve } = require('../scripts/serve');

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

test('the playground trains in the page and shows errors inline', {
  skip: !fs.existsSync(CHROMIUM) && 'no /usr/bin/chromium',
  timeout: 900_000,
}, async (t) => {
  const { chromium } = require('playwright-core');
  const server = await serve(buildPlayground(), 0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  t.after(async () => {
    await browser.close();
    server.close();
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(300_000); // the 8 MB bundle loads slowly on a busy machine
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  const url = `http://127.0.0.1:${server.address().port}/?experiment=exp-decay&backend=wasm`;
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);

  // An invalid equation: the config's own message, in the page.
  const good = await page.inputValue('#config');
  await page.fill('#config', good.replace('"u_t = -2*u"', '"u_t = -2*v"'));
  await page.click('#train');
  await page.waitForFunction(() => document.getElementById('error').textContent.length > 0);
  const message = await page.textContent('#error');
  assert.match(message, /^playground: .*v/, message);

  // The shipped experiment as it is: trains to relative L2 < 1e-2, the backend report shown, and the
  // solution plot redrawn at least twice while training still runs.
  await page.fill('#config', good);
  const t0 = Date.now();
  await page.click('#train');
  await page.waitForFunction(
    () => Number(document.body.dataset.solutionUpdates ?? 0) >= 2 || document.body.dataset.state !== 'training',
    null,
    { timeout: 600_000 },
  );
  const during = await page.evaluate(() => ({ ...document.body.dataset }));
  assert.equal(during.state, 'training', 'training ended before the solution plot was redrawn twice');
  assert.ok(Number(during.solutionUpdates) >= 2, `solution redrawn ${during.solutionUpdates} times`);
  assert.ok((await page.$$('#solution .main-svg')).length > 0, 'the solution plot is drawn during training');
  await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset.state), null, {
    timeout: 600_000,
  });
  const state = await page.evaluate(() => ({
    ...document.body.dataset,
    error: document.getElementById('error').textContent,
  }));
  const report = await page.textContent('#backend');
  assert.equal(state.state, 'done', `${state.error}\n${report}\n${logs.join('\n')}`);
  const err = Number(state.relL2);
  console.log(
    `playground: exp-decay relative L2 ${err.toExponential(2)} in ${((Date.now() - t0) / 1000).toFixed(1)} s, ` +
      `solution redrawn ${state.solutionUpdates} times during training (first two by step ${during.solutionStep}), ` +
      `the redraws taking ${(Number(state.solutionMs) / 1000).toFixed(2)} s of the ${Number(state.seconds).toFixed(1)} s of training; ${report}`,
  );
  assert.match(report, /^\[aml\] backend: wasm/);
  assert.ok(err < 1e-2, `relative L2 ${err}`);
  assert.equal(state.tensorsAfter, state.tensorsBefore, 'tensors left behind by training and the redraws');
  assert.ok((await page.$$('#loss .main-svg')).length > 0, 'the loss plot is drawn');

  // Every experiment the page offers builds and trains in the page (quick settings: a few steps).
  const names = await page.$$eval('#experiment option', (os) => os.map((o) => o.value));
  assert.ok(names.length >= 12, `the page offers ${names.length} experiments: ${names.join(', ')}`);
  await page.check('#quick');
  const t1 = Date.now();
  for (const name of names) {
    await page.selectOption('#experiment', name);
    await page.click('#train');
    await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset.state), null, {
      timeout: 120_000,
    });
    const s = await page.evaluate(() => ({
      ...document.body.dataset,
      error: document.getElementById('error').textContent,
    }));
    assert.equal(s.state, 'done', `${name} (quick): ${s.error}`);
    assert.equal(s.tensorsAfter, s.tensorsBefore, `${name} (quick): tensors left behind`);
  }
  console.log(`playground: ${names.length} experiments trained quick in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
});
