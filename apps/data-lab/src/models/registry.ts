import { loadNet, netModel, SavedNet } from './net';
import { Matrix } from '@aml/data';
import { ModelSpec, SavedModel, TabularModel } from './model';
import { ridgeModel, SavedRidge } from './ridge';

/** The linear baseline: ridge regression (closed form) or multinomial logistic regression (Adam). */
export const LINEAR: ModelSpec = {
  name: 'linear',
  description: 'baseline: ridge regression (closed form) / logistic regression (softmax, Adam)',
  tasks: ['classification', 'regression'],
  steps: (_n, s, task) => (task === 'regression' ? 0 : s.baselineSteps ?? 300),
  // Logistic regression is convex: full-batch Adam with a large step converges; mini-batch epochs would leave it
  // under-trained and make the MLP look better than it is.
  create: (task, D, K, s, rng) => (task === 'regression' ? ridgeModel()
    : netModel('linear', task, { kind: 'mlp', sizes: [D, K], activation: 'tanh' }, { ...s, epochs: s.baselineSteps ?? 300, batchSize: Number.MAX_SAFE_INTEGER, learningRate: 0.1 }, rng)),
  load: (saved) => ('w' in saved ? ridgeModel((saved as SavedRidge).lambda, saved as SavedRidge) : loadNet(saved as SavedNet)),
};

/** The multilayer perceptron (tanh hidden layers, Adam on mini-batches). */
export const MLP: ModelSpec = {
  name: 'mlp',
  description: 'multilayer perceptron (tanh hidden layers, Adam on mini-batches)',
  tasks: ['classification', 'regression'],
  steps: (n, s) => Math.ceil(n / Math.min(s.batchSize, n)) * s.epochs,
  create: (task, D, K, s, rng) => netModel('mlp', task, { kind: 'mlp', sizes: [D, ...s.hidden, task === 'classification' ? K : 1], activation: 'tanh' }, s, rng),
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
export const MODELS: readonly ModelSpec[] = [LINEAR, MLP];

/** The spec of a saved model. */
export function specOf(saved: SavedModel): ModelSpec {
  const s = [...MODELS, LSTM, NAIVE].find((m) => m.name === saved.name);
  if (!s) throw new Error(`unknown model '${saved.name}' in model.json; known: ${[...MODELS, LSTM, NAIVE].map((m) => m.name).join(', ')}`);
  return s;
}
