/**
 * Variational autoencoder (Kingma & Welling 2014): encoder q(z|x) = N(mu(x), diag exp(logVar(x))),
 * prior p(z) = N(0, I), decoder p(x|z) Bernoulli (logits) or Gaussian (mean, fixed std).
 * Loss = -ELBO per example = reconstruction NLL + beta * KL(q(z|x) || p(z)) (beta-VAE: Higgins et al. 2017).
 *
 * The networks are any `Layer` from @aml/nn, so the same code serves MLP and convolutional VAEs.
 */
import {
  check,
  intAtLeast,
  nonNegativeNumber,
  type Optimizer,
  positiveInt,
  positiveNumber,
  type Rng,
  type StepResult,
  tf,
} from '@aml/core';
import { mlp, type Layer, type LayerActivation } from '@aml/nn';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';

/** Settings shared by every VAE. */
export interface VaeConfig {
  /** Latent dimension, >= 1. */
  readonly latentSize: number;
  /** 'bernoulli' (data in [0, 1], decoder outputs logits) or 'gaussian' (decoder outputs the mean). */
  readonly likelihood: 'bernoulli' | 'gaussian';
  /** Weight of the KL term (beta-VAE; default 1, the true ELBO). */
  readonly beta?: number;
  /** Fixed std of the Gaussian decoder (default 1: reconstruction = squared error / 2 + const). */
  readonly decoderStd?: number;
}

const schema = z.strictObject({
  latentSize: positiveInt('latentSize'),
  likelihood: z.enum(['bernoulli', 'gaussian']),
  beta: nonNegativeNumber('beta').default(1),
  decoderStd: positiveNumber('decoderStd').default(1),
});

/**
 * A VAE: encoder x (B, ...X) -> (B, 2 * latentSize) = [mu, logVar]; decoder z (B, latentSize) -> (B, ...X).
 * Worked example of custom networks (any Layer works):
 *   const enc = mlp({ sizes: [784, 256, 2 * 16], activation: 'relu' }, rng);
 *   const dec = mlp({ sizes: [16, 256, 784], activation: 'relu' }, rng);
 *   const vae = createVae({ latentSize: 16, likelihood: 'bernoulli' }, enc, dec);
 */
export interface Vae {
  readonly config: Required<VaeConfig>;
  readonly encoder: Layer;
  readonly decoder: Layer;
  readonly params: readonly tf.Variable[];
}

/** Wrap an encoder and a decoder into a VAE (validates the config). */
export function createVae(config: VaeConfig, encoder: Layer, decoder: Layer): Vae {
  const c = parseConfig(schema, config, 'VAE');
  return { config: c, encoder, decoder, params: [...encoder.params, ...decoder.params] };
}

/** MLP VAE settings. */
export interface MlpVaeConfig extends VaeConfig {
  /** Flattened input size d, >= 1. */
  readonly inputSize: number;
  /** Hidden widths of the encoder; the decoder mirrors them (e.g. [256, 128]). */
  readonly hidden: readonly number[];
  /** Hidden activation (default 'relu'). */
  readonly activation?: LayerActivation;
}

/**
 * MLP VAE: d -> hidden -> 2 * latent, latent -> reversed hidden -> d.
 * @example const vae = mlpVae({ inputSize: 2, hidden: [64, 64], latentSize: 2, likelihood: 'gaussian' }, new Rng(0));
 */
export function mlpVae(config: MlpVaeConfig, rng: Rng): Vae {
  const { inputSize, hidden, activation, ...vae } = config;
  parseConfig(schema, vae, 'VAE'); // fail before building networks
  check(positiveInt(), inputSize, 'VAE: inputSize');
  const act = activation ?? 'relu';
  const enc = mlp({ sizes: [inputSize, ...hidden, 2 * vae.latentSize], activation: act, name: 'vae.encoder' }, rng);
  const dec = mlp(
    { sizes: [vae.latentSize, ...[...hidden].reverse(), inputSize], activation: act, name: 'vae.decoder' },
    rng,
  );
  return createVae(vae, enc, dec);
}

/** Encoder outputs: mean and log-variance of q(z|x), each (B, latentSize). */
export function encode(vae: Vae, x: tf.Tensor): { mu: tf.Tensor2D; logVar: tf.Tensor2D } {
  return tf.tidy(() => {
    const h = vae.encoder.apply(x) as tf.Tensor2D; // (B, 2 * latent)
    const k = vae.config.latentSize;
    if (h.rank !== 2 || h.shape[1] !== 2 * k) {
      throw new Error(`VAE: encoder must output shape (B, ${2 * k}) = [mu, logVar], got (${h.shape.join(', ')})`);
    }
    const [mu, logVar] = tf.split(h, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mu, logVar };
  });
}

/** Reparameterisation z = mu + exp(logVar / 2) * eps, eps ~ N(0, I); (B, k) each. */
export function reparameterise(mu: tf.Tensor2D, logVar: tf.Tensor2D, rng: Rng): tf.Tensor2D {
  return tf.tidy(
    () =>
      mu.add(
        logVar
          .mul(0.5)
          .exp()
          .mul(tf.randomNormal(mu.shape, 0, 1, 'float32', rng.seed())),
      ) as tf.Tensor2D,
  );
}

/** Closed-form KL(N(mu, diag e^logVar) || N(0, I)) = -1/2 sum (1 + logVar - mu^2 - e^logVar), (B, k) -> (B). */
export function gaussianKl(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.scalar(1).add(logVar).sub(mu.square()).sub(logVar.exp()).sum(1).mul(-0.5) as tf.Tensor1D);
}

/** Decoder output for z (B, k): logits (bernoulli) or mean (gaussian), shape (B, ...X). */
export function decode(vae: Vae, z: tf.Tensor2D): tf.Tensor {
  return vae.decoder.apply(z);
}

/** Reconstruction negative log-likelihood -log p(x|z) per example, (B, ...X) -> (B), in nats. */
export function reconstructionNll(vae: Vae, out: tf.Tensor, x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    if (out.shape.join() !== x.shape.join()) {
      throw new Error(`VAE: decoder output (${out.shape.join(', ')}) does not match the input (${x.shape.join(', ')})`);
    }
    const B = x.shape[0];
    const o = out.reshape([B, -1]),
      t = x.reshape([B, -1]); // (B, D)
    if (vae.config.likelihood === 'bernoulli') {
      // stable BCE with logits: softplus(l) - x l
      return tf.softplus(o).sub(t.mul(o)).sum(1) as tf.Tensor1D;
    }
    const s = vae.config.decoderStd;
    const D = t.shape[1] as number;
    return o
      .sub(t)
      .square()
      .sum(1)
      .div(2 * s * s)
      .add(D * (Math.log(s) + 0.5 * Math.log(2 * Math.PI))) as tf.Tensor1D;
  });
}

/**
 * -ELBO (with beta) averaged over the batch, and its terms. x: (B, ...X).
 * @returns { loss, terms: { recon, kl } }, scalars (caller disposes, or run under a tape).
 */
export function vaeLoss(
  vae: Vae,
  x: tf.Tensor,
  rng: Rng,
): { loss: tf.Scalar; terms: { recon: tf.Scalar; kl: tf.Scalar } } {
  return tf.tidy(() => {
    const { mu, logVar } = encode(vae, x);
    const z = reparameterise(mu, logVar, rng);
    const recon = reconstructionNll(vae, decode(vae, z), x).mean() as tf.Scalar;
    const kl = gaussianKl(mu, logVar).mean() as tf.Scalar;
    return { loss: recon.add(kl.mul(vae.config.beta)) as tf.Scalar, terms: { recon, kl } };
  });
}

/** One optimizer step on -ELBO for a batch; returns loss and terms before the update. Leaves no tensors. */
export function vaeStep(vae: Vae, x: tf.Tensor, optimizer: Optimizer, rng: Rng): StepResult {
  let terms: Record<string, number> = {};
  const loss = optimizer.minimize(() => {
    const l = vaeLoss(vae, x, rng);
    terms = { recon: l.terms.recon.dataSync()[0], kl: l.terms.kl.dataSync()[0] };
    return l.loss;
  }, vae.params);
  return { loss, terms };
}

/**
 * Draw n samples: z ~ N(0, I), then the decoder's mean (`mode: 'mean'`, default: probabilities or
 * Gaussian means) or a draw from p(x|z) (`mode: 'sample'`). @returns (n, ...X).
 */
export function sampleVae(vae: Vae, n: number, rng: Rng, mode: 'mean' | 'sample' = 'mean'): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.randomNormal([n, vae.config.latentSize], 0, 1, 'float32', rng.seed()) as tf.Tensor2D;
    return drawFromDecoder(vae, decode(vae, z), rng, mode);
  });
}

function drawFromDecoder(vae: Vae, out: tf.Tensor, rng: Rng | null, mode: 'mean' | 'sample'): tf.Tensor {
  if (vae.config.likelihood === 'bernoulli') {
    const p = tf.sigmoid(out);
    return mode === 'mean' || !rng ? p : tf.randomUniform(p.shape, 0, 1, 'float32', rng.seed()).less(p).cast('float32');
  }
  return mode === 'mean' || !rng
    ? out
    : out.add(tf.randomNormal(out.shape, 0, vae.config.decoderStd, 'float32', rng.seed()));
}

/**
 * Latent interpolation: decode mu(x1) + s (mu(x2) - mu(x1)) for s = 0, 1/(steps-1), ..., 1.
 * @param x1 one example, shape (1, ...X)
 * @param x2 another example, shape (1, ...X)
 * @returns (steps, ...X) decoder means
 */
export function interpolate(vae: Vae, x1: tf.Tensor, x2: tf.Tensor, steps: number): tf.Tensor {
  check(intAtLeast(2), steps, 'interpolate: steps');
  return tf.tidy(() => {
    const m1 = encode(vae, x1).mu,
      m2 = encode(vae, x2).mu; // (1, k)
    const s = tf.linspace(0, 1, steps).reshape([steps, 1]);
    const z = m1.add(s.mul(m2.sub(m1))) as tf.Tensor2D; // (steps, k)
    return drawFromDecoder(vae, decode(vae, z), null, 'mean');
  });
}
