/**
 * metrics.json and report.html carry what the modern solver did: a quick run with causal weighting,
 * gradient-norm weights, RAD resampling and a warm-up + decay schedule writes the learning rate, the
 * weights per term, the causal minimum weight and epsilon and the resampling events, equal to the
 * history `solve()` itself returns for the same config and seed, and the report draws them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '@aml/core';
import { problemFromConfig, solve, type SolveHistory } from '@aml/pinn';
import { finalCollocation } from '../src/adapter/marching';
import { pinnAdapter } from '../src/adapter/pinn';
import { runExperiment } from '../src/commands/run';
import { keptSteps, type SubsampledSeries } from '../src/commands/run-history';
import { removeDir, tempDir } from '../src/testing/tmp';
import { tinyHeat } from '../src/testing/tiny';

const experiment = tinyHeat((p) => {
  p.training.adam = { steps: 30, lr: 0.01, warmup: 5, decay: { rate: 0.5, every: 10 } };
  p.training.lbfgs = { steps: 4 };
  p.training.causal = { chunks: 4, epsilon: [0.01, 0.1, 1] };
  p.training.weighting = { scheme: 'gradnorm', every: 5 };
  p.training.resample = { every: 10, method: 'rad', candidates: 320 };
});

/** The full series behind a subsampled one. */
const expand = (s: SubsampledSeries, full: readonly number[]) => {
  expect(s.length).toBe(full.length);
  expect(s.values).toEqual(keptSteps(full.length, s.stride).map((i) => full[i]));
};

describe('metrics.json and the report record the solver history', () => {
  let root: string;
  let oracle: SolveHistory;
  let metrics: Record<string, any>;
  let out: string;
  beforeAll(async () => {
    root = tempDir();
    const file = path.join(root, 'modern.json');
    fs.writeFileSync(file, JSON.stringify(experiment));
    out = path.join(root, 'out');
    metrics = (await runExperiment({ experiment: file, out, backend: 'cpu', echo: null }, pinnAdapter)).metrics;
    await initBackend({ backend: 'cpu', quiet: true });
    // the oracle: the solver on the same config and seed (pde-lab sets training.seed to the run's seed, 0)
    const b = problemFromConfig({
      ...(experiment.problem as object),
      training: { ...(experiment.problem as any).training, seed: 0 },
    });
    const r = await solve(b.problem, b.solver);
    oracle = r.history;
    r.model.dispose();
  }, 120_000);
  afterAll(() => removeDir(root));

  it('writes every series at the solver values and lengths', () => {
    const h = metrics.history;
    expect(metrics.steps).toBe(34);
    expand(h.loss, oracle.loss);
    expand(h.learningRate, oracle.learningRate);
    // warm-up from 0 over 5 steps, then halved every 10 steps; L-BFGS records 1
    const lr = (t: number) => (t < 5 ? (0.01 * t) / 5 : 0.01 * 0.5 ** Math.floor((t - 5) / 10));
    expect(h.learningRate.values.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, t) => expect.closeTo(lr(t), 12)));
    expect(h.learningRate.values.slice(30)).toEqual([1, 1, 1, 1]);
    expect(Object.keys(h.weights).sort()).toEqual(Object.keys(oracle.weights).sort());
    for (const [k, v] of Object.entries(oracle.weights)) {
      expect(v).toHaveLength(30); // one per Adam step
      expand(h.weights[k], v);
    }
    expect(new Set(oracle.weights.pde).size).toBeGreaterThan(1); // gradnorm moved them
    expand(h.causal.minWeight, oracle.causal!.minWeight);
    expand(h.causal.epsilon, oracle.causal!.epsilon);
    expect(h.causal.minWeight.length).toBe(30);
    expect(h.sampling).toEqual({ count: 2, stride: 1, events: oracle.sampling });
    expect(oracle.sampling.map((e) => [e.step, e.method])).toEqual([
      [9, 'rad'],
      [19, 'rad'],
    ]);
    expect(h.collocationPoints).toEqual(oracle.collocationPoints);
    expect(h.note).toMatch(/subsampled to at most 1000 values/);
  });

  it('keeps the series out of the report metrics table and draws their figures', () => {
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    for (const title of [
      'loss weights per term',
      'causal minimum weight',
      'causality parameter epsilon',
      'learning rate',
      'residual points changed',
    ]) {
      expect(html).toContain(title);
    }
    expect(html).not.toContain('history.loss');
    expect(html).toContain('The 32 residual points of the last step');
  });

  it('reads the final residual points from the last checkpoint: the RAD set, inside the domain, sorted by time for causal weighting', () => {
    const p = finalCollocation(path.join(out, 'checkpoint'))!;
    expect([p.n, p.d]).toEqual([32, 2]);
    for (let i = 0; i < p.n; i++) {
      expect(p.data[2 * i]).toBeGreaterThanOrEqual(0);
      expect(p.data[2 * i]).toBeLessThanOrEqual(1);
      if (i > 0) expect(p.data[2 * i + 1]).toBeGreaterThanOrEqual(p.data[2 * i - 1]);
    }
  });
});

describe('a resumed run writes the metrics of a run never stopped', () => {
  let root: string;
  beforeAll(() => (root = tempDir()));
  afterAll(() => removeDir(root));
  /** metrics.json without what differs by nature: timings and where the run resumed. */
  const comparable = (file: string) => {
    const {
      trainSeconds: _t,
      wallSeconds: _w,
      resumedAt: _r,
      backend: _b,
      ...m
    } = JSON.parse(fs.readFileSync(file, 'utf8'));
    return { ...m, phases: m.phases.map(({ seconds: _s, ...p }: { seconds: number }) => p) };
  };

  it.each([
    ['adam', 17],
    ['lbfgs', 2],
  ])(
    'interrupted during %s (after %i of its steps): the whole history once, every step counted once',
    async (phase, after) => {
      const file = path.join(root, `${phase}.json`);
      fs.writeFileSync(file, JSON.stringify(experiment));
      const whole = path.join(root, `whole-${phase}`);
      const cut = path.join(root, `cut-${phase}`);
      await runExperiment({ experiment: file, out: whole, backend: 'cpu', echo: null }, pinnAdapter);
      const ac = new AbortController();
      let seen = 0;
      const stopAt = (l: string) =>
        void (new RegExp(`^${phase} step`).test(l) && ++seen === after && ac.abort('SIGTERM'));
      await expect(
        runExperiment(
          {
            experiment: file,
            out: cut,
            backend: 'cpu',
            progressEvery: 0,
            checkpointEvery: 1000,
            signal: ac.signal,
            echo: stopAt,
          },
          pinnAdapter,
        ),
      ).rejects.toThrow(/interrupted/);
      const stopped = JSON.parse(fs.readFileSync(path.join(cut, 'metrics.json'), 'utf8'));
      expect(stopped.steps).toBe(phase === 'adam' ? after : 30 + after);
      expect(stopped.history.loss.length).toBe(stopped.steps);
      const { metrics } = await runExperiment(
        { experiment: file, out: cut, backend: 'cpu', echo: null, resume: true },
        pinnAdapter,
      );
      expect(metrics.resumedAt).toBe(stopped.steps);
      const [a, b] = [comparable(path.join(whole, 'metrics.json')), comparable(path.join(cut, 'metrics.json'))];
      expect(b.history.loss.length).toBe(34);
      expect(b.phases).toEqual([
        { name: 'adam', start: 0, steps: 30, stopReason: expect.any(String) },
        { name: 'lbfgs', start: 30, steps: 4, stopReason: expect.any(String) },
      ]);
      expect(b).toEqual(a);
    },
    180_000,
  );
});
