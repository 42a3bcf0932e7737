/**
 * The derivative-engine contract: given an MLP and a batch of points, return the
 * network's value and the input derivatives a residual needs, as tensors that stay
 * differentiable with respect to the weights (so one reverse pass trains the net).
 *
 * Three engines implement it: 'taylor' (tfjs ops, derivatives pushed forward through
 * the layers; the default), 'nested' (nested tf.grad; the slow reference it is tested
 * against) and 'fused' (the WASM kernel of issue 8, in `../fused/`).
 */
import type { ActivationName, tf } from '@aml/core';

/** A plain MLP: hidden layers with one elementwise activation, linear output layer. */
export interface MlpParams {
  /** Layer l: (in_l, out_l). */
  readonly weights: readonly tf.Variable[];
  /** Layer l: (out_l). */
  readonly biases: readonly tf.Variable[];
  /** Hidden-layer activation (the last layer is linear). */
  readonly activation: ActivationName;
}

/** A derivative to compute: [] = value, [i] = d/dx_i, [i, j] = d2/dx_i dx_j (i <= j). */
export type DerivativeIndex = readonly number[];

/** Computes an MLP's value and input derivatives on a batch of points. */
export interface DerivativeEngine {
  /** 'taylor' (tfjs ops, forward propagation), 'nested' (tf.grad, reference), 'fused' (WASM kernel). */
  readonly name: string;
  /**
   * x: (N, d) -> one (N, m) tensor per requested index, same order.
   * Differentiable with respect to the weights and biases.
   */
  derivatives(net: MlpParams, x: tf.Tensor2D, requests: readonly DerivativeIndex[]): tf.Tensor2D[];
}

/** A stable string key for a derivative index ('' for the value, '0', '0,1'). */
export function derivativeKey(index: DerivativeIndex): string {
  return index.join(',');
}

/**
 * Check a request list against the input dimension d: each index has at most two
 * entries, each in [0, d), and second derivatives are written with i <= j.
 */
export function validateRequests(requests: readonly DerivativeIndex[], d: number): void {
  for (const r of requests) {
    if (r.length > 2) {
      throw new Error(`derivative [${r.join(', ')}]: only value, first and second derivatives are supported (at most 2 indices)`);
    }
    for (const i of r) {
      if (!Number.isInteger(i) || i < 0 || i >= d) {
        throw new Error(`derivative [${r.join(', ')}]: input index ${i} is out of range for ${d} input(s); use 0..${d - 1}`);
      }
    }
    if (r.length === 2 && r[0] > r[1]) {
      throw new Error(`derivative [${r.join(', ')}]: write mixed derivatives with i <= j, i.e. [${r[1]}, ${r[0]}]`);
    }
  }
}
