import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { mlp, type Layer } from '@aml/nn';
import { langevin } from './langevin';
import { createEbm, ebmStep, energyOf, sampleEbm } from './ebm';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const moments = (x: ArrayLike<number>) => {
  let m = 0,
    v = 0;
  for (let i = 0; i < x.length; i++) m += x[i] / x.length;
  for (let i = 0; i < x.length; i++) v += (x[i] - m) ** 2 / x.length;
  return { m, v };
};

describe('Langevin sampler', () => {
  // Noise first, then the gradient step at the noisy point: x' = a (x + sqrt(eps) z) + (1 - a), a = 1 - eps / (2 s^2),
  // an AR(1) chain whose stationary law is exactly N(1, a^2 eps / (1 - a^2)) (-> s^2 as eps -> 0).
  it('unadjusted Langevin on E = (x - 1)^2 / (2 s^2) has the exact stationary law of its AR(1) recursion', () => {
    const s = 0.5,
      eps = 0.02;
    const E = (x: tf.Tensor) =>
      x
        .sub(1)
        .square()
        .div(2 * s * s);
    const x = langevin(E, tf.zeros([4000, 1]), { steps: 250, stepSize: eps / 2, noiseStd: Math.sqrt(eps) }, new Rng(1));
    const m = moments(x.dataSync());
    expect(Math.abs(m.m - 1)).toBeLessThan(0.03);
    const a = 1 - eps / (2 * s * s);
    expect(Math.abs(m.v / ((a * a * eps) / (1 - a * a)) - 1)).toBeLessThan(0.05);
  });

  it('clips gradients and clamps to the domain', () => {
    const E = (x: tf.Tensor) => x.mul(-100); // pushes to +infinity with gradient -100
    const x = langevin(E, tf.zeros([3, 1]), { steps: 2, stepSize: 1, noiseStd: 0, gradClip: 0.03 }, new Rng(2));
    expect(Array.from(x.dataSync())).toEqual([0.06, 0.06, 0.06].map((v) => Math.fround(v)));
    const y = langevin(E, tf.zeros([3, 1]), { steps: 5, stepSize: 1, noiseStd: 0, domain: [-1, 1] }, new Rng(2));
    expect(Array.from(y.dataSync())).toEqual([1, 1, 1]);
    expect(() => langevin(E, tf.zeros([1, 1]), { steps: 0, stepSize: 1, noiseStd: 0 }, new Rng(0))).toThrow(
      /langevin: steps must be a positive integer, got 0/,
    );
  });
});

describe('EBM', () => {
  const sampler = { steps: 20, stepSize: 0.05, noiseStd: 0.05, gradClip: 0.5, domain: [-3, 3] as const };

  it('a training step leaks nothing and updates the replay buffer', async () => {
    const rng = new Rng(3);
    const net: Layer = mlp({ sizes: [2, 16, 1], activation: 'silu' }, rng);
    const ebm = createEbm({ sampleShape: [2], sampler, bufferSize: 64 }, net, rng);
    const before = Float32Array.from(ebm.buffer);
    const real = tf.randomNormal([16, 2], 0, 0.3, 'float32', 1);
    const opt = adam({ learningRate: 1e-3 });
    ebmStep(ebm, real, opt, rng);
    const r = await expectNoLeak(() => ebmStep(ebm, real, opt, rng), 'EBM step');
    expect(Number.isFinite(r.terms!.cd)).toBe(true);
    expect(Array.from(ebm.buffer)).not.toEqual(Array.from(before));
    // sampling is repeatable by seed
    expect(sampleEbm(ebm, 4, new Rng(9), 5).arraySync()).toEqual(sampleEbm(ebm, 4, new Rng(9), 5).arraySync());
  });

  it('learns a shifted blob: the energy minimum and the Langevin samples move to the data', () => {
    const rng = new Rng(4);
    const net: Layer = mlp({ sizes: [2, 32, 32, 1], activation: 'silu' }, rng);
    const fast = { steps: 10, stepSize: 0.1, noiseStd: 0.05, gradClip: 1, domain: [-3, 3] as const };
    const ebm = createEbm({ sampleShape: [2], sampler: fast, bufferSize: 512 }, net, rng);
    const opt = adam({ learningRate: 3e-3, beta1: 0 });
    for (let t = 0; t < 100; t++) {
      const real = tf.tidy(() => tf.randomNormal([64, 2], 0, 0.3, 'float32', rng.seed()).add(tf.tensor1d([1.5, -1])));
      ebmStep(ebm, real, opt, rng);
      real.dispose();
    }
    // argmin of E on a grid over the domain
    const g: number[] = [];
    for (let i = 0; i <= 30; i++) for (let j = 0; j <= 30; j++) g.push(-3 + 0.2 * i, -3 + 0.2 * j);
    const e = Array.from(energyOf(ebm, tf.tensor2d(g, [961, 2])).dataSync());
    const k = e.indexOf(Math.min(...e));
    expect(Math.hypot(g[2 * k] - 1.5, g[2 * k + 1] + 1)).toBeLessThan(0.5);
    // short-run samples: mean near the data mean (short-run EBM samplers are biased; 0.4 tolerance)
    const x = sampleEbm(ebm, 500, rng).arraySync() as number[][];
    const mx = x.reduce((s, r) => s + r[0], 0) / x.length,
      my = x.reduce((s, r) => s + r[1], 0) / x.length;
    expect(Math.hypot(mx - 1.5, my + 1)).toBeLessThan(0.4);
  });

  it('rejects bad settings', () => {
    const net: Layer = mlp({ sizes: [2, 1] }, new Rng(0));
    expect(() => createEbm({ sampleShape: [2], sampler: { ...sampler, stepSize: 0 } }, net, new Rng(0))).toThrow(
      /stepSize must be a finite number > 0, got 0/,
    );
    expect(() => createEbm({ sampleShape: [2], sampler, freshFraction: 2 }, net, new Rng(0))).toThrow(
      /freshFraction must be in \[0, 1\]/,
    );
  });
});
