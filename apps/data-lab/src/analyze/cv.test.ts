import { initBackend, Rng, tf } from '@aml/core';
import { type Column, formatCsv, gaussianRing, kFold, parseCsv, tabularDataset, type TabularRule } from '@aml/data';
import { MODELS } from '../models/registry';
import { crossValidate, prepare } from './cv';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const settings = { epochs: 40, batchSize: 64, learningRate: 0.01, hidden: [32, 32] };

async function run(rule: TabularRule, n: number) {
  const { table, target } = tabularDataset(rule, n, new Rng(11), { noise: 0.1 });
  const task = rule.endsWith('regression') ? 'regression' : 'classification';
  const t0 = performance.now();
  const r = await crossValidate({
    table,
    target,
    features: table.columns.filter((c) => c.name !== target).map((c) => c.name),
    task,
    folds: 3,
    seed: 5,
    prep: { impute: 'median', scale: 'standard' },
    settings,
    models: MODELS,
    log: () => undefined,
  });
  return { r, seconds: (performance.now() - t0) / 1000 };
}

describe('cross-validation on data with a known rule', () => {
  it('nonlinear classification (disc): the MLP beats the logistic baseline by a wide margin', async () => {
    const before = tf.memory().numTensors;
    const { r } = await run('nonlinear-classification', 600);
    expect(tf.memory().numTensors).toBe(before); // every fold's models, optimizers and data tensors were freed
    const lin = r.summary.linear.accuracy.mean;
    const mlp = r.summary.mlp.accuracy.mean;
    expect(lin).toBeLessThan(0.7); // no line separates a disc from its outside
    expect(mlp).toBeGreaterThan(0.9);
  });
  it('linear classification: the MLP matches the logistic baseline (within 3 points)', async () => {
    const { r } = await run('linear-classification', 600);
    expect(r.summary.linear.accuracy.mean).toBeGreaterThan(0.93);
    expect(Math.abs(r.summary.mlp.accuracy.mean - r.summary.linear.accuracy.mean)).toBeLessThan(0.03);
  });
  it('nonlinear regression: the MLP explains most variance where ridge cannot', async () => {
    const { r } = await run('nonlinear-regression', 600);
    expect(r.summary.linear.r2.mean).toBeLessThan(0.3);
    expect(r.summary.mlp.r2.mean).toBeGreaterThan(0.8);
  });
  it('linear regression: ridge is near-perfect and the MLP matches it (R^2 within 0.02)', async () => {
    const { r } = await run('linear-regression', 600);
    expect(r.summary.linear.r2.mean).toBeGreaterThan(0.995);
    expect(r.summary.linear.r2.mean - r.summary.mlp.r2.mean).toBeLessThan(0.02);
    // ridge's error is the noise level (std 0.1), the oracle
    expect(r.summary.linear.rmse.mean).toBeCloseTo(0.1, 1);
  });
});

describe('more than two classes', () => {
  it('three Gaussian blobs: softmax baseline and MLP both classify them (oracle: blobs 6 std apart)', async () => {
    const n = 300;
    const { x, labels } = gaussianRing(n, new Rng(4), { k: 3, radius: 2, std: 0.3 });
    const columns: Column[] = [
      { name: 'a', type: 'number', values: Float64Array.from({ length: n }, (_, i) => x[2 * i]) },
      { name: 'b', type: 'number', values: Float64Array.from({ length: n }, (_, i) => x[2 * i + 1]) },
      { name: 'c', type: 'string', values: Array.from(labels, (l) => ['red', 'green', 'blue'][l]) },
    ];
    const r = await crossValidate({
      table: { columns, nRows: n, source: '<blobs>' },
      target: 'c',
      features: ['a', 'b'],
      task: 'classification',
      folds: 3,
      seed: 1,
      prep: { impute: 'median', scale: 'standard' },
      settings: { ...settings, epochs: 20 },
      models: MODELS,
      log: () => undefined,
    });
    expect(r.classes).toEqual(['blue', 'green', 'red']);
    expect(r.summary.linear.accuracy.mean).toBeGreaterThan(0.97);
    expect(r.summary.mlp.accuracy.mean).toBeGreaterThan(0.97);
    expect(new Set(Array.from(r.oof.mlp))).toEqual(new Set([0, 1, 2]));
  });
});

describe('per-fold preparation', () => {
  it('no statistic leaks from validation rows: poisoning them changes neither preprocessor nor target scaling', () => {
    const { table } = tabularDataset('nonlinear-regression', 60, new Rng(1), { categorical: true, missing: 0.1 });
    const cfg = {
      target: 'y',
      features: ['x1', 'x2', 'x3', 'x4', 'group'],
      task: 'regression' as const,
      prep: { impute: 'mean' as const, scale: 'standard' as const },
    };
    for (const fold of kFold(60, 3, new Rng(2))) {
      const a = prepare({ ...cfg, table }, fold.train);
      const poisoned = parseCsv(formatCsv(table), 'p.csv');
      for (const i of fold.val) {
        (poisoned.columns[0].values as Float64Array)[i] = 1e6;
        (poisoned.columns[5].values as Float64Array)[i] = -1e6; // the target
        (poisoned.columns[4].values as (string | null)[])[i] = 'g9';
      }
      const b = prepare({ ...cfg, table: poisoned }, fold.train);
      expect(b.pre).toEqual(a.pre);
      expect(b.enc).toEqual(a.enc);
      // and the training rows' encoded features are identical
      for (const i of fold.train)
        for (let j = 0; j < a.X.cols; j++) expect(b.X.data[i * a.X.cols + j]).toBe(a.X.data[i * a.X.cols + j]);
    }
  });
});
