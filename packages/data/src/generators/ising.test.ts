import { Rng } from '@aml/core';
import { isingEnergyPerSpin, isingExact, isingMagnetisation, isingToFloat, sampleIsing } from './ising';

/** Exact expectation of f(energy, magnetisation) under the Boltzmann distribution. */
function exactMean(L: number, T: number, J: number, f: (e: number, m: number) => number): number {
  const ex = isingExact(L, T, J);
  let s = 0;
  for (let k = 0; k < ex.probs.length; k++) s += ex.probs[k] * f(ex.energy[k], ex.magnetisation[k]);
  return s;
}

function mean(a: ArrayLike<number>, f: (x: number) => number = (x) => x): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += f(a[i]);
  return s / a.length;
}

describe('2D Ising energy and magnetisation', () => {
  it('ground states: all up has E/N = -2J, checkerboard has +2J, m = 1 and 0', () => {
    const L = 4;
    const up = new Int8Array(L * L).fill(1);
    const cb = new Int8Array(L * L).map((_, k) => (((k % L) + Math.floor(k / L)) % 2 ? 1 : -1));
    expect(isingEnergyPerSpin(up, L, 1)).toBe(-2);
    expect(isingEnergyPerSpin(cb, L, 1)).toBe(2);
    expect(isingEnergyPerSpin(up, L, 1, 0.5)).toBe(-2.5);
    expect(isingMagnetisation(up, L)).toBe(1);
    expect(isingMagnetisation(cb, L)).toBe(0);
  });

  it('exact enumeration of 2x2 sums to 1 and has the known partition function', () => {
    // 2x2 periodic with doubled bonds: E in {-8J, 0, +8J}: Z = 2e^{8/T} + 12 + 2e^{-8/T}.
    const T = 2;
    const ex = isingExact(2, T, 1);
    expect(ex.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const Z = 2 * Math.exp(8 / T) + 12 + 2 * Math.exp(-8 / T);
    expect(ex.probs[0]).toBeCloseTo(Math.exp(8 / T) / Z, 12); // all down
  });
});

describe('sampleIsing (Metropolis) reproduces exact moments', () => {
  // Tolerances are about 4 standard errors of the chain mean at these sample sizes (fixed seeds).
  it.each([
    [2, 2.5, 1],
    [2, 1.5, -1],
    [3, 2.0, 1],
  ])('L=%i, T=%f, J=%i: <E>, <|m|>, <m^2>', (L, T, J) => {
    const r = sampleIsing({ L, temperature: T, J, nSamples: 20000, thermalisation: 200, thin: 2 }, new Rng(7));
    expect(r.spins.length).toBe(20000 * L * L);
    expect(mean(r.energy)).toBeCloseTo(
      exactMean(L, T, J, (e) => e),
      1,
    );
    expect(Math.abs(mean(r.energy) - exactMean(L, T, J, (e) => e))).toBeLessThan(0.03);
    expect(Math.abs(mean(r.magnetisation, Math.abs) - exactMean(L, T, J, (_, m) => Math.abs(m)))).toBeLessThan(0.02);
    expect(Math.abs(mean(r.magnetisation, (m) => m * m) - exactMean(L, T, J, (_, m) => m * m))).toBeLessThan(0.02);
    // Stored observables match the stored spins.
    expect(r.energy[5]).toBeCloseTo(isingEnergyPerSpin(r.spins.subarray(5 * L * L, 6 * L * L), L, J), 12);
  });

  it('ordered at low T, disordered at high T on 8x8', () => {
    const cold = sampleIsing({ L: 8, temperature: 1.5, nSamples: 50, thermalisation: 500 }, new Rng(1));
    const hot = sampleIsing({ L: 8, temperature: 5, nSamples: 50, thermalisation: 200 }, new Rng(1));
    expect(mean(cold.magnetisation, Math.abs)).toBeGreaterThan(0.9);
    expect(mean(hot.magnetisation, Math.abs)).toBeLessThan(0.3);
  });

  it('is repeatable by seed and differs across seeds', () => {
    const cfg = { L: 4, temperature: 2.27, nSamples: 10, thermalisation: 10, thin: 1 };
    const a = sampleIsing(cfg, new Rng(3));
    const b = sampleIsing(cfg, new Rng(3));
    const c = sampleIsing(cfg, new Rng(4));
    expect(Array.from(a.spins)).toEqual(Array.from(b.spins));
    expect(Array.from(a.spins)).not.toEqual(Array.from(c.spins));
  });

  it('converts to +-1 or binary floats', () => {
    const s = new Int8Array([1, -1, -1, 1]);
    expect(Array.from(isingToFloat(s))).toEqual([1, -1, -1, 1]);
    expect(Array.from(isingToFloat(s, 'binary'))).toEqual([1, 0, 0, 1]);
  });

  it('rejects bad settings with the field named', () => {
    const rng = new Rng(0);
    expect(() => sampleIsing({ L: 1, temperature: 1, nSamples: 1 }, rng)).toThrow(/L must be an integer >= 2, got 1/);
    expect(() => sampleIsing({ L: 4, temperature: 0, nSamples: 1 }, rng)).toThrow(
      /temperature must be a finite number > 0, got 0/,
    );
    expect(() => sampleIsing({ L: 4, temperature: 1, nSamples: 0 }, rng)).toThrow(
      /nSamples must be a positive integer, got 0/,
    );
    expect(() => sampleIsing({ L: 4, temperature: 1, nSamples: 2, thin: 0 }, rng)).toThrow(
      /thin must be a positive integer, got 0/,
    );
    expect(() => sampleIsing({ L: 4, temperature: 1, nSamples: 2, temp: 3 } as never, rng)).toThrow(/temp/);
  });
});
