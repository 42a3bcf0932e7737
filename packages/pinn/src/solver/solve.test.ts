import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { dirichlet, initial, observations } from '../conditions/index';
import { trialSolution } from '../constraints/constraint';
import { compareWithFunction } from '../errors/errors';
import { boxGrid } from '../evaluation/grid';
import { interval, timeDomain } from '../geometry/index';
import { definePde } from '../problems/problem';
import { pointsTensor } from './fields';
import { equationResiduals, samplePoints, termLosses } from './loss';
import { createModel } from './model';
import { refineCollocation } from './refine';
import { solve } from './solve';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const heat = () =>
  definePde({
    geometry: timeDomain(interval(0, 1), 0, 1),
    equation: 'u_t - u_xx',
    conditions: [initial('sin(pi*x)'), dirichlet('0', { on: 'x=0 | x=1' })],
  });

describe('solve', () => {
  it("exponential decay g' = -2g, g(0) = 10 by the Lagaris trial solution 10 + t N: relative L2 < 1e-3", async () => {
    const p = definePde({ geometry: interval(0, 1, 't'), equation: 'u_t + 2*u', constraint: trialSolution('10', 't') });
    const { model, history } = await solve(p, {
      network: { hidden: [10], activation: 'sigmoid' },
      points: { domain: 20 },
      adam: { steps: 300, learningRate: 1e-2 },
      lbfgs: { steps: 100 },
      seed: 1,
    });
    const e = compareWithFunction(
      boxGrid([0], [1], [101]),
      1,
      (x) => model.predict(x),
      (x) => 10 * Math.exp(-2 * x[0]),
    );
    expect(e.relativeL2).toBeLessThan(1e-3);
    expect(history.phases.map((ph) => ph.name)).toEqual(['adam', 'lbfgs']);
    expect(history.loss.length).toBe(history.terms.pde.length);
    model.dispose();
  });

  it('heat equation: the loss falls, terms are recorded per condition, same seed gives the same history, nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const cfg = {
      network: { hidden: [8, 8] },
      points: { domain: 200, boundary: 40, initial: 40 },
      adam: { steps: 60, learningRate: 1e-2 },
      seed: 3,
    } as const;
    const a = await solve(heat(), cfg);
    const b = await solve(heat(), cfg);
    expect(Object.keys(a.history.terms)).toEqual(['pde', 'initial(u)', 'dirichlet(u) on x=0 | x=1']);
    expect(a.history.loss).toEqual(b.history.loss);
    expect(a.history.loss[59]).toBeLessThan(a.history.loss[0] / 3);
    a.model.dispose();
    b.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('adaptive weighting is recorded in the history (ReLoBRaLo)', async () => {
    const r = await solve(heat(), {
      network: { hidden: [6] },
      points: { domain: 100, boundary: 20, initial: 20 },
      adam: { steps: 20 },
      weighting: { scheme: 'relobralo' },
      seed: 1,
    });
    expect(r.history.weights.pde.length).toBe(20);
    const last = Object.values(r.history.weights).reduce((s, w) => s + w[19], 0);
    expect(last).toBeCloseTo(3, 6); // ReLoBRaLo weights sum to the number of terms
    r.model.dispose();
  });

  it('learning-rate annealing raises the condition weights when the PDE gradient dominates', async () => {
    const r = await solve(heat(), {
      network: { hidden: [6] },
      points: { domain: 100, boundary: 20, initial: 20 },
      adam: { steps: 12 },
      weighting: { scheme: 'lra', every: 5 },
      seed: 1,
    });
    expect(r.history.weights['initial(u)'][0]).not.toBe(1);
    expect(r.history.weights.pde.every((w) => w === 1)).toBe(true);
    r.model.dispose();
  });

  it('an inverse problem updates its trainable coefficient and records it', async () => {
    const obs = [
      [0.5, 0.1],
      [0.25, 0.2],
      [0.75, 0.05],
    ];
    const p = definePde({
      geometry: timeDomain(interval(0, 1), 0, 1),
      equation: 'u_t - kappa*u_xx',
      parameters: { kappa: { initial: 0.5, trainable: true } },
      conditions: [
        observations(
          obs,
          obs.map(([x, t]) => Math.exp(-Math.PI * Math.PI * t) * Math.sin(Math.PI * x)),
        ),
      ],
    });
    const r = await solve(p, {
      network: { hidden: [6] },
      points: { domain: 100 },
      adam: { steps: 10, learningRate: 1e-2 },
      seed: 1,
    });
    expect(r.history.coefficients.kappa.length).toBe(10);
    expect(r.history.coefficients.kappa[9]).not.toBe(0.5);
    expect(Object.keys(r.model.variables())).toContain('param_kappa');
    r.model.dispose();
  });

  it('writes checkpoints of the Adam phase through the core trainer', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinn-ckpt-'));
    const r = await solve(heat(), {
      network: { hidden: [4] },
      points: { domain: 50, boundary: 10, initial: 10 },
      adam: { steps: 6 },
      checkpoint: { dir, every: 3 },
      seed: 1,
    });
    expect(fs.readdirSync(dir).length).toBeGreaterThan(0);
    // Resuming at step 6 of 8 runs the 2 remaining steps from the saved weights.
    const resumed = await solve(heat(), {
      network: { hidden: [4] },
      points: { domain: 50, boundary: 10, initial: 10 },
      adam: { steps: 8 },
      resumeFrom: dir,
      seed: 1,
    });
    expect(resumed.history.phases[0].steps).toBe(2);
    resumed.model.dispose();
    r.model.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('bad solver settings fail before training with the field named', async () => {
    await expect(solve(heat(), { network: { hidden: [-3] } })).rejects.toThrow(
      'network.hidden[0] must be a positive integer, got -3',
    );
    await expect(solve(heat(), { network: { hidden: [4] }, points: { domain: -10 } })).rejects.toThrow(
      'points.domain must be a positive integer, got -10',
    );
    await expect(solve(heat(), { network: { hidden: [4] }, refinement: { every: 0, add: 5 } })).rejects.toThrow(
      'refinement.every must be a positive integer',
    );
  });
});

describe('residual-based adaptive refinement', () => {
  it('adds the candidates with the largest residuals', () => {
    const p = heat();
    const model = createModel(p, { network: { hidden: [6] } }, new Rng(1));
    const pts = samplePoints(p, { domain: 50, boundary: 10, initial: 10 }, 'lhs', new Rng(2));
    const added = refineCollocation(model, pts, { every: 1, add: 10, candidates: 200 }, new Rng(3));
    expect(added).toBe(10);
    expect(pts.collocation.shape[0]).toBe(60);
    // The added points' mean |residual| beats the mean over fresh random points.
    const meanAbs = (x: tf.Tensor2D) => tf.tidy(() => tf.mean(tf.abs(equationResiduals(model, x)[0][0])).dataSync()[0]);
    const addedPts = tf.slice(pts.collocation, [50, 0], [10, 2]) as tf.Tensor2D;
    const fresh = pointsTensor(p.geometry.sampleInterior(200, new Rng(4)), 2);
    expect(meanAbs(addedPts)).toBeGreaterThan(meanAbs(fresh));
    tf.dispose([addedPts, fresh, pts.collocation, ...pts.conditions.map((c) => c.x)]);
    model.dispose();
  });
});

describe('a training step', () => {
  it('leaves tf.memory().numTensors unchanged (expectNoLeak)', async () => {
    const p = heat();
    const model = createModel(p, { network: { hidden: [6, 6] } }, new Rng(1));
    const pts = samplePoints(p, { domain: 50, boundary: 10, initial: 10 }, 'lhs', new Rng(2));
    const opt = adam({ learningRate: 1e-3 });
    const loss = () => termLosses(model, pts).reduce((a, b) => tf.add(a, b)) as tf.Scalar;
    const vars = Object.values(model.variables());
    opt.minimize(loss, vars); // warm-up creates Adam's slots
    await expectNoLeak(() => opt.minimize(loss, vars), 'PINN Adam step');
    opt.dispose();
    tf.dispose([pts.collocation, ...pts.conditions.map((c) => c.x)]);
    model.dispose();
  });
});
