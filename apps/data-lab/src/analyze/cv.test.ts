import { initBackend, Rng } from '@aml/core';
import { tabularDataset, TabularRule } from '@aml/data';
import { MODELS } from '../models/registry';
import { crossValidate } from './cv';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const settings = { epochs: 40, batchSize: 64, learningRate: 0.01, hidden: [32, 32] };

async function run(rule: TabularRule, n: number) {
  const { table, target } = tabularDataset(rule, n, new Rng(11), { noise: 0.1 });
  const task = rule.endsWith('regression') ? 'regression' : 'classification';
  const t0 = performance.now();
  const r = await crossValidate({
    table, target, features: table.columns.filter((c) => c.name !== target).map((c) => c.name), task, folds: 3, seed: 5,
    prep: { impute: 'median', scale: 'standard' }, settings, models: MODELS, log: () => undefined,
  });
  return { r, seconds: (performance.now() - t0) / 1000 };
}

describe('cross-validation on data with a known rule', () => {
  it('nonlinear classification (disc): the MLP beats the logistic baseline by a wide margin', async () => {
    const { r } = await run('nonlinear-classification', 600);
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
