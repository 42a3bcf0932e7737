import { burgersExact } from './burgers';
import { heatCrankNicolson } from './crank-nicolson';
import { heatExplicit } from './heat';
import { poisson1d, solveTridiagonal } from './tridiagonal';

const exactHeat = (x: number, t: number) => Math.exp(-Math.PI * Math.PI * t) * Math.sin(Math.PI * x);
const maxErr = (x: Float64Array, u: Float64Array, f: (x: number) => number) =>
  Math.max(...Array.from(x, (xi, i) => Math.abs(u[i] - f(xi))));

describe('tridiagonal and Poisson', () => {
  it('Thomas solves a random diagonally dominant system to 1e-12', () => {
    const n = 7;
    const a = [0, 1, -2, 0.5, 1, 1, -1];
    const c = [2, -1, 1, 0.3, 1, -0.5, 0];
    const b = [5, 6, 7, 5, 4, 6, 5];
    const xTrue = [1, -2, 3, 0.5, -1, 2, 0.25];
    const d = xTrue.map(
      (_, i) => (i > 0 ? a[i] * xTrue[i - 1] : 0) + b[i] * xTrue[i] + (i < n - 1 ? c[i] * xTrue[i + 1] : 0),
    );
    const x = solveTridiagonal(a, b, c, d);
    x.forEach((v, i) => expect(Math.abs(v - xTrue[i])).toBeLessThan(1e-12));
  });
  it("1D Poisson -u'' = (3x + x^2) e^x converges at order 2 to x(1-x)e^x (the course example)", () => {
    const f = (x: number) => (3 * x + x * x) * Math.exp(x);
    const exact = (x: number) => x * (1 - x) * Math.exp(x);
    const err = (n: number) => {
      const s = poisson1d(f, 0, 1, 0, 0, n);
      return maxErr(s.x, s.u, exact);
    };
    const e = [9, 19, 39, 79].map(err); // h = 1/10, 1/20, ...
    for (let i = 1; i < e.length; i++) {
      const p = Math.log2(e[i - 1] / e[i]);
      expect(p).toBeGreaterThan(1.9);
      expect(p).toBeLessThan(2.1);
    }
    expect(() => poisson1d(f, 0, 1, 0, 0, -3)).toThrow('interior points n must be a positive integer, got -3');
  });
});

describe('heat equation schemes', () => {
  it('explicit FTCS at the stability limit converges at order 2 in dx (dt = dx^2/2)', () => {
    const err = (dx: number) => {
      const s = heatExplicit({ initial: (x) => Math.sin(Math.PI * x), dx, dt: (dx * dx) / 2, tEnd: 0.1 });
      return maxErr(s.x, s.u[0], (x) => exactHeat(x, s.t[0]));
    };
    const e = [0.1, 0.05, 0.025].map(err);
    for (let i = 1; i < e.length; i++) expect(Math.log2(e[i - 1] / e[i])).toBeGreaterThan(1.9);
    // The course's project: dx = 1/100 at the limit is accurate to ~6e-5 at t = 0.1.
    expect(err(0.01)).toBeLessThan(1e-4);
  });
  it('explicit FTCS refuses r > 1/2 with the stable dt in the message', () => {
    expect(() => heatExplicit({ initial: Math.sin, dx: 0.1, dt: 0.006, tEnd: 1 })).toThrow(
      'unstable, r = D dt/dx^2 = 0.6000 > 1/2; use dt <= 0.005',
    );
  });
  it('Crank-Nicolson converges at order 2 in dt (with dx small) and is stable at r = 50', () => {
    const err = (dt: number) => {
      const s = heatCrankNicolson({ initial: (x) => Math.sin(Math.PI * x), dx: 1 / 400, dt, tEnd: 0.2 });
      return maxErr(s.x, s.u[0], (x) => exactHeat(x, 0.2));
    };
    const e = [0.02, 0.01, 0.005].map(err);
    for (let i = 1; i < e.length; i++) expect(Math.log2(e[i - 1] / e[i])).toBeGreaterThan(1.8);
    const big = heatCrankNicolson({
      initial: (x) => Math.sin(Math.PI * x),
      dx: 0.01,
      dt: 0.005,
      tEnd: 0.5,
      saveAt: [0.25, 0.5],
    });
    expect(big.r).toBeCloseTo(50, 10);
    expect(big.t).toEqual([0.25, 0.5]);
    expect(maxErr(big.x, big.u[1], (x) => exactHeat(x, 0.5))).toBeLessThan(1e-4);
  });
});

describe('Burgers exact solution (Cole-Hopf)', () => {
  it('starts at -sin(pi x), is odd in x and zero at the ends', () => {
    expect(burgersExact(0.3, 1e-9)).toBeCloseTo(-Math.sin(0.3 * Math.PI), 6);
    expect(burgersExact(0.4, 0.5)).toBeCloseTo(-burgersExact(-0.4, 0.5), 12);
    expect(Math.abs(burgersExact(1, 0.7))).toBeLessThan(1e-10);
  });
  it('satisfies u_t + u u_x = nu u_xx by finite differences away from the shock', () => {
    const nu = 0.01 / Math.PI;
    const h = 1e-4;
    for (const [x, t] of [
      [0.5, 0.3],
      [-0.3, 0.6],
      [0.8, 0.9],
      [0.1, 0.2],
    ]) {
      const u = burgersExact(x, t);
      const ut = (burgersExact(x, t + h) - burgersExact(x, t - h)) / (2 * h);
      const ux = (burgersExact(x + h, t) - burgersExact(x - h, t)) / (2 * h);
      const uxx = (burgersExact(x + h, t) - 2 * u + burgersExact(x - h, t)) / (h * h);
      expect(Math.abs(ut + u * ux - nu * uxx)).toBeLessThan(1e-4 * (1 + Math.abs(ux)));
    }
  });
  it('the quadrature has converged: 4000 and 8000 nodes agree to 1e-10, also inside the shock', () => {
    for (const [x, t] of [
      [0.001, 1],
      [-0.01, 0.75],
      [0.5, 0.5],
    ]) {
      expect(Math.abs(burgersExact(x, t) - burgersExact(x, t, { nodes: 8000 }))).toBeLessThan(1e-10);
    }
    // Basdevant et al. (1986): the steepest slope, |u_x| = 152.00516 at x = 0, occurs at t = 1.6037/pi.
    const t = 1.6037 / Math.PI;
    const slope = (burgersExact(1e-5, t) - burgersExact(-1e-5, t)) / 2e-5;
    expect(Math.abs(slope + 152.00516)).toBeLessThan(0.01);
  });
});
