import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { made, madeLogProb, madeOutputs, madeStep, sampleMade } from './made';
import { allBinaryStates } from '../rbm/exact';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

function scramble(m: ReturnType<typeof made>, seed: number) {
  m.biases.forEach((b, i) => b.assign(tf.randomNormal(b.shape, 0, 0.5, 'float32', seed + i)));
}

describe('MADE', () => {
  it('is autoregressive: output i has zero gradient with respect to x_j for j >= i', () => {
    const m = made({ dim: 4, hidden: [32, 32], likelihood: 'mixture', components: 2 }, new Rng(1));
    scramble(m, 1);
    const x = tf.randomNormal([64, 4], 0, 1, 'float32', 2) as tf.Tensor2D; // many rows: some ReLUs are off at any one point
    for (let i = 0; i < 4; i++) {
      const g = tf.grad((xx: tf.Tensor) =>
        madeOutputs(m, xx as tf.Tensor2D)
          .slice([0, 0, i], [-1, -1, 1])
          .sum(),
      )(x);
      const abs = tf.abs(g).sum(0).arraySync() as number[]; // (d)
      for (let j = 0; j < 4; j++) {
        if (j >= i) expect(abs[j]).toBe(0);
        else expect(abs[j]).toBeGreaterThan(0);
      }
    }
  });

  it('Bernoulli MADE: probabilities of all 2^5 states sum to 1, and samples follow them', () => {
    const m = made({ dim: 5, hidden: [16], likelihood: 'bernoulli' }, new Rng(2));
    scramble(m, 3);
    const p = Array.from(madeLogProb(m, allBinaryStates(5)).dataSync(), Math.exp);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const s = sampleMade(m, 8000, new Rng(4)).arraySync();
    const freq = new Array(32).fill(0);
    for (const r of s) freq[r.reduce((k, v, i) => k + (v << i), 0)] += 1 / s.length;
    const tv = 0.5 * freq.reduce((a, f, k) => a + Math.abs(f - p[k]), 0);
    expect(tv).toBeLessThan(0.05);
  });

  it('mixture MADE: the density integrates to 1 over a 2D grid', () => {
    const m = made({ dim: 2, hidden: [8], likelihood: 'mixture', components: 3 }, new Rng(5));
    scramble(m, 6);
    const n = 400,
      lo = -20,
      hi = 20,
      dx = (hi - lo) / n; // wide: tails are heavy where |x_1| is large
    const pts: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pts.push(lo + (i + 0.5) * dx, lo + (j + 0.5) * dx);
    const lp = Array.from(madeLogProb(m, tf.tensor2d(pts, [n * n, 2])).dataSync());
    // Midpoint rule on a finite grid: within 1% (narrow conditionals are under-resolved at this dx).
    expect(Math.abs(lp.reduce((s, v) => s + Math.exp(v), 0) * dx * dx - 1)).toBeLessThan(0.01);
  });

  it('training lowers the NLL, a step leaks nothing, sampling is repeatable', async () => {
    const rng = new Rng(7);
    const m = made({ dim: 3, hidden: [16], likelihood: 'bernoulli' }, rng);
    const x = tf.tensor2d([
      [1, 1, 1],
      [0, 0, 0],
      [1, 1, 1],
      [0, 0, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    const opt = adam({ learningRate: 0.02 });
    const first = madeStep(m, x, opt).loss;
    await expectNoLeak(() => madeStep(m, x, opt), 'MADE step');
    let last = first;
    for (let t = 0; t < 100; t++) last = madeStep(m, x, opt).loss;
    expect(first).toBeCloseTo(3 * Math.log(2), 0);
    expect(last).toBeLessThan(first - 0.5);
    expect(sampleMade(m, 4, new Rng(1)).arraySync()).toEqual(sampleMade(m, 4, new Rng(1)).arraySync());
  });

  it('rejects bad settings', () => {
    expect(() => made({ dim: 1, hidden: [4], likelihood: 'bernoulli' }, new Rng(0))).toThrow(
      /dim must be an integer >= 2/,
    );
    expect(() => made({ dim: 8, hidden: [4], likelihood: 'bernoulli' }, new Rng(0))).toThrow(
      /hidden width 4 is below dim - 1 = 7/,
    );
    expect(() => made({ dim: 2, hidden: [4], likelihood: 'mixture', components: 0 }, new Rng(0))).toThrow(
      /components must be a positive integer, got 0/,
    );
  });
});
