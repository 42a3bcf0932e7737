import { etdrk4Coefficients } from './etdrk4';
import { methodOfLines } from './method-of-lines';
import { periodicSpectral, type PeriodicSpectralSetup } from './spectral';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
/** Rows (x, t) for the points xs at time t. */
const at = (xs: readonly number[], t: number) => Float64Array.from(xs.flatMap((x) => [x, t]));
const xs = Array.from({ length: 101 }, (_, i) => -1 + i / 50);

describe('ETDRK4 coefficients (contour integrals)', () => {
  it('match the closed formulas where they are accurate, and the Taylor limits at hL = 0', () => {
    const h = 0.5;
    const L = { re: Float64Array.of(-3, 0, 1e-13), im: Float64Array.of(2, 0, 0) };
    const c = etdrk4Coefficients(L, h);
    // mode 0: z = h L = -1.5 + i, closed forms in complex arithmetic
    const z = { re: -1.5, im: 1 };
    const ez = { re: Math.exp(z.re) * Math.cos(z.im), im: Math.exp(z.re) * Math.sin(z.im) };
    const mul = (a: { re: number; im: number }, b: { re: number; im: number }) => ({
      re: a.re * b.re - a.im * b.im,
      im: a.re * b.im + a.im * b.re,
    });
    const div = (a: { re: number; im: number }, b: { re: number; im: number }) => {
      const d = b.re * b.re + b.im * b.im;
      return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
    };
    const z2 = mul(z, z);
    const z3 = mul(z2, z);
    // f2 = h (2 + z + e^z (z - 2)) / z^3
    const num = mul(ez, { re: z.re - 2, im: z.im });
    const f2 = div({ re: 2 + z.re + num.re, im: z.im + num.im }, z3);
    expect(Math.abs(c.f2.re[0] - h * f2.re)).toBeLessThan(1e-14);
    expect(Math.abs(c.f2.im[0] - h * f2.im)).toBeLessThan(1e-14);
    expect(Math.abs(c.e.re[0] - ez.re)).toBeLessThan(1e-15);
    // modes 1 and 2: z = 0 (exactly, and 5e-14): Q = h/2, f1 = f2 = f3 = h/6, where the closed forms cancel to nothing
    for (const k of [1, 2]) {
      expect(Math.abs(c.q.re[k] - h / 2)).toBeLessThan(1e-14);
      for (const f of [c.f1, c.f2, c.f3]) expect(Math.abs(f.re[k] - h / 6)).toBeLessThan(1e-14);
    }
  });
});

describe('periodicSpectral', () => {
  it('is exact for the linear heat equation u_t = u_xx (L treated exactly)', () => {
    const s = periodicSpectral({
      linear: [0, 0, 1],
      nonlinear: (x) => new Float64Array(x.length),
      nonlinearOrder: 0,
      initial: (x) => x.map((v) => Math.sin(Math.PI * v) + 0.5 * Math.cos(3 * Math.PI * v)),
      interval: [-1, 1],
      t0: 0,
      n: 16,
      dt: 0.05,
    });
    const exact = xs.map(
      (x) =>
        Math.exp(-(Math.PI ** 2) * 0.3) * Math.sin(Math.PI * x) +
        0.5 * Math.exp(-9 * Math.PI ** 2 * 0.3) * Math.cos(3 * Math.PI * x),
    );
    expect(maxDiff(s.evaluate(at(xs, 0.3)), exact)).toBeLessThan(1e-14);
  });

  // Allen-Cahn u_t = 1e-4 u_xx + 5u - 5u^3, u0 = x^2 cos(pi x), periodic on [-1, 1] (Raissi et al. 2019).
  const allenCahn = (n: number, dt: number): PeriodicSpectralSetup => ({
    linear: [0, 0, 1e-4],
    nonlinear: (_x, u) => u.map((v) => 5 * v - 5 * v * v * v),
    nonlinearOrder: 0,
    initial: (x) => x.map((v) => v * v * Math.cos(Math.PI * v)),
    interval: [-1, 1],
    t0: 0,
    n,
    dt,
  });

  it('Allen-Cahn: fourth order in dt (error ratio ~16 per halving)', () => {
    const ref = periodicSpectral(allenCahn(128, 1e-3)).at(1);
    const e = [0.04, 0.02, 0.01].map((dt) => maxDiff(periodicSpectral(allenCahn(128, dt)).at(1), ref));
    // measured 2.0e-5, 1.4e-6, 8.7e-8
    expect(e[0] / e[1]).toBeGreaterThan(12);
    expect(e[1] / e[2]).toBeGreaterThan(13);
    expect(e[1] / e[2]).toBeLessThan(20);
  });

  it('Allen-Cahn: converges fast in n at t = 1 and agrees with the method of lines', () => {
    const fine = periodicSpectral(allenCahn(2048, 4e-3));
    const ref = fine.evaluate(at(xs, 1));
    // measured 1.9e-4 and 6.9e-8: spectral convergence once the initial kink at x = +-1 has been damped
    const e = [512, 1024].map((n) => maxDiff(periodicSpectral(allenCahn(n, 4e-3)).evaluate(at(xs, 1)), ref));
    expect(e[1]).toBeLessThan(1e-6);
    expect(e[0] / e[1]).toBeGreaterThan(100);
    const mol = methodOfLines({
      rhs: (_x, u, _ux, uxx) => u.map((v, i) => 1e-4 * uxx[i] + 5 * v - 5 * v * v * v),
      initial: (x) => x.map((v) => v * v * Math.cos(Math.PI * v)),
      interval: [-1, 1],
      t0: 0,
      boundary: 'periodic',
      nx: 2048,
      rtol: 1e-8,
    });
    const d = [0.25, 0.5].map((t) => maxDiff(mol(at(xs, t)), fine.evaluate(at(xs, t))));
    // measured 2.6e-6 and 1.3e-5 (the second-order lines are the less accurate of the two)
    expect(Math.max(...d)).toBeLessThan(1e-4);
  });

  // KdV u_t + u u_x + 0.0025 u_xxx = 0 on [-1, 1] periodic.
  const kdv = (n: number, dt: number, initial: (x: Float64Array) => Float64Array): PeriodicSpectralSetup => ({
    linear: [0, 0, 0, -0.0025],
    nonlinear: (_x, u, ux) => u.map((v, j) => -v * ux[j]),
    nonlinearOrder: 1,
    initial,
    interval: [-1, 1],
    t0: 0,
    n,
    dt,
  });
  // The soliton 3c sech^2(sqrt(c / 0.0025) (x - c t) / 2) with c = 1, with its two periodic images (overlap ~1e-8).
  const soliton = (x: number, t: number) => [-2, 0, 2].reduce((s, j) => s + 3 / Math.cosh(10 * (x - t - j)) ** 2, 0);

  it('KdV: a soliton travels at its speed, matching the closed form', () => {
    const e = [64, 128].map((n) => {
      const s = periodicSpectral(kdv(n, 2e-4, (x) => x.map((v) => soliton(v, 0))));
      return maxDiff(
        s.evaluate(at(xs, 0.5)),
        xs.map((x) => soliton(x, 0.5)),
      );
    });
    // measured 7.2e-4 and 4.7e-8 (the images' overlap is ~1e-8)
    expect(e[1]).toBeLessThan(1e-7);
    expect(e[0] / e[1]).toBeGreaterThan(10);
  });

  it('KdV from cos(pi x) (Raissi et al. 2019): keeps mass and L2 norm, fourth order in dt, spectral in n', () => {
    const cos = (x: Float64Array) => x.map((v) => Math.cos(Math.PI * v));
    const ref = periodicSpectral(kdv(128, 1e-4, cos));
    const u1 = ref.at(1);
    const invariants = (u: Float64Array) => [
      u.reduce((a, v) => a + v, 0) * (2 / u.length),
      u.reduce((a, v) => a + v * v, 0) * (2 / u.length),
    ];
    const [m0, e0] = invariants(ref.at(0));
    const [m1, e1] = invariants(u1);
    // the mass is conserved to rounding (the Fourier derivative is skew), the L2 norm to the truncation error
    expect(Math.abs(m1 - m0)).toBeLessThan(1e-13);
    expect(Math.abs(e1 - e0)).toBeLessThan(1e-9);
    const coarse = periodicSpectral(kdv(128, 2e-4, cos)).at(1);
    const e = [maxDiff(periodicSpectral(kdv(128, 4e-4, cos)).at(1), u1), maxDiff(coarse, u1)];
    expect(e[0] / e[1]).toBeGreaterThan(12);
    expect(e[0] / e[1]).toBeLessThan(20);
    // n = 128 against n = 256 on the shared grid points (measured 2e-8 at dt = 1e-4)
    const fine = periodicSpectral(kdv(256, 2e-4, cos)).at(1);
    expect(
      maxDiff(
        coarse,
        fine.filter((_, j) => j % 2 === 0),
      ),
    ).toBeLessThan(1e-6);
  });

  it('rejects bad settings, naming them', () => {
    const ok = allenCahn(64, 0.01);
    expect(() => periodicSpectral({ ...ok, n: 100 })).toThrow(
      'periodicSpectral: n must be a power of two >= 8, got 100',
    );
    expect(() => periodicSpectral({ ...ok, dt: 0 })).toThrow('periodicSpectral: dt must be a finite number > 0, got 0');
    expect(() => periodicSpectral({ ...ok, interval: [1, -1] })).toThrow('periodicSpectral: interval [1, -1] is empty');
    expect(() => periodicSpectral(ok).evaluate(Float64Array.of(0, -1))).toThrow(
      'periodicSpectral: time -1 is before the start t0 = 0',
    );
  });
});
