/**
 * AdamW (Loshchilov & Hutter 2019, "Decoupled weight decay regularization"):
 * weight decay applied to the weights directly, not through the gradient,
 *   w <- w (1 - lr * weightDecay),  then the Adam step.
 * (The same form as PyTorch's AdamW.)
 */

import type { tf } from '../tf';
import { adamConfigSchema, adamRule, type AdamConfig } from './adam';
import { fusedAdamSupported, fusedAdamUpdate } from './adam-kernel';
import { SlotOptimizer, type RuleResult, type Slots } from './slot-optimizer';
import { parseConfig } from './parse-config';
import { nonNegativeNumber } from '../validation/atoms';

/** AdamW's hyper-parameters: Adam's plus the decoupled weight decay. */
export interface AdamWConfig extends AdamConfig {
  /** Decoupled weight decay per unit learning rate (default 0.01). */
  readonly weightDecay?: number;
}

export const adamwConfigSchema = adamConfigSchema.extend({
  weightDecay: nonNegativeNumber('weightDecay').default(0.01),
});

/** AdamW; build it with `adamw(config)`. */
export class AdamW extends SlotOptimizer {
  readonly name = 'adamw';
  protected readonly slotNames = ['m', 'v'] as const;
  readonly config: Required<AdamWConfig>;

  constructor(config: AdamWConfig = {}) {
    const c = parseConfig(adamwConfigSchema, config, 'adamw');
    super(c.learningRate);
    this.config = c;
  }

  protected rule(w: tf.Tensor, g: tf.Tensor, s: Slots, t: number): RuleResult {
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    const decayed = weightDecay > 0 ? w.mul(1 - this.learningRate * weightDecay) : w;
    return adamRule(decayed, g, s, t, this.learningRate, beta1, beta2, epsilon);
  }

  /** The same update (decay, then Adam's step) as one kernel call where the backend has it (adam-kernel.ts). */
  protected fusedUpdate(vars: readonly tf.Variable[], grads: readonly tf.Tensor[], s: Slots, t: number): boolean {
    if (!fusedAdamSupported()) return false;
    const { weightDecay, ...adamConfig } = this.config;
    fusedAdamUpdate(vars, grads, s.m as tf.Variable, s.v as tf.Variable, {
      lr: this.learningRate,
      ...adamConfig,
      t,
      decay: 1 - this.learningRate * weightDecay,
    });
    return true;
  }
}

/**
 * AdamW optimizer.
 * @example
 *   const opt = adamw({ learningRate: 1e-3, weightDecay: 1e-2 });
 */
export function adamw(config: AdamWConfig = {}): AdamW {
  return new AdamW(config);
}
