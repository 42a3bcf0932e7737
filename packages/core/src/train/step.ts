/**
 * One optimizer step for a loss that may return named terms: the terms are read at the
 * same point as the loss (the first evaluation, before the update) without leaking tensors.
 */
import { tf } from '../tf';
import type { Optimizer } from '../optim/optimizer';
import type { LossFn, StepContext, StepResult } from './types';

/**
 * Run `optimizer.minimize` on `loss(ctx)` over `vars`, returning the loss and its terms as numbers.
 * @example
 *   const r = optimizerStep(adam(), (ctx) => ({ loss: a.add(b), terms: { a, b } }), ctx, params);
 */
export function optimizerStep(
  optimizer: Optimizer,
  loss: LossFn,
  ctx: StepContext,
  vars: readonly tf.Variable[],
): StepResult {
  let kept: tf.Tensor | null = null; // (T,) the terms of the first evaluation
  let names: string[] = [];
  const scalarLoss = (): tf.Scalar => {
    const out = loss(ctx);
    const total = out instanceof tf.Tensor ? out : out.loss;
    if (!(total instanceof tf.Tensor) || total.rank !== 0) {
      const shape = total instanceof tf.Tensor ? `[${total.shape}]` : typeof total;
      throw new Error(`loss must return a scalar tensor (or { loss, terms }), got ${shape}`);
    }
    if (!(out instanceof tf.Tensor) && kept === null) {
      names = Object.keys(out.terms);
      for (const k of names) {
        const t = out.terms[k];
        if (!(t instanceof tf.Tensor) || t.rank !== 0) {
          throw new Error(
            `loss term '${k}' must be a scalar tensor, got ${t instanceof tf.Tensor ? `shape [${t.shape}]` : typeof t}`,
          );
        }
      }
      if (names.length) kept = tf.keep(tf.stack(names.map((k) => out.terms[k])));
    }
    return total as tf.Scalar;
  };
  try {
    const value = optimizer.minimize(scalarLoss, vars);
    if (!kept) return { loss: value };
    const v = (kept as tf.Tensor).dataSync();
    const terms: Record<string, number> = {};
    names.forEach((k, i) => (terms[k] = v[i]));
    return { loss: value, terms };
  } finally {
    (kept as tf.Tensor | null)?.dispose();
  }
}
