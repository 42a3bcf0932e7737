/**
 * The optimizer contract shared by every package (the first-order rules share the base in
 * `slot-optimizer.ts`; L-BFGS implements it directly).
 *
 * Optimizers here are written with plain tfjs ops (not `tf.train.*`) so that their state
 * is explicit, serialisable (checkpoints) and identical on every backend.
 */
import { tf } from '../tf';

/** One slot tensor (e.g. Adam's first moment) in serialisable form. */
export interface SlotState {
  /** Shape of the variable the slot belongs to. */
  readonly shape: readonly number[];
  /** Row-major float32 values as plain numbers (exactly representable, so JSON round-trips). */
  readonly values: readonly number[];
}

/** Plain JSON-able optimizer state (stored in checkpoints). */
export interface OptimizerState {
  /** Optimizer name (`adam`, `sgd`, ...); `setState` refuses another optimizer's state. */
  readonly name: string;
  /** Number of updates applied so far (Adam's bias correction depends on it). */
  readonly step: number;
  /** Current learning rate (schedules change it). */
  readonly learningRate: number;
  /** Per variable (in the order the variables were passed), its named slots. */
  readonly slots: ReadonlyArray<Readonly<Record<string, SlotState>>>;
  /** Anything else the optimizer keeps (L-BFGS's curvature pairs), JSON-able. */
  readonly extra?: unknown;
}

/**
 * An optimizer updates a list of variables to decrease a scalar loss.
 *
 * @example
 *   const opt = adam({ learningRate: 1e-3 });
 *   const lossBefore = opt.minimize(() => tf.losses.meanSquaredError(y, model(x)), params);
 */
export interface Optimizer {
  /** Name of the update rule (`adam`, `lbfgs`, ...). */
  readonly name: string;
  /** Step size; schedules assign it between steps. */
  learningRate: number;
  /**
   * Evaluate `loss` and its gradient with respect to `vars`, apply one update, and return
   * the loss before the update as a number. Leaves no tensors behind (slots aside, made on first use).
   */
  minimize(loss: () => tf.Scalar, vars: readonly tf.Variable[]): number;
  /** Apply one update from given gradients (`grads[i]` has the shape of `vars[i]`; null = no gradient, skip). */
  applyGradients(vars: readonly tf.Variable[], grads: ReadonlyArray<tf.Tensor | null>): void;
  /** Serialisable state: step count, learning rate and slot arrays. */
  getState(): OptimizerState;
  /** Restore a state from `getState()` (possibly from another process); slots bind on the next update. */
  setState(state: OptimizerState): void;
  /** Free the slot tensors. */
  dispose(): void;
  /**
   * Optional: why the optimizer cannot make progress any more (L-BFGS: gradient below tolerance,
   * line search failed), or null. The trainer stops with this reason.
   */
  stopRequest?(): string | null;
}

/**
 * Evaluate a scalar loss and its gradients with respect to `vars` in one tape.
 * Returns the loss value and one gradient per variable (null when the loss does not depend on it).
 * The caller owns (and must dispose) the returned gradient tensors.
 */
export function valueAndGrads(
  loss: () => tf.Scalar,
  vars: readonly tf.Variable[],
): { value: number; grads: Array<tf.Tensor | null> } {
  const { value, grads } = tf.variableGrads(loss, vars as tf.Variable[]);
  const v = value.dataSync()[0];
  value.dispose();
  return { value: v, grads: vars.map((x) => grads[x.name] ?? null) };
}

/** Shapes equal elementwise. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A non-trainable variable holding `init`'s data; `init` is disposed (the variable shares its buffer). */
export function ownedVariable(init: tf.Tensor): tf.Variable {
  const v = tf.variable(init, false);
  init.dispose();
  return v;
}
