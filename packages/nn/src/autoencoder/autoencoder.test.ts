import { tf, Rng, initBackend, expectNoLeak } from '@aml/core';
import { denseAutoencoder, convAutoencoder, lstmAutoencoder, type Autoencoder } from './autoencoders';
import { autoencoderLoss, contractivePenalty, corrupt } from './penalties';
import { pca } from '../pca/pca';
import { principalAngles } from '../pca/linalg';
import { mse } from '../losses/losses';
import { fit } from '../testing/fit';
import { gradCheck } from '../testing/gradcheck';
import { Dense } from '../layers/dense';
import { getWeights } from '../layers/layer';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('linear autoencoder and PCA', () => {
  it('a linear AE trained with MSE spans the top-k PCA subspace (principal angles < 0.05 rad)', () => {
    const rng = new Rng(1);
    const n = 200,
      d = 5,
      k = 2;
    const X = new Float32Array(n * d);
    const dirs = [
      [1, 2, 0, -1, 0.5],
      [0, 1, 1, 1, -1],
    ];
    for (let i = 0; i < n; i++) {
      const a = 2 * rng.normal(),
        b = rng.normal();
      for (let j = 0; j < d; j++) X[i * d + j] = a * dirs[0][j] + b * dirs[1][j] + 0.05 * rng.normal();
    }
    const p = pca(X, n, d, k);
    const x = tf.tensor2d(X, [n, d]);
    const centred = tf.sub(x, tf.tensor1d(Float32Array.from(p.mean)));
    const ae = denseAutoencoder({ sizes: [d, k], activation: 'identity' }, new Rng(2));
    fit({ params: ae.params, loss: () => mse(ae.apply(centred), centred), steps: 600, lr: 0.02 });
    // decoder rows W (k, d) span the reconstruction subspace
    const W = ((ae.decoder as unknown as { params: tf.Variable[] }).params[0] as tf.Variable).dataSync();
    const ang = principalAngles(W, p.components, k, d);
    expect(Math.max(...ang)).toBeLessThan(0.05);
  });
});

describe('penalties', () => {
  it('contractive penalty equals the closed form for a sigmoid encoder', () => {
    // z = s(x W + b): ||J||_F^2 = sum_k (z_k (1 - z_k))^2 ||W_:k||^2 (Rifai et al. 2011)
    const ae = denseAutoencoder({ sizes: [3, 2], codeActivation: 'sigmoid' }, new Rng(3));
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 4) as tf.Tensor2D;
    const enc = ae.encoder.params;
    const W = enc[0].arraySync() as number[][];
    const z = ae.encoder.apply(x).arraySync() as number[][];
    const colNorm = [0, 1].map((k) => W.reduce((s, r) => s + r[k] ** 2, 0));
    const ref = z.reduce((s, zr) => s + zr.reduce((t, zk, k) => t + (zk * (1 - zk)) ** 2 * colNorm[k], 0), 0) / 4;
    expect(contractivePenalty(ae.encoder, x, 2).dataSync()[0]).toBeCloseTo(ref, 5);
    // and it is differentiable for the weights (nested gradients)
    expect(gradCheck(() => contractivePenalty(ae.encoder, x, 2), enc, 1e-2, 4).maxRelError).toBeLessThan(3e-2);
  });

  it('sparse loss adds lambda mean|z|; corruption is seeded', () => {
    const ae = denseAutoencoder({ sizes: [4, 3, 2] }, new Rng(5));
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 6);
    const plain = autoencoderLoss(ae, x).dataSync()[0];
    const zAbs = tf.mean(tf.abs(ae.encoder.apply(x))).dataSync()[0];
    expect(autoencoderLoss(ae, x, { sparsity: 0.5 }).dataSync()[0]).toBeCloseTo(plain + 0.5 * zAbs, 5);
    const a = corrupt(x, { gaussian: 0.2, dropout: 0.5 }, new Rng(7)).dataSync();
    expect(Array.from(corrupt(x, { gaussian: 0.2, dropout: 0.5 }, new Rng(7)).dataSync())).toEqual(Array.from(a));
    const zeros = a.filter((v) => v === 0).length / a.length;
    expect(zeros).toBeGreaterThan(0.2);
    expect(() => autoencoderLoss(ae, x, { corruption: { gaussian: 0.1 } })).toThrow(
      'autoencoderLoss: corruption needs an rng',
    );
  });
});

type Case = [string, () => Autoencoder, number[], number, number];
const cases: Case[] = [
  ['dense, denoising', () => denseAutoencoder({ sizes: [8, 6, 3], activation: 'tanh' }, new Rng(8)), [6, 8], 0, 250],
  [
    'conv 2D',
    () => convAutoencoder({ inputShape: [4, 4, 1], channels: [4, 8], latent: 4, activation: 'tanh' }, new Rng(9)),
    [4, 4, 4, 1],
    0,
    250,
  ],
  [
    'conv 1D',
    () => convAutoencoder({ inputShape: [1, 8, 1], channels: [4], latent: 3, activation: 'tanh' }, new Rng(10)),
    [4, 1, 8, 1],
    0,
    250,
  ],
  ['lstm', () => lstmAutoencoder({ seqLen: 5, features: 2, hidden: 8, latent: 3 }, new Rng(11)), [4, 5, 2], 0, 150],
  [
    'dense, contractive',
    () => denseAutoencoder({ sizes: [6, 4, 2], activation: 'tanh' }, new Rng(12)),
    [4, 6],
    1e-4,
    250,
  ],
];

describe.each(cases)('%s autoencoder', (label, make, shape, contractive, steps) => {
  it('reconstructs its input shape, overfits (loss / 100), is seeded, trains without leaks', async () => {
    const ae = make();
    expect(getWeights(ae)).toEqual(getWeights(make()));
    const x = tf.randomNormal(shape, 0, 1, 'float32', 13);
    expect(ae.apply(x).shape).toEqual(shape);
    expect(ae.encoder.apply(x).shape).toEqual([shape[0], ae.latent]);
    const rng = new Rng(14);
    const denoise = label.includes('denoising');
    const loss = () =>
      autoencoderLoss(ae, x, { contractive, ...(denoise ? { corruption: { gaussian: 0.01 }, rng } : {}) });
    const l0 = mse(ae.apply(x), x).dataSync()[0];
    await expectNoLeak(() => fit({ params: ae.params, loss, steps: 2 }), `${label} fit`);
    fit({ params: ae.params, loss, steps, lr: 0.03 });
    expect(mse(ae.apply(x), x).dataSync()[0]).toBeLessThan(l0 / 100);
  });
});
