/**
 * RMSprop (Hinton, Coursera lecture 6e, 2012): divide by a running RMS of the gradient,
 *   v <- rho v + (1 - rho) g^2;   w <- w - lr * g / (sqrt(v) + eps)
 * (PyTorch's form, epsilon outside the square root.)
 */
import { z } from 'zod';
import type { tf } from '../tf';
import { SlotOptimizer, type RuleResult, type Slots } from './slot-optimizer';
import { learningRateSchema, parseConfig } from './parse-config';
import { halfOpenUnit, positiveNumber } from '../validation/atoms';

/** RMSprop's hyper-parameters. */
export interface RmspropConfig {
  /** Step size (default 1e-3). */
  readonly learningRate?: number;
  /** Decay of the squared-gradient average, in [0, 1) (default 0.9). */
  readonly rho?: number;
  /** Added to sqrt(v) (default 1e-8). */
  readonly epsilon?: number;
}

export const rmspropConfigSchema = z.strictObject({
  learningRate: learningRateSchema.default(1e-3),
  rho: halfOpenUnit('rho').default(0.9),
  epsilon: positiveNumber('epsilon').default(1e-8),
});

/** RMSprop; build it with `rmsprop(config)`. */
export class Rmsprop extends SlotOptimizer {
  readonly name = 'rmsprop';
  protected readonly slotNames = ['meanSquare'] as const;
  readonly config: Required<RmspropConfig>;

  constructor(config: RmspropConfig = {}) {
    const c = parseConfig(rmspropConfigSchema, config, 'rmsprop');
    super(c.learningRate);
    this.config = c;
  }

  protected rule(w: tf.Tensor, g: tf.Tensor, s: Slots): RuleResult {
    const { rho, epsilon } = this.config;
    const v = s.meanSquare.mul(rho).add(g.square().mul(1 - rho));
    return { w: w.sub(g.mul(this.learningRate).div(v.sqrt().add(epsilon))), slots: { meanSquare: v } };
  }
}

/**
 * RMSprop optimizer.
 * @example
 *   const opt = rmsprop({ learningRate: 1e-3, rho: 0.9 });
 */
export function rmsprop(config: RmspropConfig = {}): Rmsprop {
  return new Rmsprop(config);
}
