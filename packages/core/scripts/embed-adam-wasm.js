#!/usr/bin/env node
/**
 * Compiles assembly/adam.ts (AssemblyScript: Adam's update in f32x4) and writes its 275-odd bytes,
 * base64, into src/optim/adam-wasm.ts, so the package needs no build step at install time.
 * Run after editing assembly/adam.ts: `node packages/core/scripts/embed-adam-wasm.js`;
 * src/optim/adam-wasm.test.ts checks the embedded bytes equal a fresh compile.
 * `--print` writes the base64 to stdout instead.
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const pkg = path.resolve(__dirname, '..');

/** The module's bytes, freshly compiled. */
function compile() {
  const asc = path.join(
    path.dirname(require.resolve('assemblyscript/package.json', { paths: [pkg] })),
    'bin',
    'asc.js',
  );
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'adam-wasm-')), 'adam.wasm');
  const args = [
    asc,
    path.join(pkg, 'assembly', 'adam.ts'),
    '-O3',
    '--runtime',
    'stub',
    '--use',
    'abort=',
    '--noExportMemory',
    '--importMemory',
    '--initialMemory',
    '1',
    '--enable',
    'simd',
    '-o',
    out,
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`embed-adam-wasm: asc failed:\n${r.stderr || r.stdout}`);
  const bytes = fs.readFileSync(out);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return bytes;
}

const b64 = compile().toString('base64');
if (process.argv.includes('--print')) {
  process.stdout.write(b64);
} else {
  const file = path.join(pkg, 'src', 'optim', 'adam-wasm.ts');
  fs.writeFileSync(
    file,
    `/**
 * Adam's update in WASM SIMD (f32x4), compiled from packages/core/assembly/adam.ts by
 * scripts/embed-adam-wasm.js (generated: do not edit; rerun the script). Exports
 * adam(w, g, m, v, wOut, mOut, vOut, n, b1, c1, b2, c2, k1, k2, eps) over byte offsets into an
 * imported memory (env.memory): the wasm backend's own heap, so tensors are updated where they live.
 */
export const ADAM_WASM_BASE64 =
  '${b64}';
`,
  );
  console.log(`embed-adam-wasm: ${path.relative(process.cwd(), file)} (${b64.length} base64 chars)`);
}
