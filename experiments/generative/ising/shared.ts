/**
 * What every Ising learner of experiments/generative/ising-models.ts shares: the training spins, the
 * sizes, and the contract "train on these spins, return this many sampled configurations".
 */
import type { Rng } from '@aml/core';

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
