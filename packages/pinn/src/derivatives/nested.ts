/**
 * The 'nested' derivative engine: the MLP's forward pass differentiated by nested tf.grad
 * (@aml/core's `inputDerivatives`, built on activations that are safe at any order). The
 * slow, general reference the fast engines are tested against.
 */
import { getActivation, inputDerivatives, tf } from '@aml/core';
import { validateRequests, type DerivativeEngine, type DerivativeIndex, type MlpParams } from './engine';
import { checkMlp } from './taylor';

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

export const nestedEngine: DerivativeEngine = {
  name: 'nested',
  derivatives(net: MlpParams, x: tf.Tensor2D, requests: readonly DerivativeIndex[]): tf.Tensor2D[] {
    checkMlp(net, x.shape[1]);
    validateRequests(requests, x.shape[1]);
    return inputDerivatives((xx) => mlpForward(net, xx), x, requests);
  },
};
