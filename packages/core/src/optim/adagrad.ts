/**
 * Adagrad (Duchi, Hazan & Singer 2011): per-coordinate steps shrink with the accumulated squared gradient,
 *   a <- a + g^2;   w <- w - lr * g / (sqrt(a) + eps)
 * (PyTorch's form, accumulator starting at `initialAccumulator`).
 */
import { z } from 'zod';
import type { tf } from '../tf';
import { SlotOptimizer, type RuleResult, type Slots } from './slot-optimizer';
import { learningRateSchema, parseConfig } from './parse-config';
import { nonNegativeNumber, positiveNumber } from '../validation/atoms';

/** Adagrad's hyper-parameters. */
export interface AdagradConfig {
  /** Step size (default 1e-2). */
  readonly learningRate?: number;
  /** Initial value of the squared-gradient accumulator (default 0). */
  readonly initialAccumulator?: number;
  /** Added to sqrt(a) (default 1e-10). */
  readonly epsilon?: number;
}

export const adagradConfigSchema = z.strictObject({
  learningRate: learningRateSchema.default(1e-2),
  initialAccumulator: nonNegativeNumber('initialAccumulator').default(0),
  epsilon: positiveNumber('epsilon').default(1e-10),
});

/** Adagrad; build it with `adagrad(config)`. */
export class Adagrad extends SlotOptimizer {
  readonly name = 'adagrad';
  protected readonly slotNames = ['accumulator'] as const;
  readonly config: Required<AdagradConfig>;

  constructor(config: AdagradConfig = {}) {
    const c = parseConfig(adagradConfigSchema, config, 'adagrad');
    super(c.learningRate);
    this.config = c;
  }

  protected initialSlotValue(): number {
    return this.config.initialAccumulator;
  }

  protected rule(w: tf.Tensor, g: tf.Tensor, s: Slots): RuleResult {
    const a = s.accumulator.add(g.square());
    return { w: w.sub(g.mul(this.learningRate).div(a.sqrt().add(this.config.epsilon))), slots: { accumulator: a } };
  }
}

/**
 * Adagrad optimizer.
 * @example
 *   const opt = adagrad({ learningRate: 0.1 });
 */
export function adagrad(config: AdagradConfig = {}): Adagrad {
  return new Adagrad(config);
}
