import { tf, Rng, initBackend, expectNoLeak } from '@aml/core';
import { multiHeadAttention } from './attention';
import { sinusoidalEncoding1d, sinusoidalEncoding2d } from './position';
import { transformerBlock } from './block';
import { transformerEncoder } from './encoder';
import { causalLm, charVocab, lmBatch, lmLoss, sampleLm } from './lm';
import { getWeights } from '../layers/layer';
import { mse } from '../losses/losses';
import { gradCheck } from '../testing/gradcheck';
import { fit } from '../testing/fit';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('attention', () => {
  it('equals softmax(Q K^T / sqrt(d_k)) V W_O computed by hand, per head', () => {
    const att = multiHeadAttention({ dModel: 4, heads: 2 }, new Rng(1));
    const x = tf.randomNormal([1, 3, 4], 0, 1, 'float32', 2);
    const [Wq, bq, Wk, bk, Wv, bv, Wo, bo] = att.params.map((p) => p.arraySync() as number[][] & number[]);
    const X = (x.arraySync() as number[][][])[0];
    const lin = (A: number[][], W: number[][], b: number[]) =>
      A.map((r) => W[0].map((_, j) => r.reduce((s, v, i) => s + v * W[i][j], 0) + b[j]));
    const Q = lin(X, Wq, bq),
      K = lin(X, Wk, bk),
      Vv = lin(X, Wv, bv);
    const ctx = X.map(() => new Array(4).fill(0));
    for (let hd = 0; hd < 2; hd++) {
      const cols = [2 * hd, 2 * hd + 1];
      for (let t = 0; t < 3; t++) {
        const s = [0, 1, 2].map((u) => cols.reduce((a, c) => a + Q[t][c] * K[u][c], 0) / Math.sqrt(2));
        const m = Math.max(...s),
          e = s.map((v) => Math.exp(v - m)),
          z = e.reduce((a, b) => a + b);
        for (const c of cols) ctx[t][c] = e.reduce((a, w, u) => a + (w / z) * Vv[u][c], 0);
      }
    }
    const ref = lin(ctx, Wo, bo).flat();
    const y = att.apply(x).dataSync();
    ref.forEach((r, i) => expect(y[i]).toBeCloseTo(r, 4));
    const P = att.weights(x).sum(-1).dataSync();
    P.forEach((p) => expect(p).toBeCloseTo(1, 5));
  });

  it('causal attention ignores the future', () => {
    const att = multiHeadAttention({ dModel: 8, heads: 2, causal: true }, new Rng(3));
    const a = tf.randomNormal([1, 5, 8], 0, 1, 'float32', 4);
    const b = tf.concat([a.slice([0, 0, 0], [1, 3, 8]), tf.randomNormal([1, 2, 8], 0, 1, 'float32', 5)], 1);
    const ya = att.apply(a).slice([0, 0, 0], [1, 3, 8]).dataSync();
    const yb = att.apply(b).slice([0, 0, 0], [1, 3, 8]).dataSync();
    ya.forEach((v, i) => expect(yb[i]).toBeCloseTo(v, 5));
    expect(() => multiHeadAttention({ dModel: 6, heads: 4, name: 'a' }, new Rng(1))).toThrow(
      "attention 'a': dModel 6 must be divisible by heads 4",
    );
    expect(() => att.apply(tf.zeros([1, 5, 6]))).toThrow(
      "attention 'attention': expected input (B, T, d_model) of shape (N, ?, 8), got (1, 5, 6)",
    );
  });
});

describe('position encodings', () => {
  it('1D and 2D sinusoids have their closed form', () => {
    const p = sinusoidalEncoding1d(5, 6).arraySync();
    expect(p[3][2]).toBeCloseTo(Math.sin(3 / 10000 ** (2 / 6)), 6);
    expect(p[3][5]).toBeCloseTo(Math.cos(3 / 10000 ** (4 / 6)), 6);
    const q = sinusoidalEncoding2d(3, 4, 8).arraySync();
    // site (r=2, c=1): first half encodes r with d=4, second half c
    expect(q[2 * 4 + 1][2]).toBeCloseTo(Math.sin(2 / 100), 6);
    expect(q[2 * 4 + 1][4]).toBeCloseTo(Math.sin(1), 6);
    expect(q[2 * 4 + 1][7]).toBeCloseTo(Math.cos(1 / 100), 6);
    expect(() => sinusoidalEncoding2d(2, 2, 6)).toThrow('sinusoidalEncoding2d: d must be divisible by 4, got 6');
  });
});

describe('blocks and encoder', () => {
  it('block keeps the shape and its gradients match finite differences', () => {
    const b = transformerBlock({ dModel: 4, heads: 2, ffn: 8 }, new Rng(6));
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 7);
    const t = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 8);
    expect(b.apply(x).shape).toEqual([2, 3, 4]);
    expect(gradCheck(() => mse(b.apply(x), t), b.params, 1e-2, 3).maxRelError).toBeLessThan(5e-2);
  });

  it('token and pooled heads; 2D lattice positions; overfits (loss / 100) without leaks', async () => {
    const tok = transformerEncoder(
      { inputSize: 2, dModel: 8, heads: 2, layers: 1, outputSize: 1, head: 'token' },
      new Rng(9),
    );
    const x = tf.randomNormal([4, 6, 2], 0, 1, 'float32', 10);
    expect(tok.apply(x).shape).toEqual([4, 6, 1]);
    const pooled = transformerEncoder(
      { inputSize: 1, dModel: 8, heads: 2, layers: 1, outputSize: 3, head: 'pooled', positions: '2d', lattice: [2, 3] },
      new Rng(9),
    );
    expect(pooled.apply(tf.zeros([5, 6, 1])).shape).toEqual([5, 3]);
    expect(() => pooled.apply(tf.zeros([5, 4, 1]))).toThrow(
      'transformerEncoder: lattice 2x3 has 6 sites but the input has 4 tokens',
    );
    // per-token target: cumulative sum (needs attention across tokens)
    const y = tf.cumsum(x.slice([0, 0, 0], [4, 6, 1]), 1);
    const loss = () => mse(tok.apply(x), y);
    const l0 = loss().dataSync()[0];
    await expectNoLeak(() => fit({ params: tok.params, loss, steps: 2 }), 'encoder fit');
    const h = fit({ params: tok.params, loss, steps: 400, lr: 0.01 });
    expect(h[h.length - 1]).toBeLessThan(l0 / 100);
  });
});

describe('character LM', () => {
  it('learns a periodic text and samples it back (seeded)', async () => {
    const text = 'abcd_'.repeat(40);
    const vocab = charVocab(text);
    const ids = vocab.encode(text);
    const cfg = { vocab: vocab.size, context: 8, dModel: 16, heads: 2, layers: 1, ffn: 32 };
    const lm = causalLm(cfg, new Rng(11));
    expect(getWeights(lm)).toEqual(getWeights(causalLm(cfg, new Rng(11))));
    const rng = new Rng(12);
    const batch = lmBatch(ids, 8, 8, rng);
    const l0 = lmLoss(lm, batch).dataSync()[0];
    expect(l0).toBeGreaterThan(Math.log(vocab.size) * 0.5);
    await expectNoLeak(() => fit({ params: lm.params, loss: () => lmLoss(lm, batch), steps: 2 }), 'lm fit');
    const h = fit({ params: lm.params, loss: () => lmLoss(lm, batch), steps: 200, lr: 0.01 });
    batch.dispose();
    expect(h[h.length - 1]).toBeLessThan(l0 / 100);
    const s1 = vocab.decode(sampleLm(lm, vocab.encode('ab'), 10, new Rng(13)));
    const s2 = vocab.decode(sampleLm(lm, vocab.encode('ab'), 10, new Rng(13)));
    expect(s1).toBe(s2);
    expect(s1).toBe('cd_abcd_ab');
    expect(() => lm.apply(tf.zeros([1, 9], 'int32'))).toThrow(
      'causalLm: sequence length 9 exceeds the context 8; crop the input to the last 8 tokens',
    );
    expect(() => vocab.encode('z')).toThrow('charVocab: character "z" is not in the vocabulary');
  });
});
