#!/usr/bin/env node
/**
 * Compiles the fused derivative kernel (packages/pinn/assembly, AssemblyScript) to WASM,
 * twice: plain SIMD, and relaxed SIMD (f32x4.relaxed_madd, i.e. FMA where the CPU has it).
 * Runs from this package's `prepare` script (so `npm ci` builds it) and from the root `npm run build`;
 * no .wasm is committed. Output: packages/pinn/build/fused-simd.wasm, fused-relaxed.wasm, which the
 * packed @aml/pinn ships in its build/ folder (tools/pack/pack.js). Plain CommonJS so it
 * needs nothing but Node and the installed assemblyscript package.
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.resolve(__dirname, '..');
const out = path.join(pkg, 'build');
const entry = path.join(pkg, 'assembly', 'index.ts');

let asc;
try {
  asc = path.join(path.dirname(require.resolve('assemblyscript/package.json', { paths: [pkg] })), 'bin', 'asc.js');
} catch {
  console.error(
    'build-kernels: assemblyscript is not installed (it is a root devDependency); the fused kernel is not built and the tfjs-ops path will be used',
  );
  process.exit(0);
}
fs.mkdirSync(out, { recursive: true });

// Shared, imported memory so a second thread (worker_threads) can run on the same heap.
const common = [
  entry,
  '-O3',
  '--runtime',
  'stub',
  '--use',
  'abort=',
  '--noExportMemory',
  '--importMemory',
  '--sharedMemory',
  '--initialMemory',
  '1',
  '--maximumMemory',
  '32768',
];
const builds = [
  { name: 'fused-simd.wasm', features: 'simd,threads' },
  { name: 'fused-relaxed.wasm', features: 'simd,relaxed-simd,threads' },
];
let failed = false;
for (const b of builds) {
  const file = path.join(out, b.name);
  const r = spawnSync(process.execPath, [asc, ...common, '--enable', b.features, '-o', file], { encoding: 'utf8' });
  if (r.status !== 0) {
    failed = true;
    console.error(`build-kernels: ${b.name} failed:\n${r.stderr || r.stdout}`);
  } else {
    console.log(`build-kernels: ${path.relative(process.cwd(), file)} (${fs.statSync(file).size} bytes)`);
  }
}
process.exit(failed ? 1 : 0);
