/**
 * What every Ising learner of experiments/generative/ising-models.ts shares: the training spins, the
 * sizes, and the contract "train on these spins, return this many sampled configurations".
 */
import { tf, type Optimizer, type Rng } from '@aml/core';
import type { ModelState } from '../../common';

/** One learner's task: spins (n, L*L) in +-1, row-major per configuration. */
export interface IsingTask {
  /** Lattice size L (L*L spins, periodic). */
  readonly L: number;
  /** Training configurations, n*L*L values in +-1. */
  readonly spins: Float32Array;
  /** Configurations to sample after training. */
  readonly evalSize: number;
  /** Temperature of the data (some learners use it only for logging). */
  readonly temperature: number;
}

/**
 * Train on `task.spins` and return `task.evalSize` sampled configurations as spins in +-1 (evalSize*L*L).
 * `fit` runs the updates (default: a plain loop; the experiment passes core's trainer with checkpoints).
 */
export type IsingLearner<C> = (task: IsingTask, settings: C, rng: Rng, fit?: Fit) => Promise<Int8Array>;

/** What a learner hands to `fit`: everything a checkpoint must hold, and its update. */
export interface FitJob {
  /** Every variable the run changes (trainable weights and averages such as an EMA). */
  readonly params: readonly tf.Variable[];
  /** The optimizers its update uses. */
  readonly optimizers: Readonly<Record<string, Optimizer>>;
  /** The generator its update draws from (saved with each checkpoint). */
  readonly rng: Rng;
  readonly steps: number;
  /** Update number `t` (0-based); returns its loss (or a diagnostic such as the KL; NaN when not computed). */
  step(t: number): number;
  /** State outside the variables and optimizers. */
  readonly state?: ModelState;
}

/** Runs a learner's updates and returns the value each one returned. */
export type Fit = (job: FitJob) => Promise<{ readonly loss: readonly number[] }>;

/** The plain loop: every update in turn, nothing saved. */
export const plainFit: Fit = async (job) => {
  const loss: number[] = [];
  for (let t = 0; t < job.steps; t++) loss.push(job.step(t));
  return { loss };
};

/** A mini-batch of `size` rows of `data` drawn with replacement by `rng` (the caller disposes it). */
export function randomRows<T extends tf.Tensor>(data: T, size: number, rng: Rng): T {
  const n = data.shape[0];
  return tf.tidy(() =>
    tf.gather(
      data,
      tf.tensor1d(
        Int32Array.from({ length: size }, () => rng.int(n)),
        'int32',
      ),
    ),
  ) as T;
}
