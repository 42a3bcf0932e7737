import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { initial, periodic } from '../conditions/index';
import { compareWithFunction } from '../errors/errors';
import { boxGrid } from '../evaluation/grid';
import { interval, timeDomain } from '../geometry/index';
import { definePde } from '../problems/problem';
import type { SolverConfig } from '../solver/config';
import { createModel } from '../solver/model';
import { solve, type SolveResult } from '../solver/solve';
import { TrainingSession } from './session';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** Advection u_t + beta u_x = 0 on x in [0, 2 pi) periodic, t in [0, 1], u0 = sin x: u = sin(x - beta t). */
const advection = (beta: number) =>
  definePde({
    geometry: timeDomain(interval(0, 2 * Math.PI), 0, 1),
    equation: `u_t + ${beta}*u_x`,
    conditions: [initial('sin(x)'), periodic('x')],
  });

const methods: SolverConfig = {
  network: { hidden: [16, 16] },
  points: { domain: 256, boundary: 32, initial: 64 },
  adam: { steps: 12, learningRate: 5e-3, warmup: 3, decay: { rate: 0.9, every: 5, staircase: false } },
  lbfgs: { steps: 6 },
  weighting: { scheme: 'gradnorm', every: 4 },
  causal: { chunks: 8, epsilon: [0.1, 1] },
  resample: { every: 5, method: 'rad', candidates: 1024 },
  seed: 7,
};

/** Everything a history holds except wall times. */
const recorded = (r: SolveResult) => {
  const { phases, ...rest } = r.history;
  return { ...rest, phases: phases.map(({ seconds: _s, ...p }) => p) };
};

describe('modern training methods through solve()', () => {
  it('causal + grad-norm + RAD resampling + warm-up/decay: recorded per step, same seed same history, nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const a = await solve(advection(1), methods);
    const b = await solve(advection(1), methods);
    expect(recorded(b)).toEqual(recorded(a));
    const h = a.history;
    expect(h.loss.length).toBe(18);
    expect(h.causal!.minWeight.length).toBe(12);
    expect(h.causal!.minWeight.every((w) => w > 0 && w <= 1)).toBe(true);
    expect(h.sampling).toEqual([4, 9].map((step) => ({ step, method: 'rad', points: 256 })));
    // warm-up 0 -> 5e-3 over 3 steps, then smooth decay 0.9 per 5 steps
    expect(h.learningRate[0]).toBe(0);
    expect(h.learningRate[2]).toBeCloseTo((5e-3 * 2) / 3, 9);
    expect(h.learningRate[8]).toBeCloseTo(5e-3 * 0.9 ** 1, 9);
    // grad-norm updates at steps 0, 4, 8: the weights move off 1 and stay constant in between
    expect(h.weights.pde[0]).not.toBe(1);
    expect(h.weights.pde[1]).toBe(h.weights.pde[0]);
    expect(h.weights.pde[4]).not.toBe(h.weights.pde[3]);
    a.model.dispose();
    b.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('one Adam step of the causal, weighted loss leaves tf.memory().numTensors unchanged', async () => {
    const p = advection(1);
    const model = createModel(p, methods, new Rng(1));
    const s = new TrainingSession(p, methods, model, {
      points: new Rng(2),
      weighting: new Rng(3),
      sampling: new Rng(4),
    });
    const opt = adam({ learningRate: 1e-3 });
    const vars = Object.values(model.variables());
    opt.minimize(() => s.loss().loss, vars); // creates Adam's slots
    await expectNoLeak(() => opt.minimize(() => s.loss().loss, vars), 'causal PINN Adam step');
    expect(s.causal!.weights!.length).toBe(8);
    opt.dispose();
    tf.dispose([s.points.collocation, ...s.points.conditions.map((c) => c.x)]);
    model.dispose();
  });
});

describe('a checkpoint holds the whole solver state', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pinn-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Run until `at` total steps, then abort (the trainer writes the checkpoint at that end). */
  const interrupted = async (at: number) => {
    const ctl = new AbortController();
    let n = 0;
    const r = await solve(advection(1), {
      ...methods,
      checkpoint: { dir, every: 1000 },
      signal: ctl.signal,
      callbacks: [{ onStepEnd: () => void (++n === at && ctl.abort()) }],
    });
    r.model.dispose();
  };

  it.each([
    ['mid-Adam (after step 7 of 12, between grad-norm updates and resamplings)', 7, [5, 6]],
    ['mid-L-BFGS (after 3 of 6 iterations)', 12 + 3, [12, 3]],
  ])('resuming %s reproduces the uninterrupted history exactly', async (_what, at, stepsRun) => {
    const whole = await solve(advection(1), methods);
    await interrupted(at);
    const resumed = await solve(advection(1), { ...methods, resumeFrom: dir });
    expect(recorded(resumed).loss).toEqual(recorded(whole).loss);
    const { phases: pw, ...w } = recorded(whole);
    const { phases: pr, ...r } = recorded(resumed);
    expect(r).toEqual(w);
    expect(pr.map((p) => p.name)).toEqual(pw.map((p) => p.name));
    expect(pr.map((p) => p.steps)).toEqual(stepsRun); // the resumed run trained only what was left
    const grid = boxGrid([0, 0], [2 * Math.PI, 1], [9, 5]);
    expect(Array.from(resumed.model.predict(grid))).toEqual(Array.from(whole.model.predict(grid)));
    whole.model.dispose();
    resumed.model.dispose();
  });
});

describe('resuming a phase that had stopped early', () => {
  it('an Adam phase ended by early stopping stays ended: the resumed run goes on with L-BFGS exactly as the uninterrupted one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinn-early-'));
    // stops the Adam phase (12 steps) after its step 5; the L-BFGS phase (6 steps) runs on
    const stopAt5 = {
      onStepEnd: (s: { step: number; totalSteps: number; stop: (why: string) => void }) =>
        void (s.step === 5 && s.totalSteps === 12 && s.stop('early stop at 5')),
    };
    const cfg = { ...methods, callbacks: [stopAt5] } as SolverConfig;
    const whole = await solve(advection(1), cfg);
    expect(whole.history.phases.map((p) => [p.name, p.steps, p.stopReason])).toEqual([
      ['adam', 6, 'early stop at 5'],
      ['lbfgs', 6, 'completed'],
    ]);
    const adamOnly = await solve(advection(1), { ...cfg, lbfgs: { steps: 0 }, checkpoint: { dir, every: 1000 } });
    const resumed = await solve(advection(1), { ...cfg, resumeFrom: dir });
    const { phases: pr, ...r } = recorded(resumed);
    const { phases: pw, ...w } = recorded(whole);
    expect(r).toEqual(w);
    // phases count the steps trained by this call: the ended Adam phase trains none
    expect(pr.map((p) => [p.name, p.steps, p.stopReason])).toEqual([
      ['adam', 0, 'early stop at 5'],
      ['lbfgs', 6, 'completed'],
    ]);
    expect(pw[0].steps).toBe(6);
    for (const r of [whole, adamOnly, resumed]) r.model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('accuracy', () => {
  it('advection beta = 1 with causal + grad-norm weights: relative L2 below the stated bound', async () => {
    const t0 = Date.now();
    const r = await solve(advection(1), {
      network: { hidden: [24, 24] },
      points: { domain: 512, boundary: 64, initial: 128 },
      adam: { steps: 1500, learningRate: 1e-2, decay: { rate: 0.9, every: 150, staircase: false } },
      weighting: { scheme: 'gradnorm', every: 100 },
      causal: { chunks: 16, epsilon: 1 },
      resample: { every: 100 },
      seed: 1,
    });
    const e = compareWithFunction(
      boxGrid([0, 0], [2 * Math.PI, 1], [64, 21]),
      2,
      (x) => r.model.predict(x),
      (x) => Math.sin(x[0] - x[1]),
    );
    console.log(
      `advection: rel L2 ${e.relativeL2.toExponential(3)}, min causal w ${r.history.causal!.minWeight.at(-1)}, ${(Date.now() - t0) / 1000} s`,
    );
    expect(e.relativeL2).toBeLessThan(0.04); // measured 2.3e-2 (seed 1, 1500 Adam steps, 40-50 s)
    r.model.dispose();
  });
});
