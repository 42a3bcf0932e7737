/**
 * A stack of dense layers applied as one fused operation where the backend has the kernel.
 */
import { tf } from '@aml/core';
import { type ApplyOptions, type Layer, collect, checkShape } from '../layers/layer';
import type { Dense } from '../layers/dense';
import { FUSED_DENSE_ACTIVATIONS, type FusedDenseActivation, denseStack, denseStackSupported } from './dense-stack';

/** True when every activation has a fused form. */
export function fusibleActivations(acts: readonly string[]): acts is readonly FusedDenseActivation[] {
  return acts.every((a) => (FUSED_DENSE_ACTIVATIONS as readonly string[]).includes(a));
}

/**
 * Compose dense layers (each with a bias) whose activations are `acts`: the same parameters, in the
 * same order, as `sequential(layers)`. `apply` runs the fused dense stack (one forward and one
 * backward operation) when the active backend has it, and the layers one by one otherwise.
 * Input (..., n_0) -> (..., n_L); leading axes are kept.
 */
export function fusedDenseLayers(layers: readonly Dense[], acts: readonly FusedDenseActivation[], name: string): Layer {
  if (layers.some((l) => !l.b)) throw new Error(`${name}: the fused stack needs a bias in every layer`);
  const n0 = layers[0].W.shape[0] as number;
  const nL = layers[layers.length - 1].W.shape[1] as number;
  const Ws = layers.map((l) => l.W);
  const bs = layers.map((l) => l.b!);
  return {
    name,
    ...collect(layers),
    apply(x: tf.Tensor, opts?: ApplyOptions): tf.Tensor {
      if (!denseStackSupported() || x.dtype !== 'float32')
        return tf.tidy(() => layers.reduce((h, l) => l.apply(h, opts), x));
      if (x.rank < 1 || x.shape[x.rank - 1] !== n0)
        checkShape(layers[0].name, x, [...x.shape.slice(0, -1).map(() => null), n0]);
      if (x.rank === 2) return denseStack(x as tf.Tensor2D, Ws, bs, acts);
      return tf.tidy(() => {
        // (..., n_0) -> (M, n_0) -> (M, n_L) -> (..., n_L)
        const y = denseStack(x.reshape([-1, n0]) as tf.Tensor2D, Ws, bs, acts);
        return y.reshape([...x.shape.slice(0, -1), nL]);
      });
    },
  };
}
