/**
 * Adam (Kingma & Ba 2015, "Adam: A method for stochastic optimization", Algorithm 1),
 * with bias-corrected moments and epsilon added to sqrt(v_hat), as in the paper and PyTorch:
 *   m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2
 *   w <- w - lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
 */
import { z } from 'zod';
import type { tf } from '../tf';
import { fusedAdamSupported, fusedAdamUpdate } from './adam-kernel';
import { SlotOptimizer, type RuleResult, type Slots } from './slot-optimizer';
import { learningRateSchema, parseConfig } from './parse-config';
import { halfOpenUnit, positiveNumber } from '../validation/atoms';

/** Adam's hyper-parameters. */
export interface AdamConfig {
  /** Step size (default 1e-3). */
  readonly learningRate?: number;
  /** Decay of the first-moment average, in [0, 1) (default 0.9). */
  readonly beta1?: number;
  /** Decay of the second-moment average, in [0, 1) (default 0.999). */
  readonly beta2?: number;
  /** Added to sqrt(v_hat) to avoid division by zero (default 1e-8). */
  readonly epsilon?: number;
}

export const adamConfigSchema = z.strictObject({
  learningRate: learningRateSchema.default(1e-3),
  beta1: halfOpenUnit('beta1').default(0.9),
  beta2: halfOpenUnit('beta2').default(0.999),
  epsilon: positiveNumber('epsilon').default(1e-8),
});

/** Adam; build it with `adam(config)`. */
export class Adam extends SlotOptimizer {
  readonly name = 'adam';
  protected readonly slotNames = ['m', 'v'] as const;
  readonly config: Required<AdamConfig>;

  constructor(config: AdamConfig = {}, where = 'adam') {
    const c = parseConfig(adamConfigSchema, config, where);
    super(c.learningRate);
    this.config = c;
  }

  protected rule(w: tf.Tensor, g: tf.Tensor, s: Slots, t: number): RuleResult {
    const { beta1, beta2, epsilon } = this.config;
    return adamRule(w, g, s, t, this.learningRate, beta1, beta2, epsilon);
  }

  /** The same update as one kernel call where the backend has it (adam-kernel.ts). */
  protected fusedUpdate(vars: readonly tf.Variable[], grads: readonly tf.Tensor[], s: Slots, t: number): boolean {
    if (!fusedAdamSupported()) return false;
    fusedAdamUpdate(vars, grads, s.m as tf.Variable, s.v as tf.Variable, { lr: this.learningRate, ...this.config, t });
    return true;
  }
}

/**
 * The Adam update (shared with AdamW): w, g, slots m and v all (n,); t is the 1-based step.
 */
export function adamRule(
  w: tf.Tensor,
  g: tf.Tensor,
  s: Slots,
  t: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
): RuleResult {
  const m = s.m.mul(b1).add(g.mul(1 - b1));
  const v = s.v.mul(b2).add(g.square().mul(1 - b2));
  const mHat = m.div(1 - b1 ** t);
  const vHat = v.div(1 - b2 ** t);
  return { w: w.sub(mHat.mul(lr).div(vHat.sqrt().add(eps))), slots: { m, v } };
}

/**
 * Adam optimizer.
 * @example
 *   const opt = adam({ learningRate: 1e-3 });
 *   for (let i = 0; i < 1000; i++) opt.minimize(() => loss(), params);
 */
export function adam(config: AdamConfig = {}): Adam {
  return new Adam(config);
}
