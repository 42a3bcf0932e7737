/**
 * SGD with momentum (Polyak heavy ball), optionally Nesterov (Sutskever et al. 2013), in PyTorch's form:
 *   b <- mu b + g
 *   w <- w - lr * b              (classic)
 *   w <- w - lr * (g + mu b)     (nesterov)
 */
import { z } from 'zod';
import type { tf } from '../tf';
import { SlotOptimizer, type RuleResult, type Slots } from './slot-optimizer';
import { learningRateSchema, parseConfig } from './parse-config';
import { halfOpenUnit } from '../validation/atoms';

/** Momentum's hyper-parameters. */
export interface MomentumConfig {
  /** Step size (default 1e-2). */
  readonly learningRate?: number;
  /** Momentum coefficient mu in [0, 1) (default 0.9). */
  readonly momentum?: number;
  /** Use Nesterov's look-ahead form (default false). */
  readonly nesterov?: boolean;
}

export const momentumConfigSchema = z.strictObject({
  learningRate: learningRateSchema.default(1e-2),
  momentum: halfOpenUnit('momentum').default(0.9),
  nesterov: z.boolean().default(false),
});

/** Momentum SGD; build it with `momentum(config)`. */
export class Momentum extends SlotOptimizer {
  readonly name = 'momentum';
  protected readonly slotNames = ['buffer'] as const;
  readonly config: Required<MomentumConfig>;

  constructor(config: MomentumConfig = {}) {
    const c = parseConfig(momentumConfigSchema, config, 'momentum');
    super(c.learningRate);
    this.config = c;
  }

  protected rule(w: tf.Tensor, g: tf.Tensor, s: Slots): RuleResult {
    const mu = this.config.momentum;
    const b = s.buffer.mul(mu).add(g);
    const dir = this.config.nesterov ? g.add(b.mul(mu)) : b;
    return { w: w.sub(dir.mul(this.learningRate)), slots: { buffer: b } };
  }
}

/**
 * Momentum optimizer.
 * @example
 *   const opt = momentum({ learningRate: 0.01, momentum: 0.9, nesterov: true });
 */
export function momentum(config: MomentumConfig = {}): Momentum {
  return new Momentum(config);
}
