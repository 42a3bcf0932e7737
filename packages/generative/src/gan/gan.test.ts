import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { mlp } from '@aml/nn';
import { mmd2 } from '../metrics/distances';
import { createGan, ganStep, gradientPenalty, mlpGan, sampleGan } from './gan';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('GAN', () => {
  it('gradient penalty of a linear critic D(x) = w.x + c is (|w| - 1)^2 exactly', () => {
    const D = mlp({ sizes: [3, 1], activation: 'identity' }, new Rng(0));
    const w = tf.tensor2d([[0.5], [-1], [2]]);
    D.params[0].assign(w);
    const real = tf.randomNormal([8, 3], 0, 1, 'float32', 1),
      fake = tf.randomNormal([8, 3], 0, 1, 'float32', 2);
    const gp = gradientPenalty(D, real, fake, new Rng(1)).dataSync()[0];
    expect(gp).toBeCloseTo((Math.sqrt(0.25 + 1 + 4) - 1) ** 2, 4);
  });

  it('gradient penalty is differentiable for the critic weights (nested gradient vs finite differences)', () => {
    const rng = new Rng(3);
    const D = mlp({ sizes: [2, 8, 1], activation: 'leakyRelu' }, rng);
    const real = tf.randomNormal([6, 2], 0, 1, 'float32', 3),
      fake = tf.randomNormal([6, 2], 0, 1, 'float32', 4);
    const W0 = D.params[0];
    const f = () => gradientPenalty(D, real, fake, new Rng(9)); // same interpolates each call
    const { grads } = tf.variableGrads(f, [W0]);
    const g = grads[W0.name].dataSync();
    const base = W0.dataSync().slice();
    const h = 1e-2;
    for (const idx of [0, 5, 11]) {
      const p = base.slice(),
        m = base.slice();
      p[idx] += h;
      m[idx] -= h;
      W0.assign(tf.tensor(p, W0.shape));
      const fp = f().dataSync()[0];
      W0.assign(tf.tensor(m, W0.shape));
      const fm = f().dataSync()[0];
      W0.assign(tf.tensor(base, W0.shape));
      expect(g[idx]).toBeCloseTo((fp - fm) / (2 * h), 2);
    }
  });

  it.each(['nonSaturating', 'wgan-gp'] as const)(
    '%s: a training step leaks nothing, and is repeatable by seed',
    async (loss) => {
      const make = () =>
        mlpGan(
          { dataSize: 2, latentSize: 2, hidden: [8], loss, realLabel: loss === 'nonSaturating' ? 0.9 : 1 },
          new Rng(5),
        );
      const gan = make();
      const oG = adam({ learningRate: 1e-3, beta1: 0.5 }),
        oD = adam({ learningRate: 1e-3, beta1: 0.5 });
      const real = tf.randomNormal([16, 2], 0, 1, 'float32', 5);
      const rng = new Rng(6);
      ganStep(gan, real, oG, oD, rng);
      const r = await expectNoLeak(() => ganStep(gan, real, oG, oD, rng), `${loss} GAN step`);
      expect(Number.isFinite(r.terms!.g)).toBe(true);
      if (loss === 'wgan-gp') expect(r.terms!.gp).toBeGreaterThan(0);
      const gan2 = make();
      expect(sampleGan(gan2, 3, new Rng(1)).arraySync()).toEqual(sampleGan(make(), 3, new Rng(1)).arraySync());
    },
  );

  it('non-saturating GAN learns a shifted Gaussian (MMD falls well below its start)', () => {
    const rng = new Rng(7);
    const gan = mlpGan({ dataSize: 1, latentSize: 1, hidden: [16], loss: 'nonSaturating', realLabel: 0.9 }, rng);
    const oG = adam({ learningRate: 5e-3, beta1: 0.5 }),
      oD = adam({ learningRate: 5e-3, beta1: 0.5 });
    const truth = () => Float64Array.from({ length: 256 }, () => rng.normal(3, 0.5));
    const before = mmd2(sampleGan(gan, 256, rng).dataSync(), truth(), 1, 1);
    for (let t = 0; t < 300; t++) {
      const real = tf.tensor2d(Float32Array.from(truth()), [256, 1]);
      ganStep(gan, real, oG, oD, rng);
      real.dispose();
    }
    const x = Array.from(sampleGan(gan, 512, rng).dataSync());
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    expect(Math.abs(mean - 3)).toBeLessThan(0.3);
    expect(mmd2(x, truth(), 1, 1)).toBeLessThan(before / 10);
  });

  it('rejects bad hyperparameters', () => {
    const G = mlp({ sizes: [2, 2] }, new Rng(0)),
      D = mlp({ sizes: [2, 1] }, new Rng(0));
    expect(() => createGan({ latentSize: 0, loss: 'wgan-gp' }, G, D)).toThrow(
      /latentSize must be a positive integer, got 0/,
    );
    expect(() => createGan({ latentSize: 2, loss: 'nonSaturating', realLabel: 0.3 }, G, D)).toThrow(
      /realLabel must be in \(0.5, 1\]/,
    );
    expect(() => createGan({ latentSize: 2, loss: 'wgan-gp', criticSteps: 0 }, G, D)).toThrow(/criticSteps/);
  });
});
