import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { initBackend, Rng, tf } from '@aml/core';
import { gemmUsesSimd, simdMatMul } from './gemm';
import { GEMM_WASM_BASE64 } from './gemm-wasm';
import type { WasmBackendLike } from './heap';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const info = (t: tf.Tensor): tf.TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });

describe('SIMD matrix product of the dense stack (wasm)', () => {
  it('links on the wasm backend', () => expect(gemmUsesSimd(tf.backend())).toBe(true));

  it('embeds exactly what assembly/gemm.ts compiles to', () => {
    const script = path.join(__dirname, '..', '..', 'scripts', 'embed-gemm-wasm.js');
    const r = spawnSync(process.execPath, [script, '--print'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(GEMM_WASM_BASE64);
  });

  // shapes with every tile: 4-row blocks and leftover rows, 8- and 4-column blocks and a scalar tail
  it.each([
    [9, 7, 13],
    [64, 64, 32],
    [5, 3, 10],
    [1, 4, 1],
    [12, 1, 8],
  ])(
    '(%i x %i) x (%i columns) with bias and relu, and both transposed forms, equal tf.matMul to float32 rounding',
    (m, k, n) => {
      const rng = new Rng(m * 100 + n);
      const be = tf.backend() as unknown as WasmBackendLike;
      const a = tf.tensor2d(rng.normalArray(m * k), [m, k]);
      const b = tf.tensor2d(rng.normalArray(k * n), [k, n]);
      const bias = tf.tensor1d(rng.normalArray(n));
      const aT = a.transpose(); // (k, m)
      const bT = b.transpose(); // (n, k)
      const check = (got: tf.TensorInfo | null, want: tf.Tensor) => {
        expect(got!.shape).toEqual(want.shape);
        const g = be.typedArrayFromHeap(got!);
        const w = want.dataSync();
        // float32 sums of k products of N(0, 1) values: rounding ~ 1e-7 sqrt(k) |terms|
        for (let i = 0; i < w.length; i++) expect(Math.abs(g[i] - w[i])).toBeLessThan(1e-5 * (1 + Math.abs(w[i])));
        (be as unknown as { disposeData(id: unknown): void }).disposeData(got!.dataId);
        want.dispose();
      };
      check(simdMatMul(be, info(a), info(b)), tf.matMul(a, b));
      check(
        simdMatMul(be, info(a), info(b), { bias: info(bias), activation: 'relu' }),
        tf.relu(tf.matMul(a, b).add(bias)),
      );
      check(simdMatMul(be, info(aT), info(b), { transposeA: true }), tf.matMul(a, b));
      check(simdMatMul(be, info(a), info(bT), { transposeB: true }), tf.matMul(a, b));
      tf.dispose([a, b, bias, aT, bT]);
    },
  );
});
