/**
 * Importance-weighted bound (IWAE; Burda, Grosse & Salakhutdinov 2016) for any VAE of vae.ts:
 *
 *   L_K(x) = E[ log (1/K) sum_k p(x, z_k) / q(z_k | x) ],   z_1..z_K ~ q(z | x) independently,
 *
 * with L_1 = ELBO <= L_K <= L_{K+1} <= log p(x), and L_K -> log p(x) as K grows. Trained on L_K, the
 * model is no longer penalised for posteriors that q cannot match, so it can put more information in
 * z; with a factorised (Bernoulli) decoder that is the only place correlations between outputs live.
 * The bound is the true (beta = 1) one: the VAE's beta is not used.
 */
import { check, type Optimizer, positiveInt, type Rng, type StepResult, tf } from '@aml/core';
import { decode, encode, reconstructionNll, type Vae } from './vae';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Per-example log importance weights log p(x, z_k) - log q(z_k | x), shape (K, B), for x (B, ...X).
 * Row k uses the k-th draw z_k = mu + exp(logVar / 2) eps_k.
 */
export function iwaeLogWeights(vae: Vae, x: tf.Tensor, K: number, rng: Rng): tf.Tensor2D {
  check(positiveInt(), K, 'IWAE: samples K');
  return tf.tidy(() => {
    const B = x.shape[0];
    const { mu, logVar } = encode(vae, x); // (B, k)
    const muK = tf.tile(mu, [K, 1]),
      lvK = tf.tile(logVar, [K, 1]); // (K*B, k), row k*B + b
    const eps = tf.randomNormal(muK.shape, 0, 1, 'float32', rng.seed());
    const z = muK.add(lvK.mul(0.5).exp().mul(eps)) as tf.Tensor2D; // (K*B, k)
    const xK = tf.tile(x, [K, ...x.shape.slice(1).map(() => 1)]); // (K*B, ...X)
    const logPx = reconstructionNll(vae, decode(vae, z), xK).neg(); // (K*B)
    const logPz = z.square().add(LOG_2PI).sum(1).mul(-0.5); // (K*B)
    const logQz = eps.square().add(lvK).add(LOG_2PI).sum(1).mul(-0.5); // (K*B): (z - mu)^2 / sigma^2 = eps^2
    return logPx.add(logPz).sub(logQz).reshape([K, B]) as tf.Tensor2D;
  });
}

/** -L_K averaged over the batch, a scalar (caller disposes). x (B, ...X). */
export function iwaeLoss(vae: Vae, x: tf.Tensor, K: number, rng: Rng): tf.Scalar {
  return tf.tidy(
    () =>
      tf
        .logSumExp(iwaeLogWeights(vae, x, K, rng), 0)
        .sub(Math.log(K))
        .mean()
        .neg() as tf.Scalar,
  );
}

/**
 * One optimizer step on -L_K for a batch; returns the loss before the update. Leaves no tensors.
 * @example for (const x of batches) iwaeStep(vae, x, 8, opt, rng);
 */
export function iwaeStep(vae: Vae, x: tf.Tensor, K: number, optimizer: Optimizer, rng: Rng): StepResult {
  return { loss: optimizer.minimize(() => iwaeLoss(vae, x, K, rng), vae.params) };
}
