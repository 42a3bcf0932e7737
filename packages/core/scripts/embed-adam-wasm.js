#!/usr/bin/env node
/**
 * Compiles assembly/adam.ts (AssemblyScript: Adam's update in f32x4) and writes its 275-odd bytes,
 * base64, into src/optim/adam-wasm.ts, so the package needs no build step at install time.
 * Run after editing assembly/adam.ts: `node packages/core/scripts/embed-adam-wasm.js`;
 * src/optim/adam-wasm.test.ts checks the embedded bytes equal a fresh compile.
 * `--print` writes the base64 to stdout instead. The compile settings are the repository's one
 * mechanism for embedded modules (tools/wasm/embed-assemblyscript.js).
 */
const path = require('node:path');
const { embedAssemblyScript } = require('../../../tools/wasm/embed-assemblyscript');

embedAssemblyScript({
  tag: 'embed-adam-wasm',
  pkg: path.resolve(__dirname, '..'),
  compiler: require.resolve('assemblyscript/package.json'), // this package's own dev dependency
  source: 'assembly/adam.ts',
  target: 'src/optim/adam-wasm.ts',
  constName: 'ADAM_WASM_BASE64',
  doc: [
    "Adam's update in WASM SIMD (f32x4), compiled from packages/core/assembly/adam.ts by",
    'scripts/embed-adam-wasm.js (generated: do not edit; rerun the script). Exports',
    'adam(w, g, m, v, wOut, mOut, vOut, n, b1, c1, b2, c2, k1, k2, eps) over byte offsets into an',
    "imported memory (env.memory): the wasm backend's own heap, so tensors are updated where they live.",
  ],
});
