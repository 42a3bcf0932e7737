/**
 * The 'nested' derivative engine: any network's `apply` differentiated by nested tf.grad,
 * to fourth order (@aml/core's activations are safe at every order under nested tf.grad).
 * The slow, general reference the fast engines are tested against, and the engine for
 * networks that give `apply` only.
 */
import { getActivation, tf } from '@aml/core';
import { asNetwork } from '../networks/mlp';
import {
  validateRequests,
  type DerivativeEngine,
  type DerivativeIndex,
  type MlpParams,
  type NetworkLike,
} from './engine';
import { checkInputs } from './taylor';

/** Plain MLP forward pass: (N, d) -> (N, m), hidden activation, linear output. */
export function mlpForward(net: MlpParams, x: tf.Tensor2D): tf.Tensor2D {
  const act = getActivation(net.activation);
  return tf.tidy(() => {
    let h: tf.Tensor2D = x;
    net.weights.forEach((w, l) => {
      h = tf.add(tf.matMul(h, w as tf.Tensor2D), net.biases[l]) as tf.Tensor2D;
      if (l < net.weights.length - 1) h = act.apply(h) as tf.Tensor2D;
    });
    return h;
  });
}

/** `+ 0*x` keeps x on the tape when a derivative does not depend on it (tfjs throws otherwise). */
const onTape = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.add(tf.sum(y), tf.sum(tf.mul(0, x)));

/** x -> d^k f_out / dx_{index}, (N, 1), by k nested gradients of the row-wise sum. */
function derivativeFn(
  f: (x: tf.Tensor2D) => tf.Tensor2D,
  out: number,
  index: DerivativeIndex,
): (x: tf.Tensor2D) => tf.Tensor2D {
  let g = (x: tf.Tensor2D) => tf.slice(f(x), [0, out], [-1, 1]) as tf.Tensor2D;
  for (const i of index) {
    const inner = g;
    g = (x) =>
      tf.slice(tf.grad((xx: tf.Tensor) => onTape(xx, inner(xx as tf.Tensor2D)))(x), [0, i], [-1, 1]) as tf.Tensor2D;
  }
  return g;
}

/**
 * Requested input derivatives of f (N, d) -> (N, m) by nested tf.grad, each (N, m).
 * f must act row by row and be built from tape-safe ops.
 */
export function nestedDerivatives(
  f: (x: tf.Tensor2D) => tf.Tensor2D,
  x: tf.Tensor2D,
  requests: readonly DerivativeIndex[],
): tf.Tensor2D[] {
  return tf.tidy(() => {
    const y = f(x);
    const m = y.shape[1];
    return requests.map((r) => {
      if (r.length === 0) return y;
      const cols = Array.from({ length: m }, (_, k) => derivativeFn(f, k, r)(x));
      return m === 1 ? cols[0] : (tf.concat(cols, 1) as tf.Tensor2D);
    });
  });
}

export const nestedEngine: DerivativeEngine = {
  name: 'nested',
  supports: () => true,
  derivatives(net: NetworkLike, x: tf.Tensor2D, requests: readonly DerivativeIndex[]): tf.Tensor2D[] {
    checkInputs(net, x, 'nested');
    validateRequests(requests, x.shape[1]);
    const n = asNetwork(net);
    return nestedDerivatives((xx) => n.apply(xx), x, requests);
  },
};
