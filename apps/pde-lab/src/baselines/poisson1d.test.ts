import type { Poisson1dBaseline } from '../catalog/schema';
import type { SolutionView } from '../report/solution';
import { checkPoisson1d, solvePoisson1d } from './poisson1d';
import { runBaselines } from './run-baselines';

// The course's example: -u'' = (3x + x^2) e^x, u(0) = u(1) = 0, exact x(1 - x) e^x.
const exact = (x: number) => x * (1 - x) * Math.exp(x);
const course = (n: number): Poisson1dBaseline => ({
  type: 'poisson1d',
  n,
  source: '(3*x + x^2)*exp(x)',
  boundary: [0, 0],
  space: 'x',
});
const maxErr = (n: number) => {
  const r = solvePoisson1d(course(n), 0, 1);
  return Math.max(...Array.from(r.x, (x, i) => Math.abs(r.u[i] - exact(x))));
};

describe('1D Poisson baseline (central differences + Thomas)', () => {
  it('converges at second order: the error falls 4x when h halves', () => {
    const [e1, e2] = [maxErr(9), maxErr(19)]; // h = 1/10, 1/20
    expect(e1 / e2).toBeGreaterThan(3.9);
    expect(e1 / e2).toBeLessThan(4.1);
    expect(maxErr(10)).toBeLessThan(2e-3); // the course's Nx = 10
  });

  it('scores the scheme and the network at the grid nodes and draws the nodes on the solution plot', () => {
    const s: SolutionView = {
      inputs: ['x'],
      outputs: ['u'],
      box: { lo: [0], hi: [1] },
      predict: (p) => p.map((x) => exact(x) + 1e-4),
      reference: (p) => p.map(exact),
    };
    const b = runBaselines([course(10)], s);
    expect(b.curves).toHaveLength(1);
    expect(b.curves[0].at).toBeUndefined();
    const row = b.table!.rows[0];
    expect(row[0]).toBe('FD n=10');
    expect(row[2] as number).toBeCloseTo(maxErr(10), 14);
    expect(row[4] as number).toBeCloseTo(1e-4, 12);
  });

  it('is checked before training', () => {
    expect(() => checkPoisson1d(course(10), { inputs: ['x', 't'] })).toThrow(
      "poisson1d: the problem must have the single input 'x', it has x, t",
    );
    expect(() => checkPoisson1d({ ...course(10), source: 'exp(y)' }, { inputs: ['x'] })).toThrow(
      'poisson1d.source "exp(y)": unknown symbol y',
    );
  });
});
