/**
 * DCGAN-style generator and discriminator for small images (Radford et al. 2016): the generator
 * maps z through a dense layer to (S/4, S/4, 2w) and two stride-2 transposed convolutions to
 * (S, S, C) with a tanh output (data in [-1, 1]); the discriminator mirrors it with stride-2
 * convolutions and LeakyReLU, ending in one logit. Batch norm is left out (small batches, small nets).
 */
import { check, positiveInt, type Rng } from '@aml/core';
import { conv2d, convTranspose2d, dense, flatten } from '@aml/nn';
import { act, chain, reshapeLayer } from '../convnets/blocks';
import { createGan, type Gan, type GanConfig } from './gan';

/** DCGAN settings. */
export interface DcganConfig extends GanConfig {
  /** Image side S (divisible by 4). */
  readonly size: number;
  /** Image channels C (default 1). */
  readonly channels?: number;
  /** Base width w (default 32). */
  readonly width?: number;
}

/** @example const gan = dcgan({ size: 16, latentSize: 32, loss: 'nonSaturating', realLabel: 0.9 }, new Rng(0)); */
export function dcgan(config: DcganConfig, rng: Rng): Gan {
  const { size: S, channels = 1, width: w = 32, ...gc } = config;
  if (!(Number.isInteger(S) && S >= 4 && S % 4 === 0))
    throw new Error(`dcgan: size must be a positive multiple of 4, got ${S}`);
  check(positiveInt(), gc.latentSize, 'GAN: latentSize');
  const q = S / 4;
  const G = chain('dcgan.G', [
    dense({ inputSize: gc.latentSize, units: q * q * 2 * w, activation: 'relu', init: 'heNormal' }, rng),
    reshapeLayer([q, q, 2 * w]), // (B, S/4, S/4, 2w)
    convTranspose2d({ inChannels: 2 * w, filters: w, kernelSize: 4, strides: 2, padding: 'same' }, rng), // (B, S/2, S/2, w)
    act('relu'),
    convTranspose2d(
      { inChannels: w, filters: channels, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' },
      rng,
    ), // (B, S, S, C)
  ]);
  const D = chain('dcgan.D', [
    conv2d(
      { inChannels: channels, filters: w, kernelSize: 4, strides: 2, padding: 'same', activation: 'leakyRelu' },
      rng,
    ),
    conv2d({ inChannels: w, filters: 2 * w, kernelSize: 4, strides: 2, padding: 'same', activation: 'leakyRelu' }, rng),
    flatten(),
    dense({ inputSize: q * q * 2 * w, units: 1 }, rng), // (B, 1) logit
  ]);
  return createGan(gc, G, D);
}
