import { loadNet, netModel, type SavedNet } from './net';
import type { Matrix } from '@aml/data';
import type { ModelSpec, SavedModel, TabularModel } from './model';
import { ridgeModel, type SavedRidge } from './ridge';
import { logisticModel, type SavedLogistic } from './logistic';
import { FOREST } from './forest';

/**
 * The linear baseline: ridge regression (closed form) or L2-regularised multinomial logistic regression (float64,
 * accelerated gradient to convergence). Grid of the penalty lambda (per row, as in `lambda * n |w|^2` for ridge and
 * `lambda/2 |W|^2` added to the mean cross-entropy): 1e-4, 1e-2, 1 for ridge; 1e-3 (about scikit-learn's default C = 1
 * on 1,000 rows), 1e-2, 1e-1 for logistic.
 */
export const LINEAR: ModelSpec = {
  name: 'linear',
  description: 'baseline: ridge regression (closed form) / L2 logistic regression (softmax); penalty tuned by inner CV',
  tasks: ['classification', 'regression'],
  steps: () => 0,
  grid: (task) => (task === 'regression' ? [1e-4, 1e-2, 1] : [1e-3, 1e-2, 1e-1]).map((lambda) => ({ lambda })),
  create: (task, _D, K, s, _rng, hp) => {
    const lambda = Number(hp?.lambda ?? LINEAR.grid!(task)[0].lambda);
    return task === 'regression'
      ? ridgeModel(lambda, undefined, s.poll)
      : logisticModel(K, lambda, s.baselineSteps ?? 300, undefined, undefined, s.poll);
  },
  load: (saved) =>
    'K' in saved
      ? logisticModel((saved as SavedLogistic).K, (saved as SavedLogistic).lambda, 0, saved as SavedLogistic)
      : 'w' in saved
        ? ridgeModel((saved as SavedRidge).lambda, saved as SavedRidge)
        : loadNet(saved as SavedNet),
};

/**
 * The multilayer perceptron (tanh hidden layers, AdamW on mini-batches) with early stopping: 15% of the training
 * rows are held out, the weights of the epoch with the lowest held-out loss are kept, training stops 20 epochs
 * after it (so `--epochs` is a ceiling); AdamW weight decay 1e-4. Early stopping is its tuning: a one-point grid, so
 * inner cross-validation only scores it for the choice between models (each point costs inner-folds fits).
 */
export const MLP: ModelSpec = {
  name: 'mlp',
  description:
    'multilayer perceptron (tanh hidden layers, AdamW on mini-batches, early stopping on 15% of the training rows)',
  tasks: ['classification', 'regression'],
  steps: (n, s) => Math.ceil(Math.round(n * 0.85) / Math.min(s.batchSize, n)) * s.epochs,
  grid: () => [{ weightDecay: 1e-4 }],
  create: (task, D, K, s, rng, hp) =>
    netModel(
      'mlp',
      task,
      { kind: 'mlp', sizes: [D, ...s.hidden, task === 'classification' ? K : 1], activation: 'tanh' },
      s,
      rng,
      { weightDecay: Number(hp?.weightDecay ?? 1e-4), earlyStopping: { fraction: 0.15, patience: 20 } },
    ),
  load: (saved) => loadNet(saved as SavedNet),
};

/** LSTM forecaster over a window of past values (forecast task only; its input is the window). */
export const LSTM: ModelSpec = {
  name: 'lstm',
  description: 'LSTM over the window (16 hidden units), last state to a linear head',
  tasks: ['regression'],
  steps: (n, s) => Math.ceil(n / Math.min(s.batchSize, n)) * s.epochs,
  create: (task, D, _K, s, rng) => netModel('lstm', task, { kind: 'lstm', window: D, hidden: 16 }, s, rng),
  load: (saved) => loadNet(saved as SavedNet),
};

/** Naive forecast: the next value equals the last one in the window (the baseline every forecaster must beat). */
export const NAIVE: ModelSpec = {
  name: 'naive',
  description: 'naive forecast: next value = last value of the window',
  tasks: ['regression'],
  steps: () => 0,
  create: () => naiveModel(),
  load: () => naiveModel(),
};

function naiveModel(): TabularModel {
  return {
    name: 'naive',
    fit: async () => ({ train: [], val: [] }),
    predict: (X: Matrix) => Float64Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + X.cols - 1]),
    save: () => ({ name: 'naive' }),
    dispose: () => undefined,
  };
}

/** Models of the forecast task, naive baseline first. */
export const FORECAST_MODELS: readonly ModelSpec[] = [NAIVE, LINEAR, MLP, LSTM];

/** Models offered by `analyze`, baseline first. Add a `ModelSpec` here to offer another. */
export const MODELS: readonly ModelSpec[] = [LINEAR, FOREST, MLP];

/** The spec of a saved model. */
export function specOf(saved: SavedModel): ModelSpec {
  const s = [...MODELS, LSTM, NAIVE].find((m) => m.name === saved.name);
  if (!s)
    throw new Error(
      `unknown model '${saved.name}' in model.json; known: ${[...MODELS, LSTM, NAIVE].map((m) => m.name).join(', ')}`,
    );
  return s;
}
