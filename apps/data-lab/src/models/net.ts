import { adam, Rng, tf, train } from '@aml/core';
import { Matrix } from '@aml/data';
import { disposeLayer, Layer, mlp, mse, softmaxCrossEntropy } from '@aml/nn';
import { FitData, LearningCurve, SavedModel, SupervisedTask, TabularModel, TrainSettings } from './model';

/** Saved form of a network model. */
export interface SavedNet extends SavedModel {
  readonly task: SupervisedTask;
  /** Layer widths including input and output. */
  readonly sizes: number[];
  readonly activation: 'tanh' | 'relu';
  /** Parameter values in `params` order, with shapes. */
  readonly weights: { shape: number[]; values: number[] }[];
}

function toTensor(X: Matrix): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(X.data), [X.rows, X.cols]); // (N, D)
}

/** Loss of network outputs against targets: softmax cross-entropy on logits, or mean squared error. */
function lossOf(task: SupervisedTask, out: tf.Tensor, y: tf.Tensor, K: number): tf.Scalar {
  return task === 'classification' ? softmaxCrossEntropy(out, tf.oneHot(tf.cast(y, 'int32'), K)) : mse(tf.squeeze(out, [1]), y);
}

/**
 * A feed-forward network from @aml/nn trained by @aml/core's trainer with Adam on shuffled mini-batches:
 * with no hidden layer it is the linear/logistic model, with hidden layers the MLP.
 */
export function netModel(name: string, task: SupervisedTask, sizes: number[], activation: 'tanh' | 'relu', s: TrainSettings, rng: Rng): TabularModel {
  return wrapNet(name, task, sizes, activation, s, mlp({ sizes, activation, name }, rng));
}

function wrapNet(name: string, task: SupervisedTask, sizes: number[], activation: 'tanh' | 'relu', s: TrainSettings | null, net: Layer): TabularModel {
  const K = task === 'classification' ? sizes[sizes.length - 1] : 0;
  const model: TabularModel = {
    name,
    async fit(data: FitData, runRng: Rng): Promise<LearningCurve> {
      if (!s) throw new Error(`${name}: a loaded model cannot be refitted; create a new one`);
      const X = toTensor(data.X);
      const y = tf.tensor1d(Float32Array.from(data.y));
      const val = data.val ? { X: toTensor(data.val.X), y: tf.tensor1d(Float32Array.from(data.val.y)) } : null;
      const curve: LearningCurve = { train: [], val: [] };
      const optimizer = adam({ learningRate: s.learningRate });
      try {
        await train({
          params: net.params as tf.Variable[],
          optimizer,
          epochs: s.epochs,
          data: { x: X, y },
          batchSize: Math.min(s.batchSize, data.X.rows),
          rng: runRng,
          progress: 'none', // data-lab shows one bar over all folds and models
          loss: (ctx) => lossOf(task, net.apply(ctx.batch!.x, { training: true }), ctx.batch!.y, K),
          callbacks: [{
            onStepEnd: () => s.onStep?.(),
            onEpochEnd: (info) => {
              curve.train.push(info.meanLoss);
              if (val) curve.val.push(tf.tidy(() => lossOf(task, net.apply(val.X), val.y, K).dataSync()[0]));
            },
          }],
        });
      } finally {
        optimizer.dispose();
        tf.dispose([X, y, ...(val ? [val.X, val.y] : [])]);
      }
      return curve;
    },
    predict(Xm: Matrix): Float64Array {
      const p = tf.tidy(() => {
        const out = net.apply(toTensor(Xm));
        return task === 'classification' ? tf.softmax(out) : tf.squeeze(out, [1]); // (N, K) or (N)
      });
      const v = Float64Array.from(p.dataSync());
      p.dispose();
      return v;
    },
    save(): SavedNet {
      return { name, task, sizes, activation, weights: net.params.map((v) => ({ shape: [...v.shape], values: Array.from(v.dataSync()) })) };
    },
    dispose: () => disposeLayer(net),
  };
  return model;
}

/** Rebuild a saved network, checking every parameter's shape. */
export function loadNet(saved: SavedNet): TabularModel {
  const net = mlp({ sizes: saved.sizes, activation: saved.activation, name: saved.name }, new Rng(0));
  if (net.params.length !== saved.weights.length) {
    disposeLayer(net);
    throw new Error(`model '${saved.name}': saved ${saved.weights.length} parameter arrays but the network has ${net.params.length}`);
  }
  net.params.forEach((v, i) => {
    const w = saved.weights[i];
    if (w.shape.join(',') !== v.shape.join(',')) {
      disposeLayer(net);
      throw new Error(`model '${saved.name}': parameter ${i} has shape (${w.shape}) but the network expects (${v.shape})`);
    }
    tf.tidy(() => v.assign(tf.tensor(w.values, v.shape as number[])));
  });
  return wrapNet(saved.name, saved.task, saved.sizes, saved.activation, null, net);
}
