/**
 * VAE with an autoregressive decoder (PixelVAE, Gulrajani et al. 2017; VLAE, Chen et al. 2017) for
 * binary data: q(z|x) = N(mu(x), diag e^logVar(x)) from an MLP encoder, p(z) = N(0, I), and
 *
 *   p(x | z) = prod_i p(x_i | x_<i, z),   a conditional MADE with Bernoulli conditionals.
 *
 * A factorised decoder can only express correlations between outputs through z; this one carries
 * them itself (nearest-neighbour bonds of Ising spins, say), so log p(x|z) is exact (teacher forcing)
 * and the loss is the usual -ELBO with the closed-form KL. The price is sampling: d sequential passes.
 * If the decoder is strong enough it may ignore z (posterior collapse, KL -> 0): the model is then a
 * plain MADE, still exact and valid. Free bits (Kingma et al. 2016) or a KL warm-up push against it.
 *
 * Use it over mlpVae when the data's components are strongly dependent given any low-dimensional
 * code (lattice spins, binarised images); use mlpVae when one pass per sample matters more.
 */
import {
  check,
  intAtLeast,
  nonNegativeNumber,
  type Optimizer,
  positiveInt,
  type Rng,
  type StepResult,
  tf,
} from '@aml/core';
import { mlp, type Layer } from '@aml/nn';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';
import {
  conditionalMade,
  conditionalMadeLogProb,
  disposeConditionalMade,
  sampleConditionalMade,
  type ConditionalMade,
} from '../autoregressive/conditional-made';
import { reparameterise } from './vae';

/** AR-decoder VAE settings. */
export interface ArVaeConfig {
  /** Data dimension d >= 2 (x in {0,1}^d). */
  readonly inputSize: number;
  /** Latent dimension k >= 1. */
  readonly latentSize: number;
  /** Encoder hidden widths (ReLU MLP d -> ... -> 2k), e.g. [256]. */
  readonly encoderHidden: readonly number[];
  /** Decoder (conditional MADE) hidden widths, each >= d - 1, e.g. [256, 256]. */
  readonly decoderHidden: readonly number[];
  /** Weight of the KL term (default 1, the true ELBO). */
  readonly beta?: number;
  /** Free bits: batch-mean KL of each latent dimension is counted as at least this many nats (default 0: off). */
  readonly freeBits?: number;
  /** Direct masked x -> logits weight in the decoder (default true). */
  readonly direct?: boolean;
}

const schema = z.strictObject({
  inputSize: intAtLeast(2, 'inputSize'),
  latentSize: positiveInt('latentSize'),
  encoderHidden: z.array(positiveInt()),
  decoderHidden: z.array(positiveInt()).min(1, 'decoderHidden needs at least one layer'),
  beta: nonNegativeNumber('beta').default(1),
  freeBits: nonNegativeNumber('freeBits').default(0),
  direct: z.boolean().default(true),
});

/** An AR-decoder VAE: encoder x (B, d) -> (B, 2k) = [mu, logVar]; decoder a conditional MADE with context z. */
export interface ArVae {
  readonly config: Required<ArVaeConfig>;
  readonly encoder: Layer;
  readonly decoder: ConditionalMade;
  readonly params: readonly tf.Variable[];
}

/**
 * Build an AR-decoder VAE.
 * @example const vae = arVae({ inputSize: 64, latentSize: 8, encoderHidden: [256], decoderHidden: [256, 256] }, new Rng(0));
 */
export function arVae(config: ArVaeConfig, rng: Rng): ArVae {
  const c = parseConfig(schema, config, 'AR-VAE');
  const d = c.inputSize,
    k = c.latentSize;
  for (const h of c.decoderHidden)
    if (h < d - 1)
      throw new Error(
        `AR-VAE: decoderHidden width ${h} is below inputSize - 1 = ${d - 1}; the MADE decoder needs widths >= ${d - 1}`,
      );
  const encoder = mlp({ sizes: [d, ...c.encoderHidden, 2 * k], activation: 'relu', name: 'arVae.encoder' }, rng);
  const decoder = conditionalMade({ dim: d, hidden: c.decoderHidden, contextSize: k, direct: c.direct }, rng);
  return { config: c, encoder, decoder, params: [...encoder.params, ...decoder.params] };
}

/** q(z|x): mean and log-variance, each (B, k), for x (B, d). */
export function arVaeEncode(vae: ArVae, x: tf.Tensor2D): { mu: tf.Tensor2D; logVar: tf.Tensor2D } {
  const d = vae.config.inputSize;
  if (x.rank !== 2 || x.shape[1] !== d)
    throw new Error(`AR-VAE: input must have shape (B, ${d}), got (${x.shape.join(', ')})`);
  return tf.tidy(() => {
    const [mu, logVar] = tf.split(vae.encoder.apply(x) as tf.Tensor2D, 2, 1) as [tf.Tensor2D, tf.Tensor2D]; // (B, k) each
    return { mu, logVar };
  });
}

/** Exact decoder log-likelihood log p(x | z) by teacher forcing: x (B, d), z (B, k) -> (B). */
export function arVaeDecoderLogProb(vae: ArVae, x: tf.Tensor2D, z: tf.Tensor2D): tf.Tensor1D {
  return conditionalMadeLogProb(vae.decoder, x, z);
}

/**
 * -ELBO-type loss on a batch x (B, d): recon + beta * KL', where KL' clamps each latent dimension's
 * batch-mean KL below at freeBits. Terms: recon = E_q[-log p(x|z)] and kl = KL(q(z|x) || p(z)) (true,
 * unclamped), both batch means; -(recon + kl) is the ELBO. Scalars (caller disposes or runs under a tape).
 */
export function arVaeLoss(
  vae: ArVae,
  x: tf.Tensor2D,
  rng: Rng,
  beta = vae.config.beta,
): { loss: tf.Scalar; terms: { recon: tf.Scalar; kl: tf.Scalar } } {
  return tf.tidy(() => {
    const { mu, logVar } = arVaeEncode(vae, x);
    const z = reparameterise(mu, logVar, rng); // (B, k)
    const recon = arVaeDecoderLogProb(vae, x, z).mean().neg() as tf.Scalar;
    // KL per latent dimension, batch mean: 1/2 (mu^2 + e^logVar - 1 - logVar), (k)
    const klDim = mu.square().add(logVar.exp()).sub(1).sub(logVar).mul(0.5).mean(0);
    const kl = klDim.sum() as tf.Scalar;
    const lambda = vae.config.freeBits;
    const klObjective = lambda > 0 ? klDim.maximum(lambda).sum() : kl;
    return { loss: recon.add(klObjective.mul(beta)) as tf.Scalar, terms: { recon, kl } };
  });
}

/**
 * One optimizer step on the loss; returns loss, recon and kl before the update. Leaves no tensors.
 * `beta` overrides the config's for this step (a KL warm-up schedule passes its value here).
 */
export function arVaeStep(
  vae: ArVae,
  x: tf.Tensor2D,
  optimizer: Optimizer,
  rng: Rng,
  beta = vae.config.beta,
): StepResult {
  let terms: Record<string, number> = {};
  const loss = optimizer.minimize(() => {
    const l = arVaeLoss(vae, x, rng, beta);
    terms = { recon: l.terms.recon.dataSync()[0], kl: l.terms.kl.dataSync()[0] };
    return l.loss;
  }, vae.params);
  return { loss, terms };
}

/** n samples: z ~ N(0, I) (n, k), then x_1..x_d one at a time from the decoder (d passes): (n, d) in {0, 1}. */
export function sampleArVae(vae: ArVae, n: number, rng: Rng): tf.Tensor2D {
  check(positiveInt(), n, 'sampleArVae: n');
  const z = tf.randomNormal([n, vae.config.latentSize], 0, 1, 'float32', rng.seed()) as tf.Tensor2D;
  const x = sampleConditionalMade(vae.decoder, z, rng);
  z.dispose();
  return x;
}

/** Free the encoder's and decoder's variables and masks. */
export function disposeArVae(vae: ArVae): void {
  vae.encoder.params.forEach((p) => p.dispose());
  disposeConditionalMade(vae.decoder);
}
