/** The solver's configuration: typed, readonly data with a doc line per field. */
import type { Callback, Network, TrainConfig } from '@aml/core';
import type { NetworkSpec } from '../networks/create';
import type { DerivativeEngine } from '../derivatives/engine';
import type { SamplerName } from '../sampling/samplers';
import type { CausalConfig } from '../training/causal';
import type { MarchingConfig } from '../training/marching';
import type { ResampleConfig } from '../training/resample';
import type { PinnModel } from './model';
import type { WeightingConfig } from '../weighting/weighting';

/**
 * The network: a built-in spec (`{ hidden, activation }` is a plain MLP; `kind`, `fourier`,
 * `periodic`, `factorized` choose the others), or any `Network` object (e.g. from
 * `defineNetwork`), which the model then owns.
 */
export type NetworkConfig = NetworkSpec | Network;

/** Collocation and condition points. */
export interface PointsConfig {
  /** Interior (residual) points (default 2000). */
  readonly domain?: number;
  /** Points per boundary condition (default 200). */
  readonly boundary?: number;
  /** Points per initial condition (default 200). */
  readonly initial?: number;
  /** Sampler for all of them (default 'lhs'). */
  readonly sampler?: SamplerName;
}

/** Residual-based adaptive refinement (Lu et al. 2021, DeepXDE's RAR): add points where |residual| is largest. */
export interface RefinementConfig {
  /** Refine every this many Adam steps. */
  readonly every: number;
  /** Random candidate points scored each time (default 10 x add). */
  readonly candidates?: number;
  /** Points added each time (the largest residuals). */
  readonly add: number;
  /** Stop adding beyond this many interior points (default unlimited). */
  readonly maxPoints?: number;
}

/** The Adam phase. */
export interface AdamPhaseConfig {
  /** Adam steps. */
  readonly steps: number;
  /** Peak learning rate (default 1e-3). */
  readonly learningRate?: number;
  /** Linear warm-up from 0 over this many steps (default 0). */
  readonly warmup?: number;
  /** Decay by `rate` every `every` steps after the warm-up; in stairs unless `staircase: false` (smooth, as jaxpi). */
  readonly decay?: { readonly rate: number; readonly every: number; readonly staircase?: boolean };
}

/** Everything `solve` takes besides the problem. */
export interface SolverConfig {
  readonly network: NetworkConfig;
  readonly points?: PointsConfig;
  /** Adam phase: steps, learning rate (default 1e-3), and its schedule (core's `warmupDecay`). */
  readonly adam?: AdamPhaseConfig;
  /** L-BFGS phase after Adam (iterations; default none). */
  readonly lbfgs?: { readonly steps: number };
  /** Loss weighting (default fixed, all 1). */
  readonly weighting?: WeightingConfig;
  /** Residual-based adaptive refinement during the Adam phase. */
  readonly refinement?: RefinementConfig;
  /** Causal weighting of the residual over time (time-dependent problems; Wang, Sankaran & Perdikaris 2022). */
  readonly causal?: CausalConfig;
  /** Replace the residual points every k Adam steps (uniform or RAD). */
  readonly resample?: ResampleConfig;
  /** Train [t0, t1] in equal time windows, each starting from the previous one's end (time-marching). */
  readonly marching?: MarchingConfig;
  /** Start from this model's variables (same network) instead of random ones. */
  readonly warmStart?: PinnModel;
  /** Map the domain's bounding box to [-1, 1] before the network (default true). */
  readonly scaleInputs?: boolean;
  /** Derivative engine (default `fusedEngine()`, which falls back to the 'taylor' engine with a notice where the kernel cannot run). */
  readonly engine?: DerivativeEngine;
  /** Seed of every random choice (weights, points, weighting). */
  readonly seed?: number;
  /** Write checkpoints of both phases (with the whole run's state) into dir every `every` steps (and every `everySeconds`, when given). */
  readonly checkpoint?: { readonly dir: string; readonly every: number; readonly everySeconds?: number };
  /** Stop after the current step once aborted (Ctrl-C in a CLI); later phases are skipped. */
  readonly signal?: AbortSignal;
  /**
   * Continue from a checkpoint folder written with `checkpoint`: weights, Adam or L-BFGS state,
   * adaptive and causal weights, the residual points, every generator, the step and the phase;
   * the resumed run's history equals the uninterrupted run's.
   */
  readonly resumeFrom?: string;
  /** Progress display (default 'none'). */
  readonly progress?: TrainConfig['progress'];
  /** Extra trainer callbacks. */
  readonly callbacks?: readonly Callback[];
}
