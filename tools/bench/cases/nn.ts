/**
 * packages/nn benchmarks.
 * - speed: one Adam training step of an MLP (784-100-100-10, batch 64), a LeNet-style CNN
 *   (16x16x1, batch 32), a 2-layer LSTM (hidden 32, 20 steps, batch 32) and a transformer encoder
 *   (d 32, 4 heads, 2 blocks, 33 tokens, batch 32);
 * - accuracy: the worked experiments' headline figures (Ising CNN accuracy away from T_c, LSTM
 *   oscillator R^2, LJ dimer energy RMSE) and the training throughput in samples/s of the four models.
 */
import { tf, Rng, adam } from '@aml/core';
import { mlp, lenet, sequenceRegressor, transformerEncoder, softmaxCrossEntropy, mse, type Layer } from '@aml/nn';
import type { BenchCase } from '../case';
import { run as isingCnn } from '../../../experiments/nn/ising-cnn';
import { run as oscillatorRnn } from '../../../experiments/nn/oscillator-rnn';
import { run as ljGnn } from '../../../experiments/nn/lj-gnn';

/** A model of the speed cases: its batch and a builder of the network, data and loss. */
export interface Model {
  readonly name: string;
  readonly batch: number;
  build(rng: Rng): { net: Layer; x: tf.Tensor; loss: () => tf.Scalar; y: tf.Tensor };
}

/** The four training-step models (also timed against PyTorch by peer-torch.ts). */
export const MODELS: Model[] = [
  {
    name: 'nn-mlp-784x100x100x10-b64',
    batch: 64,
    build(rng) {
      const net = mlp({ sizes: [784, 100, 100, 10], activation: 'relu' }, rng);
      const x = tf.randomUniform([64, 784], 0, 1, 'float32', 1);
      const y = tf.tensor1d(
        Int32Array.from({ length: 64 }, (_, i) => i % 10),
        'int32',
      );
      return { net, x, y, loss: () => softmaxCrossEntropy(net.apply(x, { training: true }), y) };
    },
  },
  {
    name: 'nn-cnn-lenet-16x16-b32',
    batch: 32,
    build(rng) {
      const net = lenet({ inputShape: [16, 16, 1], classes: 2, channels: [8, 16], kernelSize: 3, hidden: [32] }, rng);
      const x = tf.randomUniform([32, 16, 16, 1], -1, 1, 'float32', 2);
      const y = tf.tensor1d(
        Int32Array.from({ length: 32 }, (_, i) => i % 2),
        'int32',
      );
      return { net, x, y, loss: () => softmaxCrossEntropy(net.apply(x, { training: true }), y) };
    },
  },
  {
    name: 'nn-lstm-h32x2-T20-b32',
    batch: 32,
    build(rng) {
      const net = sequenceRegressor({ cell: 'lstm', inputSize: 1, hidden: 32, layers: 2, outputSize: 1 }, rng);
      const x = tf.randomNormal([32, 20, 1], 0, 1, 'float32', 3);
      const y = tf.randomNormal([32, 1], 0, 1, 'float32', 4);
      return { net, x, y, loss: () => mse(net.apply(x), y) };
    },
  },
  {
    name: 'nn-transformer-d32h4x2-T33-b32',
    batch: 32,
    build(rng) {
      const net = transformerEncoder(
        { inputSize: 2, dModel: 32, heads: 4, layers: 2, ffn: 64, outputSize: 1, head: 'token' },
        rng,
      );
      const x = tf.randomNormal([32, 33, 2], 0, 1, 'float32', 5);
      const y = tf.randomNormal([32, 33, 1], 0, 1, 'float32', 6);
      return { net, x, y, loss: () => mse(net.apply(x), y) };
    },
  },
];

/** One Adam step (lr 1e-3) of a model, seed 1, and its cleanup. */
export function setupStep(m: Model) {
  const { net, x, y, loss } = m.build(new Rng(1));
  const opt = adam({ learningRate: 1e-3 });
  return {
    step: () => opt.minimize(loss, net.params),
    dispose: () => {
      opt.dispose();
      tf.dispose([x, y, ...net.params]);
    },
  };
}

const speed: BenchCase[] = MODELS.map((m) => ({
  kind: 'speed',
  name: `${m.name}-train-step`,
  engine: 'tfjs-ops',
  repeats: 10,
  setup: async () => setupStep(m),
}));

const accuracy: BenchCase[] = [
  {
    kind: 'accuracy',
    name: 'nn-ising-cnn-phase',
    async run({ quick }) {
      const m = await isingCnn({ quick, outDir: 'results/bench-ising-cnn', force: true, verbose: false });
      return {
        testAccuracyAwayFromTc: m.testAccuracyAwayFromTc,
        accuracyNearTc: m.accuracyNearTc,
        trainSeconds: m.trainSeconds,
        pass: m.testAccuracyAwayFromTc > 0.95,
      };
    },
  },
  {
    kind: 'accuracy',
    name: 'nn-oscillator-lstm',
    async run({ quick }) {
      const m = (await oscillatorRnn({
        quick,
        cells: ['lstm'],
        outDir: 'results/bench-oscillator-lstm',
        force: true,
        verbose: false,
      })) as Record<string, { oneStep: { r2: number; rmse: number }; recursive: { r2: number }; trainSeconds: number }>;
      const l = m.lstm;
      return {
        oneStepR2: l.oneStep.r2,
        oneStepRmse: l.oneStep.rmse,
        recursiveR2: l.recursive.r2,
        trainSeconds: l.trainSeconds,
        pass: l.oneStep.r2 > 0.95,
      };
    },
  },
  {
    kind: 'accuracy',
    name: 'nn-lj-dimer-gnn',
    async run({ quick }) {
      const m = await ljGnn({ quick, outDir: 'results/bench-lj-gnn', force: true, verbose: false });
      return {
        energyRmse: m.energyRmse,
        forceMeanAbsError: m.forceMeanAbsError,
        rMinLearned: m.rMinLearned,
        trainSeconds: m.trainSeconds,
        pass: m.energyRmse < 0.1,
      };
    },
  },
  {
    kind: 'accuracy',
    name: 'nn-training-throughput',
    async run({ quick }) {
      const out: Record<string, number> = {};
      for (const m of MODELS) {
        const { step, dispose } = setupStep(m);
        step(); // warm-up: kernels and optimizer slots
        const n = quick ? 2 : 10;
        const t0 = performance.now();
        for (let i = 0; i < n; i++) step();
        out[`${m.name}_samples_per_s`] = (n * m.batch) / ((performance.now() - t0) / 1000);
        dispose();
      }
      return out;
    },
  },
];

export const cases: BenchCase[] = [...speed, ...accuracy];
