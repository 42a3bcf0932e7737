/**
 * A minimal synchronous training loop for the package's tests and quick scripts: core's Adam on a
 * loss closure, optionally with global-norm gradient clipping. Experiments use core's `train`
 * (mini-batches, schedules, callbacks, NaN guard, checkpoints); this is its few-line sibling for
 * unit tests that need no data pipeline.
 */
import { tf, adam } from '@aml/core';

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
 * Train with Adam and return the loss history (the loss before each reported step). Leaves no
 * tensors behind: the optimizer's moments are disposed at the end.
 */
export function fit(o: FitOptions): number[] {
  const lr = o.lr ?? 1e-2;
  const rate = typeof lr === 'number' ? () => lr : lr;
  const opt = adam({ learningRate: rate(0) });
  const every = o.every ?? 1;
  const hist: number[] = [];
  try {
    for (let i = 0; i < o.steps; i++) {
      opt.learningRate = rate(i);
      let value: number;
      if (!o.clipNorm) value = opt.minimize(() => o.loss(i), o.params);
      else {
        value = tf.tidy(() => {
          const { value: v, grads } = tf.variableGrads(() => o.loss(i), o.params as tf.Variable[]);
          const g = o.params.map((p) => grads[p.name] ?? null);
          const norm = Math.sqrt(g.reduce((s, t) => s + (t ? tf.sum(tf.square(t)).dataSync()[0] : 0), 0));
          const c = Math.min(1, o.clipNorm! / (norm + 1e-12));
          opt.applyGradients(o.params, c < 1 ? g.map((t) => (t ? tf.mul(t, c) : null)) : g);
          return v.dataSync()[0];
        });
      }
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
