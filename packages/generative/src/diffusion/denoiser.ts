/**
 * Noise-prediction networks for DDPM: the `Denoiser` contract, the sinusoidal time embedding
 * (Vaswani et al. 2017, as used by Ho et al. 2020) and an MLP denoiser for vector data.
 */
import { check, positiveInt, type Rng, tf } from '@aml/core';
import { activationFn, dense, type Dense, type LayerActivation } from '@aml/nn';

/**
 * Predicts the noise eps in x_t = sqrt(ab_t) x_0 + sqrt(1 - ab_t) eps (`ddpmLoss`, the default sampler); for
 * data in {-1, +1} the same contract carries the logit of p(x_0 = +1 | x_t) per site instead (`binaryDdpmLoss` with
 * `sampleAncestral(..., { prediction: 'x0-binary' })`, and the flip diffusion of binary.ts).
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
  /** eps_hat (or the x_0 logit) for x_t (B, ...X) at step indices t (B) (float tensor of integers 0..T-1); returns (B, ...X). */
  predict(x: tf.Tensor, t: tf.Tensor1D): tf.Tensor;
}

/**
 * Sinusoidal embedding of step indices, (B) -> (B, dim): [sin(t w_k), cos(t w_k)], w_k = 10000^(-k/(dim/2)).
 */
export function timeEmbedding(t: tf.Tensor1D, dim: number): tf.Tensor2D {
  if (!(Number.isInteger(dim) && dim >= 2 && dim % 2 === 0))
    throw new Error(`timeEmbedding: dim must be an even integer >= 2, got ${dim}`);
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
 * MLP denoiser with the time embedding added to every hidden layer (as the U-Net adds it to every
 * block; conditioning only the input layer trains far slower on 64-dimensional Ising data):
 *   h_1 = f(W_1 x + P_1 emb(t) + b_1),  h_i = f(W_i h_{i-1} + P_i emb(t) + b_i),  eps_hat = W_out h_L + b_out.
 * (B, d) and (B) -> (B, d).
 * @example const net = mlpDenoiser({ dataSize: 2, hidden: [128, 128, 128] }, new Rng(0));
 */
export function mlpDenoiser(config: MlpDenoiserConfig, rng: Rng): Denoiser {
  const e = config.embeddingSize ?? 32;
  const d = config.dataSize;
  check(positiveInt(), d, 'mlpDenoiser: dataSize');
  if (config.hidden.length === 0) throw new Error('mlpDenoiser: hidden needs at least one layer');
  const f = activationFn(config.activation ?? 'silu', 'mlpDenoiser');
  const sizes = [d, ...config.hidden];
  const layers: Dense[] = [],
    proj: Dense[] = [];
  for (let i = 0; i < config.hidden.length; i++) {
    layers.push(dense({ inputSize: sizes[i], units: sizes[i + 1], init: 'heNormal', name: `denoiser.${i}` }, rng));
    proj.push(dense({ inputSize: e, units: sizes[i + 1], useBias: false, name: `denoiser.t${i}` }, rng));
  }
  const out = dense({ inputSize: sizes[sizes.length - 1], units: d, name: 'denoiser.out' }, rng);
  return {
    params: [...layers, ...proj, out].flatMap((l) => l.params),
    predict: (x, t) =>
      tf.tidy(() => {
        const emb = timeEmbedding(t, e); // (B, e)
        const h = layers.reduce((h, l, i) => f(l.apply(h).add(proj[i].apply(emb))), x); // (B, hidden)
        return out.apply(h); // (B, d)
      }),
  };
}
