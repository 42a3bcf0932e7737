/**
 * Discrete diffusion on spins +-1 with flip noise (D3PM with uniform transitions on two states,
 * Austin et al. 2021): step t flips each spin independently with probability beta_t, so after steps
 * 0..t a spin is kept with correlation r_t = prod_{s <= t} (1 - 2 beta_s) (flipped with (1 - r_t) / 2).
 * The denoiser predicts the logit of p(x_0 = +1 | x_t) per site (binary cross-entropy), and the reverse
 * step is, per site,
 *   p(x_{t-1} | x_t) = sum_{x_0} q(x_{t-1} | x_t, x_0) p(x_0 | x_t),
 *   q(x_{t-1} = s | x_t, x_0) ∝ (1 + (1 - 2 beta_t) s x_t) (1 + r_{t-1} s x_0)   (Bayes' rule).
 * Why discrete: the data are binary, so every x_t is a spin configuration and the reverse chain never
 * leaves the data's support; the per-site factorisation is exact as the steps shrink (one spin flips at a
 * time in the continuous-time limit). Index t = 0..T-1 is step t+1 of the papers; r_{-1} = 1.
 */
import { check, nonNegativeNumber, type Optimizer, positiveInt, type Rng, type StepResult, tf } from '@aml/core';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';
import type { Denoiser } from './denoiser';
import { cosineSignal } from './schedule';

/** Flip-schedule settings. */
export type FlipScheduleConfig =
  | {
      /** Cosine correlation r_t = g(t + 1) / g(0), g(u) = cos(((u / T) + s) / (1 + s) * pi / 2): the Gaussian cosine schedule's sqrt(alpha_bar). */
      readonly kind: 'cosine';
      /** Number of diffusion steps T >= 1. */
      readonly T: number;
      /** Offset s (default 0.008). */
      readonly s?: number;
    }
  | {
      /** User-given flip probabilities beta_t, each in (0, 1). */
      readonly kind: 'custom';
      readonly betas: readonly number[];
    };

const T = positiveInt('T');
const schema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cosine'), T, s: nonNegativeNumber('s').default(0.008) }),
  z.strictObject({
    kind: z.literal('custom'),
    betas: z
      .array(
        z
          .number()
          .gt(0, 'every flip probability beta must be in (0, 1)')
          .lt(1, 'every flip probability beta must be in (0, 1)'),
      )
      .min(1, 'betas must not be empty'),
  }),
]);

/** Precomputed flip schedule, arrays of length T. */
export interface FlipSchedule {
  readonly T: number;
  /** beta_t: the probability that step t flips a spin. */
  readonly betas: Float64Array;
  /** r_t = prod_{s <= t} (1 - 2 beta_s) = E[x_t x_0]: x_t keeps x_0 with probability (1 + r_t) / 2. */
  readonly retention: Float64Array;
}

/**
 * Build a flip schedule. The cosine kind ends with beta = 1/2 (x_{T-1} uniform on +-1).
 * @example const s = flipSchedule({ kind: 'cosine', T: 200 }); s.retention[199] // ~0
 */
export function flipSchedule(config: FlipScheduleConfig): FlipSchedule {
  const c = parseConfig(schema, config, 'flip schedule');
  let betas: Float64Array;
  if (c.kind === 'cosine') {
    const g = (u: number) => Math.max(cosineSignal(u, c.T, c.s), 0);
    // beta_t from r_t / r_{t-1} = 1 - 2 beta_t; clamped above 0 so every step is a real (invertible) step
    betas = Float64Array.from({ length: c.T }, (_, t) => Math.min(Math.max((1 - g(t + 1) / g(t)) / 2, 1e-8), 0.5));
  } else {
    betas = Float64Array.from(c.betas);
  }
  const retention = new Float64Array(betas.length);
  let r = 1;
  for (let t = 0; t < betas.length; t++) retention[t] = r *= 1 - 2 * betas[t];
  return { T: betas.length, betas, retention };
}

function checkSteps(schedule: FlipSchedule, t: ArrayLike<number>, B: number, what: string) {
  if (t.length !== B) throw new Error(`${what}: ${t.length} step indices for a batch of ${B}`);
  for (let b = 0; b < t.length; b++) {
    if (!(Number.isInteger(t[b]) && t[b] >= 0 && t[b] < schedule.T))
      throw new Error(`${what}: step index ${t[b]} outside 0..${schedule.T - 1}`);
  }
}

/**
 * Forward marginal: x_t = x_0 with probability (1 + r_t) / 2, else -x_0, independently per site.
 * @param x0 (B, ...X) in +-1; @param t step indices (B) in 0..T-1; @returns (B, ...X) in +-1.
 */
export function flipSample(schedule: FlipSchedule, x0: tf.Tensor, t: ArrayLike<number>, rng: Rng): tf.Tensor {
  checkSteps(schedule, t, x0.shape[0], 'flipSample');
  return tf.tidy(() => {
    const B = x0.shape[0];
    const flip = tf.tensor(
      Float32Array.from({ length: B }, (_, b) => (1 - schedule.retention[t[b]]) / 2),
      [B, ...new Array(x0.rank - 1).fill(1)],
    );
    const u = tf.randomUniform(x0.shape, 0, 1, 'float32', rng.seed());
    return tf.where(u.less(flip), x0.neg(), x0);
  });
}

/**
 * q(x_{t-1} = +1 | x_t, x_0) for one site (t >= 1; at t = 0, x_{t-1} is x_0 itself), by Bayes' rule:
 *   (1 + a x_t)(1 + r x_0) / (2 (1 + a r x_t x_0)),  a = 1 - 2 beta_t, r = r_{t-1}.
 */
export function flipPosteriorPlus(schedule: FlipSchedule, t: number, xt: number, x0: number): number {
  if (!(Number.isInteger(t) && t >= 0 && t < schedule.T))
    throw new Error(`flipPosteriorPlus: step index ${t} outside 0..${schedule.T - 1}`);
  if (t === 0) return x0 > 0 ? 1 : 0;
  const a = 1 - 2 * schedule.betas[t],
    r = schedule.retention[t - 1];
  return ((1 + a * xt) * (1 + r * x0)) / (2 * (1 + a * r * xt * x0));
}

/** k_t = atanh(r_t) per step: the flip process's own-site logit is 2 k_t x_t,i (for `withSiteLogit`). */
export function flipSiteCoefficients(schedule: FlipSchedule): Float64Array {
  return schedule.retention.map((r) => Math.atanh(r));
}

/**
 * Binary cross-entropy of the x_0 logit, mean over batch and sites of softplus(-x_0 l(x_t, t)),
 * t ~ U{0..T-1}, x_t from `flipSample`. x0 (B, ...X) in +-1.
 */
export function binaryDiffusionLoss(model: Denoiser, schedule: FlipSchedule, x0: tf.Tensor, rng: Rng): tf.Scalar {
  return tf.tidy(() => {
    const B = x0.shape[0];
    const t = Int32Array.from({ length: B }, () => rng.int(schedule.T));
    const xt = flipSample(schedule, x0, t, rng);
    return tf
      .softplus(
        model
          .predict(xt, tf.tensor1d(Float32Array.from(t)))
          .mul(x0)
          .neg(),
      )
      .mean() as tf.Scalar;
  });
}

/** One optimizer step on `binaryDiffusionLoss`; returns the loss before the update. Leaves no tensors. */
export function binaryDiffusionStep(
  model: Denoiser,
  schedule: FlipSchedule,
  x0: tf.Tensor,
  optimizer: Optimizer,
  rng: Rng,
): StepResult {
  return { loss: optimizer.minimize(() => binaryDiffusionLoss(model, schedule, x0, rng), model.params) };
}

/**
 * Reverse chain: x_{T-1} uniform on +-1, then for t = T-1..1 each site draws x_{t-1} = +1 with probability
 *   P = p q(+1 | x_t, +1) + (1 - p) q(+1 | x_t, -1),  p = sigmoid(l(x_t, t)),
 * and at t = 0 x_0 ~ Bernoulli(sigmoid(l)). The posterior coefficients are computed in float64 for
 * x_t = +1 and -1 (near t = 0, 1 - a r is ~1e-5).
 * @param shape (n, ...X); @returns (n, ...X) in +-1.
 */
export function sampleBinaryDiffusion(
  model: Denoiser,
  schedule: FlipSchedule,
  shape: readonly number[],
  rng: Rng,
): tf.Tensor {
  const n = shape[0];
  check(positiveInt(), n, 'sampleBinaryDiffusion: shape[0] (samples)');
  const spin = (u: tf.Tensor, p: tf.Tensor) => tf.where(u.less(p), tf.onesLike(p), tf.onesLike(p).neg());
  let x = tf.tidy(() => spin(tf.randomUniform([...shape], 0, 1, 'float32', rng.seed()), tf.fill([...shape], 0.5)));
  for (let t = schedule.T - 1; t >= 0; t--) {
    const next = tf.tidy(() => {
      const p = tf.sigmoid(model.predict(x, tf.fill([n], t) as tf.Tensor1D)); // p(x_0 = +1 | x_t)
      const u = tf.randomUniform(x.shape, 0, 1, 'float32', rng.seed());
      if (t === 0) return spin(u, p);
      const up = x.greater(0);
      const qPlus = tf.where(
        up,
        tf.scalar(flipPosteriorPlus(schedule, t, 1, 1)),
        tf.scalar(flipPosteriorPlus(schedule, t, -1, 1)),
      );
      const qMinus = tf.where(
        up,
        tf.scalar(flipPosteriorPlus(schedule, t, 1, -1)),
        tf.scalar(flipPosteriorPlus(schedule, t, -1, -1)),
      );
      return spin(u, p.mul(qPlus.sub(qMinus)).add(qMinus)); // P = p qPlus + (1 - p) qMinus
    });
    x.dispose();
    x = next;
  }
  return x;
}
