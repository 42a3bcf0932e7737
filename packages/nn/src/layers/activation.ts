/**
 * Activation lookup for the layers. Elementwise activations come from `@aml/core`'s
 * registry when it is available; softmax is not elementwise and lives here.
 */
import { tf } from '@aml/core';

/** Names accepted by the layers' `activation` field. */
export const LAYER_ACTIVATIONS = [
  'identity', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'gelu', 'geluTanh', 'silu', 'mish', 'softplus', 'sin', 'softmax',
] as const;
/** One of `LAYER_ACTIVATIONS`. */
export type ActivationName = (typeof LAYER_ACTIVATIONS)[number];

const SQRT1_2 = Math.SQRT1_2;
const C_GELU = Math.sqrt(2 / Math.PI);

/** Elementwise definitions (course conventions: leaky slope 0.01, GELU erf form, tanh form with 0.044715). */
const FNS: Record<Exclude<ActivationName, 'softmax'>, (x: tf.Tensor) => tf.Tensor> = {
  identity: (x) => x,
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  relu: (x) => tf.relu(x),
  leakyRelu: (x) => tf.leakyRelu(x, 0.01),
  elu: (x) => tf.elu(x),
  gelu: (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, SQRT1_2)))),
  geluTanh: (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(C_GELU, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))))))),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  mish: (x) => tf.mul(x, tf.tanh(tf.softplus(x))),
  softplus: (x) => tf.softplus(x),
  sin: (x) => tf.sin(x),
};

/**
 * Softmax over the last axis, max-shifted for stability. (..., K) -> (..., K)
 * The shift needs no stop-gradient: softmax(x - c) does not depend on c, so its gradient through c cancels.
 */
export function softmax(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.sub(x, tf.max(x, -1, true));
    const e = tf.exp(z);
    return tf.div(e, tf.sum(e, -1, true));
  });
}

/** Log-softmax over the last axis (stable). (..., K) -> (..., K) */
export function logSoftmax(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.sub(x, tf.max(x, -1, true));
    return tf.sub(z, tf.log(tf.sum(tf.exp(z), -1, true)));
  });
}

/** The function for an activation name; the error lists the valid names. */
export function activationFn(name: ActivationName, layer = 'layer'): (x: tf.Tensor) => tf.Tensor {
  if (name === 'softmax') return softmax;
  const f = FNS[name as Exclude<ActivationName, 'softmax'>];
  if (!f) throw new Error(`${layer}: unknown activation '${name}'; use one of ${LAYER_ACTIVATIONS.join(', ')}`);
  return f;
}
