import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@aml/core';
import { dirichlet, initial } from '../conditions/index';
import { compareWithFunction } from '../errors/errors';
import { boxGrid } from '../evaluation/grid';
import { interval, timeDomain } from '../geometry/index';
import { definePde } from '../problems/problem';
import type { SolverConfig } from '../solver/config';
import { solve } from '../solver/solve';
import { solveMarching } from './marching';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const heat = () =>
  definePde({
    geometry: timeDomain(interval(0, 1), 0, 1),
    equation: 'u_t - 0.1*u_xx',
    conditions: [initial('sin(pi*x)'), dirichlet('0', { on: 'x=0 | x=1' })],
  });

const small: SolverConfig = {
  network: { hidden: [8] },
  points: { domain: 128, boundary: 16, initial: 32 },
  adam: { steps: 15, learningRate: 1e-2 },
  seed: 2,
};

describe('time-marching', () => {
  it.each(['continue', 'fresh'] as const)(
    '%s: window 2 trains on u_1(t = 1/2, x) exactly; predict uses the window of each time; nothing leaks',
    async (mode) => {
      const before = tf.memory().numTensors;
      const r = await solveMarching(heat(), { ...small, marching: { windows: 2, mode } }, solve);
      const [w1, w2] = r.windows;
      expect([w1.t0, w1.t1, w2.t0, w2.t1]).toEqual([0, 0.5, 0.5, 1]);
      expect(w1.initialTarget).toBeUndefined();
      const target = w2.initialTarget!;
      expect(target.points.length).toBe(32 * 2);
      for (let k = 0; k < 32; k++) expect(target.points[2 * k + 1]).toBe(0.5); // on the start slice
      // the IC target of window 2 is window 1's solution at its end time: max difference 0
      expect(Array.from(target.values)).toEqual(Array.from(w1.model.predict(target.points)));
      expect(w2.model.problem.conditions.map((c) => c.label)).toEqual(['observations(u)', 'dirichlet(u) on x=0 | x=1']);
      const early = [0.3, 0.2, 0.7, 0.49];
      const late = [0.3, 0.8, 0.7, 1];
      expect(Array.from(r.model.predict(Float64Array.from([...early, ...late])))).toEqual([
        ...w1.model.predict(Float64Array.from(early)),
        ...w2.model.predict(Float64Array.from(late)),
      ]);
      expect(r.history.loss.length).toBe(30);
      expect(r.history.windows).toEqual([
        { t0: 0, t1: 0.5, steps: 15 },
        { t0: 0.5, t1: 1, steps: 15 },
      ]);
      r.model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('warmStart copies every variable of a trained model (the continue mode)', async () => {
    const a = await solve(heat(), small);
    const b = await solve(heat(), { ...small, seed: 99, adam: { steps: 0 }, warmStart: a.model });
    for (const [k, v] of Object.entries(a.model.variables()))
      expect(Array.from(b.model.variables()[k].dataSync())).toEqual(Array.from(v.dataSync()));
    await expect(solve(heat(), { ...small, network: { hidden: [9] }, warmStart: a.model })).rejects.toThrow(
      "warmStart variable 'W0' has shape [2,8], the network needs [2,9]",
    );
    a.model.dispose();
    b.model.dispose();
  });

  it('checkpoints per window: interrupted in window 2 and resumed, the history and predictions equal the uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinn-march-'));
    const cfg: SolverConfig = {
      ...small,
      lbfgs: { steps: 3 },
      causal: { chunks: 4 },
      resample: { every: 4 },
      marching: { windows: 2 },
    };
    const whole = await solve(heat(), cfg);
    const ctl = new AbortController();
    let n = 0;
    const cut = await solve(heat(), {
      ...cfg,
      checkpoint: { dir, every: 100 },
      signal: ctl.signal,
      callbacks: [{ onStepEnd: () => void (++n === 18 + 6 && ctl.abort()) }],
    });
    expect(readdirSync(dir).sort()).toEqual(['window-0', 'window-1']);
    expect(cut.history.loss.length).toBe(24);
    cut.model.dispose();
    const resumed = await solve(heat(), { ...cfg, checkpoint: { dir, every: 100 }, resumeFrom: dir });
    expect(resumed.history.loss).toEqual(whole.history.loss);
    expect(resumed.history.weights).toEqual(whole.history.weights);
    expect(resumed.history.sampling).toEqual(whole.history.sampling);
    expect(resumed.history.causal).toEqual(whole.history.causal);
    const pts = Float64Array.from([0.2, 0.1, 0.6, 0.9]);
    expect(Array.from(resumed.model.predict(pts))).toEqual(Array.from(whole.model.predict(pts)));
    whole.model.dispose();
    resumed.model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bad settings are named before training', async () => {
    await expect(solve(heat(), { ...small, marching: { windows: 0 } })).rejects.toThrow(
      'solver: marching.windows must be a positive integer, got 0',
    );
    const steady = definePde({ geometry: interval(0, 1), equation: 'u_xx', conditions: [dirichlet('0')] });
    await expect(solve(steady, { ...small, marching: { windows: 2 } })).rejects.toThrow(
      'solver: marching needs a time-dependent domain',
    );
  });

  it('heat u_t = 0.1 u_xx in 2 continued windows reaches the stated error against exp(-0.1 pi^2 t) sin(pi x)', async () => {
    const t0 = Date.now();
    const r = await solve(heat(), {
      network: { hidden: [16, 16] },
      points: { domain: 512, boundary: 64, initial: 128 },
      adam: { steps: 600, learningRate: 1e-2, decay: { rate: 0.9, every: 60, staircase: false } },
      seed: 1,
      marching: { windows: 2 },
    });
    const grid = boxGrid([0, 0], [1, 1], [41, 21]);
    const e = compareWithFunction(
      grid,
      2,
      (x) => r.model.predict(x),
      (x) => Math.exp(-0.1 * Math.PI ** 2 * x[1]) * Math.sin(Math.PI * x[0]),
    ).relativeL2;
    console.log(`heat, 2 windows x 600 Adam steps: relative L2 ${e.toExponential(3)}, ${(Date.now() - t0) / 1000} s`);
    expect(e).toBeLessThan(0.02); // measured 7.3e-3 (seed 1), about 40 s on the shared 2-core machine
    r.model.dispose();
  });
});
