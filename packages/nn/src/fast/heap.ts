/**
 * What the fused kernels of this folder use of tfjs-backend-wasm's backend object, and small
 * helpers over it. Kernels call the backend's own kernels (XNNPACK matrix products) directly,
 * without the engine, and do the cheap elementwise work in JavaScript on views of the WASM heap.
 *
 * A view is only valid until the next allocation: growing the WASM memory detaches the old
 * buffer. Every helper therefore takes fresh views right before it reads or writes.
 */
import { tf } from '@aml/core';

/** The parts of tfjs-backend-wasm's BackendWasm the kernels use. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: unknown): boolean;
}

/** A kernel function as tfjs calls it. */
export type KernelArgs = { inputs: unknown; backend: unknown; attrs?: unknown };

/** Float32 view of a tensor on the heap (valid until the next allocation). */
export function f32(be: WasmBackendLike, t: tf.TensorInfo): Float32Array {
  return be.typedArrayFromHeap(t) as Float32Array;
}

/** The same data seen with another shape (no copy; for passing to kernels only). */
export function withShape(t: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/**
 * Matrix product through the backend's registered kernel: a (m, k) -> (m, k) or, transposed, (k, m);
 * returns (m, n) (rank 2). With a bias (n) and activation, the wasm `_FusedMatMul` kernel is used.
 */
export function matMul(
  be: WasmBackendLike,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  opts: { transposeA?: boolean; transposeB?: boolean; bias?: tf.TensorInfo; activation?: 'linear' | 'relu' } = {},
): tf.TensorInfo {
  const a3 = withShape(a, [1, ...a.shape]);
  const b3 = withShape(b, [1, ...b.shape]);
  const transposeA = opts.transposeA ?? false;
  const transposeB = opts.transposeB ?? false;
  let out: tf.TensorInfo;
  if (opts.bias) {
    const k = tf.getKernel('_FusedMatMul', 'wasm')!.kernelFunc as unknown as (x: KernelArgs) => tf.TensorInfo;
    out = k({
      inputs: { a: a3, b: b3, bias: opts.bias },
      backend: be,
      attrs: { transposeA, transposeB, activation: opts.activation ?? 'linear', leakyreluAlpha: 0 },
    });
  } else {
    // the registered BatchMatMul (core's fix transposes explicitly, which is much faster on wasm)
    const k = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc as unknown as (x: KernelArgs) => tf.TensorInfo;
    out = k({ inputs: { a: a3, b: b3 }, backend: be, attrs: { transposeA, transposeB } });
  }
  return withShape(out, out.shape.slice(1));
}
