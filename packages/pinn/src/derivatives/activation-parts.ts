/**
 * An activation's value and first two derivatives from ONE evaluation, for the Taylor
 * engine (which needs s(z), s'(z), s''(z) at every layer). @aml/core's `getActivation`
 * gives d1 and d2 separately, each recomputing the activation; for the common smooth
 * activations the derivatives are cheap functions of the value, so they are shared here.
 * Only first-order backpropagation runs through these ops (never nested tf.grad), so
 * tfjs's built-in gradients (which reuse outputs) are fine.
 *
 * tanh is written 2 sigmoid(2z) - 1: the WASM Tanh kernel is scalar and about 6x
 * slower than the vectorised Sigmoid (ENGINEERING-NOTES).
 */
import { getActivation, tf, type ActivationName } from '@aml/core';

/** s(z), s'(z), s''(z); d1/d2 are computed only when asked. */
export interface ActivationParts {
  readonly f: tf.Tensor;
  readonly d1?: tf.Tensor;
  readonly d2?: tf.Tensor;
}

type PartsFn = (z: tf.Tensor, order: 0 | 1 | 2) => ActivationParts;

const fast: Partial<Record<ActivationName, PartsFn>> = {
  tanh: (z, order) => {
    const t = tf.sub(tf.mul(2, tf.sigmoid(tf.mul(2, z))), 1);
    if (order === 0) return { f: t };
    const d1 = tf.sub(1, tf.mul(t, t)); // 1 - t^2 (mul: square's gradient adds a cast)
    if (order === 1) return { f: t, d1 };
    return { f: t, d1, d2: tf.mul(tf.mul(-2, t), d1) }; // -2 t (1 - t^2)
  },
  sigmoid: (z, order) => {
    const s = tf.sigmoid(z);
    if (order === 0) return { f: s };
    const d1 = tf.mul(s, tf.sub(1, s));
    if (order === 1) return { f: s, d1 };
    return { f: s, d1, d2: tf.mul(d1, tf.sub(1, tf.mul(2, s))) };
  },
  sin: (z, order) => {
    const s = tf.sin(z);
    if (order === 0) return { f: s };
    const d1 = tf.cos(z);
    return order === 1 ? { f: s, d1 } : { f: s, d1, d2: tf.neg(s) };
  },
  silu: (z, order) => {
    const s = tf.sigmoid(z);
    const f = tf.mul(z, s);
    if (order === 0) return { f };
    const s1 = tf.mul(s, tf.sub(1, s));
    const d1 = tf.add(s, tf.mul(z, s1)); // s + z s'
    if (order === 1) return { f, d1 };
    const s2 = tf.mul(s1, tf.sub(1, tf.mul(2, s)));
    return { f, d1, d2: tf.add(tf.mul(2, s1), tf.mul(z, s2)) }; // 2 s' + z s''
  },
  softplus: (z, order) => {
    const f = tf.softplus(z);
    if (order === 0) return { f };
    const s = tf.sigmoid(z);
    return order === 1 ? { f, d1: s } : { f, d1: s, d2: tf.mul(s, tf.sub(1, s)) };
  },
};

/** The parts of activation `name` at z, up to `order`. */
export function activationParts(name: ActivationName, z: tf.Tensor, order: 0 | 1 | 2): ActivationParts {
  const f = fast[name];
  if (f) return f(z, order);
  const act = getActivation(name);
  return { f: act.apply(z), d1: order >= 1 ? act.d1(z) : undefined, d2: order >= 2 ? act.d2(z) : undefined };
}
