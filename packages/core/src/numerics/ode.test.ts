import { rk4, rk45 } from './ode';

/** Harmonic oscillator y'' = -y, y(0)=0, y'(0)=1: y = sin t. */
const osc = (_t: number, y: Float64Array) => [y[1], -y[0]];
/** y' = y cos t, y(0) = 1: y = exp(sin t) (non-autonomous, nonlinear in t). */
const expSin = (t: number, y: Float64Array) => [y[0] * Math.cos(t)];

describe('rk4', () => {
  it('converges at order 4 on y = exp(sin t)', () => {
    const err = (n: number) => Math.abs(rk4(expSin, [1], 0, 2, n).y[n][0] - Math.exp(Math.sin(2)));
    const orders = [10, 20, 40, 80].map((n) => Math.log2(err(n) / err(2 * n)));
    for (const p of orders) expect(p).toBeGreaterThan(3.8);
    for (const p of orders) expect(p).toBeLessThan(4.3);
  });
  it('integrates a system (oscillator) to 1e-8 with 1000 steps', () => {
    const sol = rk4(osc, [0, 1], 0, 5, 1000);
    expect(sol.t[1000]).toBe(5);
    expect(Math.abs(sol.y[1000][0] - Math.sin(5))).toBeLessThan(1e-8);
    expect(Math.abs(sol.y[1000][1] - Math.cos(5))).toBeLessThan(1e-8);
  });
  it('rejects bad steps and mismatched right-hand sides', () => {
    expect(() => rk4(osc, [0, 1], 0, 1, 0)).toThrow('rk4: steps must be a positive integer, got 0');
    expect(() => rk4(() => [1], [0, 1], 0, 1, 2)).toThrow('returned 1 values for a state of length 2');
  });
});

describe('rk45 (Dormand-Prince)', () => {
  it('converges at order 5 with a fixed step (rtol so loose every step is accepted)', () => {
    // With h0 = maxStep and huge tolerances every step is accepted: a fixed-step DP5 method.
    const err = (n: number) => {
      const h = 2 / n;
      const s = rk45(expSin, [1], 0, 2, { rtol: 1e6, atol: 1e6, h0: h, maxStep: h });
      expect(s.accepted).toBe(n);
      return Math.abs(s.y[s.y.length - 1][0] - Math.exp(Math.sin(2)));
    };
    const orders = [10, 20, 40].map((n) => Math.log2(err(n) / err(2 * n)));
    for (const p of orders) expect(p).toBeGreaterThan(4.7);
    for (const p of orders) expect(p).toBeLessThan(5.5);
  });
  it('meets the requested tolerance and the error falls with it', () => {
    const errs = [1e-4, 1e-6, 1e-8, 1e-10].map((tol) => {
      const s = rk45(osc, [0, 1], 0, 10, { rtol: tol, atol: tol });
      const y = s.y[s.y.length - 1];
      expect(s.t[s.t.length - 1]).toBe(10);
      return Math.hypot(y[0] - Math.sin(10), y[1] - Math.cos(10));
    });
    expect(errs[3]).toBeLessThan(1e-8);
    for (let i = 1; i < errs.length; i++) expect(errs[i]).toBeLessThan(errs[i - 1]);
  });
  it('returns states at tEval times exactly, and integrates backwards', () => {
    const s = rk45(osc, [0, 1], 0, 3, { rtol: 1e-10, atol: 1e-12, tEval: [0, 0.5, 1.7, 3] });
    expect(Array.from(s.t)).toEqual([0, 0.5, 1.7, 3]);
    s.t.forEach((t, k) => expect(Math.abs(s.y[k][0] - Math.sin(t))).toBeLessThan(1e-9));
    const b = rk45(osc, [Math.sin(2), Math.cos(2)], 2, 0, { rtol: 1e-10, atol: 1e-12 });
    expect(Math.abs(b.y[b.y.length - 1][0])).toBeLessThan(1e-9);
  });
  it('rejects bad tolerances and tEval outside the span', () => {
    expect(() => rk45(osc, [0, 1], 0, 1, { rtol: 0 })).toThrow('rk45: rtol must be a finite number > 0, got 0');
    expect(() => rk45(osc, [0, 1], 0, 1, { tEval: [2] })).toThrow('tEval time 2 lies outside [0, 1]');
  });
});
