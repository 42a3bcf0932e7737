import { adam, adamw, Rng, tf, train } from '@aml/core';
import type { Matrix } from '@aml/data';
import { disposeLayer, type Layer, mlp, mse, sequenceRegressor, softmaxCrossEntropy } from '@aml/nn';
import type { FitData, LearningCurve, SavedModel, SupervisedTask, TabularModel, TrainSettings } from './model';

/** Architecture of a network model (saved with its weights). */
export type NetArch =
  /** Feed-forward: layer widths including input and output; no hidden layer = linear/logistic model. */
  | { readonly kind: 'mlp'; readonly sizes: number[]; readonly activation: 'tanh' | 'relu' }
  /** LSTM over a window: input (N, window) read as (N, window, 1), one output. */
  | { readonly kind: 'lstm'; readonly window: number; readonly hidden: number };

/** Saved form of a network model. */
export interface SavedNet extends SavedModel {
  readonly task: SupervisedTask;
  readonly arch: NetArch;
  /** Parameter values in `params` order, with shapes. */
  readonly weights: { shape: number[]; values: number[] }[];
}

function build(name: string, arch: NetArch, rng: Rng): Layer {
  if (arch.kind === 'mlp') return mlp({ sizes: arch.sizes, activation: arch.activation, name }, rng);
  return sequenceRegressor({ cell: 'lstm', inputSize: 1, hidden: arch.hidden, outputSize: 1, name }, rng);
}

/** Features as the network's input: (N, D), or (N, window, 1) for the LSTM. */
function input(arch: NetArch, X: Matrix): tf.Tensor {
  const t = tf.tensor2d(Float32Array.from(X.data), [X.rows, X.cols]); // (N, D)
  if (arch.kind === 'mlp') return t;
  const seq = t.reshape([X.rows, X.cols, 1]); // (N, window, 1)
  t.dispose();
  return seq;
}

/**
 * Loss of network outputs against targets: softmax cross-entropy of logits (N, K) against integer labels (N), or
 * MSE on (N, 1) against values (N).
 */
function lossOf(task: SupervisedTask, out: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return task === 'classification' ? softmaxCrossEntropy(out, y) : mse(tf.squeeze(out, [1]), y);
}

/** Targets as a tensor (N): int32 class labels for classification (the fused cross-entropy reads them), else float32. */
function targets(task: SupervisedTask, y: Float64Array): tf.Tensor1D {
  return task === 'classification' ? tf.tensor1d(Int32Array.from(y), 'int32') : tf.tensor1d(Float32Array.from(y));
}

/** Regularisation of a network's training. */
export interface NetRegularisation {
  /** AdamW's decoupled weight decay per step (Loshchilov & Hutter 2019); 0 = plain Adam. */
  readonly weightDecay?: number;
  /**
   * Early stopping: hold out this share of the training rows (seeded), keep the weights of the epoch with the
   * lowest held-out loss and stop after `patience` epochs without improvement. Off when absent.
   */
  readonly earlyStopping?: { readonly fraction: number; readonly patience: number };
}

/**
 * A network from @aml/nn trained by @aml/core's trainer with Adam on shuffled mini-batches: an MLP with
 * no hidden layer is the linear/logistic model, with hidden layers the MLP; or an LSTM forecaster.
 */
export function netModel(
  name: string,
  task: SupervisedTask,
  arch: NetArch,
  s: TrainSettings,
  rng: Rng,
  reg: NetRegularisation = {},
): TabularModel {
  return wrapNet(name, task, arch, s, build(name, arch, rng), reg);
}

/** Rows (N, D) and targets split into a fitting part and a held-out part of `fraction` of the rows, by `rng`. */
function holdOut(X: Matrix, y: Float64Array, fraction: number, rng: Rng) {
  const perm = rng.permutation(X.rows);
  const nv = Math.max(1, Math.round(X.rows * fraction));
  const pick = (idx: ArrayLike<number>) => {
    const data = new Float64Array(idx.length * X.cols);
    for (let k = 0; k < idx.length; k++) data.set(X.data.subarray(idx[k] * X.cols, (idx[k] + 1) * X.cols), k * X.cols);
    return { X: { data, rows: idx.length, cols: X.cols }, y: Float64Array.from(idx, (i) => y[i]) };
  };
  return { fit: pick(perm.subarray(nv)), stop: pick(perm.subarray(0, nv)) };
}

function wrapNet(
  name: string,
  task: SupervisedTask,
  arch: NetArch,
  s: TrainSettings | null,
  net: Layer,
  reg: NetRegularisation = {},
): TabularModel {
  return {
    name,
    async fit(data: FitData, runRng: Rng): Promise<LearningCurve> {
      if (!s) throw new Error(`${name}: a loaded model cannot be refitted; create a new one`);
      const es =
        reg.earlyStopping && data.X.rows >= 20 ? holdOut(data.X, data.y, reg.earlyStopping.fraction, runRng) : null;
      const X = input(arch, es ? es.fit.X : data.X);
      const y = targets(task, es ? es.fit.y : data.y);
      const val = data.val ? { X: input(arch, data.val.X), y: targets(task, data.val.y) } : null;
      const stop = es ? { X: input(arch, es.stop.X), y: targets(task, es.stop.y) } : null;
      const curve: LearningCurve = { train: [], val: [] };
      const optimizer = reg.weightDecay
        ? adamw({ learningRate: s.learningRate, weightDecay: reg.weightDecay })
        : adam({ learningRate: s.learningRate });
      let best = { loss: Infinity, epoch: -1, weights: [] as tf.Tensor[] };
      try {
        await train({
          params: net.params as tf.Variable[],
          optimizer,
          epochs: s.epochs,
          data: { x: X, y },
          batchSize: Math.min(s.batchSize, data.X.rows),
          rng: runRng,
          progress: 'none', // data-lab shows one bar over all folds and models
          loss: (ctx) => lossOf(task, net.apply(ctx.batch!.x, { training: true }), ctx.batch!.y),
          callbacks: [
            {
              onStepEnd: (info) => (s.onStep ? s.onStep(info.loss) : s.poll?.()),
              onEpochEnd: (info) => {
                curve.train.push(info.meanLoss);
                if (val) curve.val.push(tf.tidy(() => lossOf(task, net.apply(val.X), val.y).dataSync()[0]));
                if (!stop) return;
                const l = tf.tidy(() => lossOf(task, net.apply(stop.X), stop.y).dataSync()[0]);
                if (l < best.loss) {
                  tf.dispose(best.weights);
                  best = { loss: l, epoch: info.epoch, weights: net.params.map((v) => tf.clone(v)) };
                } else if (info.epoch - best.epoch >= reg.earlyStopping!.patience)
                  info.stop(`early stopping at epoch ${info.epoch + 1}`);
              },
            },
          ],
        });
        // the weights of the best held-out epoch
        best.weights.forEach((w, i) => (net.params[i] as tf.Variable).assign(w));
        curve.bestEpoch = best.epoch >= 0 ? best.epoch + 1 : undefined;
      } finally {
        optimizer.dispose();
        tf.dispose([X, y, ...best.weights, ...(val ? [val.X, val.y] : []), ...(stop ? [stop.X, stop.y] : [])]);
      }
      return curve;
    },
    predict(Xm: Matrix): Float64Array {
      const p = tf.tidy(() => {
        const out = net.apply(input(arch, Xm));
        return task === 'classification' ? tf.softmax(out) : tf.squeeze(out, [1]); // (N, K) or (N)
      });
      const v = Float64Array.from(p.dataSync());
      p.dispose();
      return v;
    },
    save: (): SavedNet => ({
      name,
      task,
      arch,
      weights: net.params.map((v) => ({ shape: [...v.shape], values: Array.from(v.dataSync()) })),
    }),
    dispose: () => disposeLayer(net),
  };
}

/** Rebuild a saved network, checking every parameter's shape. */
export function loadNet(saved: SavedNet): TabularModel {
  const net = build(saved.name, saved.arch, new Rng(0));
  const fail = (msg: string): never => {
    disposeLayer(net);
    throw new Error(`model '${saved.name}': ${msg}`);
  };
  if (net.params.length !== saved.weights.length)
    fail(`saved ${saved.weights.length} parameter arrays but the network has ${net.params.length}`);
  net.params.forEach((v, i) => {
    const w = saved.weights[i];
    if (w.shape.join(',') !== v.shape.join(','))
      fail(`parameter ${i} has shape (${w.shape}) but the network expects (${v.shape})`);
    tf.tidy(() => v.assign(tf.tensor(w.values, v.shape as number[])));
  });
  return wrapNet(saved.name, saved.task, saved.arch, null, net);
}
