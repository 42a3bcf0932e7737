/**
 * The package's test helper for "does this architecture train": core's Adam (optionally wrapped in
 * core's global-norm gradient clipping) on a loss closure, synchronously. Not public API: models
 * are trained with core's `train` (mini-batches, schedules, callbacks, NaN guard, checkpoints).
 */
import { adam, type tf, withGradientClipping, type Optimizer } from '@aml/core';

/** Options of `fit`. */
export interface FitOptions {
  /** Variables to train. */
  readonly params: readonly tf.Variable[];
  /** Loss of step `i` (build the batch inside; everything is tidied). */
  readonly loss: (step: number) => tf.Scalar;
  /** Number of optimizer steps. */
  readonly steps: number;
  /** Adam learning rate (default 1e-2). */
  readonly lr?: number;
  /** Clip the global gradient norm to this value (default: no clipping). */
  readonly clipNorm?: number;
}

/**
 * Train with Adam and return the loss before each step. Leaves no tensors behind: the optimizer's
 * moments are disposed at the end. A non-finite loss stops with the step named.
 */
export function fit(o: FitOptions): number[] {
  const base = adam({ learningRate: o.lr ?? 1e-2 });
  const opt: Optimizer = o.clipNorm ? withGradientClipping(base, { maxNorm: o.clipNorm }) : base;
  const hist: number[] = [];
  try {
    for (let i = 0; i < o.steps; i++) {
      const value = opt.minimize(() => o.loss(i), o.params);
      if (!Number.isFinite(value)) throw new Error(`fit: loss became ${value} at step ${i}; lower the learning rate`);
      hist.push(value);
    }
  } finally {
    opt.dispose();
  }
  return hist;
}
