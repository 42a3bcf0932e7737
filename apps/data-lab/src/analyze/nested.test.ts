import { initBackend, Rng } from '@aml/core';
import { type Column, kFold, type Table } from '@aml/data';
import { FOREST } from '../models/forest';
import { LINEAR, MLP } from '../models/registry';
import { crossValidate, type CvConfig } from './cv';
import { pairedComparison } from './nested';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** A table of D standard normal features x1..xD and a target y = rule(row, noise draw). */
function table(n: number, D: number, seed: number, rule: (x: number[], e: number) => number | string): Table {
  const rng = new Rng(seed);
  const rows = Array.from({ length: n }, () => Array.from({ length: D }, () => rng.normal()));
  const y = rows.map((x) => rule(x, rng.normal()));
  const columns: Column[] = rows[0].map((_, j) => ({
    name: `x${j + 1}`,
    type: 'number' as const,
    values: Float64Array.from(rows, (r) => r[j]),
  }));
  columns.push(
    typeof y[0] === 'string'
      ? { name: 'y', type: 'string', values: y as string[] }
      : { name: 'y', type: 'number', values: Float64Array.from(y as number[]) },
  );
  return { columns, nRows: n, source: '<generated>' };
}

const settings = { epochs: 40, batchSize: 32, learningRate: 0.01, hidden: [16], baselineSteps: 300 };

function config(t: Table, task: 'classification' | 'regression', models = [LINEAR, FOREST, MLP]): CvConfig {
  return {
    table: t,
    target: 'y',
    features: t.columns.filter((c) => c.name !== 'y').map((c) => c.name),
    task,
    folds: 3,
    seed: 7,
    inner: 2,
    prep: { impute: 'median', scale: 'standard' },
    settings,
    models,
    log: () => undefined,
  };
}

/** Mean and sample std over folds of the outer scores of one model. */
function outer(r: Awaited<ReturnType<typeof crossValidate>>, name: string, metric: string) {
  const v = r.folds.map((f) => f.models[name].scores[metric]);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, sd: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) };
}

describe('nested cross-validation: the chosen model is within noise of the best offered one', () => {
  it('classification with an interaction (y = [x1 x2 > 0], 6 features): trees win and are chosen', async () => {
    const t = table(360, 6, 1, (x, e) => (x[0] * x[1] + 0.1 * e > 0 ? 'a' : 'b'));
    const r = await crossValidate(config(t, 'classification'));
    const sel = r.selection!;
    const chosenMean = sel.outer.reduce((a, b) => a + b, 0) / sel.outer.length;
    const means = Object.fromEntries(['linear', 'forest', 'mlp'].map((n) => [n, outer(r, n, 'accuracy')]));
    const best = Object.entries(means).reduce((b, e) => (e[1].mean > b[1].mean ? e : b));
    expect(means.linear.mean).toBeLessThan(0.65); // the sign product is invisible to a linear model
    expect(means.forest.mean).toBeGreaterThan(0.8); // chance is 0.5; 240 training rows per outer fold
    // within noise: two standard errors of the best model's fold scores
    expect(best[1].mean - chosenMean).toBeLessThanOrEqual((2 * best[1].sd) / Math.sqrt(3) + 1e-9);
    expect(sel.chosen.every((c) => c !== 'linear')).toBe(true);
    for (const f of r.folds) for (const m of ['linear', 'forest', 'mlp']) expect(f.models[m].tuning).toBeDefined();
    const pc = pairedComparison(r.folds, ['linear', 'forest', 'mlp'], 'accuracy', best[0]);
    expect(pc[best[0]]).toEqual({ diff: 0, se: 0 });
    expect(pc.linear.diff).toBeLessThan(-0.2);
  });
  it('small noisy regression (150 rows, y = x1 + 0.5 sin(3 x2) + noise 1): early stopping keeps the MLP near ridge', async () => {
    const t = table(150, 5, 2, (x, e) => x[0] + 0.5 * Math.sin(3 * x[1]) + e);
    const r = await crossValidate(config(t, 'regression'));
    const means = Object.fromEntries(['linear', 'forest', 'mlp'].map((n) => [n, outer(r, n, 'r2')]));
    const best = Object.entries(means).reduce((b, e) => (e[1].mean > b[1].mean ? e : b));
    const chosenMean = r.selection!.outer.reduce((a, b) => a + b, 0) / 3;
    expect(means.linear.mean).toBeGreaterThan(0.3); // oracle: var(x1) / var(y) is about 1 / 2.1
    expect(means.mlp.mean).toBeGreaterThan(means.linear.mean - 0.15); // without early stopping it fits the noise
    expect(best[1].mean - chosenMean).toBeLessThanOrEqual((2 * best[1].sd) / Math.sqrt(3) + 0.02);
    for (const f of r.folds) expect(f.models.mlp.curve.bestEpoch).toBeDefined();
  });
});

describe('nested cross-validation never sees the outer test fold', () => {
  it('poisoning fold 1 test rows (targets and a feature) leaves its chosen grid points and inner scores unchanged', async () => {
    const n = 120;
    const t = table(n, 4, 3, (x, e) => x[0] - x[1] * x[2] + 0.3 * e);
    const c = config(t, 'regression', [LINEAR, FOREST]);
    const clean = await crossValidate(c);
    const test = kFold(n, c.folds, new Rng(c.seed).fork())[0].val; // the split crossValidate draws first
    const poisoned: Table = {
      ...t,
      columns: t.columns.map((col) => ({ ...col, values: Float64Array.from(col.values as Float64Array) }) as Column),
    };
    for (const i of test) {
      (poisoned.columns[4].values as Float64Array)[i] = 1e6; // target
      (poisoned.columns[0].values as Float64Array)[i] = -1e3; // x1
    }
    const dirty = await crossValidate({ ...c, table: poisoned });
    for (const m of ['linear', 'forest']) {
      expect(dirty.folds[0].models[m].tuning).toEqual(clean.folds[0].models[m].tuning);
      expect(dirty.folds[0].models[m].scores.r2).not.toBeCloseTo(clean.folds[0].models[m].scores.r2, 3); // the outer score did see it
    }
    expect(dirty.selection!.chosen[0]).toBe(clean.selection!.chosen[0]);
  });
});
