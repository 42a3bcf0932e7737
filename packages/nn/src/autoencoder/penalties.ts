/**
 * Training objectives of the autoencoder variants:
 *   denoising   (Vincent et al. 2008): reconstruct x from a corrupted x~ (Gaussian noise or dropout)
 *   sparse:     + lambda mean |z|                          (L1 on the code)
 *   contractive (Rifai et al. 2011): + lambda mean_n ||dz/dx (x_n)||_F^2
 */
import { tf, type Rng } from '@aml/core';
import type { Layer } from '../layers/layer';
import { mse } from '../losses/losses';
import type { Autoencoder } from './autoencoders';

/** Corruption for denoising: additive Gaussian noise of std `gaussian`, or dropout of `dropout` (inputs zeroed, not rescaled). */
export interface Corruption {
  readonly gaussian?: number;
  readonly dropout?: number;
}

/** Corrupt x (any shape) with a seeded draw. */
export function corrupt(x: tf.Tensor, c: Corruption, rng: Rng): tf.Tensor {
  return tf.tidy(() => {
    let y = x;
    if (c.gaussian) y = tf.add(y, tf.randomNormal(x.shape, 0, c.gaussian, 'float32', rng.seed()));
    if (c.dropout)
      y = tf.mul(
        y,
        tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', rng.seed()), c.dropout), 'float32'),
      );
    return y;
  });
}

/**
 * Frobenius norm squared of the encoder's Jacobian, averaged over the batch:
 * (1/N) sum_n sum_k ||d z_k / d x (x_n)||^2. x (N, d) -> scalar. Differentiable for the weights
 * (nested gradients; the layers' activations are tape-safe).
 */
export function contractivePenalty(encoder: Layer, x: tf.Tensor2D, latent: number): tf.Scalar {
  return tf.tidy(() => {
    const N = x.shape[0];
    let s: tf.Tensor = tf.scalar(0);
    for (let k = 0; k < latent; k++) {
      // rows are independent, so d(sum_n z_nk)/dx_n = dz_nk/dx_n
      const g = tf.grad((xx: tf.Tensor) => tf.sum(encoder.apply(xx).slice([0, k], [N, 1])))(x);
      s = tf.add(s, tf.sum(tf.square(g)));
    }
    return tf.div(s, N) as tf.Scalar;
  });
}

/** Options of `autoencoderLoss`. */
export interface AutoencoderLossOptions {
  /** Corrupt the input before encoding (denoising AE). */
  readonly corruption?: Corruption;
  /** Generator for the corruption (required with `corruption`). */
  readonly rng?: Rng;
  /** L1 weight on the code (sparse AE). */
  readonly sparsity?: number;
  /** Jacobian penalty weight (contractive AE; dense encoders on (N, d) inputs). */
  readonly contractive?: number;
  /** Reconstruction loss (default MSE). */
  readonly reconstruction?: (pred: tf.Tensor, target: tf.Tensor) => tf.Scalar;
}

/** Reconstruction loss of x plus the selected penalties; training mode. */
export function autoencoderLoss(ae: Autoencoder, x: tf.Tensor, o: AutoencoderLossOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    if (o.corruption && !o.rng) throw new Error('autoencoderLoss: corruption needs an rng');
    const input = o.corruption ? corrupt(x, o.corruption, o.rng!) : x;
    const z = ae.encoder.apply(input, { training: true });
    const rec = (o.reconstruction ?? mse)(ae.decoder.apply(z, { training: true }), x);
    let loss: tf.Tensor = rec;
    if (o.sparsity) loss = tf.add(loss, tf.mul(o.sparsity, tf.mean(tf.abs(z))));
    if (o.contractive)
      loss = tf.add(loss, tf.mul(o.contractive, contractivePenalty(ae.encoder, input as tf.Tensor2D, ae.latent)));
    return loss as tf.Scalar;
  });
}
