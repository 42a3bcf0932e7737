// The user manifest written by the pack step, checked against hand-written expectations.
// Run: node --test tools/pack/
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { dependenciesOf, exportsOf, userManifest } = require('./manifest');

const made = [];
test.after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fake built project: the given files under dist/, each empty. */
function project(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-manifest-'));
  made.push(dir);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  return dir;
}

const versions = { '@aml/core': '0.1.0', '@aml/data': '0.1.0' };

test('tfjs becomes a peer, the native backends optional peers, siblings their packed version', () => {
  const deps = dependenciesOf(
    {
      dependencies: { '@tensorflow/tfjs': '4.22.0', '@aml/data': '*', zod: '4.6.7' },
      optionalDependencies: { '@tensorflow/tfjs-node': '4.22.0', '@tensorflow/tfjs-node-gpu': '4.22.0' },
    },
    versions,
  );
  assert.deepEqual(deps, {
    dependencies: { '@aml/data': '0.1.0', zod: '4.6.7' },
    peerDependencies: {
      '@tensorflow/tfjs': '^4.22.0',
      '@tensorflow/tfjs-node': '^4.22.0',
      '@tensorflow/tfjs-node-gpu': '^4.22.0',
    },
    peerDependenciesMeta: {
      '@tensorflow/tfjs-node': { optional: true },
      '@tensorflow/tfjs-node-gpu': { optional: true },
    },
  });
});

test('native backends declared as optional peers in the repository stay optional peers', () => {
  const deps = dependenciesOf(
    {
      dependencies: { '@tensorflow/tfjs': '4.22.0' },
      peerDependencies: { '@tensorflow/tfjs-node-gpu': '4.22.0' },
      peerDependenciesMeta: { '@tensorflow/tfjs-node-gpu': { optional: true } },
    },
    versions,
  );
  assert.deepEqual(deps.peerDependencies, { '@tensorflow/tfjs': '^4.22.0', '@tensorflow/tfjs-node-gpu': '^4.22.0' });
  assert.deepEqual(deps.peerDependenciesMeta, { '@tensorflow/tfjs-node-gpu': { optional: true } });
  assert.deepEqual(deps.dependencies, {});
});

test("a project's browser field (module replacements for bundlers) reaches the user manifest", () => {
  const dir = project(['dist/index.js']);
  const src = { name: '@aml/x', version: '0.1.0', browser: { 'csv-parse/sync': 'csv-parse/browser/esm/sync' } };
  const m = userManifest({ dir: 'packages/x' }, src, dir, versions);
  assert.deepEqual(m.browser, { 'csv-parse/sync': 'csv-parse/browser/esm/sync' });
  assert.equal(
    userManifest({ dir: 'packages/x' }, { name: '@aml/x', version: '0.1.0' }, dir, versions).browser,
    undefined,
  );
});

test('exports: the main entry, sub-entries found in dist/ and ones the source manifest declares', () => {
  const dir = project(['dist/index.js', 'dist/node/index.js', 'dist/testing.js', 'dist/scratch/index.js']);
  const src = { name: '@aml/x', exports: { '.': './src/index.ts', './scratch': './src/scratch/index.ts' } };
  assert.deepEqual(exportsOf(src, dir), {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './scratch': { types: './dist/scratch/index.d.ts', default: './dist/scratch/index.js' },
    './node': { types: './dist/node/index.d.ts', default: './dist/node/index.js' },
    './testing': { types: './dist/testing.d.ts', default: './dist/testing.js' },
    './package.json': './package.json',
  });
});

test('an export whose JavaScript was not built fails naming the package and the entry', () => {
  const dir = project(['dist/index.js']);
  const src = { name: '@aml/x', exports: { './node': './src/node.ts' } };
  assert.throws(() => exportsOf(src, dir), /@aml\/x: export \.\/node -> \.\/dist\/node\.js is not built/);
});

test('an app: bin, its folders in files, side effects only in its launcher and entry', () => {
  const dir = project(['dist/index.js']);
  const src = {
    name: '@aml/app',
    version: '0.2.0',
    private: true,
    main: 'src/index.ts',
    dependencies: { '@aml/core': '0.1.0' },
  };
  const app = { dir: 'apps/app', bin: { app: 'bin/app.js' }, assets: [{ to: 'experiments' }] };
  const m = userManifest(app, src, dir, versions);
  assert.equal(m.private, undefined);
  assert.equal(m.version, '0.2.0');
  assert.equal(m.main, './dist/index.js');
  assert.deepEqual(m.files, ['dist', 'RESULTS.md', 'experiments', 'bin']);
  assert.deepEqual(m.bin, { app: 'bin/app.js' });
  assert.deepEqual(m.sideEffects, ['./bin/*', './dist/main.js']);
  assert.deepEqual(m.dependencies, { '@aml/core': '0.1.0' });
});

test('a version that is not 0.x is refused', () => {
  const dir = project(['dist/index.js']);
  assert.throws(
    () => userManifest({ dir: 'packages/x' }, { name: '@aml/x', version: '1.0.0' }, dir, versions),
    /the packages are 0\.x/,
  );
});
