/**
 * Random Fourier feature embedding (Tancik et al. 2020, "Fourier Features Let Networks
 * Learn High Frequency Functions in Low Dimensional Domains", arXiv:2006.10739; Wang, Wang
 * & Perdikaris 2021, "On the eigenvector bias of Fourier feature networks", arXiv:2012.10047).
 *
 * gamma(x) = [cos(x B), sin(x B)], B (d, m/2) with entries N(0, sigma^2): all cosines first,
 * then all sines, and NO 2 pi factor (the jaxpi and DeepXDE convention, so jaxpi's sigma
 * values carry over; a Tancik sigma is this sigma / (2 pi)). B is trainable by default, as
 * in jaxpi (whose published errors use a trainable B); `trainable: false` freezes it (Tancik, DeepXDE).
 */
import { tf, type NetOps, type Rng } from '@aml/core';

/** Fourier-feature settings. */
export interface FourierSpec {
  /** Standard deviation of B's entries (jaxpi uses 1 or 2 on inputs scaled to about [-1, 1]). */
  readonly sigma: number;
  /** Embedding width m (even; m/2 frequencies). Default 128. */
  readonly features?: number;
  /** Train B with the other weights (default true, as jaxpi). */
  readonly trainable?: boolean;
}

/** The embedding's frequency matrix B (d, m/2), registered in params as `B`. */
export function createFourier(
  params: Record<string, tf.Variable>,
  d: number,
  spec: FourierSpec,
  rng: Rng,
): tf.Variable {
  const m = spec.features ?? 128;
  const B = tf.tidy(() =>
    tf.variable(tf.tensor2d(rng.normalArray((d * m) / 2, 0, spec.sigma), [d, m / 2]), spec.trainable ?? true),
  );
  params.B = B;
  return B;
}

/** x (N, d) -> [cos(x B), sin(x B)] (N, m). */
export function fourierEmbedding<T>(ops: NetOps<T>, x: T, B: tf.Variable): T {
  const z = ops.matMul(x, B as tf.Tensor2D);
  return ops.concatColumns([ops.cos(z), ops.sin(z)]);
}
