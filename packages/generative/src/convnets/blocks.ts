/**
 * Small building blocks for the convolutional generative nets (conv VAE, DCGAN, U-Net), written
 * as @aml/nn `Layer`s. TODO(nn): the reshape layer and GroupNorm belong in @aml/nn; move them
 * there when nn grows them.
 */
import { tf } from '@aml/core';
import { activationFn, collect, type Layer, type LayerActivation } from '@aml/nn';
import { ownedVariable } from '../util/variables';
import { groupNormOp } from './group-norm';

/** Apply layers in order (like nn's `sequential`, named for errors). Shapes follow the layers. */
export function chain(name: string, layers: readonly Layer[]): Layer {
  return { name, ...collect(layers), apply: (x, o) => tf.tidy(() => layers.reduce((h, l) => l.apply(h, o), x)) };
}

/** Reshape every example: (B, ...) -> (B, ...shape). */
export function reshapeLayer(shape: readonly number[]): Layer {
  return {
    name: `reshape (${shape.join(', ')})`,
    params: [],
    kernels: [],
    state: [],
    apply: (x) => x.reshape([x.shape[0], ...shape]),
  };
}

/** A parameter-free activation layer. */
export function act(name: LayerActivation): Layer {
  const f = activationFn(name);
  return { name: `activation '${name}'`, params: [], kernels: [], state: [], apply: (x) => tf.tidy(() => f(x)) };
}

/**
 * Group normalisation (Wu & He 2018) over (H, W, C/G) per example and group, with a learned
 * per-channel scale and shift. (B, H, W, C) -> (B, H, W, C); C must be divisible by `groups`.
 */
export function groupNorm(channels: number, groups: number, eps = 1e-5): Layer {
  if (channels % groups !== 0)
    throw new Error(`groupNorm: channels (${channels}) must be divisible by groups (${groups})`);
  const gamma = ownedVariable(tf.ones([channels]));
  const beta = ownedVariable(tf.zeros([channels]));
  return {
    name: `groupNorm(${groups})`,
    params: [gamma, beta],
    kernels: [],
    state: [],
    apply: (x) => tf.tidy(() => groupNormOp(x as tf.Tensor4D, gamma as tf.Tensor1D, beta as tf.Tensor1D, groups, eps)),
  };
}
