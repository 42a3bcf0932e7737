import { initBackend, Rng, tf } from '@aml/core';
import { isingExact } from '@aml/data';
import { isingObservables } from '../metrics/ising-observables';
import { exactVisibleDistribution } from './exact';
import { isingRbm } from './ising-rbm';
import { disposeRbm, gibbsSample } from './rbm';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('exact Ising RBM (one hidden unit per bond)', () => {
  // Both enumerations index states by bits: bit n set <=> v_n = 1 <=> s_n = +1.
  it.each([
    { L: 3, temperature: 2.5, J: 1, h: 0 },
    { L: 3, temperature: 1.5, J: 1, h: 0.3 },
    { L: 3, temperature: 2.0, J: -1, h: 0 },
    { L: 2, temperature: 1.0, J: 1, h: -0.2 }, // L = 2: each pair carries two bonds, two hidden units
  ])('p_RBM(v) equals the Boltzmann distribution by enumeration: %o', (c) => {
    const rbm = isingRbm(c);
    expect(rbm.W.shape).toEqual([c.L * c.L, 2 * c.L * c.L]);
    const p = exactVisibleDistribution(rbm);
    const { probs } = isingExact(c.L, c.temperature, c.J, c.h);
    let tv = 0,
      maxRel = 0;
    probs.forEach((q, k) => {
      tv += 0.5 * Math.abs(p[k] - q);
      maxRel = Math.max(maxRel, Math.abs(p[k] - q) / q);
    });
    expect(tv).toBeLessThan(1e-4);
    expect(maxRel).toBeLessThan(2e-3); // float32 free energies
    disposeRbm(rbm);
  });

  it('block Gibbs from random starts reproduces the exact <|m|> and <E>/N of the 3x3 model', () => {
    const c = { L: 3, temperature: 2.27 };
    const rbm = isingRbm(c);
    const rng = new Rng(5);
    const v0 = tf.tidy(() => tf.randomUniform([4000, 9], 0, 1, 'float32', rng.seed()).round()) as tf.Tensor2D;
    const v = gibbsSample(rbm, v0, 100, rng);
    const spins = Float32Array.from(v.dataSync(), (x) => 2 * x - 1);
    const obs = isingObservables(spins, 3);
    const ex = isingExact(3, c.temperature);
    let m = 0,
      e = 0;
    ex.probs.forEach((q, k) => {
      m += q * Math.abs(ex.magnetisation[k]);
      e += q * ex.energy[k];
    });
    // 4000 independent chains: standard errors about 0.005 (|m|) and 0.012 (E/N); tolerance ~3 of them
    expect(Math.abs(obs.absMagnetisation - m)).toBeLessThan(0.015);
    expect(Math.abs(obs.energy - e)).toBeLessThan(0.035);
    [v0, v].forEach((t) => t.dispose());
    disposeRbm(rbm);
  });

  it('rejects bad lattices and temperatures', () => {
    expect(() => isingRbm({ L: 1, temperature: 1 })).toThrow(/L must be an integer >= 2, got 1/);
    expect(() => isingRbm({ L: 4, temperature: 0 })).toThrow(/temperature must be a finite number > 0, got 0/);
  });
});
