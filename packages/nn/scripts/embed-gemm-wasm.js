#!/usr/bin/env node
/**
 * Compiles assembly/gemm.ts (AssemblyScript: the fused dense stack's row-major matrix product in f32x4) and writes
 * its bytes, base64, into src/fast/gemm-wasm.ts, so the package needs no build step at install time.
 * Run after editing assembly/gemm.ts: `node packages/nn/scripts/embed-gemm-wasm.js`;
 * src/fast/gemm.test.ts checks the embedded bytes equal a fresh compile. `--print` writes the base64 to stdout.
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
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gemm-wasm-')), 'gemm.wasm');
  const args = [
    asc,
    path.join(pkg, 'assembly', 'gemm.ts'),
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
  if (r.status !== 0) throw new Error(`embed-gemm-wasm: asc failed:\n${r.stderr || r.stdout}`);
  const bytes = fs.readFileSync(out);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return bytes;
}

const b64 = compile().toString('base64');
if (process.argv.includes('--print')) {
  process.stdout.write(b64);
} else {
  const file = path.join(pkg, 'src', 'fast', 'gemm-wasm.ts');
  fs.writeFileSync(
    file,
    `/**
 * The fused dense stack's matrix product in WASM SIMD (f32x4), compiled from packages/nn/assembly/gemm.ts by
 * scripts/embed-gemm-wasm.js (generated: do not edit; rerun the script). Exports
 * gemm(a, aRow, aCol, b, out, m, k, n, bias): out (m, n) = A (m, k) b (k, n) (+ bias (n)), A[i][j] at
 * a + i aRow + j aCol, over byte offsets into an imported
 * memory (env.memory): the wasm backend's own heap, so tensors are read and written where they live.
 */
export const GEMM_WASM_BASE64 =
  '${b64}';
`,
  );
  console.log(`embed-gemm-wasm: ${path.relative(process.cwd(), file)} (${b64.length} base64 chars)`);
}
