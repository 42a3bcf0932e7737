/**
 * The app's contract with the problem solver (`@aml/pinn`): parse a problem config (validation
 * only, no tensors, so bad configs fail before anything starts), build it (network, points),
 * train it, and expose the trained solution. `adapter/pinn.ts` implements it on @aml/pinn.
 */
import type { Callback, History, Rng } from '@aml/core';
import type { Box } from '../report/grid';
import type { SolutionView } from '../report/solution';

/** A validated problem, ready to build. */
export interface ParsedProblem {
  /** Input names (d), e.g. ['x', 't']. */
  readonly inputs: readonly string[];
  /** Output names (m), e.g. ['u']. */
  readonly outputs: readonly string[];
  /** Bounding box of the domain. */
  readonly box: Box;
  /** Total optimiser steps the config asks for (all phases). */
  readonly totalSteps: number;
}

/** Options of `BuiltProblem.train`. */
export interface TrainOptions {
  /** Callbacks for each phase (progress lines); `phase` is e.g. 'adam' or 'lbfgs'. */
  readonly callbacks: (phase: string) => Callback[];
  /** Notes for the log (phase changes, refinement rounds). */
  readonly log: (line: string) => void;
}

/** What training returns. */
export interface TrainOutcome {
  /** Loss and per-term history over all phases (concatenated). */
  readonly history: Pick<History, 'loss' | 'terms' | 'stopReason'>;
  /** Where each phase starts in the history. */
  readonly phases: readonly { readonly name: string; readonly start: number; readonly steps: number; readonly stopReason: string }[];
}

/** A problem with its network and points: trainable and evaluable. */
export interface BuiltProblem {
  readonly parsed: ParsedProblem;
  /** Run all training phases. */
  train(o: TrainOptions): Promise<TrainOutcome>;
  /** The current network as a solution (with the config's reference, if any). */
  solution(): SolutionView;
  /** Trainable coefficients of an inverse problem: learned and true values (empty otherwise). */
  coefficients(): Readonly<Record<string, { readonly learned: number; readonly true?: number }>>;
  /** Save the trained parameters into `dir` (created). */
  saveCheckpoint(dir: string): void;
  /** Restore parameters saved by `saveCheckpoint`. */
  loadCheckpoint(dir: string): void;
  /** Release tensors. */
  dispose(): void;
}

/** The solver side of the app. */
export interface ProblemAdapter {
  /** Validate a problem config; throws an Error naming the field and the fix. `where` prefixes field paths. */
  parse(config: unknown, where: string): ParsedProblem;
  /** Build network and points (needs a backend). */
  build(parsed: ParsedProblem, rng: Rng): BuiltProblem;
  /** The config with its total step count capped/set to `steps` (the `--steps` option). */
  withSteps(config: unknown, steps: number): unknown;
  /** A generic tiny version of any config (for `--quick` when the experiment has no `quick` block). */
  quick(config: unknown): unknown;
}
