/**
 * The 'taylor' derivative engine: forward propagation of input derivatives through an
 * MLP with tfjs ops (Taylor mode, truncated at order 2), so the weight gradients come
 * from ONE ordinary reverse pass instead of nested tf.grad.
 *
 * Per layer, with value a, first derivatives da_i (i in the needed directions F) and
 * second derivatives d2a_ij (only the requested pairs S):
 *   z = a W + b,  dz_i = da_i W,  d2z_ij = d2a_ij W
 *   a' = s(z),  da'_i = s'(z) dz_i,  d2a'_ij = s''(z) dz_i dz_j + s'(z) d2z_ij
 * The K = 1 + |F| + |S| blocks are stacked as one (K*N, width) matrix so each layer is a
 * single matMul (one big product is much faster than K small ones on WASM).
 */
import { tf } from '@aml/core';
import { activationParts } from './activation-parts';
import { fastMatMul } from './matmul';
import { validateRequests, type DerivativeEngine, type DerivativeIndex, type MlpParams } from './engine';

/** Which blocks the stacked propagation carries for a request list. */
export interface TaylorPlan {
  /** Input directions whose first derivatives are propagated. */
  readonly first: readonly number[];
  /** Requested second-derivative pairs (i <= j). */
  readonly second: readonly (readonly [number, number])[];
  /** For each request, its block index in the stack (0 = value). */
  readonly block: readonly number[];
}

/** Plan the blocks: every index that appears in a request gets a first-derivative block. */
export function planTaylor(requests: readonly DerivativeIndex[]): TaylorPlan {
  const first = [...new Set(requests.flatMap((r) => [...r]))].sort((a, b) => a - b);
  const second: [number, number][] = [];
  for (const r of requests) {
    if (r.length === 2 && !second.some(([i, j]) => i === r[0] && j === r[1])) second.push([r[0], r[1]]);
  }
  const block = requests.map((r) => {
    if (r.length === 0) return 0;
    if (r.length === 1) return 1 + first.indexOf(r[0]);
    return 1 + first.length + second.findIndex(([i, j]) => i === r[0] && j === r[1]);
  });
  return { first, second, block };
}

/** Check the network's shapes against x, naming the layer at fault. */
export function checkMlp(net: MlpParams, d: number): void {
  if (net.weights.length === 0 || net.weights.length !== net.biases.length) {
    throw new Error(`MLP: need one bias per weight matrix and at least one layer, got ${net.weights.length} weights and ${net.biases.length} biases`);
  }
  let width = d;
  net.weights.forEach((w, l) => {
    if (w.rank !== 2 || w.shape[0] !== width) {
      throw new Error(`MLP layer ${l}: weight shape [${w.shape}] does not take ${width} inputs; expected [${width}, out]`);
    }
    if (net.biases[l].rank !== 1 || net.biases[l].shape[0] !== w.shape[1]) {
      throw new Error(`MLP layer ${l}: bias shape [${net.biases[l].shape}] should be [${w.shape[1]}]`);
    }
    width = w.shape[1];
  });
}

/** Adds the bias to block 0 only: (K, N, w) + pad(b) with zeros for the derivative blocks. */
function addBiasToValueBlock(z: tf.Tensor3D, b: tf.Tensor1D): tf.Tensor3D {
  const k = z.shape[0];
  const w = z.shape[2];
  if (k === 1) return tf.add(z, b);
  const padded = tf.pad(tf.reshape(b, [1, 1, w]), [[0, k - 1], [0, 0], [0, 0]]); // (K, 1, w)
  return tf.add(z, padded);
}

/** Stack-wise matMul: (K, N, in) x (in, out) -> (K, N, out) as one (K*N, in) product. */
function stackedMatMul(a: tf.Tensor3D, w: tf.Tensor2D): tf.Tensor3D {
  const [k, n, inw] = a.shape;
  const flat = tf.reshape(a, [k * n, inw]) as tf.Tensor2D; // (K*N, in)
  return tf.reshape(fastMatMul(flat, w), [k, n, w.shape[1]]); // (K, N, out)
}

/** Blocks i and j of a (F, ., w) stack multiplied pairwise: (S, ., w), by slices (cheaper than gather). */
function pairProducts(dz: tf.Tensor3D, pairs: readonly (readonly [number, number])[]): tf.Tensor3D {
  const [, n, w] = dz.shape;
  const block = (i: number) => tf.slice(dz, [i, 0, 0], [1, n, w]);
  const prods = pairs.map(([i, j]) => (i === j ? tf.square(block(i)) : tf.mul(block(i), block(j))));
  return (prods.length === 1 ? prods[0] : tf.concat(prods, 0)) as tf.Tensor3D;
}

/**
 * Forward Taylor propagation. Returns the stack (K, N, m) of the output layer:
 * block 0 = value, then first derivatives in plan.first order, then plan.second pairs.
 */
export function taylorForward(net: MlpParams, x: tf.Tensor2D, plan: TaylorPlan): tf.Tensor3D {
  const L = net.weights.length;
  const nF = plan.first.length;
  const nS = plan.second.length;
  const pos = (i: number) => plan.first.indexOf(i);
  const pairs = plan.second.map(([i, j]) => [pos(i), pos(j)] as const); // positions in the first-derivative blocks
  const order = nS > 0 ? 2 : nF > 0 ? 1 : 0;
  const w0 = net.weights[0] as tf.Tensor2D; // (d, w1)
  // Layer 0: z = x W0 + b; dz_i = row i of W0 (same at every point); d2z = 0.
  let z = tf.add(tf.matMul(x, w0), net.biases[0]) as tf.Tensor2D; // (N, w1)
  const dz0 = nF > 0 ? (tf.reshape(tf.gather(w0, plan.first), [nF, 1, w0.shape[1]]) as tf.Tensor3D) : null; // (F, 1, w1)
  if (L === 1) {
    // A linear model: derivatives are constants, second derivatives zero.
    const n = x.shape[0];
    const m = w0.shape[1];
    const blocks: tf.Tensor3D[] = [tf.reshape(z, [1, n, m])];
    if (dz0) blocks.push(tf.tile(dz0, [1, n, 1]) as tf.Tensor3D);
    if (nS > 0) blocks.push(tf.zeros([nS, n, m]));
    return tf.concat(blocks, 0);
  }
  // Hidden layer 0's activation, with d2z = 0 and dz broadcast over points.
  const z3 = tf.expandDims(z, 0) as tf.Tensor3D; // (1, N, w1)
  const p0 = activationParts(net.activation, z3, order);
  const blocks: tf.Tensor3D[] = [p0.f as tf.Tensor3D];
  if (nF > 0 && dz0) {
    blocks.push(tf.mul(p0.d1!, dz0) as tf.Tensor3D); // (F, N, w1)
    if (nS > 0) blocks.push(tf.mul(p0.d2!, pairProducts(dz0, pairs)) as tf.Tensor3D); // (S, N, w1)
  }
  let a = blocks.length === 1 ? blocks[0] : tf.concat(blocks, 0); // (K, N, w1)
  for (let l = 1; l < L; l++) {
    const zs = addBiasToValueBlock(stackedMatMul(a, net.weights[l] as tf.Tensor2D), net.biases[l] as tf.Tensor1D); // (K, N, out)
    if (l === L - 1) return zs;
    const [k, n, w] = zs.shape;
    z = tf.reshape(tf.slice(zs, [0, 0, 0], [1, n, w]), [1, n, w]) as unknown as tf.Tensor2D;
    const zv = z as unknown as tf.Tensor3D; // (1, N, w)
    const p = activationParts(net.activation, zv, order); // each (1, N, w)
    const next: tf.Tensor3D[] = [p.f as tf.Tensor3D];
    if (nF > 0) {
      const dz = tf.slice(zs, [1, 0, 0], [nF, n, w]) as tf.Tensor3D; // (F, N, w)
      next.push(tf.mul(p.d1!, dz) as tf.Tensor3D);
      if (nS > 0) {
        const d2z = tf.slice(zs, [1 + nF, 0, 0], [k - 1 - nF, n, w]); // (S, N, w)
        next.push(tf.add(tf.mul(p.d2!, pairProducts(dz, pairs)), tf.mul(p.d1!, d2z)) as tf.Tensor3D);
      }
    }
    a = tf.concat(next, 0);
  }
  throw new Error('unreachable: the output layer returns inside the loop');
}

/** The default engine: Taylor-mode forward propagation with tfjs ops. */
export const taylorEngine: DerivativeEngine = {
  name: 'taylor',
  derivatives(net: MlpParams, x: tf.Tensor2D, requests: readonly DerivativeIndex[]): tf.Tensor2D[] {
    if (x.rank !== 2) throw new Error(`taylor engine: x must be (N, d), got shape [${x.shape}]`);
    checkMlp(net, x.shape[1]);
    validateRequests(requests, x.shape[1]);
    if (requests.length === 0) return [];
    const plan = planTaylor(requests);
    return tf.tidy(() => {
      const stack = taylorForward(net, x, plan); // (K, N, m)
      const [, n, m] = stack.shape;
      return plan.block.map((b) => tf.reshape(tf.slice(stack, [b, 0, 0], [1, n, m]), [n, m]) as tf.Tensor2D);
    });
  },
};
