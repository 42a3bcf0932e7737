/**
 * A minimal full-batch/mini-batch loop for the package's tests and experiments: Adam on a loss
 * closure. Models with their own update rules use @aml/core's trainer instead.
 */
import { tf } from '@aml/core';

/** Options of `fit`. */
export interface FitOptions {
  /** Variables to train. */
  readonly params: readonly tf.Variable[];
  /** Loss of step `i` (build the batch inside; everything is tidied). */
  readonly loss: (step: number) => tf.Scalar;
  /** Number of optimizer steps. */
  readonly steps: number;
  /** Adam learning rate (default 1e-2), or a schedule of the step. */
  readonly lr?: number | ((step: number) => number);
  /** Called every `every` steps with the loss (for logs). */
  readonly onStep?: (step: number, loss: number) => void;
  /** Reporting interval for `onStep` and the returned history (default 1). */
  readonly every?: number;
  /** Clip the global gradient norm to this value (default: no clipping). */
  readonly clipNorm?: number;
}

/**
 * Train with Adam and return the loss history (one entry per `every` steps). Leaves no tensors
 * behind apart from the optimizer's moments, which it disposes at the end.
 */
export function fit(o: FitOptions): number[] {
  const lr = o.lr ?? 1e-2;
  const rate = typeof lr === 'number' ? () => lr : lr;
  const opt = tf.train.adam(rate(0));
  const every = o.every ?? 1;
  const hist: number[] = [];
  try {
    for (let i = 0; i < o.steps; i++) {
      (opt as unknown as { learningRate: number }).learningRate = rate(i);
      const value = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => o.loss(i), o.params as tf.Variable[]);
        let g = grads;
        if (o.clipNorm) {
          const norm = Math.sqrt(Object.values(grads).reduce((s, t) => s + tf.sum(tf.square(t)).dataSync()[0], 0));
          const c = Math.min(1, o.clipNorm / (norm + 1e-12));
          if (c < 1) g = Object.fromEntries(Object.entries(grads).map(([k, t]) => [k, tf.mul(t, c)]));
        }
        opt.applyGradients(Object.entries(g).map(([name, tensor]) => ({ name, tensor })));
        return value.dataSync()[0];
      });
      if (!Number.isFinite(value)) throw new Error(`fit: loss became ${value} at step ${i}; lower the learning rate`);
      if (i % every === 0 || i === o.steps - 1) {
        hist.push(value);
        o.onStep?.(i, value);
      }
    }
  } finally {
    opt.dispose();
  }
  return hist;
}
