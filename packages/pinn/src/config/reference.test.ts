import { interval, timeDomain } from '../geometry/index';
import { periodicSpectral } from '../classical/spectral';
import { observeReference } from '../observations/noisy';
import { problemFromConfig } from './build';
import { referenceFromConfig } from './reference';
import { parseProblemConfig, type ProblemConfigInput } from './schema';

const heatExact = (x: number, t: number) => Math.exp(-Math.PI * Math.PI * t) * Math.sin(Math.PI * x);
const rows = (r: number[][]) => Float64Array.from(r.flat());
const base = (domain: Record<string, [number, number]>, reference: unknown, extra: Partial<ProblemConfigInput> = {}) =>
  parseProblemConfig({ name: 't', domain, equation: 'u_t', network: { layers: [4] }, reference, ...extra });
const geom = (lo: number[], hi: number[], names: string[]) => ({ names, bbox: { lo, hi } });
const refOf = (domain: Record<string, [number, number]>, solver: unknown, outputs = ['u']) => {
  const names = Object.keys(domain);
  return referenceFromConfig(
    base(domain, { solver }, { outputs }),
    geom(
      names.map((n) => domain[n][0]),
      names.map((n) => domain[n][1]),
      names,
    ),
    outputs,
  )!;
};

describe('reference.solver: ode', () => {
  it('unknown symbols and missing outputs fail with the known names', () => {
    expect(() =>
      refOf({ t: [0, 1] }, { type: 'ode', rhs: { x: 'v', v: '-k*x' }, initial: { x: 1, v: 0 } }, ['x', 'v']),
    ).toThrow('reference.solver.rhs.v "-k*x": unknown symbol k; known symbols are t, x, v');
    expect(() => refOf({ t: [0, 1] }, { type: 'ode', rhs: { x: 'v' }, initial: { x: 1, v: 0 } }, ['x', 'v'])).toThrow(
      "reference.solver.rhs: no entry for output 'v'",
    );
  });

  it('RK45 matches the closed form of a damped oscillator to 1e-8', () => {
    // x'' + 2 z w x' + w^2 x = 0 as a system; x(0) = 1, v(0) = 0, underdamped.
    const f = refOf(
      { t: [0, 5] },
      { type: 'ode', rhs: { x: 'v', v: '-2*z*w*v - w^2*x' }, initial: { x: 1, v: 0 }, parameters: { z: 0.1, w: 2 } },
      ['x', 'v'],
    );
    const ts = [0, 0.5, 2.5, 5, 1];
    const v = f.evaluate(Float64Array.from(ts));
    const wd = 2 * Math.sqrt(1 - 0.01);
    ts.forEach((t, i) =>
      expect(Math.abs(v[2 * i] - Math.exp(-0.2 * t) * (Math.cos(wd * t) + (0.2 / wd) * Math.sin(wd * t)))).toBeLessThan(
        1e-8,
      ),
    );
    expect(f.label).toBe('ODE system by adaptive RK45');
  });

  it('Lorenz on [0, 1] (sigma 10, rho 28, beta 8/3) at rtol 1e-9 agrees with rtol 1e-12 to 1e-6', () => {
    const lorenz = (rtol: number) =>
      refOf(
        { t: [0, 1] },
        {
          type: 'ode',
          rhs: { x: '10*(y - x)', y: 'x*(28 - z) - y', z: 'x*y - (8/3)*z' },
          initial: { x: 1, y: 1, z: 1 },
          rtol,
        },
        ['x', 'y', 'z'],
      );
    const ts = Float64Array.from({ length: 11 }, (_, i) => i / 10);
    const [a, b] = [lorenz(1e-9).evaluate(ts), lorenz(1e-12).evaluate(ts)];
    const err = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    expect(err).toBeLessThan(1e-6);
    expect(err).toBeGreaterThan(0); // two different runs, really compared
  });
});

describe('reference.solver: lines', () => {
  it('heat equation (Dirichlet and periodic) converges at second order in dx', () => {
    const where = [
      [0.5, 0.1],
      [0.25, 0.3],
      [0.5, 0],
    ];
    const err = (nx: number, boundary: unknown, hi: number) => {
      const v = refOf(
        { x: [0, hi], t: [0, 0.5] },
        { type: 'lines', rhs: 'u_xx', initial: 'sin(pi*x)', boundary, nx },
      ).evaluate(rows(where));
      return Math.max(...where.map(([x, t], i) => Math.abs(v[i] - heatExact(x, t))));
    };
    const e1 = err(16, { dirichlet: [0, 0] }, 1);
    const e2 = err(32, { dirichlet: [0, 0] }, 1);
    expect(e2).toBeLessThan(3e-4);
    expect(e1 / e2).toBeGreaterThan(3.5);
    expect(e1 / e2).toBeLessThan(4.5);
    expect(err(64, 'periodic', 2)).toBeLessThan(3e-4); // periodic on [0, 2]: the same solution
  });
});

describe('reference.solver: spectral', () => {
  const kdv = {
    type: 'spectral',
    linear: { u_xxx: -0.0025 },
    nonlinear: '-u*u_x',
    initial: 'cos(pi*x)',
    n: 64,
    dt: 1e-3,
  };
  it('compiles the text into the solver: the same numbers as periodicSpectral called directly', () => {
    const f = refOf({ x: [-1, 1], t: [0, 0.2] }, kdv);
    const direct = periodicSpectral({
      linear: [0, 0, 0, -0.0025],
      nonlinear: (_x, u, ux) => u.map((v, j) => -v * ux[j]),
      nonlinearOrder: 1,
      initial: (x) => x.map((v) => Math.cos(Math.PI * v)),
      interval: [-1, 1],
      t0: 0,
      n: 64,
      dt: 1e-3,
    });
    const p = rows([
      [0.3, 0.2],
      [-0.7, 0.1],
      [0.5, 0],
    ]);
    const [a, b] = [f.evaluate(p), direct.evaluate(p)];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 14));
    expect(a[2]).toBeCloseTo(Math.cos(0.5 * Math.PI), 13);
    expect(f.label).toBe('Fourier pseudo-spectral ETDRK4 (64 modes, dt = 0.001)');
  });
  it('rejects a linear term that is not a derivative, and n that is not a power of two', () => {
    expect(() => refOf({ x: [-1, 1], t: [0, 1] }, { ...kdv, linear: { u_xy: 1 } })).toThrow(
      "reference.solver.linear: 'u_xy' is not a derivative of u in x; use u, u_x, u_xx, u_xxx, u_xxxx",
    );
    expect(() => refOf({ x: [-1, 1], t: [0, 1] }, { ...kdv, n: 100 })).toThrow(
      'reference.solver.n must be a power of two',
    );
    expect(() => refOf({ x: [-1, 1], t: [0, 1] }, { ...kdv, nonlinear: '-u*v' })).toThrow(
      'reference.solver.nonlinear "-u*v": unknown symbol v',
    );
  });
});

describe('reference.exact: advection at beta = 30 (the closed form the advection experiment uses)', () => {
  it('sin(x - 30 t) satisfies u_t + 30 u_x = 0 by central differences, is 2 pi periodic and starts at sin x', () => {
    const ref = referenceFromConfig(
      base({ x: [0, 2 * Math.PI], t: [0, 1] }, { exact: 'sin(x - 30*t)' }),
      geom([0, 0], [2 * Math.PI, 1], ['x', 't']),
      ['u'],
    )!;
    const u = (x: number, t: number) => ref.evaluate(Float64Array.of(x, t))[0];
    const h = 1e-5;
    for (const [x, t] of [
      [0.3, 0.1],
      [2, 0.5],
      [5.5, 0.97],
    ]) {
      const ut = (u(x, t + h) - u(x, t - h)) / (2 * h);
      const ux = (u(x + h, t) - u(x - h, t)) / (2 * h);
      expect(Math.abs(ut + 30 * ux)).toBeLessThan(1e-6);
      expect(Math.abs(u(x + 2 * Math.PI, t) - u(x, t))).toBeLessThan(1e-12);
      expect(u(x, 0)).toBeCloseTo(Math.sin(x), 15);
    }
  });
});

describe('reference block', () => {
  it('one problem has one reference: exact and solver together fail', () => {
    expect(() => base({ t: [0, 1] }, { exact: 'exp(-t)', solver: 'burgers' })).toThrow(
      'give reference.exact or reference.solver, not both',
    );
    expect(() => base({ t: [0, 1] }, { solver: { type: 'rk4' } })).toThrow(
      'reference.solver must be "burgers" or an object with type "ode", "lines" or "spectral"',
    );
  });
});

describe('observations of a reference', () => {
  const g = timeDomain(interval(0, 1), 0, 0.5);
  const heat = (p: Float64Array) =>
    Float64Array.from({ length: p.length / 2 }, (_, k) => heatExact(p[2 * k], p[2 * k + 1]));
  it('noise 0 gives the reference at uniform points; the same seed, the same draws', () => {
    const a = observeReference(heat, g, 1, { count: 50, seed: 3 });
    a.points.forEach(([x, t], k) => expect(a.values[k][0]).toBe(heatExact(x, t)));
    expect(observeReference(heat, g, 1, { count: 50, seed: 3 })).toEqual(a);
    expect(observeReference(heat, g, 1, { count: 50, seed: 4 }).points).not.toEqual(a.points);
  });
  it('the noise has standard deviation noise * std(values) (within 3% at 20,000 points)', () => {
    const clean = observeReference(heat, g, 1, { count: 20000, seed: 1 });
    const noisy = observeReference(heat, g, 1, { count: 20000, noise: 0.1, seed: 1 });
    expect(noisy.points).toEqual(clean.points);
    const v = clean.values.map((r) => r[0]);
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
    const d = noisy.values.map((r, k) => r[0] - v[k]);
    const sdNoise = Math.sqrt(d.reduce((s, x) => s + x * x, 0) / d.length);
    expect(Math.abs(sdNoise / (0.1 * sd) - 1)).toBeLessThan(0.03);
  });
  it('fromExact draws from a solver reference too (the inverse Lorenz setting)', () => {
    const b = problemFromConfig({
      name: 'lz',
      domain: { t: [0, 1] },
      outputs: ['x', 'y', 'z'],
      equation: ['x_t', 'y_t', 'z_t'],
      network: { layers: [4] },
      conditions: [{ type: 'observations', fromExact: { count: 20, noise: 0, seed: 1 } }],
      reference: {
        solver: {
          type: 'ode',
          rhs: { x: '10*(y - x)', y: 'x*(28 - z) - y', z: 'x*y - (8/3)*z' },
          initial: { x: 1, y: 1, z: 1 },
        },
      },
    });
    const obs = observeReference((p) => b.reference!.evaluate(p), b.problem.geometry, 3, { count: 20, seed: 1 });
    // RK45 landing on 20 times or on one steps differently: equal to its tolerance
    const one = b.reference!.evaluate(Float64Array.of(obs.points[0][0]));
    obs.values[0].forEach((v, j) => expect(Math.abs(v - one[j])).toBeLessThan(1e-7 * Math.abs(one[j])));
    expect(() =>
      problemFromConfig({
        name: 'n',
        domain: { t: [0, 1] },
        equation: 'u_t',
        network: { layers: [4] },
        conditions: [{ type: 'observations', fromExact: { count: 5 } }],
      }),
    ).toThrow('observations.fromExact: the config has no reference.exact or reference.solver to observe');
  });
});
