import { Rng } from '@aml/core';
import { isingExact, sampleIsing } from '@aml/data';
import { energyDistance, gaussianBaseline, medianBandwidth, mmd2 } from './distances';
import { compareIsingObservables, isingObservables, toSpins } from './ising-observables';

const normals = (n: number, d: number, rng: Rng, shift = 0, scale = 1) =>
  Float64Array.from({ length: n * d }, () => shift + scale * rng.normal());

describe('MMD and energy distance', () => {
  it('MMD^2 of two-point samples equals its closed form', () => {
    // n = m = 2 identical pairs: kxx = kyy = k(a,b); kxy: 2 self terms (1) + 2 cross terms.
    const x = [0, 0, 1, 0],
      y = [0, 0, 1, 0];
    const k = Math.exp(-1 / 2);
    expect(mmd2(x, y, 2, 1)).toBeCloseTo(k + k - (2 * (2 + 2 * k)) / 4, 12);
  });

  it('energy distance of 1D point masses at 0 and a is 2|a| minus within terms', () => {
    expect(energyDistance([0, 0], [3, 3], 1)).toBeCloseTo(6, 12);
  });

  it('is near zero for the same distribution and clearly positive for a shifted one', () => {
    const rng = new Rng(1);
    const a = normals(400, 2, rng),
      b = normals(400, 2, rng),
      c = normals(400, 2, rng, 1);
    const h = medianBandwidth(a, 2);
    expect(h).toBeGreaterThan(1.3); // median distance of 2D standard normals is about 1.67
    expect(h).toBeLessThan(2.0);
    expect(Math.abs(mmd2(a, b, 2, h))).toBeLessThan(0.01);
    expect(mmd2(a, c, 2, h)).toBeGreaterThan(0.1);
    expect(Math.abs(energyDistance(a, b, 2))).toBeLessThan(0.03);
    // Energy distance of N(0,I) vs N(mu,I) grows with |mu|; at |mu| = sqrt(2) it is well above noise.
    expect(energyDistance(a, c, 2)).toBeGreaterThan(0.5);
  });

  it('the Gaussian baseline reproduces mean and covariance', () => {
    const rng = new Rng(2);
    const x = new Float64Array(4000);
    for (let i = 0; i < 2000; i++) {
      const z1 = rng.normal(),
        z2 = rng.normal();
      x[2 * i] = 1 + 2 * z1;
      x[2 * i + 1] = -1 + 0.5 * z1 + z2;
    }
    const g = gaussianBaseline(x, 2, 20000, new Rng(3));
    let m0 = 0,
      m1 = 0,
      c01 = 0;
    for (let i = 0; i < 20000; i++) {
      m0 += g[2 * i] / 20000;
      m1 += g[2 * i + 1] / 20000;
    }
    for (let i = 0; i < 20000; i++) c01 += ((g[2 * i] - m0) * (g[2 * i + 1] - m1)) / 20000;
    expect(m0).toBeCloseTo(1, 1);
    expect(m1).toBeCloseTo(-1, 1);
    expect(Math.abs(c01 - 1)).toBeLessThan(0.12); // cov = 2 * 0.5 = 1
  });

  it('a multi-bandwidth kernel averages the single-bandwidth MMDs', () => {
    const rng = new Rng(4);
    const a = normals(50, 2, rng),
      b = normals(60, 2, rng, 0.5);
    expect(mmd2(a, b, 2, [0.5, 2])).toBeCloseTo((mmd2(a, b, 2, 0.5) + mmd2(a, b, 2, 2)) / 2, 12);
    expect(() => mmd2(a, b, 2, [])).toThrow(/bandwidth must be > 0/);
  });

  it('rejects malformed samples', () => {
    expect(() => mmd2([1, 2, 3], [1, 2], 2)).toThrow(/not a multiple of d = 2/);
    expect(() => energyDistance([1], [1, 2], 1)).toThrow(/at least 2 samples/);
  });
});

describe('Ising observables', () => {
  it('match exact 3x3 expectations on Metropolis samples, and compare them', () => {
    const L = 3,
      T = 2.2;
    const r = sampleIsing({ L, temperature: T, nSamples: 20000, thermalisation: 100, thin: 2 }, new Rng(4));
    const obs = isingObservables(r.spins, L);
    const ex = isingExact(L, T);
    let eE = 0,
      eA = 0;
    ex.probs.forEach((p: number, k: number) => {
      eE += p * ex.energy[k];
      eA += p * Math.abs(ex.magnetisation[k]);
    });
    expect(Math.abs(obs.energy - eE)).toBeLessThan(0.03);
    expect(Math.abs(obs.absMagnetisation - eA)).toBeLessThan(0.02);
    expect(obs.energyHist.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    const same = compareIsingObservables(obs, obs);
    expect(same.energyRelErr).toBe(0);
    expect(same.energyTV).toBe(0);
    // Random spins (infinite temperature) are far from T = 2.2.
    const u = new Rng(5);
    const rnd = toSpins(
      Float64Array.from({ length: r.spins.length }, () => u.uniform()),
      'binary',
    );
    const far = compareIsingObservables(isingObservables(rnd, L), obs);
    expect(far.energyRelErr).toBeGreaterThan(0.5);
  });

  it('toSpins maps binary and +-1 encodings', () => {
    expect(Array.from(toSpins([0.2, 0.7], 'binary'))).toEqual([-1, 1]);
    expect(Array.from(toSpins([-0.1, 0.3], 'pm1'))).toEqual([-1, 1]);
    expect(() => isingObservables([1, 1, 1], 2)).toThrow(/multiple of L\*L = 4/);
  });
});
