/**
 * The optimizer contract shared by every package, and the slot-based base that the
 * first-order rules (SGD, momentum, Adagrad, RMSprop, Adam, AdamW) share.
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

/** Slot tensors of one variable, by slot name. */
export type Slots = Record<string, tf.Variable>;

/**
 * Base for first-order rules that keep per-variable slots (moments, accumulators).
 * Concrete optimizers are final: they only supply `slotNames` and the per-variable `update`.
 */
export abstract class SlotOptimizer implements Optimizer {
  abstract readonly name: string;
  /** Names of the per-variable slots this rule keeps (e.g. ['m', 'v']). */
  protected abstract readonly slotNames: readonly string[];
  learningRate: number;
  /** Updates applied so far. */
  protected step = 0;
  private slots: Slots[] | null = null;
  private pending: OptimizerState['slots'] | null = null;

  protected constructor(learningRate: number) {
    this.learningRate = learningRate;
  }

  /**
   * Update one variable in place (called inside `tf.tidy`, after `this.step` was incremented).
   * @param v      the variable, any shape S
   * @param g      its gradient, shape S
   * @param slots  this variable's slots, each shape S
   * @param step   1-based index of this update
   */
  protected abstract update(v: tf.Variable, g: tf.Tensor, slots: Slots, step: number): void;

  /** Value a fresh slot starts at (0 unless a rule says otherwise, e.g. Adagrad's initial accumulator). */
  protected initialSlotValue(_slot: string): number {
    return 0;
  }

  minimize(loss: () => tf.Scalar, vars: readonly tf.Variable[]): number {
    const { value, grads } = valueAndGrads(loss, vars);
    try {
      this.applyGradients(vars, grads);
    } finally {
      for (const g of grads) g?.dispose();
    }
    return value;
  }

  applyGradients(vars: readonly tf.Variable[], grads: ReadonlyArray<tf.Tensor | null>): void {
    if (grads.length !== vars.length) {
      throw new Error(`${this.name}.applyGradients: got ${grads.length} gradients for ${vars.length} variables`);
    }
    const slots = this.bindSlots(vars);
    this.step += 1;
    const step = this.step;
    vars.forEach((v, i) => {
      const g = grads[i];
      if (g == null) return; // no gradient: leave the variable and its slots alone (as PyTorch does)
      if (!sameShape(g.shape, v.shape)) {
        throw new Error(`${this.name}: gradient ${i} has shape [${g.shape}] but variable '${v.name}' has [${v.shape}]`);
      }
      tf.tidy(() => this.update(v, g, slots[i], step));
    });
  }

  getState(): OptimizerState {
    const slots = this.slots
      ? this.slots.map((s) => {
          const out: Record<string, SlotState> = {};
          for (const k of this.slotNames) out[k] = { shape: [...s[k].shape], values: Array.from(s[k].dataSync()) };
          return out;
        })
      : (this.pending ?? []);
    return { name: this.name, step: this.step, learningRate: this.learningRate, slots };
  }

  setState(state: OptimizerState): void {
    if (state.name !== this.name) {
      throw new Error(`${this.name}.setState: the state belongs to optimizer '${state.name}', not '${this.name}'`);
    }
    this.step = state.step;
    this.learningRate = state.learningRate;
    this.disposeSlots();
    this.pending = state.slots.length ? state.slots : null;
  }

  dispose(): void {
    this.disposeSlots();
  }

  private disposeSlots(): void {
    for (const s of this.slots ?? []) for (const k of Object.keys(s)) s[k].dispose();
    this.slots = null;
  }

  /** Create zero slots on first use, or materialise slots from a restored state (checking shapes). */
  private bindSlots(vars: readonly tf.Variable[]): Slots[] {
    if (this.slots) {
      if (this.slots.length !== vars.length) {
        throw new Error(
          `${this.name}: called with ${vars.length} variables but its state holds slots for ${this.slots.length}; ` +
            'use one optimizer per set of variables',
        );
      }
      return this.slots;
    }
    const pending = this.pending;
    if (pending && pending.length !== vars.length) {
      throw new Error(`${this.name}: restored state has slots for ${pending.length} variables, got ${vars.length}`);
    }
    this.slots = vars.map((v, i) => {
      const s: Slots = {};
      for (const k of this.slotNames) {
        const saved = pending?.[i]?.[k];
        if (saved) {
          if (!sameShape(saved.shape, v.shape)) {
            throw new Error(
              `${this.name}: restored slot '${k}' of variable ${i} ('${v.name}') has shape [${saved.shape}], variable has [${v.shape}]`,
            );
          }
          s[k] = ownedVariable(tf.tensor(saved.values as number[], v.shape, 'float32'));
        } else {
          s[k] = ownedVariable(tf.fill(v.shape, this.initialSlotValue(k)));
        }
      }
      return s;
    });
    this.pending = null;
    return this.slots;
  }
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
