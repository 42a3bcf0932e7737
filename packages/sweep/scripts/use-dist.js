// Preload (`node -r <this file> apps/<app>/dist/main.js`) that makes a built app load the built
// JavaScript of the workspace packages: inside the repository each @aml package's `main` and
// `exports` name its TypeScript source (for ts-node and the tests), which plain Node cannot run.
// `@aml/<name>` and its subpaths (`@aml/core/node`) resolve to the matching file under the
// package's `dist/` when that file exists (`src/node.ts` -> `dist/node.js`), otherwise as usual.
// The sweep's per-run command uses it so that runs start without ts-node.

const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

/** The source file a package.json names for `sub` ('.' or './node'): its exports entry, else main. */
function sourceOf(pkg, sub) {
  const e = pkg.exports;
  const target = e && typeof e === 'object' ? e[sub] : undefined;
  const t = typeof target === 'string' ? target : target && (target.require || target.default);
  if (typeof t === 'string') return t;
  return sub === '.' ? pkg.main || 'index.js' : undefined;
}

const cache = new Map();
const original = Module._resolveFilename;
Module._resolveFilename = function resolveAmlDist(request, parent, ...rest) {
  const m = typeof request === 'string' ? /^(@aml\/[^/]+)(\/.+)?$/.exec(request) : null;
  if (m && m[2] !== '/package.json') {
    if (!cache.has(request)) {
      let built;
      try {
        // The workspace link node_modules/@aml/<name> -> packages/<name> (or apps/<name>).
        const pkgJson = original.call(this, `${m[1]}/package.json`, parent, ...rest);
        const dir = path.dirname(pkgJson);
        const src = sourceOf(JSON.parse(fs.readFileSync(pkgJson, 'utf8')), m[2] ? `.${m[2]}` : '.');
        if (src && /^(\.\/)?src\/.+\.ts$/.test(src)) {
          const js = path.join(dir, src.replace(/^(\.\/)?src\//, 'dist/').replace(/\.ts$/, '.js'));
          if (fs.existsSync(js)) built = js;
        }
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
