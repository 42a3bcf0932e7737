/**
 * Adam's whole update as ONE kernel call (wasm): every variable, its gradient and the two flat
 * moment slots in, the new variables and slots out, one loop in JavaScript over the WASM heap.
 *
 * The loop runs four lanes at a time in WASM SIMD (`adam-wasm.ts`, from assembly/adam.ts) on the
 * backend's own memory, or in JavaScript where that module cannot link.
 *
 * Why: the flat rule of `slot-optimizer.ts` is still about forty engine calls per update (reshapes,
 * two concatenations, a dozen elementwise ops, a split), and on wasm each call costs tens of
 * microseconds whatever its size; for a network of ~10^5 weights the loop itself takes a fraction
 * of that. lr / (1 - beta1^t) is folded into one factor (one division per element), so results
 * differ from the op-by-op path by float32 rounding (a few ulp of the step; the JavaScript loop
 * computes in float64 and rounds once).
 */
import {
  heapOffset,
  linkWasmModule,
  registerWasmKernel,
  type WasmHeapBackend,
  type WasmKernelArgs,
} from '../backend/wasm-module';
import { tf } from '../tf';
import { ADAM_WASM_BASE64 } from './adam-wasm';

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
  /** AdamW's decoupled decay: the weights are multiplied by this (rounded to float32) before the step; 1 = Adam. */
  readonly decay?: number;
}

type SimdAdam = (
  w: number,
  g: number,
  m: number,
  v: number,
  wo: number,
  mo: number,
  vo: number,
  n: number,
  b1: number,
  c1: number,
  b2: number,
  c2: number,
  k1: number,
  k2: number,
  eps: number,
) => void;

const ADAM_MODULE = { name: 'adam', base64: ADAM_WASM_BASE64, exports: ['adam'] } as const;

/**
 * The SIMD update instantiated on the backend's own memory, or null when that memory is not
 * reachable (another tfjs build) or the module does not link (a shared, threaded heap): the
 * JavaScript loop then does the work.
 */
function simdAdam(be: WasmHeapBackend): SimdAdam | null {
  return linkWasmModule<{ adam: SimdAdam }>(ADAM_MODULE, be)?.adam ?? null;
}

/** Inputs [w_1..w_k, g_1..g_k, m (n), v (n)] -> outputs [w'_1..w'_k, m' (n), v' (n)]. */
function adamKernel({ inputs: ins, backend: be, attrs: a }: WasmKernelArgs<AdamAttrs>): tf.TensorInfo[] {
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
  const b1 = a.beta1,
    c1 = 1 - a.beta1,
    b2 = a.beta2,
    c2 = 1 - a.beta2;
  // w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
  const k1 = a.lr / (1 - a.beta1 ** a.t);
  const k2 = 1 / (1 - a.beta2 ** a.t);
  const eps = a.epsilon;
  const fast = simdAdam(be);
  const ptr = (t: tf.TensorInfo) => heapOffset(be, t);
  // AdamW: w * decay in float32 (as tf.mul by a float32 scalar rounds) into the output, which the update then
  // reads in place (each element is read before it is written)
  const decay = Math.fround(a.decay ?? 1);
  const wIn = (j: number) => (decay === 1 ? ins[j] : outW[j]);
  if (decay !== 1) {
    for (let j = 0; j < k; j++) {
      const w = view(ins[j]),
        d = view(outW[j]);
      for (let i = 0; i < w.length; i++) d[i] = w[i] * decay;
    }
  }
  let off = 0;
  for (let j = 0; j < k; j++) {
    if (fast) {
      // four lanes at a time in WASM; the last size % 4 elements below
      const n4 = ins[j].shape.reduce((p, q) => p * q, 1) & ~3;
      fast(
        ptr(wIn(j)),
        ptr(ins[k + j]),
        ptr(ins[2 * k]) + 4 * off,
        ptr(ins[2 * k + 1]) + 4 * off,
        ptr(outW[j]),
        ptr(outM) + 4 * off,
        ptr(outV) + 4 * off,
        n4,
        b1,
        c1,
        b2,
        c2,
        k1,
        k2,
        eps,
      );
      tailLoop(view(wIn(j)), view(ins[k + j]), m, v, view(outW[j]), m1, v1, n4, off, { b1, c1, b2, c2, k1, k2, eps });
      off += view(ins[j]).length;
      continue;
    }
    const w = view(wIn(j));
    tailLoop(w, view(ins[k + j]), m, v, view(outW[j]), m1, v1, 0, off, { b1, c1, b2, c2, k1, k2, eps });
    off += w.length;
  }
  return [...outW, outM, outV];
}

/** The update of elements from..w.length of one variable, whose slots start at `off` in m, v. */
function tailLoop(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  w1: Float32Array,
  m1: Float32Array,
  v1: Float32Array,
  from: number,
  off: number,
  c: { b1: number; c1: number; b2: number; c2: number; k1: number; k2: number; eps: number },
): void {
  const { b1, c1, b2, c2, k1, k2, eps } = c;
  for (let i = from; i < w.length; i++) {
    const gi = g[i];
    const mi = m[off + i] * b1 + gi * c1;
    const vi = v[off + i] * b2 + gi * gi * c2;
    m1[off + i] = mi;
    v1[off + i] = vi;
    w1[i] = w[i] - (k1 * mi) / (Math.sqrt(vi * k2) + eps);
  }
}

/** Whether the active backend's updates run in the SIMD module (false: the JavaScript loop or no kernel). */
export function fusedAdamUsesSimd(): boolean {
  return fusedAdamSupported() && simdAdam(tf.backend() as unknown as WasmHeapBackend) !== null;
}

let registered = false;

/** True when the active backend runs the fused Adam update (registers it on first call). */
export function fusedAdamSupported(): boolean {
  if (!registered) {
    registered = true;
    registerWasmKernel(ADAM_KERNEL, adamKernel);
  }
  return tf.getKernel(ADAM_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * One Adam update of `vars` (all with gradients) and the flat slots m, v (n,), in one kernel call;
 * the variables and slots are assigned the results. The caller checked `fusedAdamSupported()`.
 * `decay` (AdamW: 1 - lr * weightDecay) multiplies the weights before the step; absent, plain Adam.
 */
export function fusedAdamUpdate(
  vars: readonly tf.Variable[],
  grads: readonly tf.Tensor[],
  m: tf.Variable,
  v: tf.Variable,
  c: { lr: number; beta1: number; beta2: number; epsilon: number; t: number; decay?: number },
): void {
  const attrs: AdamAttrs = { ...c, count: vars.length };
  const outs = tf
    .engine()
    .runKernel(
      ADAM_KERNEL,
      [...vars, ...grads, m, v] as unknown as tf.NamedTensorMap,
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
  vars.forEach((x, i) => x.assign(outs[i]));
  m.assign(outs[vars.length]);
  v.assign(outs[vars.length + 1]);
  tf.dispose(outs);
}
