/**
 * Exponential moving average of a model's parameters (Polyak averaging), which DDPM samples with
 * instead of the last iterate (Ho et al. 2020 use decay 0.9999): the average smooths out the noise
 * of the last Adam steps, which otherwise shows up as a bias in the sampled statistics.
 */
import { tf } from '@aml/core';

/** An EMA of a fixed list of variables. */
export interface ParameterEma {
  /** The averages, one per tracked variable, same shapes. */
  readonly averages: readonly tf.Variable[];
  /** avg <- decay avg + (1 - decay) p for every tracked p; call after each optimizer step. */
  update(): void;
  /** Run `fn` with the averages loaded into the tracked variables, then restore the trained values. */
  withAverages<T>(fn: () => T): T;
  /** Free the averages. */
  dispose(): void;
}

/**
 * Track `params` (e.g. `denoiser.params`) with decay in [0, 1); averages start at the current values.
 * After k updates with the parameters held at p, avg = p + decay^k (avg_0 - p).
 * @example
 *   const ema = parameterEma(net.params, 0.995);
 *   for (...) { ddpmStep(net, sched, x, opt, rng); ema.update(); }
 *   const x = ema.withAverages(() => sampleAncestral(net, sched, [n, 8, 8, 1], rng));
 */
export function parameterEma(params: readonly tf.Variable[], decay: number): ParameterEma {
  if (!(decay >= 0 && decay < 1)) throw new Error(`parameterEma: decay must be in [0, 1), got ${decay}`);
  const averages = params.map((p) => {
    const init = p.clone();
    const v = tf.variable(init, false); // tf.variable keeps its own reference: free the copy
    init.dispose();
    return v;
  });
  return {
    averages,
    update: () =>
      tf.tidy(() => {
        params.forEach((p, i) => averages[i].assign(averages[i].mul(decay).add(p.mul(1 - decay))));
      }),
    withAverages<T>(fn: () => T): T {
      const saved = params.map((p) => p.clone());
      params.forEach((p, i) => p.assign(averages[i]));
      try {
        return fn();
      } finally {
        params.forEach((p, i) => p.assign(saved[i]));
        tf.dispose(saved);
      }
    },
    dispose: () => averages.forEach((a) => a.dispose()),
  };
}
