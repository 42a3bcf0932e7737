/**
 * Callbacks: small hooks the trainer calls; any of them may stop training with a reason.
 */
import type { tf } from '../tf';
import type { Optimizer } from '../optim/optimizer';
import type { Rng } from '../random/rng';
import type { BatchState } from './batches';
import type { History } from './types';

/** What a callback may read of the run (checkpoints, best-weight keeping). */
export interface RunHandle {
  /** The trained variables with their names (record keys, or `param0`, `param1`, ... for a list). */
  readonly params: ReadonlyArray<readonly [name: string, variable: tf.Variable]>;
  /** Optimizers by name (`optimizer` for the main one, plus `optimizers` given for a custom step). */
  readonly optimizers: Readonly<Record<string, Optimizer>>;
  /** The run's generator. */
  readonly rng: Rng;
  /** Position of the mini-batch stream, or null without data. */
  batchState(): BatchState | null;
  /** Plain-data copy of the run's config (no tensors, no functions), for checkpoints. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** What a callback sees after a step. */
export interface StepEndInfo {
  /** 0-based global step just finished. */
  readonly step: number;
  /** 0-based epoch. */
  readonly epoch: number;
  /** Total steps of the run (global). */
  readonly totalSteps: number;
  /** Loss of this step (before its update). */
  readonly loss: number;
  /** Named terms of this step. */
  readonly terms: Readonly<Record<string, number>>;
  /** Learning rate used for this step. */
  readonly learningRate: number;
  /** The history so far (read-only by convention). */
  readonly history: History;
  /** The run's variables, optimizers and generator. */
  readonly run: RunHandle;
  /** Ask the trainer to stop after this step; `reason` ends up in `history.stopReason`. */
  stop(reason: string): void;
}

/** What a callback sees after an epoch. */
export interface EpochEndInfo {
  /** 0-based epoch just finished. */
  readonly epoch: number;
  /** Global steps done so far. */
  readonly step: number;
  /** Mean loss over the epoch's batches. */
  readonly meanLoss: number;
  readonly history: History;
  readonly run: RunHandle;
  stop(reason: string): void;
}

/**
 * A training callback. Implement only the hooks you need.
 *
 * @example
 *   // stop once the loss is small enough
 *   const target: Callback = {
 *     onStepEnd: (s) => { if (s.loss < 1e-6) s.stop(`loss ${s.loss} < 1e-6 at step ${s.step}`); },
 *   };
 */
export interface Callback {
  /** After every step (may be async, e.g. to write a checkpoint). */
  onStepEnd?(info: StepEndInfo): void | Promise<void>;
  /** After every epoch (epoch training only). */
  onEpochEnd?(info: EpochEndInfo): void | Promise<void>;
  /** Once, when the loop ends for any reason (including the NaN guard). */
  onTrainEnd?(history: History, run: RunHandle): void | Promise<void>;
}
