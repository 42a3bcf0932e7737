/**
 * A fused dense stack: y = f_L(... f_1(x W_1 + b_1) ... W_L + b_L) as ONE tfjs operation with a
 * registered gradient that is itself one operation.
 *
 * Why: on the wasm backend a small network's step is dominated by per-operation overhead (each
 * engine call costs tens of microseconds whatever its size: kernel lookup, tape record, tensor
 * bookkeeping), not by arithmetic. The plain path runs about five operations per layer forward and
 * about eight backward (reshapes, bias add, activation, transposes, reductions); here the forward
 * pass is one call that runs the backend's own matrix-product kernels (XNNPACK) directly, and the
 * backward pass is one call computing every weight and bias gradient (the input gradient, needed
 * only when something upstream trains, is one more product done on request).
 *
 * Kernels are registered for 'wasm' only; `denseStackSupported()` says whether the active backend
 * has them, and callers take plain tfjs ops otherwise (same results to float rounding).
 */
import { getActivation, tf } from '@aml/core';
import { f32, matMul as backendMatMul, type KernelArgs, type WasmBackendLike } from './heap';
import { simdMatMul } from './gemm';

/** A product in the SIMD module where it links (gemm.ts), else the backend's own (same values to float32 rounding). */
const matMul: typeof backendMatMul = (be, a, b, opts = {}) =>
  simdMatMul(be, a, b, opts) ?? backendMatMul(be, a, b, opts);

export const DENSE_STACK_KERNEL = 'AmlDenseStack';
export const DENSE_STACK_GRAD_KERNEL = 'AmlDenseStackGrad';

/** Activations the fused stack runs (core's definitions; others take the plain path). */
export const FUSED_DENSE_ACTIVATIONS = ['identity', 'relu', 'leakyRelu', 'sigmoid', 'tanh'] as const;
/** One of `FUSED_DENSE_ACTIVATIONS`. */
export type FusedDenseActivation = (typeof FUSED_DENSE_ACTIVATIONS)[number];

/** Slope of leakyRelu below zero: core's LEAKY_RELU_SLOPE. */
const LEAKY = 0.01;

/** Attributes of both kernels (plain data, as tfjs attrs must be). */
interface StackAttrs {
  /** Activation of each layer, in order. */
  readonly activations: FusedDenseActivation[];
}

/** Where tanh32 saturates: float32 7.99881172180175781 (tanh there rounds to 1 - 2^-24 in float32). */
const TANH_CLAMP = 7.998811721801758;

/**
 * tanh to float32 accuracy: the 13/6 rational approximation Eigen uses for float (within 3 ulp of Math.tanh
 * rounded to float32, 2.4e-7 relative, over 2e6 draws of |x| in 1e-5..100) in float64, about 4x faster than
 * Math.tanh in V8. NaN stays NaN.
 */
function tanh32(v: number): number {
  const x = v > TANH_CLAMP ? TANH_CLAMP : v < -TANH_CLAMP ? -TANH_CLAMP : v;
  if (x < 0.0004 && x > -0.0004) return x; // tanh x = x (1 - x^2/3 ...): float32 cannot tell them apart
  const x2 = x * x;
  let p = -2.76076847742355e-16;
  p = p * x2 + 2.00018790482477e-13;
  p = p * x2 - 8.60467152213735e-11;
  p = p * x2 + 5.12229709037114e-8;
  p = p * x2 + 1.48572235717979e-5;
  p = p * x2 + 6.37261928875436e-4;
  p = p * x2 + 4.89352455891786e-3;
  let q = 1.19825839466702e-6;
  q = q * x2 + 1.18534705686654e-4;
  q = q * x2 + 2.268434632439e-3;
  q = q * x2 + 4.89352518554385e-3;
  return (p * x) / q;
}

/** Apply an activation in place to the pre-activation z (relu is fused into the product). */
function activateInPlace(z: Float32Array, act: FusedDenseActivation): void {
  const n = z.length;
  if (act === 'sigmoid') for (let i = 0; i < n; i++) z[i] = 1 / (1 + Math.exp(-z[i]));
  else if (act === 'tanh') for (let i = 0; i < n; i++) z[i] = tanh32(z[i]);
  else if (act === 'leakyRelu') for (let i = 0; i < n; i++) z[i] = z[i] > 0 ? z[i] : LEAKY * z[i];
}

/** g <- g * f'(z), with f' written in the activation's value a = f(z). */
function scaleByDerivative(g: Float32Array, a: Float32Array, act: FusedDenseActivation): void {
  const n = g.length;
  if (act === 'relu') for (let i = 0; i < n; i++) g[i] = a[i] > 0 ? g[i] : 0;
  else if (act === 'leakyRelu') for (let i = 0; i < n; i++) g[i] = a[i] > 0 ? g[i] : LEAKY * g[i];
  else if (act === 'sigmoid') for (let i = 0; i < n; i++) g[i] *= a[i] * (1 - a[i]);
  else if (act === 'tanh') for (let i = 0; i < n; i++) g[i] *= 1 - a[i] * a[i];
}

/** Forward. Inputs [x (N, n_0), W_1..W_L (n_{l-1}, n_l), b_1..b_L (n_l)]; outputs [a_1..a_L], a_l (N, n_l). */
function forwardKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const be = backend as WasmBackendLike;
  const { activations } = attrs as unknown as StackAttrs;
  const ins = inputs as tf.TensorInfo[];
  const L = activations.length;
  const outs: tf.TensorInfo[] = [];
  let a = ins[0];
  for (let l = 0; l < L; l++) {
    const act = activations[l];
    a = matMul(be, a, ins[1 + l], { bias: ins[1 + L + l], activation: act === 'relu' ? 'relu' : 'linear' });
    activateInPlace(f32(be, a), act);
    outs.push(a);
  }
  return outs;
}

/**
 * Backward. Inputs [x, W_1..W_L, a_1..a_L, dy_1..dy_L] (dy_l (N, n_l): the gradient arriving at
 * output l; zero for hidden outputs except under nested gradients); outputs [dW_1..dW_L,
 * db_1..db_L, dz_1] where dz_1 (N, n_1) is the gradient at the first layer's pre-activation
 * (dx = dz_1 W_1^T).
 */
function gradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const be = backend as WasmBackendLike;
  const { activations } = attrs as unknown as StackAttrs;
  const ins = inputs as tf.TensorInfo[];
  const L = activations.length;
  const x = ins[0];
  const W = (l: number) => ins[1 + l];
  const A = (l: number) => ins[1 + L + l];
  const DY = (l: number) => ins[1 + 2 * L + l];
  const dy = DY(L - 1);
  const N = dy.shape[0];
  // dz_L = dy * f'(a_L), in a buffer of our own
  let dz = be.makeOutput([N, dy.shape[1]], 'float32');
  f32(be, dz).set(f32(be, dy));
  scaleByDerivative(f32(be, dz), f32(be, A(L - 1)), activations[L - 1]);
  const dW: tf.TensorInfo[] = new Array(L);
  const db: tf.TensorInfo[] = new Array(L);
  for (let l = L - 1; l >= 0; l--) {
    const prev = l === 0 ? x : A(l - 1);
    dW[l] = matMul(be, prev, dz, { transposeA: true }); // (n_{l-1}, n_l)
    const units = dz.shape[1];
    db[l] = be.makeOutput([units], 'float32');
    columnSums(f32(be, dz), N, units, f32(be, db[l]));
    if (l === 0) break;
    const da = matMul(be, dz, W(l), { transposeB: true }); // (N, n_{l-1})
    addInPlace(f32(be, da), f32(be, DY(l - 1)));
    scaleByDerivative(f32(be, da), f32(be, A(l - 1)), activations[l - 1]);
    be.disposeData(dz.dataId);
    dz = da;
  }
  return [...dW, ...db, dz];
}

/** a <- a + b. */
function addInPlace(a: Float32Array, b: Float32Array): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

/** out[j] = sum_i g[i, j] for g (rows, cols), row-major. */
function columnSums(g: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const acc = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) acc[j] += g[o + j];
  }
  out.set(acc);
}

/**
 * The gradient kernel's outputs [dW.., db.., dz_1] with tfjs ops, for nested gradients. The forward
 * pass is recomputed from the saved inputs with core's tape-safe activations: a gradient through an
 * operation's saved *outputs* is lost under an outer tape (tfjs records their copies out of order).
 */
function plainBackward(
  x: tf.Tensor,
  Ws: tf.Tensor[],
  bs: tf.Tensor[],
  dys: tf.Tensor[],
  acts: readonly FusedDenseActivation[],
): tf.Tensor[] {
  const L = acts.length;
  const inputs: tf.Tensor[] = [x];
  const zs: tf.Tensor[] = [];
  for (let l = 0; l < L; l++) {
    zs.push(tf.add(tf.matMul(inputs[l], Ws[l]), bs[l])); // (N, n_l)
    inputs.push(getActivation(acts[l]).apply(zs[l]));
  }
  const dW: tf.Tensor[] = new Array(L);
  const db: tf.Tensor[] = new Array(L);
  let g = dys[L - 1];
  for (let l = L - 1; l >= 0; l--) {
    if (acts[l] !== 'identity') g = tf.mul(g, getActivation(acts[l]).d1(zs[l])); // (N, n_l)
    dW[l] = tf.matMul(inputs[l], g, true, false);
    db[l] = tf.sum(g, 0);
    if (l === 0) break;
    g = tf.add(tf.matMul(g, Ws[l], false, true), dys[l - 1]);
  }
  return [...dW, ...db, g];
}

let registered = false;

/** Register the kernels (wasm) and the gradient, once. */
export function registerDenseStack(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: DENSE_STACK_KERNEL,
    backendName: 'wasm',
    kernelFunc: forwardKernel as unknown as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: DENSE_STACK_GRAD_KERNEL,
    backendName: 'wasm',
    kernelFunc: gradKernel as unknown as tf.KernelFunc,
  });
  tf.registerGradient({
    kernelName: DENSE_STACK_KERNEL,
    saveAllInputs: true,
    // every layer's output: the backward pass writes f' in terms of them
    outputsToSave: new Array(64).fill(true),
    gradFunc: (dy, saved, attrs) => {
      const { activations } = attrs as unknown as StackAttrs;
      const L = activations.length;
      const dys = Array.isArray(dy) ? dy : [dy];
      // saved = [x, W.., b.., a_1..a_L]
      const [x, ...rest] = saved;
      const Ws = rest.slice(0, L);
      const bs = rest.slice(L, 2 * L);
      const As = rest.slice(2 * L, 3 * L);
      // A gradient taken while an outer gradient records (nested tf.grad: input-gradient penalties,
      // forces from energies) must itself be differentiable: use plain tfjs ops then.
      const g = tf.engine().isTapeOn()
        ? plainBackward(x, Ws, bs, dys, activations)
        : (tf
            .engine()
            .runKernel(
              DENSE_STACK_GRAD_KERNEL,
              [x, ...Ws, ...As, ...dys] as unknown as tf.NamedTensorMap,
              attrs as unknown as tf.NamedAttrMap,
            ) as tf.Tensor[]);
      const res: Record<string, () => tf.Tensor> = {};
      res['0'] = () => tf.matMul(g[2 * L], Ws[0], false, true); // dx = dz_1 W_1^T: (N, n_0)
      for (let i = 0; i < 2 * L; i++) res[String(1 + i)] = () => g[i];
      return res;
    },
  });
}

/** True when the active backend runs the fused dense stack. */
export function denseStackSupported(): boolean {
  registerDenseStack();
  return tf.getKernel(DENSE_STACK_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * The fused stack (the caller has checked `denseStackSupported()`): x (N, n_0), weights W_l
 * (n_{l-1}, n_l), biases b_l (n_l), one activation per layer -> (N, n_L). Differentiable with
 * respect to x, the weights and the biases.
 *
 * @example
 *   const y = denseStack(x, [W1, W2], [b1, b2], ['relu', 'identity']); // (N, n_2)
 */
export function denseStack(
  x: tf.Tensor2D,
  weights: readonly tf.Tensor[],
  biases: readonly tf.Tensor[],
  activations: readonly FusedDenseActivation[],
): tf.Tensor2D {
  registerDenseStack();
  const L = weights.length;
  if (biases.length !== L || activations.length !== L) {
    throw new Error(
      `denseStack: got ${L} weights, ${biases.length} biases and ${activations.length} activations; give one of each per layer`,
    );
  }
  if (L > 64) throw new Error(`denseStack: at most 64 layers, got ${L}`);
  const attrs: StackAttrs = { activations: [...activations] };
  const outs = tf
    .engine()
    .runKernel(
      DENSE_STACK_KERNEL,
      [x, ...weights, ...biases] as unknown as tf.NamedTensorMap,
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
  for (let l = 0; l < L - 1; l++) outs[l].dispose(); // hidden outputs: the gradient keeps its own references
  return outs[L - 1] as tf.Tensor2D;
}
