import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { ddpmStep, qSample, sampleAncestral, sampleDdim } from './ddpm';
import { mlpDenoiser, timeEmbedding, type Denoiser } from './denoiser';
import { noiseSchedule, type NoiseSchedule } from './schedule';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const moments = (x: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i] / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - m) ** 2 / x.length;
  return { m, v };
};

/** The exact eps-predictor of 1D data N(mu, s^2): E[eps | x_t] = sqrt(1-ab)(x - sqrt(ab) mu) / (ab s^2 + 1 - ab). */
function exactDenoiser(schedule: NoiseSchedule, mu: number, s: number): Denoiser {
  const ab = tf.tensor1d(Float32Array.from(schedule.alphaBars));
  return {
    params: [],
    predict: (x, t) =>
      tf.tidy(() => {
        const a = tf.gather(ab, t.toInt()).reshape([-1, 1]); // (B, 1)
        const one = tf.scalar(1);
        return x
          .sub(a.sqrt().mul(mu))
          .mul(one.sub(a).sqrt())
          .div(a.mul(s * s).add(one.sub(a)));
      }),
  };
}

describe('noise schedules', () => {
  it('linear: 1e-4 .. 0.02 and alpha_bar is the running product', () => {
    const s = noiseSchedule({ kind: 'linear', T: 1000 });
    expect(s.betas[0]).toBeCloseTo(1e-4, 12);
    expect(s.betas[999]).toBeCloseTo(0.02, 12);
    expect(s.alphaBars[2]).toBeCloseTo((1 - s.betas[0]) * (1 - s.betas[1]) * (1 - s.betas[2]), 12);
    expect(s.alphaBars[999]).toBeLessThan(1e-4); // x_T is nearly pure noise
    expect(s.posteriorVariance[1]).toBeCloseTo((s.betas[1] * (1 - s.alphaBars[0])) / (1 - s.alphaBars[1]), 12);
  });

  it('cosine: alpha_bar follows cos^2 and decreases to ~0', () => {
    const T = 200,
      off = 0.008;
    const s = noiseSchedule({ kind: 'cosine', T });
    const f = (t: number) => Math.cos(((t / T + off) / (1 + off)) * (Math.PI / 2)) ** 2;
    expect(s.alphaBars[99]).toBeCloseTo(f(100) / f(0), 6);
    for (let t = 1; t < T; t++) expect(s.alphaBars[t]).toBeLessThan(s.alphaBars[t - 1]);
    expect(s.alphaBars[T - 1]).toBeLessThan(1e-3);
  });

  it('rejects betas outside (0, 1) with the field named', () => {
    expect(() => noiseSchedule({ kind: 'linear', T: 10, betaEnd: 1.5 })).toThrow(/betaEnd must be in \(0, 1\)/);
    expect(() => noiseSchedule({ kind: 'linear', T: 10, betaStart: 0 })).toThrow(/betaStart must be in \(0, 1\)/);
    expect(() => noiseSchedule({ kind: 'custom', betas: [0.1, -0.2] })).toThrow(/every beta must be in \(0, 1\)/);
    expect(() => noiseSchedule({ kind: 'linear', T: 0 })).toThrow(/T must be a positive integer, got 0/);
    expect(() => noiseSchedule({ kind: 'linear', T: 10, betaStart: 0.1, betaEnd: 0.01 })).toThrow(
      /betaEnd .* must be >= betaStart/,
    );
  });
});

describe('DDPM forward process', () => {
  it('iterating q(x_t | x_{t-1}) gives the closed-form marginal N(sqrt(ab) x0, 1 - ab), as does qSample', () => {
    const s = noiseSchedule({ kind: 'linear', T: 300, betaStart: 1e-3, betaEnd: 0.05 });
    const N = 20000,
      x0 = 1.5;
    const rng = new Rng(1);
    let x = tf.fill([N, 1], x0);
    for (const t of [0, 49, 299]) {
      // step-by-step chain x_k = sqrt(1 - beta_k) x_{k-1} + sqrt(beta_k) z up to t (continuing from the last checkpoint)
      const from = t === 0 ? 0 : t === 49 ? 1 : 50;
      for (let k = from; k <= t; k++) {
        const next = tf.tidy(() =>
          x
            .mul(Math.sqrt(1 - s.betas[k]))
            .add(tf.randomNormal([N, 1], 0, Math.sqrt(s.betas[k]), 'float32', rng.seed())),
        );
        x.dispose();
        x = next;
      }
      const ab = s.alphaBars[t];
      const chain = moments(x.dataSync());
      expect(Math.abs(chain.m - Math.sqrt(ab) * x0)).toBeLessThan(0.03);
      expect(Math.abs(chain.v - (1 - ab))).toBeLessThan(0.03);
      const q = qSample(s, tf.fill([N, 1], x0), new Int32Array(N).fill(t), tf.randomNormal([N, 1], 0, 1, 'float32', 2));
      const closed = moments(q.dataSync());
      expect(Math.abs(closed.m - Math.sqrt(ab) * x0)).toBeLessThan(0.03);
      expect(Math.abs(closed.v - (1 - ab))).toBeLessThan(0.03);
      q.dispose();
    }
    expect(() => qSample(s, tf.zeros([2, 1]), [0, 300], tf.zeros([2, 1]))).toThrow(/step index 300 outside 0..299/);
  });
});

describe('samplers with the exact denoiser of N(mu, s^2)', () => {
  const mu = 2,
    sd = 0.5;
  it.each(['linear', 'cosine'] as const)('%s schedule: ancestral and DDIM recover mean and std', (kind) => {
    // T = 1000 for linear: with T = 200 its alpha_bar_T = 0.13, so x_T would not be N(0, I).
    const s = noiseSchedule({ kind, T: kind === 'linear' ? 1000 : 200 });
    const model = exactDenoiser(s, mu, sd);
    const anc = moments(sampleAncestral(model, s, [4000, 1], new Rng(3)).dataSync());
    expect(Math.abs(anc.m - mu)).toBeLessThan(0.04);
    expect(Math.abs(Math.sqrt(anc.v) - sd)).toBeLessThan(0.04);
    // DDIM (eta = 0) is a first-order discretisation of the probability-flow ODE: its std error
    // shrinks as steps grow (measured: linear 0.14, 0.07, 0.013 at 10, 20, 100 steps).
    const err = [10, 20, 100].map((k) => {
      const m = moments(sampleDdim(model, s, [4000, 1], k, new Rng(4)).dataSync());
      expect(Math.abs(m.m - mu)).toBeLessThan(0.04);
      return Math.abs(Math.sqrt(m.v) - sd);
    });
    expect(err[1]).toBeLessThan(err[0]);
    expect(err[2]).toBeLessThan(err[1]);
    expect(err[2]).toBeLessThan(0.03);
    const ddimEta = moments(sampleDdim(model, s, [4000, 1], 100, new Rng(5), 1).dataSync());
    expect(Math.abs(Math.sqrt(ddimEta.v) - sd)).toBeLessThan(0.05);
  });

  it('ancestral with clip: the x0 form of the posterior mean equals the eps form, and the last step lands in [-clip, clip]', () => {
    const s = noiseSchedule({ kind: 'cosine', T: 200 });
    const model = exactDenoiser(s, mu, sd);
    const plain = sampleAncestral(model, s, [500, 1], new Rng(6));
    const loose = sampleAncestral(model, s, [500, 1], new Rng(6), { clip: 100 }); // never active
    const a = plain.dataSync(),
      b = loose.dataSync();
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(1e-3); // same algebra, float32 rounding only
    // at t = 0 the posterior mean is x0_hat itself, so clipped samples never exceed the clip
    const tight = sampleAncestral(model, s, [500, 1], new Rng(6), { clip: 2.2 });
    expect(Math.max(...tight.dataSync())).toBeLessThanOrEqual(2.2 + 1e-6);
    expect(Array.from(a).filter((v) => v > 2.2).length).toBeGreaterThan(100); // about 34% of N(2, 0.5^2)
    expect(() => sampleAncestral(model, s, [5, 1], new Rng(1), { clip: 0 })).toThrow(
      'sampleAncestral: clip must be a finite number > 0, got 0',
    );
    tf.dispose([plain, loose, tight]);
  });

  it('DDIM with eta = 0 is deterministic given x_T; samplers are repeatable by seed', () => {
    const s = noiseSchedule({ kind: 'linear', T: 50 });
    const model = exactDenoiser(s, mu, sd);
    expect(sampleDdim(model, s, [5, 1], 10, new Rng(8)).arraySync()).toEqual(
      sampleDdim(model, s, [5, 1], 10, new Rng(8)).arraySync(),
    );
    expect(sampleAncestral(model, s, [5, 1], new Rng(8)).arraySync()).toEqual(
      sampleAncestral(model, s, [5, 1], new Rng(8)).arraySync(),
    );
    expect(() => sampleDdim(model, s, [5, 1], 51, new Rng(8))).toThrow(/steps must be an integer in 1..T = 50/);
  });
});

describe('MLP denoiser', () => {
  it('time embedding is [sin, cos] of t w_k', () => {
    const e = timeEmbedding(tf.tensor1d([0, 3]), 4).arraySync();
    expect(e[0]).toEqual([0, 0, 1, 1]);
    expect(e[1][1]).toBeCloseTo(Math.sin(3 * 0.01), 5); // w_1 = 10000^(-1/2)
    expect(e[1][2]).toBeCloseTo(Math.cos(3), 5);
  });

  it('training lowers the loss and a step leaks nothing', async () => {
    const rng = new Rng(9);
    const s = noiseSchedule({ kind: 'linear', T: 100 });
    const model = mlpDenoiser({ dataSize: 2, hidden: [64, 64] }, rng);
    const x0 = tf.tensor2d(
      Float32Array.from({ length: 512 }, (_, i) => (i % 4 < 2 ? 1 : -1) * (1 + 0.05 * rng.normal())),
      [256, 2],
    );
    const opt = adam({ learningRate: 2e-3 });
    ddpmStep(model, s, x0, opt, rng);
    await expectNoLeak(() => ddpmStep(model, s, x0, opt, rng), 'DDPM step');
    let early = 0,
      late = 0;
    for (let t = 0; t < 200; t++) {
      const l = ddpmStep(model, s, x0, opt, rng).loss;
      if (t < 20) early += l / 20;
      if (t >= 180) late += l / 20;
    }
    expect(late).toBeLessThan(0.8 * early);
  });
});
