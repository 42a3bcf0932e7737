/**
 * Activation lookup for the layers. Elementwise activations come from `@aml/core`'s registry
 * (safe under nested tf.grad, which the contractive autoencoder's Jacobian penalty needs);
 * softmax is not elementwise and lives here.
 */
import { tf, getActivation, ACTIVATION_NAMES } from '@aml/core';

/** Names accepted by the layers' `activation` field: core's elementwise ones plus softmax. */
export const LAYER_ACTIVATIONS = [...ACTIVATION_NAMES, 'softmax'] as const;
/** One of `LAYER_ACTIVATIONS`. */
export type LayerActivation = (typeof LAYER_ACTIVATIONS)[number];

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

/** The function for an activation name; the error names the layer and lists the valid names. */
export function activationFn(name: LayerActivation, layer = 'layer'): (x: tf.Tensor) => tf.Tensor {
  if (name === 'softmax') return softmax;
  if (!(LAYER_ACTIVATIONS as readonly string[]).includes(name)) {
    throw new Error(`${layer}: unknown activation '${name}'; use one of ${LAYER_ACTIVATIONS.join(', ')}`);
  }
  const a = getActivation(name);
  return (x) => a.apply(x);
}
