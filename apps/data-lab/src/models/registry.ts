import { loadNet, netModel, SavedNet } from './net';
import { ModelSpec, SavedModel } from './model';
import { ridgeModel, SavedRidge } from './ridge';

/** The linear baseline: ridge regression (closed form) or multinomial logistic regression (Adam). */
export const LINEAR: ModelSpec = {
  name: 'linear',
  description: 'baseline: ridge regression (closed form) / logistic regression (softmax, Adam)',
  tasks: ['classification', 'regression'],
  steps: (n, s) => Math.ceil(n / Math.min(s.batchSize, n)) * s.epochs,
  create: (task, D, K, s, rng) => (task === 'regression' ? ridgeModel() : netModel('linear', task, [D, K], 'tanh', s, rng)),
  load: (saved) => ('w' in saved ? ridgeModel((saved as SavedRidge).lambda, saved as SavedRidge) : loadNet(saved as SavedNet)),
};

/** The multilayer perceptron (tanh hidden layers, Adam on mini-batches). */
export const MLP: ModelSpec = {
  name: 'mlp',
  description: 'multilayer perceptron (tanh hidden layers, Adam on mini-batches)',
  tasks: ['classification', 'regression'],
  steps: (n, s) => Math.ceil(n / Math.min(s.batchSize, n)) * s.epochs,
  create: (task, D, K, s, rng) => netModel('mlp', task, [D, ...s.hidden, task === 'classification' ? K : 1], 'tanh', s, rng),
  load: (saved) => loadNet(saved as SavedNet),
};

/** Models offered by `analyze`, baseline first. Add a `ModelSpec` here to offer another. */
export const MODELS: readonly ModelSpec[] = [LINEAR, MLP];

/** The spec of a saved model. */
export function specOf(saved: SavedModel): ModelSpec {
  const s = MODELS.find((m) => m.name === saved.name);
  if (!s) throw new Error(`unknown model '${saved.name}' in model.json; known: ${MODELS.map((m) => m.name).join(', ')}`);
  return s;
}
