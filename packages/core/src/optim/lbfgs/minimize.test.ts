import { cubicMinimizer, DEFAULT_LINE_SEARCH, strongWolfe, type PhiPoint } from './line-search';
import { minimizeLbfgs, type Objective } from './minimize';

/** n-dimensional Rosenbrock (the chained form), f = sum 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, minimum 0 at 1. */
export const rosenbrock: Objective = (x) => {
  const n = x.length,
    g = new Float64Array(n);
  let f = 0;
  for (let i = 0; i < n - 1; i++) {
    const a = x[i + 1] - x[i] * x[i],
      b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return { f, g };
};

const start = (n: number) => Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));

describe('minimizeLbfgs (float64)', () => {
  it.each([[1e-4], [0]])(
    '10-d Rosenbrock from (-1.2, 1, ...): f < 1e-8 within 500 iterations, reason reported (fNoise %p)',
    (fNoise) => {
      const r = minimizeLbfgs(rosenbrock, start(10), { lineSearch: { ...DEFAULT_LINE_SEARCH, fNoise } });
      expect(r.loss).toBeLessThan(1e-8);
      expect(r.iterations).toBeLessThanOrEqual(500);
      expect(r.converged).toBe(true);
      r.x.forEach((xi) => expect(xi).toBeCloseTo(1, 4));
      expect(r.reason).toMatch(/^(gradient converged|loss change)/);
      expect(r.history[0]).toBeCloseTo(rosenbrock(start(10)).f, 10);
    },
  );

  it('stops at maxIterations and says so', () => {
    const r = minimizeLbfgs(rosenbrock, start(10), { maxIterations: 5 });
    expect(r.iterations).toBe(5);
    expect(r.code).toBe('maxIterations');
    expect(r.reason).toContain('reached maxIterations 5');
    expect(r.converged).toBe(false);
  });

  it('reports a non-finite start, and a line-search failure (gradient inconsistent with the loss)', () => {
    expect(minimizeLbfgs(() => ({ f: NaN, g: new Float64Array(1) }), new Float64Array(1)).reason).toBe(
      'non-finite loss (NaN) at the start point',
    );
    // f = x^2 with the sign of the gradient flipped: every "descent" direction goes uphill.
    const r = minimizeLbfgs((x) => ({ f: x[0] ** 2, g: Float64Array.of(-2 * x[0]) }), Float64Array.of(1));
    expect(r.code).toBe('lineSearch');
    expect(r.reason).toMatch(/^line search failed at iteration 1: /);
    expect(r.iterations).toBe(0);
    expect(r.loss).toBe(1);
  });

  it('a step into an overflow region shrinks instead of failing', () => {
    // f = x^2 for |x| < 2, NaN beyond: the first trial from x = 1.9 with a long initial step lands in NaN.
    const f: Objective = (x) =>
      Math.abs(x[0]) < 2 ? { f: x[0] ** 2, g: Float64Array.of(2 * x[0]) } : { f: NaN, g: Float64Array.of(NaN) };
    const r = minimizeLbfgs(f, Float64Array.of(1.9), { initialStep: 1e3 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0])).toBeLessThan(1e-6);
  });
});

describe('strong-Wolfe line search', () => {
  it('cubic interpolation is exact on a cubic', () => {
    // phi(a) = (a - 1)^3 - 3(a - 1)... use phi(a) = a^3 - 3a: minimiser at a = 1
    const p = (a: number): PhiPoint => ({ a, f: a ** 3 - 3 * a, dphi: 3 * a * a - 3, g: new Float64Array(0) });
    expect(cubicMinimizer(p(0), p(3))).toBeCloseTo(1, 12);
    expect(cubicMinimizer(p(2), p(0.5))).toBeCloseTo(1, 12);
  });

  it('the accepted step satisfies both strong-Wolfe conditions', () => {
    // phi(a) = f(x + a d) for f = sum(c x^2), x = (1, 1), d = (-1, -0.1), c = (1, 50)
    const phi = (a: number): PhiPoint => {
      const x = [1 - a, 1 - 0.1 * a];
      const g = Float64Array.of(2 * x[0], 100 * x[1]);
      return { a, f: x[0] ** 2 + 50 * x[1] ** 2, dphi: -g[0] - 0.1 * g[1], g };
    };
    const p0 = phi(0);
    for (const a1 of [1e-3, 1, 100]) {
      const r = strongWolfe(phi, p0, a1);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.acceptance).toBe('strongWolfe');
      expect(r.point.f).toBeLessThanOrEqual(p0.f + 1e-4 * r.point.a * p0.dphi);
      expect(Math.abs(r.point.dphi)).toBeLessThanOrEqual(0.9 * Math.abs(p0.dphi));
    }
  });
});
