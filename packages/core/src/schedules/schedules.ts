/**
 * Learning-rate schedules: pure functions of the 0-based step, composable.
 * The trainer assigns `optimizer.learningRate = schedule(step)` before each step.
 */
import { z } from 'zod';
import { learningRateSchema, parseConfig } from '../optim/parse-config';
import { nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber, probability } from '../validation/atoms';

/** Learning rate as a function of the 0-based global step. */
export type Schedule = (step: number) => number;

/**
 * A constant learning rate.
 * @example constant(1e-3)(500) === 1e-3
 */
export function constant(learningRate: number): Schedule {
  const lr = parseConfig(learningRateSchema, learningRate, 'constant');
  return () => lr;
}

/** Step decay: multiply by `factor` every `every` steps. */
export interface StepDecayConfig {
  /** Learning rate at step 0. */
  readonly initial: number;
  /** Multiplier applied at each drop, e.g. 0.1. */
  readonly factor: number;
  /** Steps between drops. */
  readonly every: number;
}

/**
 * lr(t) = initial * factor^floor(t / every).
 * @example stepDecay({ initial: 1e-2, factor: 0.1, every: 1000 })(2500) // 1e-4
 */
export function stepDecay(config: StepDecayConfig): Schedule {
  const c = parseConfig(
    z.strictObject({ initial: learningRateSchema, factor: positiveNumber('factor'), every: positiveInt('every') }),
    config,
    'stepDecay',
  );
  return (t) => c.initial * c.factor ** Math.floor(t / c.every);
}

/** Exponential decay by `rate` per `every` steps, continuously. */
export interface ExponentialDecayConfig {
  /** Learning rate at step 0. */
  readonly initial: number;
  /** Decay factor per `every` steps, e.g. 0.9. */
  readonly rate: number;
  /** Steps over which the rate applies once (default 1). */
  readonly every?: number;
}

/**
 * lr(t) = initial * rate^(t / every) (smooth; use stepDecay for staircase drops).
 * @example exponentialDecay({ initial: 1e-3, rate: 0.9, every: 1000 })(1000) // 9e-4
 */
export function exponentialDecay(config: ExponentialDecayConfig): Schedule {
  const c = parseConfig(
    z.strictObject({
      initial: learningRateSchema,
      rate: positiveNumber('rate'),
      every: positiveInt('every').default(1),
    }),
    config,
    'exponentialDecay',
  );
  return (t) => c.initial * c.rate ** (t / c.every);
}

/** Cosine annealing from `initial` to `final` over `steps` (Loshchilov & Hutter 2017, SGDR, without restarts). */
export interface CosineDecayConfig {
  /** Learning rate at step 0. */
  readonly initial: number;
  /** Steps of the decay; after it the rate stays at `final`. */
  readonly steps: number;
  /** Learning rate reached at `steps` (default 0). */
  readonly final?: number;
}

/**
 * lr(t) = final + (initial - final) (1 + cos(pi min(t, steps) / steps)) / 2.
 * @example cosineDecay({ initial: 1e-3, steps: 100 })(50) // 5e-4
 */
export function cosineDecay(config: CosineDecayConfig): Schedule {
  const c = parseConfig(
    z.strictObject({
      initial: learningRateSchema,
      steps: positiveInt('steps'),
      final: nonNegativeNumber('final').default(0),
    }),
    config,
    'cosineDecay',
  );
  return (t) => c.final + ((c.initial - c.final) * (1 + Math.cos((Math.PI * Math.min(t, c.steps)) / c.steps))) / 2;
}

/** Linear warm-up in front of another schedule. */
export interface WarmupConfig {
  /** Steps of the warm-up; the wrapped schedule starts (at its own step 0) afterwards. */
  readonly steps: number;
  /** Rate at step 0 as a fraction of the wrapped schedule's first value (default 0). */
  readonly startFactor?: number;
}

/**
 * Ramp linearly from `startFactor * after(0)` to `after(0)` over `steps`, then follow `after` (shifted).
 * @example linearWarmup(cosineDecay({ initial: 1e-3, steps: 900 }), { steps: 100 })  // 1000 steps in total
 */
export function linearWarmup(after: Schedule, config: WarmupConfig): Schedule {
  const c = parseConfig(
    z.strictObject({
      steps: positiveInt('steps'),
      startFactor: probability('startFactor').default(0),
    }),
    config,
    'linearWarmup',
  );
  const peak = after(0);
  return (t) => (t < c.steps ? peak * (c.startFactor + ((1 - c.startFactor) * t) / c.steps) : after(t - c.steps));
}

/**
 * Run schedules one after another: each runs for its `steps` (counted from its own step 0); the last runs on.
 * @example sequence([[1000, constant(1e-3)], [Infinity, exponentialDecay({ initial: 1e-3, rate: 0.5, every: 1000 })]])
 */
export function sequence(parts: ReadonlyArray<readonly [steps: number, schedule: Schedule]>): Schedule {
  if (parts.length === 0) throw new Error('sequence: give at least one [steps, schedule] part');
  parts.forEach(([n], i) => {
    if (!(n > 0)) throw new Error(`sequence: part ${i} must run for steps > 0, got ${n}`);
  });
  return (t) => {
    let start = 0;
    for (let i = 0; i < parts.length - 1; i++) {
      if (t < start + parts[i][0]) return parts[i][1](t - start);
      start += parts[i][0];
    }
    return parts[parts.length - 1][1](t - start);
  };
}

/** Linear warm-up, then exponential decay: the PINN schedule of jaxpi (Wang et al. 2023, "An Expert's Guide to Training PINNs"). */
export interface WarmupDecayConfig {
  /** Peak learning rate: reached at the end of the warm-up, and the decay's starting value. */
  readonly initial: number;
  /** Warm-up steps from 0 to `initial` (default 0: no warm-up). */
  readonly warmup?: number;
  /** Decay factor per `every` steps after the warm-up (default 1: no decay). */
  readonly rate?: number;
  /** Steps over which `rate` applies once (default 1). */
  readonly every?: number;
  /** Drop in stairs, initial * rate^floor(s / every) (default true), or smoothly, initial * rate^(s / every) (optax's exponential_decay). */
  readonly staircase?: boolean;
}

/**
 * lr(t) = initial * t / warmup for t < warmup, then initial * rate^(s / every) with s = t - warmup
 * (floored when `staircase`). With warmup 0 and staircase it equals `stepDecay`.
 * @example warmupDecay({ initial: 1e-3, warmup: 1000, rate: 0.9, every: 2000, staircase: false })(3000) // 9e-4
 */
export function warmupDecay(config: WarmupDecayConfig): Schedule {
  const c = parseConfig(
    z.strictObject({
      initial: learningRateSchema,
      warmup: nonNegativeInt('warmup').default(0),
      rate: positiveNumber('rate').default(1),
      every: positiveInt('every').default(1),
      staircase: z.boolean().default(true),
    }),
    config,
    'warmupDecay',
  );
  const decay = c.staircase
    ? stepDecay({ initial: c.initial, factor: c.rate, every: c.every })
    : exponentialDecay({ initial: c.initial, rate: c.rate, every: c.every });
  return c.warmup > 0 ? linearWarmup(decay, { steps: c.warmup }) : decay;
}
