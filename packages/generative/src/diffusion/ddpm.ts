/**
 * DDPM (Ho et al. 2020): closed-form forward process, epsilon-prediction loss, ancestral sampling
 * with the posterior variance, and DDIM sampling with fewer steps (Song et al. 2021; eta = 0 is
 * deterministic). For binary data in {-1, +1} the denoiser can instead predict the logit of
 * p(x_0 = +1 | x_t) per site ('x0-binary', the x0 parameterisation of Analog Bits / D3PM): trained by
 * binary cross-entropy, and the sampler uses the exact posterior mean E[x_0 | x_t] = tanh(l / 2).
 */
import { check, type Optimizer, positiveNumber, type Rng, type StepResult, tf } from '@aml/core';
import type { Denoiser } from './denoiser';
import type { NoiseSchedule } from './schedule';

/** Per-example coefficient c[t_b] as a tensor broadcastable against x (B, ...X): shape (B, 1, ..., 1). */
function coef(values: ArrayLike<number>, t: ArrayLike<number>, rank: number): tf.Tensor {
  const B = t.length;
  const v = Float32Array.from({ length: B }, (_, b) => values[t[b]]);
  return tf.tensor(v, [B, ...new Array(rank - 1).fill(1)]);
}

/**
 * Closed-form forward process x_t = sqrt(ab_t) x_0 + sqrt(1 - ab_t) eps.
 * @param x0 (B, ...X); @param t step indices (B) in 0..T-1; @param eps (B, ...X).
 */
export function qSample(schedule: NoiseSchedule, x0: tf.Tensor, t: ArrayLike<number>, eps: tf.Tensor): tf.Tensor {
  if (t.length !== x0.shape[0]) throw new Error(`qSample: ${t.length} step indices for a batch of ${x0.shape[0]}`);
  for (let b = 0; b < t.length; b++) {
    if (!(Number.isInteger(t[b]) && t[b] >= 0 && t[b] < schedule.T))
      throw new Error(`qSample: step index ${t[b]} outside 0..${schedule.T - 1}`);
  }
  return tf.tidy(() => {
    const ab = Float64Array.from(schedule.alphaBars);
    return x0.mul(coef(ab.map(Math.sqrt), t, x0.rank)).add(
      eps.mul(
        coef(
          ab.map((a) => Math.sqrt(1 - a)),
          t,
          x0.rank,
        ),
      ),
    );
  });
}

/** A training draw: t ~ U{0..T-1} per example, eps ~ N(0, I), x_t by qSample; call inside a tidy. */
function noisedBatch(
  schedule: NoiseSchedule,
  x0: tf.Tensor,
  rng: Rng,
): { t: tf.Tensor1D; eps: tf.Tensor; xt: tf.Tensor } {
  const t = Int32Array.from({ length: x0.shape[0] }, () => rng.int(schedule.T));
  const eps = tf.randomNormal(x0.shape, 0, 1, 'float32', rng.seed());
  return { t: tf.tensor1d(Float32Array.from(t)), eps, xt: qSample(schedule, x0, t, eps) };
}

/** Epsilon-prediction loss mean |eps - eps_hat(x_t, t)|^2 with t ~ U{0..T-1}, eps ~ N(0, I); x0 (B, ...X). */
export function ddpmLoss(model: Denoiser, schedule: NoiseSchedule, x0: tf.Tensor, rng: Rng): tf.Scalar {
  return tf.tidy(() => {
    const { t, eps, xt } = noisedBatch(schedule, x0, rng);
    return model.predict(xt, t).sub(eps).square().mean() as tf.Scalar;
  });
}

/**
 * Binary x0-prediction loss for data in {-1, +1}: the denoiser's output l (B, ...X) is the logit of
 * p(x_0 = +1 | x_t), trained by binary cross-entropy against the clean spins,
 *   mean over batch and sites of -log sigmoid(x_0 l) = softplus(-x_0 l),
 * with t ~ U{0..T-1} and x_t from qSample. Why: E[x_0 | x_t] = tanh(l / 2) is then bounded in
 * [-1, 1] and exact for the learned posterior, where an eps prediction is divided by sqrt(alpha_t) ~ 0.03
 * at the cosine schedule's last steps. x0 (B, ...X) must hold only -1 and +1.
 */
export function binaryDdpmLoss(model: Denoiser, schedule: NoiseSchedule, x0: tf.Tensor, rng: Rng): tf.Scalar {
  return tf.tidy(() => {
    const { t, xt } = noisedBatch(schedule, x0, rng);
    return tf.softplus(model.predict(xt, t).mul(x0).neg()).mean() as tf.Scalar;
  });
}

/** One optimizer step on the binary x0 loss (`binaryDdpmLoss`); returns the loss before the update. Leaves no tensors. */
export function binaryDdpmStep(
  model: Denoiser,
  schedule: NoiseSchedule,
  x0: tf.Tensor,
  optimizer: Optimizer,
  rng: Rng,
): StepResult {
  return { loss: optimizer.minimize(() => binaryDdpmLoss(model, schedule, x0, rng), model.params) };
}

/** One optimizer step on the DDPM loss; returns the loss before the update. Leaves no tensors. */
export function ddpmStep(
  model: Denoiser,
  schedule: NoiseSchedule,
  x0: tf.Tensor,
  optimizer: Optimizer,
  rng: Rng,
): StepResult {
  return { loss: optimizer.minimize(() => ddpmLoss(model, schedule, x0, rng), model.params) };
}

/** Replace x by next(x), disposing the old tensor. */
function advance(x: tf.Tensor, next: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const y = tf.tidy(() => next(x));
  x.dispose();
  return y;
}

/** What the denoiser predicts: the noise eps (default), or the logit of p(x_0 = +1 | x_t) for data in {-1, +1}. */
export type Prediction = 'epsilon' | 'x0-binary';

/** Sampler options. */
export interface SampleOptions {
  /** Clip the predicted x_0 to [-clip, clip] (data in [-1, 1]: 1). Default: no clipping. Epsilon prediction only. */
  readonly clip?: number;
  /**
   * The denoiser's output (default 'epsilon'). 'x0-binary' (a model trained by `binaryDdpmLoss`): the posterior mean
   * uses x0_hat = tanh(l / 2), and the last step draws x_0 in {-1, +1} from Bernoulli(sigmoid(l)).
   */
  readonly prediction?: Prediction;
}

/**
 * Ancestral sampling: x_T ~ N(0, I), then for t = T-1..0
 *   x <- (x - beta_t / sqrt(1 - ab_t) eps_hat) / sqrt(alpha_t) + sqrt(beta_tilde_t) z   (no noise at t = 0).
 * With `clip`, the same posterior mean is written through the predicted x_0, clipped to [-clip, clip]
 * (as Ho et al.'s sampler does for data in [-1, 1]):
 *   x0_hat = (x - sqrt(1 - ab_t) eps_hat) / sqrt(ab_t),
 *   mean = sqrt(ab_{t-1}) beta_t / (1 - ab_t) x0_hat + sqrt(alpha_t) (1 - ab_{t-1}) / (1 - ab_t) x.
 * Why: the cosine schedule's last betas approach 1 (0.999 at T = 200), and the eps form divides an
 * error in eps_hat by sqrt(alpha_t) ~ 0.03 there; clipping x0_hat bounds what that error can do.
 * With prediction 'x0-binary' the model returns the logit l of p(x_0 = +1 | x_t), x0_hat = tanh(l / 2)
 * goes into the same x0 form of the mean, and at t = 0 x_0 is drawn from Bernoulli(sigmoid(l)) as +-1.
 * @param shape sample shape (n, ...X); @returns (n, ...X).
 */
export function sampleAncestral(
  model: Denoiser,
  schedule: NoiseSchedule,
  shape: readonly number[],
  rng: Rng,
  opts: SampleOptions = {},
): tf.Tensor {
  check(positiveNumber().optional(), opts.clip, 'sampleAncestral: clip');
  const prediction = opts.prediction ?? 'epsilon';
  if (prediction !== 'epsilon' && prediction !== 'x0-binary')
    throw new Error(`sampleAncestral: prediction must be 'epsilon' or 'x0-binary', got '${prediction}'`);
  if (prediction === 'x0-binary' && opts.clip !== undefined)
    throw new Error(
      "sampleAncestral: clip applies to prediction 'epsilon' only (tanh(l / 2) is already in [-1, 1]); drop clip",
    );
  const n = shape[0];
  let x = tf.randomNormal([...shape], 0, 1, 'float32', rng.seed());
  for (let t = schedule.T - 1; t >= 0; t--) {
    const { alphas, betas, alphaBars, posteriorVariance } = schedule;
    const ab = alphaBars[t],
      abPrev = t > 0 ? alphaBars[t - 1] : 1;
    x = advance(x, (x) => {
      const out = model.predict(x, tf.fill([n], t) as tf.Tensor1D);
      if (prediction === 'x0-binary') {
        const p = tf.sigmoid(out); // p(x_0 = +1 | x_t)
        if (t === 0)
          return tf.where(
            tf.randomUniform(x.shape, 0, 1, 'float32', rng.seed()).less(p),
            tf.onesLike(x),
            tf.onesLike(x).neg(),
          );
        const x0 = p.mul(2).sub(1); // tanh(l / 2)
        const mean = x0
          .mul((Math.sqrt(abPrev) * betas[t]) / (1 - ab))
          .add(x.mul((Math.sqrt(alphas[t]) * (1 - abPrev)) / (1 - ab)));
        return mean.add(tf.randomNormal(x.shape, 0, Math.sqrt(posteriorVariance[t]), 'float32', rng.seed()));
      }
      const eps = out;
      let mean: tf.Tensor;
      if (opts.clip === undefined) {
        mean = x.sub(eps.mul(betas[t] / Math.sqrt(1 - ab))).div(Math.sqrt(alphas[t]));
      } else {
        const x0 = x
          .sub(eps.mul(Math.sqrt(1 - ab)))
          .div(Math.sqrt(ab))
          .clipByValue(-opts.clip, opts.clip);
        mean = x0
          .mul((Math.sqrt(abPrev) * betas[t]) / (1 - ab))
          .add(x.mul((Math.sqrt(alphas[t]) * (1 - abPrev)) / (1 - ab)));
      }
      return t > 0
        ? mean.add(tf.randomNormal(x.shape, 0, Math.sqrt(posteriorVariance[t]), 'float32', rng.seed()))
        : mean;
    });
  }
  return x;
}

/**
 * DDIM sampling on `steps` evenly spaced indices (steps <= T), eta in [0, 1] (0: deterministic).
 *   x0_hat = (x - sqrt(1 - ab_t) eps_hat) / sqrt(ab_t)
 *   x <- sqrt(ab_prev) x0_hat + sqrt(1 - ab_prev - sigma^2) eps_hat + sigma z,
 *   sigma = eta sqrt((1 - ab_prev)/(1 - ab_t)) sqrt(1 - ab_t/ab_prev).
 * @returns (n, ...X) for shape (n, ...X).
 */
export function sampleDdim(
  model: Denoiser,
  schedule: NoiseSchedule,
  shape: readonly number[],
  steps: number,
  rng: Rng,
  eta = 0,
  opts: SampleOptions = {},
): tf.Tensor {
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= schedule.T)) {
    throw new Error(`sampleDdim: steps must be an integer in 1..T = ${schedule.T}, got ${steps}`);
  }
  if (!(eta >= 0 && eta <= 1)) throw new Error(`sampleDdim: eta must be in [0, 1], got ${eta}`);
  const n = shape[0];
  const taus = Array.from({ length: steps }, (_, i) => Math.round((i * (schedule.T - 1)) / Math.max(steps - 1, 1)));
  let x = tf.randomNormal([...shape], 0, 1, 'float32', rng.seed());
  for (let i = steps - 1; i >= 0; i--) {
    const t = taus[i];
    const ab = schedule.alphaBars[t];
    const abPrev = i > 0 ? schedule.alphaBars[taus[i - 1]] : 1;
    const sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(1 - ab / abPrev);
    x = advance(x, (x) => {
      const eps = model.predict(x, tf.fill([n], t) as tf.Tensor1D);
      let x0 = x.sub(eps.mul(Math.sqrt(1 - ab))).div(Math.sqrt(ab));
      if (opts.clip !== undefined) x0 = x0.clipByValue(-opts.clip, opts.clip);
      let next = x0.mul(Math.sqrt(abPrev)).add(eps.mul(Math.sqrt(Math.max(1 - abPrev - sigma * sigma, 0))));
      if (sigma > 0) next = next.add(tf.randomNormal(x.shape, 0, sigma, 'float32', rng.seed()));
      return next;
    });
  }
  return x;
}
