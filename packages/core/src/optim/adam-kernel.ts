/**
 * Adam's whole update as ONE kernel call (wasm): every variable, its gradient and the two flat
 * moment slots in, the new variables and slots out, one loop in JavaScript over the WASM heap.
 *
 * Why: the flat rule of `slot-optimizer.ts` is still about forty engine calls per update (reshapes,
 * two concatenations, a dozen elementwise ops, a split), and on wasm each call costs tens of
 * microseconds whatever its size; for a network of ~10^5 weights the loop itself takes a fraction
 * of that. The loop computes each element in float64 and rounds once when it stores (one division
 * per element: lr / (1 - beta1^t) is folded into one factor), so it differs from the op-by-op path,
 * which rounds every operation to float32, by float32 rounding (a few ulp of the step).
 */
import { tf } from '../tf';

export const ADAM_KERNEL = 'AmlAdamUpdate';

/** Attributes of the kernel (plain numbers). */
interface AdamAttrs {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** 1-based index of this update. */
  readonly t: number;
  /** Number of variables. */
  readonly count: number;
}

/** The parts of tfjs-backend-wasm's backend the kernel uses. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Inputs [w_1..w_k, g_1..g_k, m (n), v (n)] -> outputs [w'_1..w'_k, m' (n), v' (n)]. */
function adamKernel({ inputs, backend, attrs }: { inputs: unknown; backend: unknown; attrs?: unknown }): tf.TensorInfo[] {
  const be = backend as WasmBackendLike;
  const a = attrs as unknown as AdamAttrs;
  const ins = inputs as tf.TensorInfo[];
  const k = a.count;
  const n = ins[2 * k].shape[0];
  // allocate every output first: an allocation may grow (and move) the heap, detaching earlier views
  const outW = ins.slice(0, k).map((w) => be.makeOutput([...w.shape], 'float32'));
  const outM = be.makeOutput([n], 'float32');
  const outV = be.makeOutput([n], 'float32');
  const view = (t: tf.TensorInfo) => be.typedArrayFromHeap(t) as Float32Array;
  const m = view(ins[2 * k]);
  const v = view(ins[2 * k + 1]);
  const m1 = view(outM);
  const v1 = view(outV);
  const b1 = a.beta1, c1 = 1 - a.beta1, b2 = a.beta2, c2 = 1 - a.beta2;
  // w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
  const k1 = a.lr / (1 - a.beta1 ** a.t);
  const k2 = 1 / (1 - a.beta2 ** a.t);
  const eps = a.epsilon;
  let off = 0;
  for (let j = 0; j < k; j++) {
    const w = view(ins[j]);
    const g = view(ins[k + j]);
    const w1 = view(outW[j]);
    for (let i = 0; i < w.length; i++, off++) {
      const gi = g[i];
      const mi = m[off] * b1 + gi * c1;
      const vi = v[off] * b2 + gi * gi * c2;
      m1[off] = mi;
      v1[off] = vi;
      w1[i] = w[i] - (k1 * mi) / (Math.sqrt(vi * k2) + eps);
    }
  }
  return [...outW, outM, outV];
}

let registered = false;

/** True when the active backend runs the fused Adam update (registers it on first call). */
export function fusedAdamSupported(): boolean {
  if (!registered) {
    registered = true;
    tf.registerKernel({ kernelName: ADAM_KERNEL, backendName: 'wasm', kernelFunc: adamKernel as unknown as tf.KernelFunc });
  }
  return tf.getKernel(ADAM_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * One Adam update of `vars` (all with gradients) and the flat slots m, v (n,), in one kernel call;
 * the variables and slots are assigned the results. The caller checked `fusedAdamSupported()`.
 */
export function fusedAdamUpdate(
  vars: readonly tf.Variable[], grads: readonly tf.Tensor[], m: tf.Variable, v: tf.Variable,
  c: { lr: number; beta1: number; beta2: number; epsilon: number; t: number },
): void {
  const attrs: AdamAttrs = { ...c, count: vars.length };
  const outs = tf.engine().runKernel(ADAM_KERNEL, [...vars, ...grads, m, v] as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  vars.forEach((x, i) => x.assign(outs[i]));
  m.assign(outs[vars.length]);
  v.assign(outs[vars.length + 1]);
  tf.dispose(outs);
}
