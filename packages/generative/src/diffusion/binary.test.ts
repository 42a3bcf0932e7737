import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import {
  binaryDiffusionStep,
  flipPosteriorPlus,
  flipSample,
  flipSchedule,
  flipSiteCoefficients,
  sampleBinaryDiffusion,
  type FlipSchedule,
} from './binary';
import { binaryDdpmLoss, binaryDdpmStep, sampleAncestral } from './ddpm';
import type { Denoiser } from './denoiser';
import { latticeDenoiser } from './lattice';
import { noiseSchedule } from './schedule';
import { gaussianSiteCoefficients, withSiteLogit } from './site-logit';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** All 2^d configurations in +-1, row c = bits of c (bit i set: site i = +1). */
const configs = (d: number) =>
  Array.from({ length: 2 ** d }, (_, c) => Array.from({ length: d }, (_, i) => ((c >> i) & 1 ? 1 : -1)));

/**
 * The exact logit of p(x0_i = +1 | x_t) for data with probabilities `probs` over configs(d), when the
 * likelihood of x_t is ∝ exp(k_t x_t . x0) (both processes: k = sqrt(ab)/(1-ab) Gaussian, atanh(r) flips):
 *   logit_i = logsumexp_{c_i = +1}(log p_c + k_t x.c) - logsumexp_{c_i = -1}(...).
 */
function oracle(k: ArrayLike<number>, probs: readonly number[], d: number): Denoiser {
  const cs = configs(d);
  const C = tf.tensor2d(cs.flat(), [cs.length, d]); // (M, d)
  const logp = tf.tensor1d(probs.map(Math.log)).reshape([1, 1, -1]); // (1, 1, M)
  const mask = (s: number) =>
    tf.tensor3d(Array.from({ length: d }, (_, i) => cs.map((c) => (c[i] === s ? 0 : -1e30))).flat(), [1, d, cs.length]);
  const plus = mask(1),
    minus = mask(-1);
  const kt = tf.tensor1d(Float32Array.from(k));
  return {
    params: [],
    predict: (x, t) =>
      tf.tidy(() => {
        const B = x.shape[0];
        const z = x
          .reshape([B, d])
          .matMul(C.transpose())
          .mul(tf.gather(kt, t.toInt()).reshape([B, 1]))
          .reshape([B, 1, -1])
          .add(logp); // (B, 1, M)
        return tf
          .logSumExp(z.add(plus), 2)
          .sub(tf.logSumExp(z.add(minus), 2))
          .reshape(x.shape); // (B, d)
      }),
  };
}

/** Total variation between the sample's configuration frequencies and `probs`. */
function tv(samples: tf.Tensor, probs: readonly number[], d: number): number {
  const v = samples.dataSync(),
    n = v.length / d;
  const counts = new Array(probs.length).fill(0);
  for (let s = 0; s < n; s++) {
    let c = 0;
    for (let i = 0; i < d; i++) if (v[s * d + i] > 0) c |= 1 << i;
    counts[c]++;
  }
  return probs.reduce((acc, p, c) => acc + Math.abs(counts[c] / n - p), 0) / 2;
}

// three correlated spins, all 8 configurations possible (index bits: site i = +1)
const p3 = [0.3, 0.05, 0.1, 0.05, 0.02, 0.08, 0.1, 0.3];

describe('binary x0 prediction for the Gaussian DDPM', () => {
  it('the loss is the hand-computed binary cross-entropy of the model logit at the drawn x_t', () => {
    const s = noiseSchedule({ kind: 'cosine', T: 20 });
    const seen: { x: number[]; t: number[] } = { x: [], t: [] };
    const model: Denoiser = {
      params: [],
      predict: (x, t) => {
        seen.x = Array.from(x.dataSync());
        seen.t = Array.from(t.dataSync());
        return x.mul(3).add(0.5);
      },
    };
    const x0 = [1, -1, -1, 1, 1, 1];
    const loss = binaryDdpmLoss(model, s, tf.tensor2d(x0, [3, 2]), new Rng(4));
    // same draws: t first, then eps from one tfjs seed
    const r = new Rng(4);
    const t = [0, 1, 2].map(() => r.int(20));
    expect(seen.t).toEqual(t);
    const eps = tf.randomNormal([3, 2], 0, 1, 'float32', r.seed()).dataSync();
    let bce = 0;
    for (let j = 0; j < 6; j++) {
      const ab = s.alphaBars[t[Math.floor(j / 2)]];
      const xt = Math.sqrt(ab) * x0[j] + Math.sqrt(1 - ab) * eps[j];
      expect(seen.x[j]).toBeCloseTo(xt, 5);
      const p = 1 / (1 + Math.exp(-(3 * xt + 0.5))),
        y = (x0[j] + 1) / 2;
      bce -= (y * Math.log(p) + (1 - y) * Math.log(1 - p)) / 6;
    }
    expect(loss.dataSync()[0]).toBeCloseTo(bce, 5);
  });

  it('with the exact posterior logit, ancestral sampling reproduces a 3-spin distribution (TV within sampling error)', () => {
    const s = noiseSchedule({ kind: 'cosine', T: 200 });
    const k = gaussianSiteCoefficients(s);
    const x = sampleAncestral(oracle(k, p3, 3), s, [8000, 3], new Rng(5), { prediction: 'x0-binary' });
    expect(Array.from(new Set(x.dataSync()))).toEqual(expect.arrayContaining([1, -1]));
    expect(new Set(x.dataSync()).size).toBe(2); // the last step draws spins
    // sampling error alone: E[TV] ~ 0.5 sum sqrt(2 p (1 - p) / (pi n)) = 0.012 at n = 8000
    expect(tv(x, p3, 3)).toBeLessThan(0.025); // measured 0.0125
    // a wrong posterior (data taken as independent spins) is caught: TV 0.3+
    const indep = oracle(
      k,
      configs(3).map(() => 1 / 8),
      3,
    );
    const y = sampleAncestral(indep, s, [2000, 3], new Rng(5), { prediction: 'x0-binary' });
    expect(tv(y, p3, 3)).toBeGreaterThan(0.2);
    expect(() => sampleAncestral(indep, s, [2, 3], new Rng(5), { prediction: 'x0-binary', clip: 1 })).toThrow(
      /clip applies to prediction 'epsilon' only/,
    );
    tf.dispose([x, y]);
  });

  it('withSiteLogit adds 2 k_t x: for independent spins it turns the prior logit into the exact posterior logit', () => {
    const s = noiseSchedule({ kind: 'cosine', T: 50 });
    const k = gaussianSiteCoefficients(s);
    // independent spins with p(+1) = 0.8, 0.3: p(x0_i | x_t) = sigmoid(log(p_i / (1 - p_i)) + 2 k_t x_i)
    const prior: Denoiser = {
      params: [],
      predict: (x) => tf.tidy(() => tf.tensor2d([[Math.log(4), Math.log(3 / 7)]]).tile([x.shape[0], 1])),
    };
    const probs = configs(2).map(([a, b]) => (a > 0 ? 0.8 : 0.2) * (b > 0 ? 0.3 : 0.7));
    const x = tf.randomNormal([6, 2], 0, 1, 'float32', 3);
    const t = tf.tensor1d([0, 5, 10, 25, 40, 49]);
    const got = withSiteLogit(prior, k).predict(x, t).arraySync() as number[][];
    const want = oracle(k, probs, 2).predict(x, t).arraySync() as number[][];
    for (let b = 0; b < 6; b++) for (let i = 0; i < 2; i++) expect(got[b][i]).toBeCloseTo(want[b][i], b === 0 ? -1 : 3); // t = 0: logits ~1e4
    expect(() => withSiteLogit(prior, [1, Infinity])).toThrow(/k\[1\] = Infinity is not finite/);
  });

  it('a lattice-denoiser step leaks nothing and is repeatable by seed', async () => {
    const s = noiseSchedule({ kind: 'cosine', T: 20 });
    const x0 = tf.tensor4d(
      Float32Array.from({ length: 8 * 16 }, (_, i) => (i % 3 ? 1 : -1)),
      [8, 4, 4, 1],
    );
    const run = async () => {
      const net = withSiteLogit(latticeDenoiser({ width: 4, blocks: 1 }, new Rng(2)), gaussianSiteCoefficients(s));
      const opt = adam({ learningRate: 1e-2 });
      const rng = new Rng(3);
      binaryDdpmStep(net, s, x0, opt, rng);
      const loss = await expectNoLeak(() => binaryDdpmStep(net, s, x0, opt, rng).loss, 'binary DDPM step');
      const x = sampleAncestral(net, s, [3, 4, 4, 1], rng, { prediction: 'x0-binary' });
      const out = { loss, x: Array.from(x.dataSync()) };
      x.dispose();
      net.params.forEach((p) => p.dispose());
      opt.dispose();
      return out;
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(a.loss).toBeGreaterThan(0);
  });
});

describe('flip-noise (D3PM) diffusion on spins', () => {
  it('cosine schedule: r_t = g(t + 1) / g(0) and ends uniform; bad options are named', () => {
    const T = 100,
      off = 0.008;
    const s = flipSchedule({ kind: 'cosine', T });
    const g = (u: number) => Math.cos(((u / T + off) / (1 + off)) * (Math.PI / 2));
    for (const t of [0, 10, 50, 98]) expect(s.retention[t]).toBeCloseTo(g(t + 1) / g(0), 10);
    expect(Math.abs(s.retention[T - 1])).toBeLessThan(1e-12);
    for (const b of s.betas) expect(b > 0 && b <= 0.5).toBe(true);
    expect(() => flipSchedule({ kind: 'custom', betas: [0.1, 1] })).toThrow(
      /every flip probability beta must be in \(0, 1\)/,
    );
    expect(() => flipSchedule({ kind: 'custom', betas: [0, 0.1] })).toThrow(
      /every flip probability beta must be in \(0, 1\)/,
    );
    expect(() => flipSchedule({ kind: 'cosine', T: 0 })).toThrow(/T must be a positive integer, got 0/);
    expect(() => flipSchedule({ kind: 'cosine', T: 10, beta: 0.1 } as never)).toThrow(/Unrecognized key.*beta/);
  });

  it('the forward marginal equals composing single flips, and flipSample draws it', () => {
    const s = flipSchedule({ kind: 'custom', betas: [0.05, 0.1, 0.2, 0.3, 0.45] });
    let f = 0; // P(x_t != x_0), one step at a time
    for (let t = 0; t < s.T; t++) {
      f = f * (1 - s.betas[t]) + (1 - f) * s.betas[t];
      expect((1 - s.retention[t]) / 2).toBeCloseTo(f, 12);
    }
    const n = 20000;
    const x0 = tf.tensor2d(
      Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 1 : -1)),
      [n, 2],
    );
    for (const t of [0, 2, 4]) {
      const xt = flipSample(s, x0, new Int32Array(n).fill(t), new Rng(t));
      const flipped = tf.tidy(() => xt.mul(x0).less(0).sum().dataSync()[0]) / (2 * n);
      expect(Math.abs(flipped - (1 - s.retention[t]) / 2)).toBeLessThan(4 * Math.sqrt(0.25 / (2 * n))); // 4 sigma
      xt.dispose();
    }
    expect(() => flipSample(s, x0, [0], new Rng(1))).toThrow(/1 step indices for a batch of 20000/);
    expect(() => flipSample(s, tf.ones([1, 2]), [5], new Rng(1))).toThrow(/step index 5 outside 0..4/);
  });

  it('the posterior q(x_{t-1} | x_t, x_0) is Bayes rule by enumeration', () => {
    const s = flipSchedule({ kind: 'custom', betas: [0.03, 0.2, 0.1, 0.4] });
    for (let t = 1; t < s.T; t++) {
      for (const xt of [1, -1]) {
        for (const x0 of [1, -1]) {
          // q(x_{t-1} = y | x0) q(x_t | x_{t-1} = y), normalised over y
          const keep = (r: number) => (1 + r) / 2;
          const w = [1, -1].map(
            (y) =>
              (y === x0 ? keep(s.retention[t - 1]) : 1 - keep(s.retention[t - 1])) *
              (xt === y ? 1 - s.betas[t] : s.betas[t]),
          );
          expect(flipPosteriorPlus(s, t, xt, x0)).toBeCloseTo(w[0] / (w[0] + w[1]), 12);
        }
      }
    }
    expect(flipPosteriorPlus(s, 0, -1, 1)).toBe(1); // x_{-1} is x_0
    expect(() => flipPosteriorPlus(s, 4, 1, 1)).toThrow(/step index 4 outside 0..3/);
  });

  it('with the exact posterior logit, the reverse chain reproduces a 3-spin distribution (TV within sampling error)', () => {
    const s = flipSchedule({ kind: 'cosine', T: 100 });
    const k = flipSiteCoefficients(s);
    const x = sampleBinaryDiffusion(oracle(k, p3, 3), s, [8000, 3], new Rng(6));
    expect(tv(x, p3, 3)).toBeLessThan(0.025); // measured 0.013; sampling error alone ~0.012
    // few steps: the factorised reverse step cannot carry the correlations; T = 1 samples independent marginals
    const one = flipSchedule({ kind: 'cosine', T: 1 });
    const y = sampleBinaryDiffusion(oracle(flipSiteCoefficients(one), p3, 3), one, [8000, 3], new Rng(6));
    expect(tv(y, p3, 3)).toBeGreaterThan(0.2);
    tf.dispose([x, y]);
  });

  it('training with the lattice denoiser lowers the loss, leaks nothing, and is repeatable by seed', async () => {
    const s: FlipSchedule = flipSchedule({ kind: 'cosine', T: 20 });
    // all-up or all-down 4x4 lattices: p(x0 | x_t) is learnable from the lattice mean (100 steps: 0.8 of the start, measured)
    const x0 = tf.tensor4d(
      Float32Array.from({ length: 32 * 16 }, (_, i) => (Math.floor(i / 16) % 2 ? 1 : -1)),
      [32, 4, 4, 1],
    );
    const run = async () => {
      const net = withSiteLogit(latticeDenoiser({ width: 8, blocks: 1 }, new Rng(2)), flipSiteCoefficients(s));
      const opt = adam({ learningRate: 1e-2 });
      const rng = new Rng(3);
      binaryDiffusionStep(net, s, x0, opt, rng);
      await expectNoLeak(() => binaryDiffusionStep(net, s, x0, opt, rng), 'binary diffusion step');
      const losses = Array.from({ length: 100 }, () => binaryDiffusionStep(net, s, x0, opt, rng).loss);
      const x = await expectNoLeak(() => sampleBinaryDiffusion(net, s, [4, 4, 4, 1], rng), 'sampler', 1);
      const out = { losses, x: Array.from(x.dataSync()) };
      x.dispose();
      net.params.forEach((p) => p.dispose());
      opt.dispose();
      return out;
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
    expect(mean(a.losses.slice(-10))).toBeLessThan(0.8 * mean(a.losses.slice(0, 10)));
    expect(() => sampleBinaryDiffusion(oracle(flipSiteCoefficients(s), p3, 3), s, [0, 3], new Rng(1))).toThrow(
      /shape\[0\] \(samples\) must be a positive integer, got 0/,
    );
  });
});
