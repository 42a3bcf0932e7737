/**
 * Random Fourier feature embedding (Tancik et al. 2020, "Fourier Features Let Networks
 * Learn High Frequency Functions in Low Dimensional Domains", arXiv:2006.10739; Wang, Wang
 * & Perdikaris 2021, "On the eigenvector bias of Fourier feature networks", arXiv:2012.10047).
 *
 * gamma(x) = [cos(x B), sin(x B)], B (d, m/2) with entries N(0, sigma^2): all cosines first,
 * then all sines, and NO 2 pi factor (the jaxpi and DeepXDE convention, so jaxpi's sigma
 * values carry over; a Tancik sigma is this sigma / (2 pi)). B is trainable by default, as
 * in jaxpi (whose published errors use a trainable B); `trainable: false` freezes it (Tancik, DeepXDE).
 * sigma may differ per input (row of B): a fast direction such as time in a wave travelling 30 units
 * per unit time needs larger frequencies than a slow one.
 */
import { tf, type NetOps, type Rng } from '@aml/core';

/** Fourier-feature settings. */
export interface FourierSpec {
  /**
   * Standard deviation of B's entries (jaxpi uses 1 or 2 on inputs scaled to about [-1, 1]): one number
   * for every input, or one per input name, e.g. `{ t: 10, x: 1 }` (a periodic input's cos and sin
   * columns share its sigma).
   */
  readonly sigma: number | Readonly<Record<string, number>>;
  /** Embedding width m (even; m/2 frequencies). Default 128. */
  readonly features?: number;
  /** Train B with the other weights (default true, as jaxpi). */
  readonly trainable?: boolean;
}

/**
 * The embedding's frequency matrix B (d, m/2), registered in params as `B`. `rowSigma` gives each
 * row's standard deviation (required when `spec.sigma` is per input name; `createNetwork` resolves it).
 */
export function createFourier(
  params: Record<string, tf.Variable>,
  d: number,
  spec: FourierSpec,
  rng: Rng,
  rowSigma?: readonly number[],
): tf.Variable {
  const m = spec.features ?? 128;
  const sigma = spec.sigma;
  let values: Float32Array;
  if (typeof sigma === 'number') values = rng.normalArray((d * m) / 2, 0, sigma);
  else {
    if (!rowSigma || rowSigma.length !== d)
      throw new Error(`createFourier: sigma per input needs ${d} row scales (rowSigma), got ${rowSigma?.length ?? 0}`);
    values = rng.normalArray((d * m) / 2, 0, 1);
    for (let i = 0; i < d; i++) for (let j = 0; j < m / 2; j++) values[i * (m / 2) + j] *= rowSigma[i];
  }
  const B = tf.tidy(() => tf.variable(tf.tensor2d(values, [d, m / 2]), spec.trainable ?? true));
  params.B = B;
  return B;
}

/** x (N, d) -> [cos(x B), sin(x B)] (N, m). */
export function fourierEmbedding<T>(ops: NetOps<T>, x: T, B: tf.Variable): T {
  const z = ops.matMul(x, B as tf.Tensor2D);
  return ops.concatColumns([ops.cos(z), ops.sin(z)]);
}
