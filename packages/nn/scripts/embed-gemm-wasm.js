#!/usr/bin/env node
/**
 * Compiles assembly/gemm.ts (AssemblyScript: the fused dense stack's row-major matrix product in f32x4) and writes
 * its bytes, base64, into src/fast/gemm-wasm.ts, so the package needs no build step at install time.
 * Run after editing assembly/gemm.ts: `node packages/nn/scripts/embed-gemm-wasm.js`;
 * src/fast/gemm.test.ts checks the embedded bytes equal a fresh compile. `--print` writes the base64 to stdout.
 * The compile settings are the repository's one mechanism for embedded modules (tools/wasm/embed-assemblyscript.js).
 */
const path = require('node:path');
const { embedAssemblyScript } = require('../../../tools/wasm/embed-assemblyscript');

embedAssemblyScript({
  tag: 'embed-gemm-wasm',
  pkg: path.resolve(__dirname, '..'),
  compiler: require.resolve('assemblyscript/package.json'), // this package's own dev dependency
  source: 'assembly/gemm.ts',
  target: 'src/fast/gemm-wasm.ts',
  constName: 'GEMM_WASM_BASE64',
  doc: [
    "The fused dense stack's matrix product in WASM SIMD (f32x4), compiled from packages/nn/assembly/gemm.ts by",
    'scripts/embed-gemm-wasm.js (generated: do not edit; rerun the script). Exports',
    'gemm(a, aRow, aCol, b, out, m, k, n, bias): out (m, n) = A (m, k) b (k, n) (+ bias (n)), A[i][j] at',
    'a + i aRow + j aCol, over byte offsets into an imported',
    "memory (env.memory): the wasm backend's own heap, so tensors are read and written where they live.",
  ],
});
