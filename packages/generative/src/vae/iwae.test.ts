import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { iwaeLoss, iwaeLogWeights, iwaeStep } from './iwae';
import { mlpVae, vaeLoss, type Vae } from './vae';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/**
 * A linear-Gaussian VAE (no hidden layers): x = w z + c + N(0, s^2 I), z ~ N(0, 1) in 1D, x in 2D,
 * w = (0.8, -0.6), c = (0.2, 0.1), s = 0.5; the encoder is zeroed, so q(z|x) = N(0, 1), the prior,
 * a proposal much wider than the posterior (std 0.45).
 */
function linearVae(): Vae {
  const vae = mlpVae({ inputSize: 2, hidden: [], latentSize: 1, likelihood: 'gaussian', decoderStd: 0.5 }, new Rng(4));
  vae.encoder.params.forEach((p) => p.assign(tf.zerosLike(p)));
  const [W, c] = vae.decoder.params;
  W.assign(tf.tensor2d([[0.8, -0.6]]));
  c.assign(tf.tensor1d([0.2, 0.1]));
  return vae;
}

/** Exact log p(x) of the linear-Gaussian VAE: N(c, w w^T + s^2 I) in 2D. */
function exactLogPx(vae: Vae, x: number[]): number {
  const [W, c] = vae.decoder.params.map((p) => Array.from(p.dataSync())); // kernel (1, 2), bias (2)
  const s2 = 0.25;
  const S = [
    [W[0] * W[0] + s2, W[0] * W[1]],
    [W[0] * W[1], W[1] * W[1] + s2],
  ];
  const det = S[0][0] * S[1][1] - S[0][1] * S[1][0];
  const d = [x[0] - c[0], x[1] - c[1]];
  const quad = (S[1][1] * d[0] * d[0] - 2 * S[0][1] * d[0] * d[1] + S[0][0] * d[1] * d[1]) / det;
  return -0.5 * (quad + Math.log(det) + 2 * Math.log(2 * Math.PI));
}

describe('IWAE bound (Burda et al. 2016)', () => {
  it('L_1 is the ELBO, L_K rises with K and reaches the exact log p(x) of a linear-Gaussian VAE', () => {
    const vae = linearVae();
    const x0 = [0.7, -0.4];
    const logPx = exactLogPx(vae, x0);
    const x = tf.tile(tf.tensor2d([x0]), [20000, 1]); // many copies of one point: batch mean = expectation
    const rng = new Rng(9);
    const bound = (K: number) => {
      const l = iwaeLoss(vae, x, K, rng);
      const v = -l.dataSync()[0];
      l.dispose();
      return v;
    };
    const elbo = -vaeLoss(vae, x, rng).loss.dataSync()[0]; // closed-form KL; IWAE's K = 1 estimates it by Monte Carlo
    const L1 = bound(1),
      L5 = bound(5),
      L50 = bound(50);
    expect(Math.abs(L1 - elbo)).toBeLessThan(0.03);
    // q is the prior, far from the posterior: the gap is wide and closes with K
    expect(logPx - L1).toBeGreaterThan(0.3);
    expect(L5).toBeGreaterThan(L1 + 0.1);
    expect(L50).toBeGreaterThan(L5);
    expect(L50).toBeLessThanOrEqual(logPx + 0.01);
    expect(Math.abs(L50 - logPx)).toBeLessThan(0.05);
    x.dispose();
  });

  it('log weights have shape (K, B); a step leaks nothing; bad K fails clearly', async () => {
    const vae = linearVae();
    const x = tf.tensor2d([
      [0.1, 0.2],
      [1, -1],
      [0, 0],
    ]);
    const rng = new Rng(1);
    const w = iwaeLogWeights(vae, x, 7, rng);
    expect(w.shape).toEqual([7, 3]);
    w.dispose();
    const opt = adam({ learningRate: 0.01 });
    iwaeStep(vae, x, 4, opt, rng); // warm-up: optimizer slots
    await expectNoLeak(() => iwaeStep(vae, x, 4, opt, rng), 'IWAE step');
    expect(() => iwaeLoss(vae, x, 0, rng)).toThrow(/samples K must be a positive integer, got 0/);
    opt.dispose();
    x.dispose();
  });
});
