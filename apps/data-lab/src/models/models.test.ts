import { expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { classificationScores, confusion, regressionScores } from './metrics';
import { loadNet, netModel, type SavedNet } from './net';
import { LINEAR, MLP } from './registry';
import { choleskySolve, ridgeModel } from './ridge';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const settings = { epochs: 3, batchSize: 8, learningRate: 0.01, hidden: [4] };
const X = { data: Float64Array.from({ length: 40 }, (_, i) => Math.sin(i)), rows: 20, cols: 2 };
const yCls = Float64Array.from({ length: 20 }, (_, i) => i % 2);

describe('network models', () => {
  it('fit and predict leave no tensors behind; dispose frees the parameters', async () => {
    const m = netModel(
      'mlp',
      'classification',
      { kind: 'mlp', sizes: [2, 4, 2], activation: 'tanh' },
      settings,
      new Rng(1),
    );
    await expectNoLeak(async () => {
      const curve = await m.fit({ X, y: yCls, val: { X, y: yCls } }, new Rng(2));
      expect(curve.train).toHaveLength(3);
      expect(curve.val).toHaveLength(3);
      m.predict(X);
    }, 'mlp fit + predict');
    const before = tf.memory().numTensors;
    m.dispose();
    expect(before - tf.memory().numTensors).toBe(4); // W1, b1, W2, b2
  });
  it('predicts class probabilities (rows sum to 1) and is reproducible with the same seeds', async () => {
    const run = async () => {
      const m = MLP.create('classification', 2, 2, settings, new Rng(3));
      await m.fit({ X, y: yCls }, new Rng(4));
      const p = m.predict(X);
      m.dispose();
      return p;
    };
    const p = await run();
    for (let i = 0; i < 20; i++) expect(p[2 * i] + p[2 * i + 1]).toBeCloseTo(1, 6);
    expect(await run()).toEqual(p);
  });
  it('save -> load gives the same predictions; a shape mismatch is named', async () => {
    const m = MLP.create('regression', 2, 0, settings, new Rng(5));
    await m.fit({ X, y: Float64Array.from({ length: 20 }, (_, i) => i / 20) }, new Rng(6));
    const saved = JSON.parse(JSON.stringify(m.save())) as SavedNet;
    const back = MLP.load(saved);
    expect(back.predict(X)).toEqual(m.predict(X));
    m.dispose();
    back.dispose();
    const bad = { ...saved, weights: [{ shape: [3, 4], values: new Array(12).fill(0) }, ...saved.weights.slice(1)] };
    expect(() => loadNet(bad)).toThrow("model 'mlp': parameter 0 has shape (3,4) but the network expects (2,4)");
  });
  it('logistic regression learns a linearly separable rule', async () => {
    const n = 200;
    const rng = new Rng(7);
    const data = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const y = Float64Array.from({ length: n }, (_, i) => (data[2 * i] - 0.5 * data[2 * i + 1] > 0 ? 1 : 0));
    const m = LINEAR.create(
      'classification',
      2,
      2,
      { ...settings, epochs: 60, batchSize: 50, learningRate: 0.05 },
      new Rng(8),
    );
    await m.fit({ X: { data, rows: n, cols: 2 }, y }, new Rng(9));
    expect(classificationScores(y, m.predict({ data, rows: n, cols: 2 }), 2).accuracy).toBeGreaterThan(0.95);
    m.dispose();
  });
});

describe('ridge regression', () => {
  it('recovers exact weights of noise-free linear data (oracle: the generating rule)', async () => {
    const rng = new Rng(10);
    const n = 50;
    const data = Float64Array.from({ length: 3 * n }, () => rng.normal());
    const y = Float64Array.from(
      { length: n },
      (_, i) => 2 * data[3 * i] - 3 * data[3 * i + 1] + 0.5 * data[3 * i + 2] + 7,
    );
    const m = ridgeModel(0);
    await m.fit({ X: { data, rows: n, cols: 3 }, y }, rng);
    const s = m.save() as unknown as { w: number[]; b: number };
    [2, -3, 0.5].forEach((w, j) => expect(s.w[j]).toBeCloseTo(w, 10));
    expect(s.b).toBeCloseTo(7, 10);
    expect(() => m.predict({ data: new Float64Array(2), rows: 1, cols: 2 })).toThrow(
      'linear: fitted on 3 features but got 2',
    );
  });
  it('choleskySolve solves a 3x3 SPD system (oracle: A x reproduces r) and names a singular column', () => {
    const A = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const r = Float64Array.from([1, 2, 3]);
    const x = choleskySolve(A, r, 3);
    for (let i = 0; i < 3; i++)
      expect(A[3 * i] * x[0] + A[3 * i + 1] * x[1] + A[3 * i + 2] * x[2]).toBeCloseTo(r[i], 12);
    expect(() => choleskySolve(Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 1]), 2)).toThrow(
      'singular at column 1',
    );
  });
});

describe('metrics (hand-computed)', () => {
  it('classification: accuracy, macro F1, log-loss, confusion', () => {
    const y = [0, 0, 1, 1];
    const p = [0.9, 0.1, 0.4, 0.6, 0.2, 0.8, 0.7, 0.3]; // predicted 0, 1, 1, 0
    const s = classificationScores(y, p, 2);
    expect(s.accuracy).toBe(0.5);
    expect(s.macroF1).toBeCloseTo(0.5, 12);
    expect(s.logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.4) + Math.log(0.8) + Math.log(0.3)) / 4, 12);
    expect(confusion(y, [0, 1, 1, 0], 2)).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });
  it('regression: rmse, mae, r2', () => {
    const s = regressionScores([1, 2, 3], [1, 2, 4]);
    expect(s.rmse).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(s.mae).toBeCloseTo(1 / 3, 12);
    expect(s.r2).toBeCloseTo(1 - 1 / 2, 12);
  });
});
