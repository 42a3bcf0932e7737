/**
 * Plain stochastic gradient descent: w <- w - lr * g.
 */
import { z } from 'zod';
import type { tf } from '../tf';
import { SlotOptimizer, type RuleResult } from './slot-optimizer';
import { learningRateSchema, parseConfig } from './parse-config';

/** SGD's hyper-parameters. */
export interface SgdConfig {
  /** Step size (default 1e-2). */
  readonly learningRate?: number;
}

export const sgdConfigSchema = z.strictObject({ learningRate: learningRateSchema.default(1e-2) });

/** SGD; build it with `sgd(config)`. */
export class Sgd extends SlotOptimizer {
  readonly name = 'sgd';
  protected readonly slotNames = [] as const;

  constructor(config: SgdConfig = {}) {
    super(parseConfig(sgdConfigSchema, config, 'sgd').learningRate);
  }

  protected rule(w: tf.Tensor, g: tf.Tensor): RuleResult {
    return { w: w.sub(g.mul(this.learningRate)), slots: {} };
  }
}

/**
 * SGD optimizer.
 * @example
 *   const opt = sgd({ learningRate: 0.1 });
 */
export function sgd(config: SgdConfig = {}): Sgd {
  return new Sgd(config);
}
