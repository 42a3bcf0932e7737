import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { encode, gaussianKl, interpolate, mlpVae, reconstructionNll, sampleVae, vaeLoss, vaeStep } from './vae';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('VAE', () => {
  it('closed-form KL equals its Monte Carlo estimate E_q[log q(z) - log p(z)]', () => {
    const mu = tf.tensor2d([[0.5, -1.0, 0.2]]);
    const logVar = tf.tensor2d([[-0.5, 0.3, -1.2]]);
    const kl = gaussianKl(mu, logVar).dataSync()[0];
    // MC in float64 JS with 200k draws
    const r = new Rng(1);
    const m = mu.dataSync(),
      lv = logVar.dataSync();
    let s = 0;
    const N = 100000;
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < 3; i++) {
        const sd = Math.exp(lv[i] / 2);
        const e = r.normal();
        const z = m[i] + sd * e;
        s += -0.5 * e * e - Math.log(sd) + 0.5 * z * z; // log q - log p (the 2 pi terms cancel)
      }
    }
    expect(kl).toBeCloseTo(s / N, 2);
    expect(kl).toBeGreaterThan(0);
    expect(Array.from(gaussianKl(tf.zeros([2, 3]), tf.zeros([2, 3])).dataSync(), Math.abs)).toEqual([0, 0]);
  });

  it('Gaussian likelihood is the exact normal NLL; Bernoulli the binary cross-entropy', () => {
    const g = mlpVae({ inputSize: 2, hidden: [4], latentSize: 1, likelihood: 'gaussian', decoderStd: 0.5 }, new Rng(0));
    const nll = reconstructionNll(g, tf.tensor2d([[1, 2]]), tf.tensor2d([[1.5, 1]])).dataSync()[0];
    const ref = [0.5, 1].reduce((s, d) => s + (d * d) / (2 * 0.25) + Math.log(0.5) + 0.5 * Math.log(2 * Math.PI), 0);
    expect(nll).toBeCloseTo(ref, 4);
    const b = mlpVae({ inputSize: 2, hidden: [4], latentSize: 1, likelihood: 'bernoulli' }, new Rng(0));
    const bce = reconstructionNll(b, tf.tensor2d([[0.3, -2]]), tf.tensor2d([[1, 0]])).dataSync()[0];
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    expect(bce).toBeCloseTo(-Math.log(sig(0.3)) - Math.log(1 - sig(-2)), 5);
  });

  it('training lowers -ELBO on two clusters, keeps KL > 0, and a step leaks nothing', async () => {
    const rng = new Rng(2);
    const vae = mlpVae({ inputSize: 2, hidden: [32], latentSize: 2, likelihood: 'gaussian', decoderStd: 0.3 }, rng);
    const pts = Array.from({ length: 128 }, (_, i) =>
      i % 2 ? [2 + 0.1 * rng.normal(), 0] : [-2 + 0.1 * rng.normal(), 0],
    );
    const x = tf.tensor2d(pts);
    const opt = adam({ learningRate: 0.01 });
    const first = vaeStep(vae, x, opt, rng);
    await expectNoLeak(() => vaeStep(vae, x, opt, rng), 'VAE step');
    let last = first;
    for (let t = 0; t < 150; t++) last = vaeStep(vae, x, opt, rng);
    expect(last.loss).toBeLessThan(first.loss - 5);
    expect(last.terms!.kl).toBeGreaterThan(0.1);
    // The latent means separate the clusters.
    const mu = encode(
      vae,
      tf.tensor2d([
        [-2, 0],
        [2, 0],
      ]),
    ).mu.arraySync();
    const dist = Math.hypot(mu[0][0] - mu[1][0], mu[0][1] - mu[1][1]);
    expect(dist).toBeGreaterThan(1);
    // Interpolation endpoints reconstruct the endpoints approximately.
    const path = interpolate(vae, tf.tensor2d([[-2, 0]]), tf.tensor2d([[2, 0]]), 5).arraySync() as number[][];
    expect(path.length).toBe(5);
    expect(path[0][0]).toBeLessThan(-1);
    expect(path[4][0]).toBeGreaterThan(1);
    opt.dispose();
  });

  it('sampling is repeatable by seed', () => {
    const vae = mlpVae({ inputSize: 3, hidden: [8], latentSize: 2, likelihood: 'bernoulli' }, new Rng(3));
    const a = sampleVae(vae, 4, new Rng(7), 'sample').arraySync();
    const b = sampleVae(vae, 4, new Rng(7), 'sample').arraySync();
    expect(a).toEqual(b);
    const l = vaeLoss(vae, tf.ones([2, 3]), new Rng(1));
    expect(l.loss.shape).toEqual([]);
  });

  it('bad hyperparameters fail clearly', () => {
    expect(() => mlpVae({ inputSize: 2, hidden: [4], latentSize: 0, likelihood: 'gaussian' }, new Rng(0))).toThrow(
      /latentSize must be a positive integer, got 0/,
    );
    expect(() =>
      mlpVae({ inputSize: 2, hidden: [4], latentSize: 2, likelihood: 'gaussian', beta: -1 }, new Rng(0)),
    ).toThrow(/beta must be a finite number >= 0, got -1/);
    expect(() =>
      mlpVae({ inputSize: 2, hidden: [4], latentSize: 2, likelihood: 'poisson' as never }, new Rng(0)),
    ).toThrow(/likelihood/);
    const vae = mlpVae({ inputSize: 2, hidden: [4], latentSize: 2, likelihood: 'gaussian' }, new Rng(0));
    expect(() => interpolate(vae, tf.zeros([1, 2]), tf.zeros([1, 2]), 1)).toThrow(/steps must be an integer >= 2/);
  });
});
