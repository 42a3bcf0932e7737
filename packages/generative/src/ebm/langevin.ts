/**
 * Langevin-type MCMC on an energy E(x) (batched: (B, ...X) -> (B, 1) or (B)):
 *   x <- clamp(x + noiseStd z);  x <- clamp(x - stepSize * clip(grad_x E(x), +-gradClip))
 * This is the course's recipe (week 12, after Du & Mordatch 2019). With noiseStd = sqrt(2 stepSize)
 * and no clipping or clamping it is the unadjusted Langevin algorithm, which samples exp(-E)
 * up to O(stepSize) bias.
 */
import { check, nonNegativeNumber, positiveInt, positiveNumber, type Rng, tf } from '@aml/core';

/** Langevin sampler settings. */
export interface LangevinConfig {
  /** Number of updates (course: 60). */
  readonly steps: number;
  /** Gradient step size (course: 10, for images in [-1, 1]). */
  readonly stepSize: number;
  /** Std of the Gaussian noise added each step (course: 0.005). */
  readonly noiseStd: number;
  /** Clip each gradient component to +-gradClip (course: 0.03); Infinity disables clipping. */
  readonly gradClip?: number;
  /** Clamp samples to [lo, hi] (course: [-1, 1]); omit for no clamping. */
  readonly domain?: readonly [number, number];
}

/** Validate the sampler settings; errors name the field. */
export function checkLangevin(c: LangevinConfig): void {
  check(positiveInt(), c.steps, 'langevin: steps');
  check(positiveNumber(), c.stepSize, 'langevin: stepSize');
  check(nonNegativeNumber(), c.noiseStd, 'langevin: noiseStd');
  check(positiveNumber().optional(), c.gradClip, 'langevin: gradClip');
  if (c.domain && !(c.domain[0] < c.domain[1]))
    throw new Error(`langevin: domain must be [lo, hi] with lo < hi, got [${c.domain}]`);
}

/**
 * Run the sampler from x0 (B, ...X); returns the final samples (caller disposes). x0 is not disposed.
 * @param energy batched energy, summed over the batch for the input gradient.
 */
export function langevin(
  energy: (x: tf.Tensor) => tf.Tensor,
  x0: tf.Tensor,
  config: LangevinConfig,
  rng: Rng,
): tf.Tensor {
  checkLangevin(config);
  const clip = config.gradClip ?? Infinity;
  const clamp = (t: tf.Tensor) => (config.domain ? t.clipByValue(config.domain[0], config.domain[1]) : t);
  const gradE = tf.grad((x: tf.Tensor) => energy(x).sum());
  let x = x0;
  for (let k = 0; k < config.steps; k++) {
    const next = tf.tidy(() => {
      const noisy =
        config.noiseStd > 0 ? clamp(x.add(tf.randomNormal(x.shape, 0, config.noiseStd, 'float32', rng.seed()))) : x;
      let g = gradE(noisy);
      if (Number.isFinite(clip)) g = g.clipByValue(-clip, clip);
      return clamp(noisy.sub(g.mul(config.stepSize)));
    });
    if (x !== x0) x.dispose();
    x = next;
  }
  return x === x0 ? x0.clone() : x;
}
