/**
 * The course's Lagaris trial solutions (FYS-STK4155 week 43): each satisfies its conditions
 * exactly for any network, and the 1D ones train to their exact solutions.
 */
import { initBackend, Rng, tf } from '@aml/core';
import { createMlp, disposeMlp } from '../derivatives/mlp';
import { taylorEngine } from '../derivatives/taylor';
import { compareWithFunction } from '../errors/errors';
import { boxGrid } from '../evaluation/grid';
import { interval, timeDomain } from '../geometry/index';
import { definePde } from '../problems/problem';
import { computeFields } from '../solver/fields';
import { solve } from '../solver/solve';
import { trialSolution } from './constraint';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** Field values at given points for a random network under the problem's constraint. */
function fieldsAt(p: ReturnType<typeof definePde>, pts: number[][], symbols: string[]): Record<string, number[]> {
  const net = createMlp({ inputs: p.geometry.dim, hidden: [7, 7], outputs: 1, activation: 'tanh' }, new Rng(42));
  const out = tf.tidy(() => {
    const f = computeFields(net, taylorEngine, tf.tensor2d(pts), symbols, p.names, p.constraint);
    return Object.fromEntries(symbols.map((s) => [s, Array.from(f[s].dataSync())]));
  });
  disposeMlp(net);
  return out;
}

describe('course trial solutions satisfy their conditions for any network', () => {
  it('logistic growth g = 1.2 + t N: g(0) = 1.2', () => {
    const p = definePde({
      geometry: interval(0, 1, 't'),
      equation: 'u_t - 2*u*(1-u)',
      constraint: trialSolution('1.2', 't'),
    });
    expect(fieldsAt(p, [[0]], ['u']).u[0]).toBeCloseTo(1.2, 6);
  });
  it('1D Poisson g = x(1-x) N: g(0) = g(1) = 0', () => {
    const p = definePde({
      geometry: interval(0, 1),
      equation: '-u_xx - (3*x + x^2)*exp(x)',
      constraint: trialSolution('0', 'x*(1-x)'),
    });
    const f = fieldsAt(p, [[0], [1]], ['u']);
    expect(f.u.map(Math.abs).every((v) => v < 1e-7)).toBe(true);
  });
  it('wave g = (1-t^2) sin(pi x) - pi t sin(pi x) + x(1-x) t^2 N: u(x,0), u_t(x,0) and the ends', () => {
    const p = definePde({
      geometry: timeDomain(interval(0, 1), 0, 1),
      equation: 'u_tt - u_xx',
      constraint: trialSolution('(1-t^2)*sin(pi*x) + t*(-pi*sin(pi*x))', 'x*(1-x)*t^2'),
    });
    const f = fieldsAt(
      p,
      [
        [0.3, 0],
        [0, 0.5],
        [1, 0.8],
      ],
      ['u', 'u_t'],
    );
    expect(f.u[0]).toBeCloseTo(Math.sin(0.3 * Math.PI), 6);
    expect(f.u_t[0]).toBeCloseTo(-Math.PI * Math.sin(0.3 * Math.PI), 5);
    expect(Math.abs(f.u[1])).toBeLessThan(1e-6);
    expect(Math.abs(f.u[2])).toBeLessThan(1e-6);
  });
});

describe('course trial solutions train to their exact solutions', () => {
  it('logistic growth (alpha = 2, A = 1, g0 = 1.2): relative L2 < 2e-3', async () => {
    const p = definePde({
      geometry: interval(0, 1, 't'),
      equation: 'u_t - 2*u*(1-u)',
      constraint: trialSolution('1.2', 't'),
    });
    const { model } = await solve(p, {
      network: { hidden: [10], activation: 'sigmoid' },
      points: { domain: 20, sampler: 'grid' },
      adam: { steps: 300, learningRate: 1e-2 },
      lbfgs: { steps: 100 },
      seed: 1,
    });
    const exact = (t: number) => 1.2 / (1.2 + (1 - 1.2) * Math.exp(-2 * t));
    const e = compareWithFunction(
      boxGrid([0], [1], [51]),
      1,
      (x) => model.predict(x),
      ([t]) => exact(t),
    );
    expect(e.relativeL2).toBeLessThan(2e-3);
    model.dispose();
  });
  it("1D Poisson -g'' = (3x + x^2) e^x: relative L2 < 5e-3 against x(1-x)e^x", async () => {
    const p = definePde({
      geometry: interval(0, 1),
      equation: '-u_xx - (3*x + x^2)*exp(x)',
      constraint: trialSolution('0', 'x*(1-x)'),
    });
    const { model } = await solve(p, {
      network: { hidden: [10], activation: 'sigmoid' },
      points: { domain: 20, sampler: 'grid' },
      adam: { steps: 300, learningRate: 1e-2 },
      lbfgs: { steps: 100 },
      seed: 1,
    });
    const e = compareWithFunction(
      boxGrid([0], [1], [51]),
      1,
      (x) => model.predict(x),
      ([x]) => x * (1 - x) * Math.exp(x),
    );
    expect(e.relativeL2).toBeLessThan(5e-3);
    model.dispose();
  });
});
