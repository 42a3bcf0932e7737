// Preload (`node -r <this file> apps/<app>/dist/main.js`) that makes a built app load the built
// JavaScript of the workspace packages: inside the repository each @aml package's `main` is its
// TypeScript source (for ts-node and the tests), which plain Node cannot run. `@aml/<name>` resolves
// to `<package>/dist/index.js` when that file exists, otherwise as usual. The sweep's per-run
// command uses it so that runs start without ts-node.

const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const cache = new Map();
const original = Module._resolveFilename;
Module._resolveFilename = function resolveAmlDist(request, parent, ...rest) {
  if (typeof request === 'string' && /^@aml\/[^/]+$/.test(request)) {
    if (!cache.has(request)) {
      let built;
      try {
        // The workspace link node_modules/@aml/<name> -> packages/<name> (or apps/<name>).
        const pkgJson = original.call(this, `${request}/package.json`, parent, ...rest);
        const main = JSON.parse(fs.readFileSync(pkgJson, 'utf8')).main || 'index.js';
        const js = path.join(path.dirname(pkgJson), main.replace(/^(\.\/)?src\//, 'dist/').replace(/\.ts$/, '.js'));
        if (js !== path.join(path.dirname(pkgJson), main) && fs.existsSync(js)) built = js;
      } catch {
        built = undefined;
      }
      cache.set(request, built);
    }
    const built = cache.get(request);
    if (built) return built;
  }
  return original.call(this, request, parent, ...rest);
};
