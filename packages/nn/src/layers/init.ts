/**
 * Variables for the layers, initialised by @aml/core's seeded initialisers (Glorot/Xavier, He/Kaiming,
 * normal, zeros; fans from the kernel shape: (in, out) or (...spatial, in, out)), so the same seed
 * gives the same weights on every backend and every package initialises the same way.
 */
import { tf, type Rng, getInitializer, type Initializer, type InitializerName, INITIALIZERS } from '@aml/core';

/** Initialiser names accepted by the layers' `init` fields (core's registry). */
export type InitName = InitializerName;
/** The valid names, for messages and configs. */
export const INIT_NAMES = Object.keys(INITIALIZERS) as InitName[];

/** A variable from a tensor, disposing the tensor (tf.variable shares its data, so the tensor itself would leak). */
export function toVariable(t: tf.Tensor, trainable = true): tf.Variable {
  const v = tf.variable(t, trainable);
  t.dispose();
  return v;
}

/**
 * A trainable variable of `shape` from a named initialiser (or any core `Initializer`), times `gain`
 * (e.g. 5/3 for tanh in the course's Xavier). The error for an unknown name names the layer.
 */
export function initVariable(
  init: InitName | Initializer,
  shape: readonly number[],
  rng: Rng,
  gain = 1,
  layer = 'layer',
): tf.Variable {
  let f: Initializer;
  try {
    f = typeof init === 'function' ? init : getInitializer(init);
  } catch (e) {
    throw new Error(`${layer}: ${(e as Error).message}`);
  }
  const t = f(shape, rng);
  if (gain === 1) return toVariable(t);
  const scaled = tf.mul(t, gain);
  t.dispose();
  return toVariable(scaled);
}

/** A variable filled with a constant (biases, norm scales; non-trainable for running statistics). */
export function constVariable(shape: readonly number[], value: number, trainable = true): tf.Variable {
  return toVariable(tf.fill(shape as number[], value), trainable);
}
