import { Rng } from '@aml/core';
import { isingEnergyPerSpin, isingExact, isingMagnetisation } from '@aml/data';
import { metropolis, type Proposal } from './metropolis';
import { gaussianConditionals, gibbs } from './gibbs';
import {
  autocorrelation,
  column,
  effectiveSampleSize,
  integratedAutocorrelationTime,
  thinChain,
} from './autocorrelation';

const mean = (a: ArrayLike<number>, f: (x: number) => number = (x) => x) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += f(a[i]);
  return s / a.length;
};

describe('metropolis', () => {
  it('1D Gaussian N(1, 2^2): mean, variance and 4th central moment', () => {
    const mu = 1,
      sd = 2;
    const c = metropolis(
      (x) => -0.5 * ((x[0] - mu) / sd) ** 2,
      [0],
      { nSamples: 100000, stepSize: 5, burnIn: 500 },
      new Rng(11),
    );
    const m = mean(c.samples);
    const v = mean(c.samples, (x) => (x - m) ** 2);
    const k4 = mean(c.samples, (x) => (x - m) ** 4);
    // tau ~ 3 here, so the standard error of the mean is about 2 * sqrt(3 / 1e5) = 0.011.
    expect(Math.abs(m - mu)).toBeLessThan(0.05);
    expect(Math.abs(v / (sd * sd) - 1)).toBeLessThan(0.04);
    expect(Math.abs(k4 / (3 * sd ** 4) - 1)).toBeLessThan(0.1);
    expect(c.acceptance).toBeGreaterThan(0.3);
    expect(c.acceptance).toBeLessThan(0.7);
  });

  it('an asymmetric independence proposal with its Hastings correction gives the right moments', () => {
    const s = 3;
    const indep: Proposal = {
      propose(x, rng, out) {
        out[0] = rng.normal(0, s);
        return (out[0] ** 2 - x[0] ** 2) / (2 * s * s);
      },
    };
    // Target N(0.5, 1).
    const c = metropolis((x) => -0.5 * (x[0] - 0.5) ** 2, [0], { nSamples: 50000, burnIn: 100 }, new Rng(2), indep);
    expect(Math.abs(mean(c.samples) - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(mean(c.samples, (x) => (x - 0.5) ** 2) - 1)).toBeLessThan(0.04);
  });

  it('2x2 Ising via a single-spin-flip proposal reproduces the exact moments of the 16 states', () => {
    const L = 2,
      T = 2.5;
    const flip: Proposal = {
      propose(x, rng, out) {
        out.set(x);
        const k = rng.int(4);
        out[k] = -out[k];
        return 0;
      },
    };
    const logp = (x: Float64Array) => (-isingEnergyPerSpin(x, L) * L * L) / T;
    const c = metropolis(logp, [1, 1, 1, 1], { nSamples: 40000, burnIn: 100 }, new Rng(5), flip);
    const ex = isingExact(L, T);
    let eE = 0,
      eM2 = 0,
      eAbs = 0;
    ex.probs.forEach((p: number, k: number) => {
      eE += p * ex.energy[k];
      eM2 += p * ex.magnetisation[k] ** 2;
      eAbs += p * Math.abs(ex.magnetisation[k]);
    });
    const E: number[] = [],
      M: number[] = [];
    for (let i = 0; i < c.n; i++) {
      const s = c.samples.subarray(i * 4, i * 4 + 4);
      E.push(isingEnergyPerSpin(s, L));
      M.push(isingMagnetisation(s, L));
    }
    expect(Math.abs(mean(E) - eE)).toBeLessThan(0.03);
    expect(Math.abs(mean(M, (m) => m * m) - eM2)).toBeLessThan(0.02);
    expect(Math.abs(mean(M, Math.abs) - eAbs)).toBeLessThan(0.02);
  });

  it('is repeatable by seed', () => {
    const f = (x: Float64Array) => -0.5 * x[0] * x[0];
    const a = metropolis(f, [0], { nSamples: 50, burnIn: 0 }, new Rng(9));
    const b = metropolis(f, [0], { nSamples: 50, burnIn: 0 }, new Rng(9));
    const c = metropolis(f, [0], { nSamples: 50, burnIn: 0 }, new Rng(10));
    expect(Array.from(a.samples)).toEqual(Array.from(b.samples));
    expect(Array.from(a.samples)).not.toEqual(Array.from(c.samples));
  });

  it('thinning keeps every k-th state and rejects bad settings', () => {
    const f = (x: Float64Array) => -0.5 * x[0] * x[0];
    expect(metropolis(f, [0], { nSamples: 7, thin: 3, burnIn: 2 }, new Rng(1)).samples.length).toBe(7);
    expect(() => metropolis(f, [0], { nSamples: 0 }, new Rng(1))).toThrow(/nSamples must be a positive integer, got 0/);
    expect(() => metropolis(f, [0], { nSamples: 5, thin: 0 }, new Rng(1))).toThrow(
      /thin must be a positive integer, got 0/,
    );
    expect(() => metropolis(f, [0], { nSamples: 5, stepSize: -1 }, new Rng(1))).toThrow(
      /stepSize must be a finite number > 0, got -1/,
    );
    expect(() => metropolis(() => -Infinity, [0], { nSamples: 5 }, new Rng(1))).toThrow(/x0 has log-density/);
  });
});

describe('gibbs', () => {
  it('multivariate Gaussian conditionals reproduce mean and covariance', () => {
    const mu = [1, -2, 0.5];
    const cov = [2, 0.8, 0.3, 0.8, 1, -0.4, 0.3, -0.4, 1.5];
    const x = gibbs(gaussianConditionals(mu, cov), [0, 0, 0], { nSamples: 40000, burnIn: 50 }, new Rng(3));
    for (let i = 0; i < 3; i++) {
      const xi = column(x, 3, i);
      expect(Math.abs(mean(xi) - mu[i])).toBeLessThan(0.05);
      for (let j = 0; j < 3; j++) {
        const xj = column(x, 3, j);
        let s = 0;
        for (let n = 0; n < xi.length; n++) s += (xi[n] - mu[i]) * (xj[n] - mu[j]);
        expect(Math.abs(s / xi.length - cov[i * 3 + j])).toBeLessThan(0.06);
      }
    }
  });

  it('fails clearly on a singular covariance or a bad config', () => {
    expect(() => gaussianConditionals([0, 0], [1, 1, 1, 1])).toThrow(/singular/);
    expect(() => gaussianConditionals([0, 0], [1, 0, 0])).toThrow(/expected d\*d = 4/);
    expect(() => gibbs([], [0], { nSamples: 1 }, new Rng(0))).toThrow(/at least one conditional/);
    expect(() => gibbs(gaussianConditionals([0], [1]), [0], { nSamples: 1, burnIn: -1 }, new Rng(0))).toThrow(/burnIn/);
  });
});

describe('autocorrelation, integrated time, ESS', () => {
  // AR(1): x_t = phi x_{t-1} + e_t has rho(t) = phi^t and tau = (1 + phi)/(1 - phi).
  const ar1 = (phi: number, n: number, seed: number) => {
    const r = new Rng(seed);
    const x = new Float64Array(n);
    for (let t = 1; t < n; t++) x[t] = phi * x[t - 1] + r.normal();
    return x;
  };

  it.each([0, 0.5, 0.9])('AR(1) with phi = %f has tau = (1+phi)/(1-phi) within 10%', (phi) => {
    const x = ar1(phi, 200000, 1);
    const tau = integratedAutocorrelationTime(x);
    expect(Math.abs(tau / ((1 + phi) / (1 - phi)) - 1)).toBeLessThan(0.1);
    expect(effectiveSampleSize(x)).toBeCloseTo(x.length / tau, 6);
    const rho = autocorrelation(x, 3);
    expect(rho[0]).toBe(1);
    expect(Math.abs(rho[1] - phi)).toBeLessThan(0.01);
    expect(Math.abs(rho[2] - phi * phi)).toBeLessThan(0.01);
  });

  it('thinning by the autocorrelation time leaves a nearly independent chain', () => {
    const x = ar1(0.9, 100000, 2);
    const thinned = thinChain(x, 1, 1000, 40);
    expect(thinned.length).toBe(Math.ceil(99000 / 40));
    expect(integratedAutocorrelationTime(thinned)).toBeLessThan(1.3);
    expect(() => thinChain(x, 1, 0, 0)).toThrow(/thinChain: every must be a positive integer, got 0/);
  });
});
