import { expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { allBinaryStates } from '../rbm/exact';
import {
  conditionalMade,
  conditionalMadeLogits,
  conditionalMadeLogProb,
  disposeConditionalMade,
  sampleConditionalMade,
  type ConditionalMade,
} from './conditional-made';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** Non-zero biases and direct weights, so every path (hidden, context, direct) carries signal. */
function scramble(m: ConditionalMade, seed: number): void {
  m.biases.forEach((b, i) => b.assign(tf.randomNormal(b.shape, 0, 0.5, 'float32', seed + i)));
  m.direct?.assign(tf.randomNormal(m.direct.shape, 0, 0.5, 'float32', seed + 99));
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));

describe('conditional MADE', () => {
  it('is autoregressive: logit i ignores x_j for j >= i, follows some x_j with j < i, and follows the context', () => {
    const d = 5,
      B = 32;
    const m = conditionalMade({ dim: d, hidden: [24, 24], contextSize: 2 }, new Rng(1));
    scramble(m, 1);
    const r = new Rng(2);
    const bits = () => Float32Array.from({ length: B * d }, () => (r.uniform() < 0.5 ? 1 : 0));
    const x = bits(),
      c = tf.randomNormal([B, 2], 0, 1, 'float32', 3) as tf.Tensor2D;
    const base = conditionalMadeLogits(m, tf.tensor2d(x, [B, d]), c).arraySync();
    for (let i = 0; i < d; i++) {
      // Redraw x_i..x_{d-1}: logit i must not move at all.
      const later = Float32Array.from(x),
        fresh = bits();
      for (let b = 0; b < B; b++) for (let j = i; j < d; j++) later[b * d + j] = fresh[b * d + j];
      const l2 = conditionalMadeLogits(m, tf.tensor2d(later, [B, d]), c).arraySync();
      for (let b = 0; b < B; b++) expect(l2[b][i]).toBe(base[b][i]);
      if (i > 0) {
        // Flip x_0..x_{i-1}: logit i moves for some row.
        const earlier = Float32Array.from(x);
        for (let b = 0; b < B; b++) for (let j = 0; j < i; j++) earlier[b * d + j] = 1 - x[b * d + j];
        const l3 = conditionalMadeLogits(m, tf.tensor2d(earlier, [B, d]), c).arraySync();
        expect(Math.max(...l3.map((row, b) => Math.abs(row[i] - base[b][i])))).toBeGreaterThan(1e-3);
      }
    }
    // A different context moves every logit, the first included.
    const l4 = conditionalMadeLogits(m, tf.tensor2d(x, [B, d]), c.add(1) as tf.Tensor2D).arraySync();
    for (let i = 0; i < d; i++)
      expect(Math.max(...l4.map((row, b) => Math.abs(row[i] - base[b][i])))).toBeGreaterThan(1e-3);
    disposeConditionalMade(m);
  });

  it('log p(x|c) is the sum of per-dimension Bernoulli log-probs of its logits, computed by hand', () => {
    const m = conditionalMade({ dim: 4, hidden: [8], contextSize: 3 }, new Rng(4));
    scramble(m, 5);
    const x = tf.tensor2d([
      [1, 0, 1, 1],
      [0, 0, 0, 1],
      [1, 1, 1, 1],
    ]);
    const c = tf.randomNormal([3, 3], 0, 1, 'float32', 6) as tf.Tensor2D;
    const logits = conditionalMadeLogits(m, x, c).arraySync();
    const xs = x.arraySync();
    const ref = xs.map((row, b) =>
      row.reduce((s, v, i) => s + Math.log(v ? sig(logits[b][i]) : 1 - sig(logits[b][i])), 0),
    );
    const lp = Array.from(conditionalMadeLogProb(m, x, c).dataSync());
    lp.forEach((v, b) => expect(v).toBeCloseTo(ref[b], 5));
    disposeConditionalMade(m);
  });

  it('p(x|c) sums to 1 over all 2^4 states for fixed contexts, and samples follow it', () => {
    const d = 4;
    const m = conditionalMade({ dim: d, hidden: [6, 6], contextSize: 1 }, new Rng(7));
    scramble(m, 8);
    const states = allBinaryStates(d); // (16, 4), state k has bit i = (k >> i) & 1
    for (const cv of [-2, 0, 1.5]) {
      const p = Array.from(conditionalMadeLogProb(m, states, tf.fill([16, 1], cv) as tf.Tensor2D).dataSync(), Math.exp);
      expect(Math.abs(p.reduce((a, v) => a + v, 0) - 1)).toBeLessThan(1e-5);
    }
    const p = Array.from(conditionalMadeLogProb(m, states, tf.fill([16, 1], 0.7) as tf.Tensor2D).dataSync(), Math.exp);
    const n = 20000;
    const s = sampleConditionalMade(m, tf.fill([n, 1], 0.7) as tf.Tensor2D, new Rng(9)).dataSync();
    const freq = new Array(16).fill(0);
    for (let b = 0; b < n; b++) {
      let k = 0;
      for (let i = 0; i < d; i++) k += s[b * d + i] << i;
      freq[k] += 1 / n;
    }
    // TV of 16 cells at n = 20000: sampling noise ~ 0.01.
    expect(0.5 * freq.reduce((a, f, k) => a + Math.abs(f - p[k]), 0)).toBeLessThan(0.025);
    disposeConditionalMade(m);
  });

  it('same seed, same samples; sampling and a forward pass leak nothing', async () => {
    const m = conditionalMade({ dim: 6, hidden: [10], contextSize: 2 }, new Rng(10));
    scramble(m, 11);
    const c = tf.randomNormal([8, 2], 0, 1, 'float32', 12) as tf.Tensor2D;
    const a = sampleConditionalMade(m, c, new Rng(13)),
      b = sampleConditionalMade(m, c, new Rng(13));
    expect(a.arraySync()).toEqual(b.arraySync());
    await expectNoLeak(() => sampleConditionalMade(m, c, new Rng(14)).dispose(), 'conditional MADE sampling');
    await expectNoLeak(() => conditionalMadeLogProb(m, a, c).dispose(), 'conditional MADE log-prob');
    disposeConditionalMade(m);
  });

  it('rejects bad settings and shapes with messages that name the field', () => {
    expect(() => conditionalMade({ dim: 8, hidden: [4], contextSize: 2 }, new Rng(0))).toThrow(
      /hidden width 4 is below dim - 1 = 7/,
    );
    expect(() => conditionalMade({ dim: 3, hidden: [4], contextSize: 0 }, new Rng(0))).toThrow(
      /contextSize must be a positive integer, got 0/,
    );
    expect(() => conditionalMade({ dim: 1, hidden: [4], contextSize: 1 }, new Rng(0))).toThrow(
      /dim must be an integer >= 2/,
    );
    const m = conditionalMade({ dim: 3, hidden: [4], contextSize: 2 }, new Rng(0));
    expect(() => conditionalMadeLogits(m, tf.zeros([2, 4]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D)).toThrow(
      /x must have shape \(B, 3\), got \(2, 4\)/,
    );
    expect(() => conditionalMadeLogits(m, tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 1]) as tf.Tensor2D)).toThrow(
      /context must have shape \(2, 2\)/,
    );
    disposeConditionalMade(m);
  });
});
