/**
 * Softmax cross-entropy from logits as ONE tfjs operation with a one-operation gradient
 * (wasm): loss = -(1/N) sum_i sum_k t_ik log softmax(z_i)_k, dL/dz = (softmax(z) - t) / N.
 *
 * The op-by-op form (one-hot, max shift, exp, sum, log, products, mean) is about thirty engine
 * calls forward and backward, each costing tens of microseconds on wasm whatever its size; for a
 * (64, 10) batch the arithmetic is a few microseconds. Rows are max-shifted and summed in float64.
 */
import { expSafe, tf } from '@aml/core';
import type { KernelArgs, WasmBackendLike } from './heap';

export const XENT_KERNEL = 'AmlSoftmaxXent';
export const XENT_GRAD_KERNEL = 'AmlSoftmaxXentGrad';

/** Attributes: whether the target holds integer labels (N) or a distribution (N, K). */
interface XentAttrs {
  readonly labels: boolean;
}

type View = Float32Array | Int32Array;

/** Log-softmax of row i of z (N, K) into out (K), float64. */
function logSoftmaxRow(z: Float32Array, i: number, K: number, out: Float64Array): void {
  let mx = -Infinity;
  for (let k = 0; k < K; k++) mx = Math.max(mx, z[i * K + k]);
  let s = 0;
  for (let k = 0; k < K; k++) s += Math.exp(z[i * K + k] - mx);
  const lse = mx + Math.log(s);
  for (let k = 0; k < K; k++) out[k] = z[i * K + k] - lse;
}

/** Target weight of class k in row i. */
const targetAt = (t: View, labels: boolean, i: number, k: number, K: number) =>
  labels ? (t[i] === k ? 1 : 0) : t[i * K + k];

/** Inputs [logits (N, K), target (N) int32 or (N, K) float32] -> scalar loss. */
function forwardKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const be = backend as WasmBackendLike;
  const { labels } = attrs as unknown as XentAttrs;
  const [zi, ti] = inputs as tf.TensorInfo[];
  const [N, K] = zi.shape;
  const out = be.makeOutput([], 'float32');
  const z = be.typedArrayFromHeap(zi) as Float32Array;
  const t = be.typedArrayFromHeap(ti) as View;
  const ls = new Float64Array(K);
  let total = 0;
  for (let i = 0; i < N; i++) {
    logSoftmaxRow(z, i, K, ls);
    for (let k = 0; k < K; k++) total -= targetAt(t, labels, i, k, K) * ls[k];
  }
  (be.typedArrayFromHeap(out) as Float32Array)[0] = total / N;
  return out;
}

/** Inputs [logits, target, dy (scalar)] -> dL/dlogits (N, K) = dy (softmax(z) - t) / N (rows of t summing to 1). */
function gradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const be = backend as WasmBackendLike;
  const { labels } = attrs as unknown as XentAttrs;
  const [zi, ti, dyi] = inputs as tf.TensorInfo[];
  const [N, K] = zi.shape;
  const out = be.makeOutput([N, K], 'float32');
  const z = be.typedArrayFromHeap(zi) as Float32Array;
  const t = be.typedArrayFromHeap(ti) as View;
  const scale = (be.typedArrayFromHeap(dyi) as Float32Array)[0] / N;
  const g = be.typedArrayFromHeap(out) as Float32Array;
  const ls = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    logSoftmaxRow(z, i, K, ls);
    let ts = 0;
    for (let k = 0; k < K; k++) ts += targetAt(t, labels, i, k, K);
    // d/dz_k of -sum_j t_j log p_j = p_k sum_j t_j - t_k
    for (let k = 0; k < K; k++) g[i * K + k] = scale * (Math.exp(ls[k]) * ts - targetAt(t, labels, i, k, K));
  }
  return out;
}

/**
 * The gradient with tfjs ops (differentiable, for nested gradients); softmax through core's
 * tape-safe exp (tf.exp's gradient reuses its output, which an outer tape loses).
 */
function plainGrad(z: tf.Tensor, t: tf.Tensor, dy: tf.Tensor, labels: boolean): tf.Tensor {
  const K = z.shape[1]!;
  const T = labels ? tf.oneHot(t as tf.Tensor1D, K).toFloat() : t; // (N, K)
  const e = expSafe(tf.sub(z, tf.max(z, -1, true))); // (N, K); the shift cancels in p
  const p = tf.div(e, tf.sum(e, -1, true));
  return tf.mul(tf.div(dy, z.shape[0]!), tf.sub(tf.mul(p, tf.sum(T, -1, true)), T));
}

let registered = false;

/** Register the kernels (wasm) and the gradient, once. */
function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: XENT_KERNEL,
    backendName: 'wasm',
    kernelFunc: forwardKernel as unknown as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: XENT_GRAD_KERNEL,
    backendName: 'wasm',
    kernelFunc: gradKernel as unknown as tf.KernelFunc,
  });
  tf.registerGradient({
    kernelName: XENT_KERNEL,
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const [z, t] = saved;
      const { labels } = attrs as unknown as XentAttrs;
      const d = dy as tf.Tensor;
      const res: Record<string, () => tf.Tensor> = {
        // under an outer tape (nested gradients) the gradient must itself be differentiable
        '0': () =>
          tf.engine().isTapeOn()
            ? plainGrad(z, t, d, labels)
            : (tf
                .engine()
                .runKernel(
                  XENT_GRAD_KERNEL,
                  [z, t, d] as unknown as tf.NamedTensorMap,
                  attrs as unknown as tf.NamedAttrMap,
                ) as tf.Tensor),
      };
      // a distribution target (soft labels) is differentiable too: dL/dt = -dy log softmax(z) / N
      if (!labels) res['1'] = () => tf.mul(tf.div(d, -z.shape[0]!), tf.logSoftmax(z));
      return res;
    },
  });
}

/** True when the active backend runs the fused softmax cross-entropy. */
export function softmaxXentSupported(): boolean {
  register();
  return tf.getKernel(XENT_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * Mean softmax cross-entropy of logits (N, K) against integer labels (N) int32 or a distribution
 * (N, K) float32, as one operation (the caller has checked `softmaxXentSupported()` and the shapes).
 *
 * @example const loss = softmaxXent(logits, labels); // scalar
 */
export function softmaxXent(logits: tf.Tensor2D, target: tf.Tensor): tf.Scalar {
  register();
  const attrs: XentAttrs = { labels: target.dtype === 'int32' };
  return tf
    .engine()
    .runKernel(
      XENT_KERNEL,
      [logits, target] as unknown as tf.NamedTensorMap,
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Scalar;
}
