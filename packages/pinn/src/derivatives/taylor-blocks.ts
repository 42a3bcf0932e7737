/**
 * Forward Taylor propagation with the derivative blocks kept as separate (N, w) tensors:
 * per layer K = 1 + |F| + |S| plain products and same-shape elementwise ops, so the reverse
 * pass has no broadcasts to reduce and no concat/split/pad (WASM's SplitV and PadV2 kernels
 * cost more than the matMuls they would save at PINN batch sizes).
 */
import { getActivation, tf } from '@aml/core';
import type { MlpParams } from './engine';
import type { TaylorPlan } from './taylor-plan';

/** Value, first and second derivative blocks at a layer, each (N, w). */
interface Blocks {
  readonly v: tf.Tensor2D;
  readonly d1: tf.Tensor2D[];
  readonly d2: tf.Tensor2D[];
}

/**
 * Returns the output layer's blocks: value, first derivatives (plan.first order) and
 * second derivatives (plan.second order), each (N, m).
 */
export function taylorForwardBlocks(net: MlpParams, x: tf.Tensor2D, plan: TaylorPlan): Blocks {
  const L = net.weights.length;
  const nF = plan.first.length;
  const pos = (i: number) => plan.first.indexOf(i);
  const pairs = plan.second.map(([i, j]) => [pos(i), pos(j)] as const);
  const order = pairs.length > 0 ? 2 : nF > 0 ? 1 : 0;
  const w0 = net.weights[0] as tf.Tensor2D; // (d, w1)
  const n = x.shape[0];
  // Layer 0: dz_i is row i of W0 at every point (1, w1), broadcast; d2z = 0.
  const z0 = tf.add(tf.matMul(x, w0), net.biases[0]) as tf.Tensor2D; // (N, w1)
  const rows = plan.first.map((i) => tf.slice(w0, [i, 0], [1, -1]) as tf.Tensor2D); // each (1, w1)
  if (L === 1) {
    return {
      v: z0,
      d1: rows.map((r) => tf.tile(r, [n, 1]) as tf.Tensor2D),
      d2: pairs.map(() => tf.zeros([n, w0.shape[1]]) as tf.Tensor2D),
    };
  }
  // f, f', f'' share one evaluation (core's Activation.parts)
  const act = getActivation(net.activation);
  const p0 = act.parts(z0, order);
  let a: Blocks = {
    v: p0.f as tf.Tensor2D,
    d1: rows.map((r) => tf.mul(p0.d1!, r) as tf.Tensor2D),
    d2: pairs.map(([i, j]) => tf.mul(p0.d2!, tf.mul(rows[i], rows[j])) as tf.Tensor2D),
  };
  for (let l = 1; l < L; l++) {
    const w = net.weights[l] as tf.Tensor2D;
    const z = tf.add(tf.matMul(a.v, w), net.biases[l]) as tf.Tensor2D;
    const dz = a.d1.map((t) => tf.matMul(t, w) as tf.Tensor2D);
    const d2z = a.d2.map((t) => tf.matMul(t, w) as tf.Tensor2D);
    if (l === L - 1) return { v: z, d1: dz, d2: d2z };
    const p = act.parts(z, order);
    a = {
      v: p.f as tf.Tensor2D,
      d1: dz.map((t) => tf.mul(p.d1!, t) as tf.Tensor2D),
      d2: pairs.map(([i, j], q) => tf.add(tf.mul(p.d2!, tf.mul(dz[i], dz[j])), tf.mul(p.d1!, d2z[q])) as tf.Tensor2D),
    };
  }
  throw new Error('unreachable: the output layer returns inside the loop');
}
