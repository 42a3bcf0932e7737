/**
 * Weight initialisation drawn from an explicit `Rng`, so the same seed gives the same weights
 * on every backend.
 *
 * - Glorot/Xavier (Glorot & Bengio 2010): Var(w) = 2/(fanIn+fanOut) (gain^2 times), for tanh/sigmoid.
 * - He/Kaiming (He et al. 2015): Var(w) = 2/fanIn, for ReLU-like activations.
 */
import { tf, Rng } from '@aml/core';

/** Names of the initialisers. */
export const INIT_NAMES = ['glorotNormal', 'glorotUniform', 'heNormal', 'heUniform', 'lecunNormal', 'zeros'] as const;
/** One of `INIT_NAMES`. */
export type InitName = (typeof INIT_NAMES)[number];

/**
 * Fill an array of `fanIn*fanOut*...` values (`shape`) with the named initialiser.
 *
 * @param shape    the variable's shape; fanIn and fanOut are given explicitly (conv kernels: F*F*Cin, F*F*Cout).
 * @param gain     multiplies the standard deviation (e.g. 5/3 for tanh in the course's Xavier).
 */
export function initValues(
  name: InitName,
  shape: readonly number[],
  fanIn: number,
  fanOut: number,
  rng: Rng,
  gain = 1,
): Float32Array {
  if (!(INIT_NAMES as readonly string[]).includes(name)) {
    throw new Error(`init: unknown initialiser '${name}'; use one of ${INIT_NAMES.join(', ')}`);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  if (name === 'zeros') return out;
  let std: number;
  if (name === 'glorotNormal' || name === 'glorotUniform') std = gain * Math.sqrt(2 / (fanIn + fanOut));
  else if (name === 'heNormal' || name === 'heUniform') std = gain * Math.sqrt(2 / fanIn);
  else std = gain * Math.sqrt(1 / fanIn);
  const uniform = name.endsWith('Uniform');
  // Uniform on [-a, a] has std a/sqrt(3).
  const a = std * Math.sqrt(3);
  for (let i = 0; i < n; i++) out[i] = uniform ? rng.range(-a, a) : rng.normal(0, std);
  return out;
}

/** A trainable variable of `shape` initialised by `name` (see `initValues`). */
export function initVariable(
  name: InitName,
  shape: readonly number[],
  fanIn: number,
  fanOut: number,
  rng: Rng,
  gain = 1,
): tf.Variable {
  return toVariable(tf.tensor(initValues(name, shape, fanIn, fanOut, rng, gain), shape as number[]));
}

/** A variable from a tensor, disposing the tensor (tf.variable shares its data, so the tensor itself would leak). */
export function toVariable(t: tf.Tensor, trainable = true): tf.Variable {
  const v = tf.variable(t, trainable);
  t.dispose();
  return v;
}

/** A variable filled with a constant (biases, norm scales). */
export function constVariable(shape: readonly number[], value: number, trainable = true): tf.Variable {
  return toVariable(tf.fill(shape as number[], value), trainable);
}
