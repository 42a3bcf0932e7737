import type { Rng } from '@aml/core';
import type { Matrix } from '@aml/data';

/** A supervised task on a feature matrix. */
export type SupervisedTask = 'classification' | 'regression';

/** Training data of a model: features already preprocessed (fitted on the training rows only). */
export interface FitData {
  /** Features (N, D). */
  readonly X: Matrix;
  /** Targets (N): class index 0..K-1, or the (standardised) value. */
  readonly y: Float64Array;
  /** Held-out rows, for learning curves (not used to fit). */
  readonly val?: { readonly X: Matrix; readonly y: Float64Array };
}

/** Loss per epoch on the training and held-out rows. */
export interface LearningCurve {
  readonly train: number[];
  readonly val: number[];
  /** Epoch (1-based) whose weights were kept, when early stopping chose one. */
  bestEpoch?: number;
}

/** Settings shared by the trainable models (from the CLI). */
export interface TrainSettings {
  /** Passes over the training rows. */
  readonly epochs: number;
  /** Rows per mini-batch. */
  readonly batchSize: number;
  /** Adam learning rate. */
  readonly learningRate: number;
  /** Hidden layer widths of the MLP. */
  readonly hidden: readonly number[];
  /** Full-batch Adam steps of convex baselines (logistic regression), trained to convergence rather than per epoch. */
  readonly baselineSteps?: number;
  /** Called after each optimizer step (progress bars); implies `poll`. */
  readonly onStep?: (loss: number) => void | Promise<void>;
  /**
   * Called between iterations of every fit (solver iterations, trees, optimizer steps without `onStep`, as in
   * inner cross-validation, which does not advance the bar) and between grid points: stops the run at a pending
   * signal (it throws) and yields to the event loop now and then, so Ctrl-C is honoured within one iteration.
   */
  readonly poll?: () => void | Promise<void>;
}

/** One point of a model's hyperparameter grid, e.g. `{ lambda: 0.1 }` (plain JSON, saved in reports). */
export type Hyper = Readonly<Record<string, number | string>>;

/** A fitted (or fittable) model with explicit parameters. */
export interface TabularModel {
  /** Registry name, e.g. 'mlp'. */
  readonly name: string;
  /** Fit on the data; returns the learning curve (empty for closed-form models). */
  fit(data: FitData, rng: Rng): Promise<LearningCurve>;
  /** Predictions: (N) values for regression, (N, K) class probabilities for classification. */
  predict(X: Matrix): Float64Array;
  /** Plain-data parameters, for model.json. */
  save(): SavedModel;
  /** Free tensors. */
  dispose(): void;
}

/** A saved model: its registry name, its settings and its parameters (plain JSON). */
export interface SavedModel {
  readonly name: string;
  readonly [key: string]: unknown;
}

/**
 * A model family data-lab can offer. To add one, implement this and list it in `MODELS` (models/registry.ts).
 *
 * @example (a k-nearest-neighbour classifier would be)
 *   const knn: ModelSpec = {
 *     name: 'knn', description: 'k = 5 nearest neighbours', tasks: ['classification'], steps: () => 0,
 *     create: (task, D, K) => makeKnn(D, K, 5),     // fit() stores X, y; predict() votes
 *     load: (saved) => makeKnn(saved.D, saved.K, 5, saved.X, saved.y),
 *   };
 */
export interface ModelSpec {
  readonly name: string;
  /** One line for reports. */
  readonly description: string;
  /** Tasks it handles. */
  readonly tasks: readonly SupervisedTask[];
  /** Optimizer steps a fit on n rows will take (for the progress bar). */
  steps(n: number, s: TrainSettings, task: SupervisedTask): number;
  /**
   * Hyperparameters tried by nested cross-validation (inner folds inside each outer training fold); the first
   * point is the default. Omitted or one point: nothing to tune.
   */
  readonly grid?: (task: SupervisedTask) => readonly Hyper[];
  /** A fresh model for D inputs and K classes (K = 0 for regression), with hyperparameters `hp` (default: the grid's first). */
  create(task: SupervisedTask, D: number, K: number, s: TrainSettings, rng: Rng, hp?: Hyper): TabularModel;
  /** Rebuild a fitted model from `save()` output. */
  load(saved: SavedModel): TabularModel;
}
