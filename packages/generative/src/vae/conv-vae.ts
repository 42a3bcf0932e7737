/**
 * Convolutional VAE for small images (course: Keras conv VAE, week-15 comparison): two stride-2
 * convolutions down to (S/4, S/4, 2w), a dense map to [mu, logVar]; the decoder mirrors it with
 * transposed convolutions. Images (B, S, S, C), S divisible by 4.
 */
import { check, positiveInt, type Rng } from '@aml/core';
import { conv2d, convTranspose2d, dense, flatten } from '@aml/nn';
import { act, chain, reshapeLayer } from '../convnets/blocks';
import { createVae, type Vae, type VaeConfig } from './vae';

/** Conv VAE settings. */
export interface ConvVaeConfig extends VaeConfig {
  /** Image side S (divisible by 4). */
  readonly size: number;
  /** Image channels C (default 1). */
  readonly channels?: number;
  /** Filters of the first convolution w (the second has 2w; default 16). */
  readonly width?: number;
}

/**
 * @example const vae = convVae({ size: 16, latentSize: 8, likelihood: 'bernoulli' }, new Rng(0));
 *          // encoder (B, 16, 16, 1) -> (B, 16); decoder (B, 8) -> (B, 16, 16, 1) logits
 */
export function convVae(config: ConvVaeConfig, rng: Rng): Vae {
  const { size: S, channels = 1, width: w = 16, ...vc } = config;
  if (!(Number.isInteger(S) && S >= 4 && S % 4 === 0))
    throw new Error(`convVae: size must be a positive multiple of 4, got ${S}`);
  check(positiveInt(), vc.latentSize, 'VAE: latentSize');
  const q = S / 4;
  const encoder = chain('convVae.encoder', [
    conv2d({ inChannels: channels, filters: w, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' }, rng), // (B, S/2, S/2, w)
    conv2d({ inChannels: w, filters: 2 * w, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' }, rng), // (B, S/4, S/4, 2w)
    flatten(),
    dense({ inputSize: q * q * 2 * w, units: 2 * vc.latentSize }, rng), // (B, 2k)
  ]);
  const decoder = chain('convVae.decoder', [
    dense({ inputSize: vc.latentSize, units: q * q * 2 * w, activation: 'relu', init: 'heNormal' }, rng),
    reshapeLayer([q, q, 2 * w]),
    convTranspose2d({ inChannels: 2 * w, filters: w, kernelSize: 4, strides: 2, padding: 'same' }, rng), // (B, S/2, S/2, w)
    act('relu'),
    convTranspose2d({ inChannels: w, filters: channels, kernelSize: 4, strides: 2, padding: 'same' }, rng), // (B, S, S, C)
  ]);
  return createVae(vc, encoder, decoder);
}
