// What each project ships and the package.json its users get. The repository's own package.json
// files point `main` at src/index.ts (ts-node and jest run the sources); the manifest written here
// points at the built JavaScript in dist/ and declares what an install needs.

const fs = require('node:fs');
const path = require('node:path');

/** Files of `dir` (relative to the repository root) whose names end in `ext`. */
function filesIn(dir, ext) {
  return (root) => {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) return [];
    return fs
      .readdirSync(abs)
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => path.join(abs, f));
  };
}

/**
 * The projects in build order. `assets` are copied into the package (`to` is the folder inside it),
 * `bin` maps a command to its launcher (relative to the project).
 */
const PROJECTS = [
  { dir: 'packages/core' },
  { dir: 'packages/data' },
  { dir: 'packages/plot' },
  { dir: 'packages/nn' },
  { dir: 'packages/generative' },
  {
    dir: 'packages/pinn',
    // The fused derivative kernel, loaded from <package>/build by dist/fused/runtime.js.
    assets: [
      {
        what: 'fused kernel builds',
        files: filesIn('packages/pinn/build', '.wasm'),
        to: 'build',
        hint: 'npm run build compiles them',
      },
    ],
  },
  { dir: 'packages/sweep' },
  {
    dir: 'apps/pde-lab',
    bin: { 'pde-lab': 'bin/pde-lab.js' },
    // The shipped experiments, found by dist/catalog/catalog.js in <package>/configs.
    assets: [
      {
        what: 'experiment configs',
        files: filesIn('apps/pde-lab/configs', '.json'),
        to: 'configs',
        hint: 'apps/pde-lab/configs/*.json',
      },
    ],
  },
  { dir: 'apps/data-lab', bin: { 'data-lab': 'bin/data-lab.js' } },
];

/** Sub-entries a package may offer beside its main entry, when its build has them. */
const SUB_ENTRIES = ['node', 'browser', 'testing', 'scratch'];

/** One entry point of `exports`: declarations first (TypeScript picks the first matching condition). */
function entry(base) {
  return { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` };
}

/**
 * `exports`: `.` plus each sub-entry found in dist/ (dist/<name>.js or dist/<name>/index.js) or
 * declared in the source manifest's own `exports` (paths under src/ map to dist/).
 */
function exportsOf(srcPkg, dir) {
  const out = { '.': entry('index') };
  const declared = typeof srcPkg.exports === 'object' && srcPkg.exports ? Object.entries(srcPkg.exports) : [];
  for (const [key, target] of declared) {
    if (key === '.' || key === './package.json') continue;
    const file = typeof target === 'string' ? target : (target.types ?? target.default ?? target.require);
    const base = String(file)
      .replace(/^\.\/src\//, '')
      .replace(/\.(d\.)?ts$/, '');
    out[key] = entry(base);
  }
  for (const name of SUB_ENTRIES) {
    if (out[`./${name}`]) continue;
    if (fs.existsSync(path.join(dir, 'dist', `${name}.js`))) out[`./${name}`] = entry(name);
    else if (fs.existsSync(path.join(dir, 'dist', name, 'index.js'))) out[`./${name}`] = entry(`${name}/index`);
  }
  for (const [key, value] of Object.entries(out)) {
    if (!fs.existsSync(path.join(dir, value.default)))
      throw new Error(`pack: ${srcPkg.name}: export ${key} -> ${value.default} is not built`);
  }
  out['./package.json'] = './package.json';
  return out;
}

/** The TensorFlow.js packages a user chooses (peers), and which of them are optional. */
const TFJS_PEERS = { '@tensorflow/tfjs': false, '@tensorflow/tfjs-node': true, '@tensorflow/tfjs-node-gpu': true };

/**
 * Dependencies for users: siblings at the version packed with them; TensorFlow.js as a peer (one
 * tfjs instance shared with the user's code; the native backends are optional peers the user opts
 * into, so an install never downloads libtensorflow unasked).
 */
function dependenciesOf(srcPkg, versions) {
  const dependencies = {};
  const peerDependencies = {};
  const peerDependenciesMeta = {};
  const all = { ...srcPkg.dependencies, ...srcPkg.optionalDependencies, ...srcPkg.peerDependencies };
  for (const [name, range] of Object.entries(all).sort(([a], [b]) => a.localeCompare(b))) {
    if (name in TFJS_PEERS) {
      peerDependencies[name] = /^\d/.test(range) ? `^${range}` : range;
      if (TFJS_PEERS[name]) peerDependenciesMeta[name] = { optional: true };
    } else if (versions[name]) {
      dependencies[name] = versions[name];
    } else {
      dependencies[name] = range;
    }
  }
  return { dependencies, peerDependencies, peerDependenciesMeta };
}

/** The package.json users get for `project` (source manifest `srcPkg`, folder `dir`). */
function userManifest(project, srcPkg, dir, versions) {
  if (!/^0\./.test(srcPkg.version))
    throw new Error(`pack: ${srcPkg.name} has version ${srcPkg.version}; the packages are 0.x`);
  const deps = dependenciesOf(srcPkg, versions);
  const files = [
    'dist',
    'RESULTS.md',
    ...(project.assets ?? []).map((a) => a.to),
    ...new Set(Object.values(project.bin ?? {}).map((b) => path.dirname(b))),
  ];
  const manifest = {
    name: srcPkg.name,
    version: srcPkg.version,
    description: srcPkg.description,
    license: srcPkg.license ?? 'MIT',
    engines: { node: '>=20' },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: exportsOf(srcPkg, dir),
    files,
    // No library module acts on import (backend fixes and kernels register inside initBackend), so
    // bundlers may drop unused modules; an app's launcher and entry run the program when loaded.
    sideEffects: project.bin ? ['./bin/*', './dist/main.js'] : false,
  };
  if (project.bin) manifest.bin = project.bin;
  // Module replacements bundlers apply for a browser (e.g. a dependency's browser build), kept as declared.
  if (srcPkg.browser && typeof srcPkg.browser === 'object') manifest.browser = srcPkg.browser;
  for (const key of ['dependencies', 'peerDependencies', 'peerDependenciesMeta']) {
    if (Object.keys(deps[key]).length) manifest[key] = deps[key];
  }
  return manifest;
}

module.exports = { PROJECTS, userManifest, exportsOf, dependenciesOf };
