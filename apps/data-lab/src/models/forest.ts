import type { Rng } from '@aml/core';
import type { Matrix } from '@aml/data';
import type { FitData, Hyper, LearningCurve, ModelSpec, SavedModel, SupervisedTask, TabularModel } from './model';
import { addTreePrediction, binColumns, growTree, type Tree } from './tree';

/** Saved random forest: its hyperparameters and its trees. */
export interface SavedForest extends SavedModel {
  readonly task: SupervisedTask;
  readonly K: number;
  readonly hp: Hyper;
  readonly trees: Tree[];
}

/**
 * Random forest (Breiman 2001, "Random forests", Machine Learning 45): `trees` CART trees, each grown on a
 * bootstrap sample of the rows, each split chosen among a random share `features` of the columns, leaves of at
 * least `minLeaf` rows. Classification averages the trees' leaf class fractions into probabilities (N, K);
 * regression averages their values (N). Bootstrap and column draws come from the `rng` given to `fit`.
 */
export function forestModel(
  task: SupervisedTask,
  K: number,
  hp: Hyper,
  fitted?: Tree[],
  poll?: () => void | Promise<void>,
): TabularModel {
  let trees: Tree[] = fitted ?? [];
  return {
    name: 'forest',
    async fit(data: FitData, rng: Rng): Promise<LearningCurve> {
      const n = data.X.rows;
      const mtry = Math.max(1, Math.round(data.X.cols * Number(hp.features)));
      const cfg = { K: task === 'classification' ? K : 0, mtry, minLeaf: Number(hp.minLeaf), maxDepth: 40 };
      trees = [];
      const bins = binColumns(
        data.X,
        Uint32Array.from({ length: n }, (_, i) => i),
      );
      for (let b = 0; b < Number(hp.trees); b++) {
        const idx = Uint32Array.from({ length: n }, () => rng.int(n)); // bootstrap sample
        trees.push(growTree(bins, data.X.cols, data.y, idx, cfg, rng));
        if (poll)
          await poll(); // a pending signal stops the run here
        else if (b % 10 === 9) await new Promise((r) => setImmediate(r)); // let signals and the progress bar in
      }
      return { train: [], val: [] };
    },
    predict(X: Matrix): Float64Array {
      if (trees.length === 0) throw new Error('forest: predict before fit; call fit first');
      const out = new Float64Array(X.rows * trees[0].width);
      for (const t of trees) addTreePrediction(t, X, 1 / trees.length, out);
      return out;
    },
    save: (): SavedForest => ({ name: 'forest', task, K, hp, trees }),
    dispose: () => undefined,
  };
}

/**
 * The tree ensemble offered by `analyze`, 60 trees. Grid (tuned by inner cross-validation) of the share of columns
 * drawn per split: 0.15 (about sqrt(D) of 64 columns, scikit-learn's classifier default) or 0.5 for classification
 * with leaves of 1 row; 0.33 or 1 (plain bagging) for regression with leaves of at least 5 rows. Trees need no scaling and find
 * interactions a linear model misses; they cannot extrapolate past the training range.
 */
export const FOREST: ModelSpec = {
  name: 'forest',
  description: 'random forest (60 CART trees on bootstrap samples; columns per split tuned by inner CV)',
  tasks: ['classification', 'regression'],
  steps: () => 0,
  grid: (task) =>
    task === 'classification'
      ? [
          { trees: 60, features: 0.15, minLeaf: 1 },
          { trees: 60, features: 0.5, minLeaf: 1 },
        ]
      : [
          { trees: 60, features: 0.33, minLeaf: 5 },
          { trees: 60, features: 1, minLeaf: 5 },
        ],
  create: (task, _D, K, s, _rng, hp) => forestModel(task, K, hp ?? FOREST.grid!(task)[0], undefined, s.poll),
  load: (saved) => {
    const f = saved as SavedForest;
    return forestModel(f.task, f.K, f.hp, f.trees);
  },
};
