/**
 * The app's contract with the problem solver (`@aml/pinn`): parse a problem config (validation
 * only, no training, so bad configs fail before anything starts), build it (network, points),
 * train it, and expose the trained solution. `adapter/pinn.ts` implements it on @aml/pinn.
 */
import type { Callback, History } from '@aml/core';
import type { Box } from '@aml/pinn';
import type { SolutionView } from '../report/solution';

/** A validated problem, ready to build. */
export interface ParsedProblem {
  /** Input names (d), e.g. ['x', 't']. */
  readonly inputs: readonly string[];
  /** Output names (m), e.g. ['u']. */
  readonly outputs: readonly string[];
  /** Bounding box of the domain. */
  readonly box: Box;
  /** Names of the phases and their steps, e.g. [['adam', 5000], ['lbfgs', 2000]]. */
  readonly phases: readonly (readonly [string, number])[];
  /** The problem's own reference (closed form, Burgers), points (N, d) -> (N, m); absent if none. */
  readonly reference?: (points: Float64Array) => Float64Array;
  /** Label of that reference, e.g. 'exact: exp(-pi^2*t)*sin(pi*x)'. */
  readonly referenceLabel?: string;
  /** A reference grid file named by the problem config (CSV/NPY, columns named after inputs and outputs), as written. */
  readonly referenceFile?: string;
  /** Name of the derivative engine that computes the input derivatives (e.g. 'fused', 'taylor'). */
  readonly engine?: string;
  /** Names of the trainable coefficients (inverse problems). */
  readonly trainable: readonly string[];
}

/** Options of `BuiltProblem.train`. */
export interface TrainOptions {
  /** Callbacks for a phase (progress lines); `phase` is e.g. 'adam' or 'lbfgs'. */
  readonly callbacks: (phase: string) => Callback[];
  /** Notes for the log. */
  readonly log: (line: string) => void;
  /** Write resumable checkpoints into `dir` every `every` steps and every `everySeconds` of wall time. */
  readonly checkpoint?: { readonly dir: string; readonly every: number; readonly everySeconds: number };
  /** Continue from the checkpoint in this folder (written by an earlier run with the same config). */
  readonly resumeFrom?: string;
  /** Stop after the current step once aborted (SIGINT, SIGTERM); the checkpoint is written first. */
  readonly signal?: AbortSignal;
}

/** How a training run ended: all steps done, stopped by a signal, or stopped by a non-finite loss. */
export type RunStatus = 'completed' | 'interrupted' | 'diverged';

/** Where a run diverged: the first non-finite loss term. */
export interface Divergence {
  /** Phase, e.g. 'adam'. */
  readonly phase: string;
  /** 0-based step within the whole run (phases concatenated). */
  readonly step: number;
  /** Loss term that went non-finite first (or 'loss' for the total). */
  readonly term: string;
  /** Its value (NaN, Infinity or -Infinity), as text so JSON keeps it. */
  readonly value: string;
}

/** What training returns. */
export interface TrainOutcome {
  /** Loss and per-term history over all phases (concatenated). */
  readonly history: Pick<History, 'loss' | 'terms' | 'stopReason'>;
  /** Where each phase starts in the history, its steps, why it stopped and its wall time. */
  readonly phases: readonly {
    readonly name: string;
    readonly start: number;
    readonly steps: number;
    readonly stopReason: string;
    readonly seconds: number;
  }[];
  /** Trainable coefficients per step (inverse problems). */
  readonly coefficients: Readonly<Record<string, readonly number[]>>;
  /** Training wall time, seconds. */
  readonly seconds: number;
  /** How training ended. */
  readonly status: RunStatus;
  /** Set when status is 'diverged'. */
  readonly divergence?: Divergence;
  /** Steps of the checkpoint the run resumed from (0 for a fresh run). */
  readonly resumedAt: number;
  /** What the solver recorded besides the losses (learning rate, loss weights, causal weights, sampling, windows). */
  readonly trace?: SolverTrace;
}

/** A change of the residual points: after which Adam step (0-based, whole run), how, and the count after it. */
export interface SamplingEventView {
  readonly step: number;
  /** e.g. 'rar' (points added), 'uniform' or 'rad' (the set replaced). */
  readonly method: string;
  readonly points: number;
}

/** The solver's per-step record beyond the loss terms (absent entries: the method was not used). */
export interface SolverTrace {
  /** Learning rate per step, all phases (L-BFGS records its first trial step scale, 1). */
  readonly learningRate: readonly number[];
  /** Each loss term's weight per Adam step. */
  readonly weights: Readonly<Record<string, readonly number[]>>;
  /** With causal weighting, per Adam step: the smallest chunk weight and the causality parameter epsilon. */
  readonly causal?: { readonly minWeight: readonly number[]; readonly epsilon: readonly number[] };
  /** Every refinement or resampling of the residual points, in order. */
  readonly sampling: readonly SamplingEventView[];
  /** Residual point count at the start and after each refinement. */
  readonly collocationPoints: readonly number[];
  /** Time-marching windows in order: time range and steps trained (all phases). */
  readonly windows?: readonly { readonly t0: number; readonly t1: number; readonly steps: number }[];
  /** The residual points at the end of training (N, d) row-major (time-marching: the last window's), from the final checkpoint. */
  readonly finalPoints?: { readonly n: number; readonly d: number; readonly data: Float32Array };
}

/** A problem with its network: trainable and evaluable. */
export interface BuiltProblem {
  readonly parsed: ParsedProblem;
  /** Run all training phases (once). */
  train(o: TrainOptions): Promise<TrainOutcome>;
  /** The current network as a solution. */
  solution(): SolutionView;
  /** Current values of the coefficients (trainable and fixed). */
  coefficients(): Readonly<Record<string, number>>;
  /** Save the trained model into `dir` (created), in core's checkpoint format (`saveModel`). */
  saveCheckpoint(dir: string): void;
  /** Restore parameters saved by `saveCheckpoint`, or an older `checkpoint/weights.json` (for `eval`, `export`). */
  loadCheckpoint(dir: string): void;
  /**
   * Write the trained network for other tools into `out`: 'layers' a TensorFlow.js Layers model folder
   * (model.json + weights.bin), 'npz' a NumPy .npz file. Returns the files written; a network the format
   * cannot hold fails naming it.
   */
  exportModel?(format: 'layers' | 'npz', out: string): Promise<string[]>;
  /** Release tensors. */
  dispose(): void;
}

/** The solver side of the app. */
export interface ProblemAdapter {
  /** Validate a problem config; throws an Error naming the field and the fix. `where` names the file in messages. */
  parse(config: unknown, where: string): ParsedProblem;
  /** Build the network (needs a backend). */
  build(parsed: ParsedProblem): BuiltProblem;
  /** The config with its total step count set to `steps` (the `--steps` option). */
  withSteps(config: unknown, steps: number): unknown;
  /** The config with its seed set (network initialisation, points, noise). */
  withSeed(config: unknown, seed: number): unknown;
  /** The config's own seed, if it states one. */
  seedOf(config: unknown): number | undefined;
  /** A generic tiny version of any config (for `--quick` when the experiment has no `quick` block). */
  quick(config: unknown): unknown;
  /**
   * Checks of everything the solver would only find at training time: option ranges under their config
   * names (training.adam.lr) and a memory estimate for the point counts. Returns the checkpoint settings.
   * Throws an Error naming the field and the fix.
   */
  preflight(parsed: ParsedProblem, where: string): { readonly every: number; readonly everySeconds: number };
  /** The config with extra observations (points (N, d), values (N, m)) appended as a condition. */
  withObservations(config: unknown, points: number[][], values: number[][], weight?: number): unknown;
}
