/**
 * The derivative-engine contract: given a network and a batch of points, return the
 * network's value and the input derivatives a residual needs (up to fourth order), as
 * tensors that stay differentiable with respect to the weights (so one reverse pass trains
 * the net).
 *
 * Three engines implement it: 'fused' (the WASM kernel in `../fused/`, plain MLPs up to
 * second order), 'taylor' (jets pushed forward through any network with a generic
 * `forward`, tfjs ops) and 'nested' (nested tf.grad through `apply`; any network, the slow
 * reference). `chooseEngine` picks the first that supports a network and request set.
 */
import type { ActivationName, Network, tf } from '@aml/core';

/** A plain MLP: hidden layers with one elementwise activation, linear output layer. */
export interface MlpParams {
  /** Layer l: (in_l, out_l). */
  readonly weights: readonly tf.Variable[];
  /** Layer l: (out_l). */
  readonly biases: readonly tf.Variable[];
  /** Hidden-layer activation (the last layer is linear). */
  readonly activation: ActivationName;
}

/** What the engines take: any `Network`, or a bare `MlpParams` (read as a kind-'mlp' network). */
export type NetworkLike = Network | MlpParams;

/**
 * A derivative to compute, as a sorted multi-index of up to four input indices:
 * [] = value, [0] = d/dx_0, [0, 0, 0] = d3/dx_0^3, [0, 1] = d2/dx_0 dx_1.
 */
export type DerivativeIndex = readonly number[];

/** The highest derivative order any engine computes. */
export const MAX_DERIVATIVE_ORDER = 4;

/** Computes a network's value and input derivatives on a batch of points. */
export interface DerivativeEngine {
  /** 'fused' (WASM kernel), 'taylor' (jets, tfjs ops), 'nested' (tf.grad, reference), or a user's name. */
  readonly name: string;
  /**
   * true when this engine computes `requests` for `net`, else the reason it does not (one
   * short clause, e.g. "fused kernel computes up to third derivatives; order 4 requested").
   * An engine without it is taken to support everything.
   */
  supports?(net: NetworkLike, requests: readonly DerivativeIndex[]): true | string;
  /**
   * x: (N, d) -> one (N, m) tensor per requested index, same order.
   * Differentiable with respect to the network's variables.
   */
  derivatives(net: NetworkLike, x: tf.Tensor2D, requests: readonly DerivativeIndex[]): tf.Tensor2D[];
}

/** A stable string key for a derivative index ('' for the value, '0', '0,1', '0,0,0'). */
export function derivativeKey(index: DerivativeIndex): string {
  return index.join(',');
}

/** The highest order in a request list (0 for values only). */
export function maxOrder(requests: readonly DerivativeIndex[]): number {
  let m = 0;
  for (const r of requests) m = Math.max(m, r.length);
  return m;
}

/**
 * Check a request list against the input dimension d: each index has at most `limit`
 * (default four) entries, each in [0, d), written in ascending order.
 */
export function validateRequests(requests: readonly DerivativeIndex[], d: number, limit = MAX_DERIVATIVE_ORDER): void {
  for (const r of requests) {
    if (r.length > limit) {
      throw new Error(
        `derivative [${r.join(', ')}]: order ${r.length} is above this engine's limit (at most ${limit} indices)`,
      );
    }
    for (const i of r) {
      if (!Number.isInteger(i) || i < 0 || i >= d) {
        throw new Error(
          `derivative [${r.join(', ')}]: input index ${i} is out of range for ${d} input(s); use 0..${d - 1}`,
        );
      }
    }
    for (let k = 1; k < r.length; k++) {
      if (r[k - 1] > r[k]) {
        const sorted = [...r].sort((a, b) => a - b);
        throw new Error(
          `derivative [${r.join(', ')}]: write mixed derivatives with ascending indices, i.e. [${sorted.join(', ')}]`,
        );
      }
    }
  }
}
