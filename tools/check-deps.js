#!/usr/bin/env node
// Every project's declared dependencies are exactly the ones its code imports (packages, apps and
// experiments): a workspace or npm package imported but not declared, or declared but never imported,
// fails with the project and the name. Node built-ins and relative imports are ignored; type-only
// packages (@types/*) and the root's tooling are not checked. Run: node tools/check-deps.js
const fs = require('fs');
const path = require('path');
const { builtinModules } = require('module');

const root = path.join(__dirname, '..');
const projects = [
  ...['packages', 'apps'].flatMap((d) => fs.readdirSync(path.join(root, d)).map((n) => path.join(d, n))),
  'experiments',
].filter((p) => fs.existsSync(path.join(root, p, 'package.json')));

function sourceFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory())
      return ['node_modules', 'dist', 'build', 'pde', 'sweeps'].includes(e.name) ? [] : sourceFiles(p);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const builtins = new Set(builtinModules);
// static imports, dynamic import(), require(), require.resolve() and the project's tryRequire() of optional backends
const importRe =
  /(?:from\s+|import\s*\(\s*|require(?:\.resolve)?\s*\(\s*|tryRequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
let failures = 0;
for (const project of projects) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, project, 'package.json'), 'utf8'));
  const declared = new Set(
    Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies }),
  );
  const used = new Map(); // name -> first file
  const quoted = new Set(); // declared names that appear as a string literal (loaded by a computed require)
  for (const file of sourceFiles(path.join(root, project))) {
    if (file.endsWith('jest.config.js')) continue;
    const text = fs.readFileSync(file, 'utf8');
    for (const name of declared) if (text.includes(`'${name}'`)) quoted.add(name);
    for (const m of text.matchAll(importRe)) {
      const spec = m[1];
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtins.has(spec.split('/')[0]))
        continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (name === pkg.name || name.startsWith('@types/')) continue;
      if (!used.has(name)) used.set(name, path.relative(root, file));
    }
  }
  for (const [name, file] of used) {
    if (!declared.has(name)) {
      failures++;
      console.error(
        `check-deps: ${project} imports ${name} (${file}) but its package.json does not declare it; add it to "dependencies"`,
      );
    }
  }
  for (const name of declared) {
    if (!used.has(name) && !quoted.has(name)) {
      failures++;
      console.error(`check-deps: ${project} declares ${name} but never imports it; remove it from package.json`);
    }
  }
}
if (failures) process.exit(1);
console.log(`check-deps: ${projects.length} projects, every declared dependency is imported and every import declared`);
