#!/usr/bin/env node
// Which main entries reach a Node built-in (fs, path, worker_threads, ...) through their imports, and by
// which chain of files: what a browser bundler would refuse. Walks the built CommonJS in dist/ (every
// static `require("...")`, also ones inside functions, as a bundler sees them); sibling packages are
// followed into their dist/. Run `npm run build` first.
// Usage: node tools/pack/node-builtins.js [@aml/core ...]   (exit 1 when an entry reaches a built-in)

const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');
const { PROJECTS } = require('./manifest');

const root = path.resolve(__dirname, '..', '..');
const builtins = new Set(builtinModules);
/** The libraries whose main entry should load in a browser. */
const BROWSER_ENTRIES = ['@aml/core', '@aml/nn', '@aml/generative', '@aml/pinn', '@aml/data', '@aml/plot'];

/** Package name -> its dist folder, for the workspace's projects. */
function distDirs() {
  const out = {};
  for (const p of PROJECTS) {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, p.dir, 'package.json'), 'utf8'));
    out[pkg.name] = path.join(root, p.dir, 'dist');
  }
  return out;
}

/** The JavaScript file a relative require names (x.js, x/index.js). */
function resolveLocal(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [base, `${base}.js`, path.join(base, 'index.js')]) {
    if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  }
  return undefined;
}

/** Breadth-first over the require graph from `entry`; returns [{ builtin, chain }] (shortest chain per built-in). */
function builtinChains(entry, dists) {
  const rel = (f) => path.relative(root, f);
  const parent = new Map([[entry, null]]);
  const queue = [entry];
  const found = new Map();
  while (queue.length) {
    const file = queue.shift();
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) {
      const spec = m[1];
      const bare = spec.replace(/^node:/, '').split('/')[0];
      let next;
      if (spec.startsWith('.')) next = resolveLocal(file, spec);
      else if (dists[spec]) next = path.join(dists[spec], 'index.js');
      else if (spec.startsWith('node:') || builtins.has(bare)) {
        if (!found.has(bare)) {
          const chain = [];
          for (let f = file; f; f = parent.get(f)) chain.unshift(rel(f));
          found.set(bare, chain);
        }
        continue;
      }
      if (next && fs.existsSync(next) && !parent.has(next)) {
        parent.set(next, file);
        queue.push(next);
      }
    }
  }
  return [...found].map(([builtin, chain]) => ({ builtin, chain }));
}

function main(names) {
  const dists = distDirs();
  let bad = 0;
  for (const name of names.length ? names : BROWSER_ENTRIES) {
    const entry = path.join(dists[name] ?? '', 'index.js');
    if (!fs.existsSync(entry)) throw new Error(`node-builtins: ${name}: ${entry} is missing; run npm run build first`);
    const chains = builtinChains(entry, dists);
    if (!chains.length) console.log(`${name}: no Node built-ins`);
    for (const { builtin, chain } of chains) {
      bad++;
      console.log(`${name}: ${builtin} <- ${[...chain].reverse().join(' <- ')}`);
    }
  }
  return bad;
}

module.exports = { builtinChains, BROWSER_ENTRIES };

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)) ? 1 : 0);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
