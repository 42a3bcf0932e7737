import { expectNoLeak, initBackend, Rng } from '@aml/core';
import type { Matrix } from '@aml/data';
import { FOREST } from './forest';
import { logisticModel } from './logistic';
import { LINEAR, MLP } from './registry';
import { binColumns, growTree } from './tree';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** n rows of D standard normal features. */
function gaussian(n: number, D: number, seed: number): Matrix {
  const rng = new Rng(seed);
  return { rows: n, cols: D, data: Float64Array.from({ length: n * D }, () => rng.normal()) };
}
const col = (X: Matrix, i: number, j: number) => X.data[i * X.cols + j];

describe('CART tree and random forest', () => {
  it('one deep tree separates a threshold rule exactly (oracle: y = [x0 > 0.3])', () => {
    const X = gaussian(200, 3, 1);
    const y = Float64Array.from({ length: 200 }, (_, i) => (col(X, i, 0) > 0.3 ? 1 : 0));
    const idx = Uint32Array.from({ length: 200 }, (_, i) => i);
    const t = growTree(binColumns(X, idx, 256), 3, y, idx, { K: 2, mtry: 3, minLeaf: 1, maxDepth: 10 }, new Rng(2));
    expect(t.feature[0]).toBe(0); // the root splits on the rule's column ...
    expect(Math.abs(t.threshold[0] - 0.3)).toBeLessThan(0.05); // ... near its threshold (bins of 200/256 rows)
  });
  it('classifies an interaction (XOR of signs) that no linear model can: accuracy > 0.9 on new rows', async () => {
    const X = gaussian(900, 4, 3);
    const y = Float64Array.from({ length: 900 }, (_, i) => (col(X, i, 0) * col(X, i, 1) > 0 ? 1 : 0));
    const tr: Matrix = { rows: 600, cols: 4, data: X.data.subarray(0, 2400) };
    const te: Matrix = { rows: 300, cols: 4, data: X.data.subarray(2400) };
    const m = FOREST.create('classification', 4, 2, {} as never, new Rng(0), { trees: 50, features: 1, minLeaf: 1 });
    await m.fit({ X: tr, y: y.subarray(0, 600) }, new Rng(4));
    const p = m.predict(te);
    let acc = 0;
    for (let i = 0; i < 300; i++) {
      expect(p[2 * i] + p[2 * i + 1]).toBeCloseTo(1, 12); // vote fractions are probabilities
      acc += (p[2 * i + 1] > 0.5 ? 1 : 0) === y[600 + i] ? 1 / 300 : 0;
    }
    expect(acc).toBeGreaterThan(0.9);
    const lin = LINEAR.create(
      'classification',
      4,
      2,
      { epochs: 1, batchSize: 1, learningRate: 1, hidden: [] },
      new Rng(0),
    );
    await lin.fit({ X: tr, y: y.subarray(0, 600) }, new Rng(0));
    const q = lin.predict(te);
    let linAcc = 0;
    for (let i = 0; i < 300; i++) linAcc += (q[2 * i + 1] > 0.5 ? 1 : 0) === y[600 + i] ? 1 / 300 : 0;
    expect(linAcc).toBeLessThan(0.65); // chance level: the signs' product is uncorrelated with each sign
  });
  it('regression: same seed, same forest; save -> load predicts identically; R^2 > 0.8 on a step rule', async () => {
    const X = gaussian(400, 3, 5);
    const y = Float64Array.from({ length: 400 }, (_, i) => (col(X, i, 0) > 0 ? 2 : -1) + 0.1 * Math.sin(i));
    const fit = async () => {
      const m = FOREST.create('regression', 3, 0, {} as never, new Rng(0));
      await m.fit({ X, y }, new Rng(6));
      return m;
    };
    const a = await fit(),
      b = await fit();
    expect(a.predict(X)).toEqual(b.predict(X));
    const back = FOREST.load(JSON.parse(JSON.stringify(a.save())));
    expect(back.predict(X)).toEqual(a.predict(X));
    const p = a.predict(X);
    let ss = 0,
      st = 0;
    const mean = y.reduce((s, v) => s + v, 0) / 400;
    for (let i = 0; i < 400; i++) {
      ss += (y[i] - p[i]) ** 2;
      st += (y[i] - mean) ** 2;
    }
    expect(1 - ss / st).toBeGreaterThan(0.8);
  });
});

describe('L2 logistic regression', () => {
  it('reaches the penalised optimum: finite-difference gradient of the objective ~ 0 (float64)', async () => {
    const X = gaussian(120, 3, 7);
    const y = Float64Array.from({ length: 120 }, (_, i) =>
      col(X, i, 0) - col(X, i, 2) + 0.8 * Math.sin(3 * i) > 0 ? 1 : i % 3 === 0 ? 2 : 0,
    );
    const lambda = 0.01;
    const m = logisticModel(3, lambda, 3000, undefined, 1e-9);
    await m.fit({ X, y }, new Rng(0));
    const saved = m.save() as unknown as { w: number[]; b: number[] };
    const objective = (w: number[], b: number[]) => {
      const p = logisticModel(3, lambda, 0, { w, b }).predict(X);
      let f = 0;
      for (let i = 0; i < 120; i++) f -= Math.log(p[i * 3 + y[i]]) / 120;
      return f + (lambda / 2) * w.reduce((s, v) => s + v * v, 0);
    };
    const h = 1e-5;
    for (let j = 0; j < saved.w.length; j++) {
      const up = [...saved.w],
        dn = [...saved.w];
      up[j] += h;
      dn[j] -= h;
      expect(Math.abs((objective(up, saved.b) - objective(dn, saved.b)) / (2 * h))).toBeLessThan(1e-4);
    }
  });
  it('a larger penalty shrinks the weights (|W| monotone in lambda)', async () => {
    const X = gaussian(100, 2, 8);
    const y = Float64Array.from({ length: 100 }, (_, i) => (col(X, i, 0) > 0 ? 1 : 0));
    const norms: number[] = [];
    for (const lambda of [1e-3, 1e-2, 1e-1]) {
      const m = logisticModel(2, lambda, 500);
      await m.fit({ X, y }, new Rng(0));
      norms.push(Math.hypot(...(m.save() as unknown as { w: number[] }).w));
    }
    expect(norms[0]).toBeGreaterThan(norms[1]);
    expect(norms[1]).toBeGreaterThan(norms[2]);
  });
});

describe('MLP with early stopping and weight decay', () => {
  it('on small noisy data stops before the epoch ceiling, keeps the best held-out epoch, leaks no tensors', async () => {
    const X = gaussian(80, 5, 9);
    const y = Float64Array.from({ length: 80 }, (_, i) => 0.5 * col(X, i, 0) + new Rng(i + 100).normal()); // mostly noise
    const m = MLP.create(
      'regression',
      5,
      0,
      { epochs: 300, batchSize: 16, learningRate: 0.02, hidden: [32, 32] },
      new Rng(1),
      { weightDecay: 1e-4 },
    );
    await expectNoLeak(async () => {
      const curve = await m.fit({ X, y }, new Rng(2));
      expect(curve.train.length).toBeLessThan(300); // stopped early
      expect(curve.bestEpoch).toBeDefined();
      expect(curve.train.length - curve.bestEpoch!).toBe(20); // patience 20 after the best epoch
    }, 'mlp fit with early stopping');
    m.dispose();
  });
});
