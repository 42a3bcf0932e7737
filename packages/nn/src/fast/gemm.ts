/**
 * The fused dense stack's matrix products in WASM SIMD (assembly/gemm.ts, embedded in gemm-wasm.ts), run on the
 * wasm backend's own heap.
 *
 * Why: the backend's XNNPACK product packs its right-hand matrix on every call with a new one, and training gives it
 * new weights (and new gradients) at every step: a (64, 64) x (64, 32) product then costs about 58 us of CPU
 * where the packed one costs 26 us and this module about 10 us. Results differ from XNNPACK's by float32 summation
 * order only.
 */
import { heapOffset, isWasmHeapBackend, linkWasmModule, type tf, type WasmHeapBackend } from '@aml/core';
import { GEMM_WASM_BASE64 } from './gemm-wasm';
import { f32, type WasmBackendLike } from './heap';

type Gemm = (
  a: number,
  aRow: number,
  aCol: number,
  b: number,
  out: number,
  m: number,
  k: number,
  n: number,
  bias: number,
) => void;

const GEMM_MODULE = { name: 'gemm', base64: GEMM_WASM_BASE64, exports: ['gemm'] } as const;

/**
 * The SIMD product instantiated on the backend's memory, or null when that memory is not reachable (another tfjs
 * build) or the module does not link (a shared, threaded heap): the backend's own product then does the work.
 */
function simdGemm(be: WasmHeapBackend): Gemm | null {
  return linkWasmModule<{ gemm: Gemm }>(GEMM_MODULE, be)?.gemm ?? null;
}

/** Whether the dense stack's products run in the SIMD module on this backend (false on any but wasm). */
export function gemmUsesSimd(backend: unknown): boolean {
  return isWasmHeapBackend(backend) && simdGemm(backend) !== null;
}

/** (r, c) -> (c, r), a new buffer on the heap. */
function transpose(be: WasmBackendLike, t: tf.TensorInfo): tf.TensorInfo {
  const [r, c] = t.shape;
  const out = be.makeOutput([c, r], 'float32');
  const src = f32(be, t);
  const dst = f32(be, out);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) dst[j * r + i] = src[i * c + j];
  return out;
}

/**
 * op(a) op(b) (+ bias, then relu when asked) with op a transpose where flagged, a (m, k) and b (k, n) after it;
 * returns (m, n), or null when the SIMD module is not available on this backend.
 */
export function simdMatMul(
  backend: WasmBackendLike,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  opts: { transposeA?: boolean; transposeB?: boolean; bias?: tf.TensorInfo; activation?: 'linear' | 'relu' } = {},
): tf.TensorInfo | null {
  const be = backend as WasmHeapBackend;
  const gemm = simdGemm(be);
  if (!gemm) return null;
  // a transposed is read in place through its strides; b transposed is copied (its rows are loaded as vectors)
  const [m, k] = opts.transposeA ? [a.shape[1], a.shape[0]] : a.shape;
  const B = opts.transposeB ? transpose(be, b) : b;
  const n = B.shape[1];
  if (B.shape[0] !== k) throw new Error(`simdMatMul: inner sizes differ, ${k} and ${B.shape[0]}`);
  const out = be.makeOutput([m, n], 'float32');
  const ptr = (t: tf.TensorInfo) => heapOffset(be, t);
  const [aRow, aCol] = opts.transposeA ? [4, 4 * m] : [4 * k, 4];
  gemm(ptr(a), aRow, aCol, ptr(B), ptr(out), m, k, n, opts.bias ? ptr(opts.bias) : 0);
  if (opts.activation === 'relu') {
    const o = f32(be, out);
    for (let i = 0; i < o.length; i++) if (!(o[i] > 0)) o[i] = 0;
  }
  if (B !== b) be.disposeData(B.dataId);
  return out;
}
