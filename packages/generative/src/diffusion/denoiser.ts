/**
 * Noise-prediction networks for DDPM: the `Denoiser` contract, the sinusoidal time embedding
 * (Vaswani et al. 2017, as used by Ho et al. 2020) and an MLP denoiser for vector data.
 */
import { tf, type Rng } from '@aml/core';
import { mlp, type Layer, type LayerActivation } from '@aml/nn';

/**
 * Predicts the noise eps in x_t = sqrt(ab_t) x_0 + sqrt(1 - ab_t) eps.
 *
 * Worked example, the exact denoiser of 1D data N(m, s^2) (no parameters; the sampler tests use it):
 *   const exact = (ab: Float64Array): Denoiser => ({
 *     params: [],
 *     predict: (x, t) => tf.tidy(() => {
 *       const a = tf.gather(tf.tensor1d(Float32Array.from(ab)), t.toInt()).reshape([-1, 1]); // (B, 1)
 *       return x.sub(a.sqrt().mul(m)).mul(tf.scalar(1).sub(a).sqrt()).div(a.mul(s * s).add(tf.scalar(1).sub(a)));
 *     }),
 *   });
 */
export interface Denoiser {
  /** Trainable variables. */
  readonly params: readonly tf.Variable[];
  /** eps_hat for x_t (B, ...X) at step indices t (B) (float tensor of integers 0..T-1); returns (B, ...X). */
  predict(x: tf.Tensor, t: tf.Tensor1D): tf.Tensor;
}

/**
 * Sinusoidal embedding of step indices, (B) -> (B, dim): [sin(t w_k), cos(t w_k)], w_k = 10000^(-k/(dim/2)).
 */
export function timeEmbedding(t: tf.Tensor1D, dim: number): tf.Tensor2D {
  if (!(Number.isInteger(dim) && dim >= 2 && dim % 2 === 0)) throw new Error(`timeEmbedding: dim must be an even integer >= 2, got ${dim}`);
  return tf.tidy(() => {
    const half = dim / 2;
    const w = tf.exp(tf.range(0, half).mul(-Math.log(10000) / half)); // (half)
    const arg = t.reshape([-1, 1]).mul(w.reshape([1, half])); // (B, half)
    return tf.concat([tf.sin(arg), tf.cos(arg)], 1) as tf.Tensor2D;
  });
}

/** MLP denoiser settings. */
export interface MlpDenoiserConfig {
  /** Data dimension d. */
  readonly dataSize: number;
  /** Hidden widths (e.g. [128, 128, 128]). */
  readonly hidden: readonly number[];
  /** Time-embedding dimension (even, default 32). */
  readonly embeddingSize?: number;
  /** Hidden activation (default 'silu'). */
  readonly activation?: LayerActivation;
}

/**
 * MLP denoiser: [x, emb(t)] (B, d + e) -> hidden -> eps_hat (B, d).
 * @example const net = mlpDenoiser({ dataSize: 2, hidden: [128, 128, 128] }, new Rng(0));
 */
export function mlpDenoiser(config: MlpDenoiserConfig, rng: Rng): Denoiser {
  const e = config.embeddingSize ?? 32;
  const d = config.dataSize;
  if (!(Number.isInteger(d) && d >= 1)) throw new Error(`mlpDenoiser: dataSize must be an integer >= 1, got ${d}`);
  const net: Layer = mlp({ sizes: [d + e, ...config.hidden, d], activation: config.activation ?? 'silu', name: 'denoiser' }, rng);
  return {
    params: net.params,
    predict: (x, t) => tf.tidy(() => net.apply(tf.concat([x, timeEmbedding(t, e)], 1))),
  };
}
