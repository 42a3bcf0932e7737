// The libraries' main entries run in a browser: each is bundled by esbuild for the browser platform
// (which refuses any Node built-in, naming the importing file) and the bundle is evaluated in a
// context holding only browser globals (no process, require, Buffer, __dirname), where it must load
// and export its names. Run: node --test tools/pack/   (about 25 s on 2 shared cores)
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const vm = require('node:vm');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '../..');
const ENTRIES = ['core', 'nn', 'generative', 'pinn', 'data', 'plot'];

/** Bundle a file for the browser; returns { code, errors } with each error as "file:line: text". */
function bundle(entry) {
  try {
    const r = esbuild.buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: '__lib',
      write: false,
      logLevel: 'silent',
      absWorkingDir: ROOT,
    });
    return { code: r.outputFiles[0].text, errors: [] };
  } catch (e) {
    const errors = (e.errors ?? [{ text: e.message }]).map(
      (m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`,
    );
    return { code: '', errors };
  }
}

/** Globals a page has (and Node-only ones it lacks): what the bundle may touch while loading. */
function browserContext() {
  const ctx = {
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    performance,
    fetch,
    TextEncoder,
    TextDecoder,
    URL,
    Blob,
    AbortController,
    AbortSignal,
    Event,
    EventTarget,
    WebAssembly,
    Atomics,
    SharedArrayBuffer,
    document: {},
    navigator: { userAgent: 'browser-entries test' },
  };
  ctx.self = ctx;
  ctx.window = ctx;
  ctx.globalThis = ctx;
  return ctx;
}

test('the check fails on a Node built-in, naming the importing file', () => {
  const { errors } = bundle(path.join(__dirname, 'fixtures', 'uses-fs.js'));
  assert.equal(errors.length, 1);
  assert.match(errors[0], /uses-fs\.js:1: Could not resolve "node:fs"/);
});

for (const name of ENTRIES) {
  test(`@aml/${name}: the main entry bundles for a browser and loads without Node globals`, () => {
    const { code, errors } = bundle(`packages/${name}/src/index.ts`);
    assert.deepEqual(errors, [], `@aml/${name} reaches Node-only code:\n${errors.join('\n')}`);
    const ctx = browserContext();
    vm.runInNewContext(`${code}\n;globalThis.__exports = __lib;`, ctx, { filename: `@aml/${name} (browser bundle)` });
    assert.equal(typeof ctx.process, 'undefined');
    assert.ok(
      Object.keys(ctx.__exports).length > 10,
      `@aml/${name} exported ${Object.keys(ctx.__exports).length} names`,
    );
  });
}
