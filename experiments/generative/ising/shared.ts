/**
 * What every Ising learner of experiments/generative/ising-models.ts shares: the training spins, the
 * sizes, and the contract "train on these spins, return this many sampled configurations".
 */
import { tf, type Rng } from '@aml/core';

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

/** Train on `task.spins` and return `task.evalSize` sampled configurations as spins in +-1 (evalSize*L*L). */
export type IsingLearner<C> = (task: IsingTask, settings: C, rng: Rng) => Int8Array;

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
