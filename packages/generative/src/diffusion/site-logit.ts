/**
 * The own-site evidence of a binary-x0 denoiser, added in closed form. Both the Gaussian forward process
 * and the flip process corrupt every site independently, so for data in {-1, +1}
 *   p(x0_i | x_t) ∝ q(x_t,i | x0_i) p(x0_i | x_t,-i),   logit_i = 2 k_t x_t,i + g_i(x_t,-i),
 * where 2 k_t x_t,i is the log-likelihood ratio of the site's own noisy value: k_t = sqrt(ab_t) / (1 - ab_t)
 * for x_t = sqrt(ab_t) x_0 + sqrt(1 - ab_t) eps, k_t = atanh(r_t) for spins kept with correlation r_t.
 * Why: k_t spans 0 (pure noise) to ~10^4 (t = 0) over the schedule; a network whose time enters only as
 * per-channel biases cannot easily produce that multiplicative scale, while g_i, the evidence from the
 * neighbours, stays of order the couplings. With the skip, the network learns g only.
 */
import { tf } from '@aml/core';
import type { Denoiser } from './denoiser';
import type { NoiseSchedule } from './schedule';

/** k_t = sqrt(ab_t) / (1 - ab_t) per step (length T): the Gaussian process's own-site logit is 2 k_t x_t,i. */
export function gaussianSiteCoefficients(schedule: NoiseSchedule): Float64Array {
  return schedule.alphaBars.map((ab) => Math.sqrt(ab) / (1 - ab));
}

/**
 * Wrap a logit denoiser as l(x_t, t) = 2 k_t x_t + net(x_t, t), with k (length T) from
 * `gaussianSiteCoefficients` or `flipSiteCoefficients`. Same parameters as `model`; x (B, ...X) -> (B, ...X).
 * @example
 *   const net = withSiteLogit(latticeDenoiser({ width: 16 }, rng), gaussianSiteCoefficients(sched));
 *   binaryDdpmStep(net, sched, spins, opt, rng);
 */
export function withSiteLogit(model: Denoiser, k: ArrayLike<number>): Denoiser {
  if (k.length === 0)
    throw new Error(
      'withSiteLogit: the coefficient table k is empty; pass gaussianSiteCoefficients(schedule) or flipSiteCoefficients(schedule)',
    );
  for (let t = 0; t < k.length; t++) {
    if (!Number.isFinite(k[t]))
      throw new Error(`withSiteLogit: k[${t}] = ${k[t]} is not finite (a step that keeps the data exactly, beta = 0?)`);
  }
  const table = Float32Array.from(k, (v) => 2 * v);
  return {
    params: model.params,
    predict: (x, t) =>
      tf.tidy(() => {
        const B = x.shape[0];
        const c = tf.gather(tf.tensor1d(table), t.toInt()).reshape([B, ...new Array(x.rank - 1).fill(1)]); // (B, 1, ..., 1)
        return model.predict(x, t).add(x.mul(c));
      }),
  };
}
