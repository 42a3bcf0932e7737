/**
 * Generative adversarial networks (Goodfellow et al. 2014) with the non-saturating generator loss
 * and one-sided label smoothing (Salimans et al. 2016), or WGAN-GP (Gulrajani et al. 2017): a
 * critic with a gradient penalty on ||grad_x D(x_hat)|| at random interpolates of real and fake.
 *
 * Generator and discriminator are any `Layer` from @aml/nn, so MLP and DCGAN-style nets share
 * this code. The gradient penalty differentiates the critic with respect to its input inside a
 * loss differentiated for the weights (nested tf.grad): use tape-safe activations (leakyRelu is).
 */
import { nonNegativeNumber, type Optimizer, positiveInt, type Rng, type StepResult, tf } from '@aml/core';
import { mlp, type Layer, type LayerActivation } from '@aml/nn';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';

/** Adversarial training settings. */
export interface GanConfig {
  /** Latent (noise) dimension, >= 1. */
  readonly latentSize: number;
  /** 'nonSaturating' (BCE with logits) or 'wgan-gp' (Wasserstein critic with gradient penalty). */
  readonly loss: 'nonSaturating' | 'wgan-gp';
  /** Target for real examples in the discriminator loss: 1, or 0.9 for one-sided label smoothing (default 1). */
  readonly realLabel?: number;
  /** Gradient-penalty weight lambda (wgan-gp; default 10). */
  readonly gpWeight?: number;
  /** Discriminator/critic updates per generator update (default 1; 5 is usual for wgan-gp). */
  readonly criticSteps?: number;
}

const schema = z.strictObject({
  latentSize: positiveInt('latentSize'),
  loss: z.enum(['nonSaturating', 'wgan-gp']),
  realLabel: z.number().gt(0.5, 'realLabel must be in (0.5, 1]').max(1, 'realLabel must be in (0.5, 1]').default(1),
  gpWeight: nonNegativeNumber('gpWeight').default(10),
  criticSteps: positiveInt('criticSteps').default(1),
});

/**
 * A GAN: generator z (B, latentSize) -> x (B, ...X); discriminator x (B, ...X) -> (B, 1) logits (or critic values).
 * Worked example with custom nets:
 *   const G = mlp({ sizes: [8, 64, 2], activation: 'leakyRelu' }, rng);
 *   const D = mlp({ sizes: [2, 64, 1], activation: 'leakyRelu' }, rng);
 *   const gan = createGan({ latentSize: 8, loss: 'wgan-gp', criticSteps: 5 }, G, D);
 */
export interface Gan {
  readonly config: Required<GanConfig>;
  readonly generator: Layer;
  readonly discriminator: Layer;
}

/** Wrap a generator and a discriminator (validates the config). */
export function createGan(config: GanConfig, generator: Layer, discriminator: Layer): Gan {
  return { config: parseConfig(schema, config, 'GAN'), generator, discriminator };
}

/** MLP GAN settings (course: LeakyReLU hidden layers; tanh output for data in [-1, 1]). */
export interface MlpGanConfig extends GanConfig {
  /** Data dimension d. */
  readonly dataSize: number;
  /** Hidden widths of both networks (e.g. [256, 256]). */
  readonly hidden: readonly number[];
  /** Generator output activation (default 'identity'; 'tanh' for data scaled to [-1, 1]). */
  readonly outputActivation?: LayerActivation;
}

/** MLP generator latent -> hidden -> d and discriminator d -> hidden -> 1, LeakyReLU hidden units. */
export function mlpGan(config: MlpGanConfig, rng: Rng): Gan {
  const { dataSize, hidden, outputActivation, ...gc } = config;
  parseConfig(schema, gc, 'GAN');
  const G = mlp(
    {
      sizes: [gc.latentSize, ...hidden, dataSize],
      activation: 'leakyRelu',
      outputActivation: outputActivation ?? 'identity',
      name: 'gan.G',
    },
    rng,
  );
  const D = mlp({ sizes: [dataSize, ...hidden, 1], activation: 'leakyRelu', name: 'gan.D' }, rng);
  return createGan(gc, G, D);
}

/** z ~ N(0, I), (n, latentSize). */
export function sampleLatent(gan: Gan, n: number, rng: Rng): tf.Tensor2D {
  return tf.randomNormal([n, gan.config.latentSize], 0, 1, 'float32', rng.seed());
}

/** n generator samples, (n, ...X). */
export function sampleGan(gan: Gan, n: number, rng: Rng): tf.Tensor {
  return tf.tidy(() => gan.generator.apply(sampleLatent(gan, n, rng)));
}

/** BCE with logits, mean over the batch: softplus(l) - y l. logits (B, 1). */
function bceLogits(logits: tf.Tensor, target: number): tf.Scalar {
  return tf.softplus(logits).sub(logits.mul(target)).mean() as tf.Scalar;
}

/**
 * Gradient penalty mean_b (||grad_x D(x_hat_b)||_2 - 1)^2 at x_hat = e real + (1 - e) fake, e ~ U(0, 1) per example.
 * real, fake: (B, ...X). Differentiable with respect to the critic's weights.
 */
export function gradientPenalty(D: Layer, real: tf.Tensor, fake: tf.Tensor, rng: Rng): tf.Scalar {
  return tf.tidy(() => {
    const B = real.shape[0];
    const eShape = [B, ...real.shape.slice(1).map(() => 1)];
    const e = tf.randomUniform(eShape, 0, 1, 'float32', rng.seed());
    const xHat = real.mul(e).add(fake.mul(tf.scalar(1).sub(e)));
    const g = tf.grad((x: tf.Tensor) => D.apply(x).sum())(xHat); // (B, ...X)
    const norm = g.reshape([B, -1]).square().sum(1).add(1e-12).sqrt(); // (B)
    return norm.sub(1).square().mean() as tf.Scalar;
  });
}

/** Discriminator (or critic) loss on real (B, ...X) and fake (B, ...X) batches, with its terms. */
export function discriminatorLoss(
  gan: Gan,
  real: tf.Tensor,
  fake: tf.Tensor,
  rng: Rng,
): { loss: tf.Scalar; gp: tf.Scalar | null } {
  const D = gan.discriminator;
  if (gan.config.loss === 'nonSaturating') {
    return {
      loss: tf.tidy(() => bceLogits(D.apply(real), gan.config.realLabel).add(bceLogits(D.apply(fake), 0)) as tf.Scalar),
      gp: null,
    };
  }
  const out = tf.tidy(() => {
    const gp = gradientPenalty(D, real, fake, rng);
    const w = D.apply(fake).mean().sub(D.apply(real).mean());
    return { loss: w.add(gp.mul(gan.config.gpWeight)) as tf.Scalar, gp };
  });
  return out;
}

/** Generator loss on latents z (B, k): -log D(G(z)) (non-saturating) or -D(G(z)) (WGAN). */
export function generatorLoss(gan: Gan, z: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const out = gan.discriminator.apply(gan.generator.apply(z));
    return (gan.config.loss === 'nonSaturating' ? bceLogits(out, 1) : out.mean().neg()) as tf.Scalar;
  });
}

/**
 * One adversarial step on a real batch (B, ...X): `criticSteps` discriminator updates (fresh fakes each),
 * then one generator update. Returns the last discriminator loss with terms { d, g, gp }. Leaves no tensors.
 * Fits core's `train({ customStep })`.
 */
export function ganStep(gan: Gan, real: tf.Tensor, optG: Optimizer, optD: Optimizer, rng: Rng): StepResult {
  const B = real.shape[0];
  let d = NaN;
  let gp = 0;
  for (let s = 0; s < gan.config.criticSteps; s++) {
    const fake = tf.tidy(() => gan.generator.apply(sampleLatent(gan, B, rng))); // a constant for D's update
    d = optD.minimize(() => {
      const l = discriminatorLoss(gan, real, fake, rng);
      if (l.gp) gp = l.gp.dataSync()[0];
      return l.loss;
    }, gan.discriminator.params);
    fake.dispose();
  }
  const z = sampleLatent(gan, B, rng);
  const g = optG.minimize(() => generatorLoss(gan, z), gan.generator.params);
  z.dispose();
  return { loss: d, terms: { d, g, gp } };
}
