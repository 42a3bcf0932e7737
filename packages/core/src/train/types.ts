/**
 * Types shared by the training loop, its callbacks and the models that plug into it.
 */
import type { tf } from '../tf';
import type { Rng } from '../random/rng';

/** What a loss or custom step sees at each step. */
export interface StepContext {
  /** 0-based global step (continues across a resumed run). */
  readonly step: number;
  /** 0-based epoch (0 for step-based training). */
  readonly epoch: number;
  /**
   * The mini-batch for this step: for each key of `data`, the rows of this batch, shape (B, ...rest).
   * Undefined in step-based (no `data`) training. Disposed by the trainer after the step.
   */
  readonly batch?: Readonly<Record<string, tf.Tensor>>;
  /** The run's generator (for sampling collocation points, dropout, noise). */
  readonly rng: Rng;
}

/** A loss: a scalar, or a scalar with named scalar terms (recorded in the history, watched by the NaN guard). */
export type LossOutput = tf.Scalar | { readonly loss: tf.Scalar; readonly terms: Readonly<Record<string, tf.Scalar>> };

/** Loss of the model's parameters for one step. Runs under the optimizer's gradient tape. */
export type LossFn = (ctx: StepContext) => LossOutput;

/** Loss values of one step as plain numbers. */
export interface StepResult {
  /** Total loss, before the update. */
  readonly loss: number;
  /** Named terms, before the update. */
  readonly terms?: Readonly<Record<string, number>>;
}

/**
 * A model's own update (GAN with two optimizers, RBM contrastive divergence, L-BFGS phases):
 * it performs one step itself and returns the loss (and terms) it measured. Must leave no tensors.
 */
export type CustomStep = (ctx: StepContext) => number | StepResult;

/** Loss history of a run. */
export interface History {
  /** Loss at each step (before that step's update). */
  readonly loss: number[];
  /** Each named term at each step. */
  readonly terms: Record<string, number[]>;
  /** Learning rate used at each step (NaN for a custom step without an optimizer). */
  readonly learningRate: number[];
  /** Mean loss per finished epoch (epoch training only). */
  readonly epochLoss: number[];
  /** Global step the run started from (0, or the checkpoint's step when resumed). */
  startStep: number;
  /** Steps completed (global count). */
  steps: number;
  /** Why training ended: 'completed', a callback's or the optimizer's reason, or the NaN guard's message. */
  stopReason: string;
  /** Who ended it. */
  stoppedBy: 'completed' | 'callback' | 'optimizer' | 'nanGuard' | 'interrupted';
}
