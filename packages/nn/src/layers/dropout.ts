/**
 * Inverted dropout (Srivastava et al. 2014): in training, zero each unit with probability `rate`
 * and scale the rest by 1/(1-rate), so inference needs no rescaling.
 */
import { check, halfOpenUnit, tf, type Rng } from '@aml/core';
import type { Layer } from './layer';

/** Configuration of a dropout layer. */
export interface DropoutConfig {
  /** Probability of dropping a unit, in [0, 1). */
  readonly rate: number;
  /** Name for error messages (default 'dropout'). */
  readonly name?: string;
}

/**
 * Dropout. Shape-preserving. Its masks come from its own generator, forked from `rng`,
 * so a seeded model drops the same units run after run.
 */
export function dropout(config: DropoutConfig, rng: Rng): Layer {
  const name = `dropout '${config.name ?? 'dropout'}'`;
  check(halfOpenUnit(), config.rate, `${name}: rate`);
  const own = rng.fork();
  return {
    name,
    params: [],
    kernels: [],
    state: [],
    apply(x, opts) {
      if (!opts?.training || config.rate === 0) return x.clone();
      return tf.tidy(() => {
        const keep = tf.cast(
          tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', own.seed()), config.rate),
          'float32',
        );
        return tf.mul(x, tf.mul(keep, 1 / (1 - config.rate)));
      });
    },
  };
}
