import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { allBinaryStates } from '../rbm/exact';
import {
  arVae,
  arVaeDecoderLogProb,
  arVaeEncode,
  arVaeLoss,
  arVaeStep,
  disposeArVae,
  sampleArVae,
  type ArVae,
} from './ar-vae';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** Standard-normal quadrature on a midpoint grid over [-8, 8]: nodes e (G) and weights w (sum 1 to ~1e-15). */
function normalGrid(G = 801): { e: number[]; w: number[] } {
  const h = 16 / G;
  const e = Array.from({ length: G }, (_, g) => -8 + (g + 0.5) * h);
  const w = e.map((v) => (h * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI));
  const s = w.reduce((a, v) => a + v, 0);
  return { e, w: w.map((v) => v / s) };
}

/** log p(x | z) for every state x (S, d) at every z in zs (latent 1): (S, G) as nested arrays. */
function decoderTable(vae: ArVae, states: tf.Tensor2D, zs: number[]): number[][] {
  const S = states.shape[0],
    G = zs.length,
    d = states.shape[1];
  return tf.tidy(() => {
    const x = tf.tile(states, [1, G]).reshape([S * G, d]) as tf.Tensor2D; // row s*G + g is state s
    const z = tf.tile(tf.tensor2d(zs, [1, G]), [S, 1]).reshape([S * G, 1]) as tf.Tensor2D;
    return arVaeDecoderLogProb(vae, x, z).reshape([S, G]).arraySync() as number[][];
  });
}

const d = 3;
/** A tiny model with non-trivial z dependence: a few ELBO steps on correlated data. */
function tinyTrained(seed: number): ArVae {
  const rng = new Rng(seed);
  const vae = arVae({ inputSize: d, latentSize: 1, encoderHidden: [8], decoderHidden: [6] }, rng);
  const x = tf.tensor2d([
    [1, 1, 1],
    [0, 0, 0],
    [1, 1, 0],
    [0, 0, 1],
    [1, 1, 1],
    [0, 0, 0],
  ]);
  const opt = adam({ learningRate: 0.05 });
  for (let t = 0; t < 30; t++) arVaeStep(vae, x, opt, rng);
  opt.dispose();
  x.dispose();
  return vae;
}

describe('AR-decoder VAE', () => {
  it('p(x|z) sums to 1 over all states for fixed z; samples follow p(x) = E_z p(x|z) by quadrature; the ELBO is below log p(x)', () => {
    const vae = tinyTrained(1);
    const states = allBinaryStates(d); // (8, 3)
    // Normalisation of the decoder at a few fixed z.
    const fixed = decoderTable(vae, states, [-2.5, 0, 0.8, 3]);
    for (let g = 0; g < 4; g++)
      expect(Math.abs(fixed.reduce((a, row) => a + Math.exp(row[g]), 0) - 1)).toBeLessThan(1e-5);
    // Exact marginal p(x) = integral p(x|z) N(z; 0, 1) dz on a fine grid (the integrand is smooth).
    const { e, w } = normalGrid();
    const table = decoderTable(vae, states, e);
    const px = table.map((row) => row.reduce((a, lp, g) => a + w[g] * Math.exp(lp), 0));
    expect(px.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
    const n = 20000;
    const s = sampleArVae(vae, n, new Rng(2)).dataSync();
    const freq = new Array(8).fill(0);
    for (let b = 0; b < n; b++) freq[s[3 * b] + 2 * s[3 * b + 1] + 4 * s[3 * b + 2]] += 1 / n;
    // TV over 8 cells at n = 20000: sampling noise ~ 0.008.
    expect(0.5 * freq.reduce((a, f, k) => a + Math.abs(f - px[k]), 0)).toBeLessThan(0.02);
    // ELBO(x) = E_q[log p(x|z)] - KL, with E_q by the same quadrature on z = mu + sigma e: never above log p(x).
    const { mu, logVar } = arVaeEncode(vae, states);
    const m = mu.dataSync(),
      lv = logVar.dataSync();
    for (let k = 0; k < 8; k++) {
      const sd = Math.exp(lv[k] / 2);
      const row = decoderTable(
        vae,
        states.slice([k, 0], [1, d]) as tf.Tensor2D,
        e.map((v) => m[k] + sd * v),
      )[0];
      const elbo = row.reduce((a, lp, g) => a + w[g] * lp, 0) - 0.5 * (m[k] * m[k] + sd * sd - 1 - lv[k]);
      expect(elbo).toBeLessThanOrEqual(Math.log(px[k]) + 1e-4);
    }
    disposeArVae(vae);
  });

  it('the KL term is the closed form of the encoder outputs, and free bits add beta * sum_j max(0, lambda - KL_j)', () => {
    const cfg = { inputSize: 4, latentSize: 3, encoderHidden: [8], decoderHidden: [5], beta: 0.7 };
    const a = arVae(cfg, new Rng(3));
    const x = tf.tensor2d([
      [1, 0, 1, 1],
      [0, 1, 1, 0],
      [1, 1, 1, 1],
    ]);
    const { mu, logVar } = arVaeEncode(a, x);
    const m = mu.arraySync(),
      lv = logVar.arraySync();
    const klDim = [0, 1, 2].map(
      (j) => m.reduce((s, row, i) => s + 0.5 * (row[j] ** 2 + Math.exp(lv[i][j]) - 1 - lv[i][j]), 0) / 3,
    );
    // lambda between the smallest and largest KL_j: the clamp is active on some dimensions only.
    const lambda = (Math.min(...klDim) + Math.max(...klDim)) / 2;
    const b = arVae({ ...cfg, freeBits: lambda }, new Rng(3)); // same weights
    const la = arVaeLoss(a, x, new Rng(4)),
      lb = arVaeLoss(b, x, new Rng(4)); // same z draws
    expect(la.terms.kl.dataSync()[0]).toBeCloseTo(
      klDim.reduce((s, v) => s + v, 0),
      5,
    );
    expect(la.loss.dataSync()[0]).toBeCloseTo(la.terms.recon.dataSync()[0] + 0.7 * la.terms.kl.dataSync()[0], 5);
    expect(lb.terms.recon.dataSync()[0]).toBeCloseTo(la.terms.recon.dataSync()[0], 6);
    const extra = klDim.reduce((s, v) => s + Math.max(0, lambda - v), 0);
    expect(extra).toBeGreaterThan(0.01);
    expect(lb.loss.dataSync()[0] - la.loss.dataSync()[0]).toBeCloseTo(0.7 * extra, 4);
    disposeArVae(a);
    disposeArVae(b);
  });

  it('training lowers the loss, a step leaks nothing, and the same seed gives the same samples', async () => {
    const rng = new Rng(5);
    const vae = arVae({ inputSize: 6, latentSize: 2, encoderHidden: [16], decoderHidden: [16] }, rng);
    const x = tf.tensor2d(Array.from({ length: 32 }, (_, i) => (i % 2 ? [1, 1, 1, 1, 1, 1] : [0, 0, 0, 0, 0, 0])));
    const opt = adam({ learningRate: 0.02 });
    const first = arVaeStep(vae, x, opt, rng);
    await expectNoLeak(() => arVaeStep(vae, x, opt, rng), 'AR-VAE step');
    let last = first;
    for (let t = 0; t < 60; t++) last = arVaeStep(vae, x, opt, rng);
    expect(first.loss).toBeGreaterThan(3); // about 6 log 2 at initialisation
    expect(last.loss).toBeLessThan(first.loss - 2);
    expect(sampleArVae(vae, 16, new Rng(6)).arraySync()).toEqual(sampleArVae(vae, 16, new Rng(6)).arraySync());
    await expectNoLeak(() => sampleArVae(vae, 4, new Rng(7)).dispose(), 'AR-VAE sampling');
    opt.dispose();
    disposeArVae(vae);
  });

  it('bad settings fail with a message naming the field', () => {
    const ok = { inputSize: 8, latentSize: 2, encoderHidden: [16], decoderHidden: [16] };
    expect(() => arVae({ ...ok, latentSize: 0 }, new Rng(0))).toThrow(/latentSize must be a positive integer, got 0/);
    expect(() => arVae({ ...ok, decoderHidden: [4] }, new Rng(0))).toThrow(
      /decoderHidden width 4 is below inputSize - 1 = 7/,
    );
    expect(() => arVae({ ...ok, freeBits: -1 }, new Rng(0))).toThrow(/freeBits must be a finite number >= 0, got -1/);
    expect(() => arVae({ ...ok, decoderHidden: [] }, new Rng(0))).toThrow(/decoderHidden needs at least one layer/);
    expect(() => arVae({ ...ok, hiden: [3] } as never, new Rng(0))).toThrow(/hiden/);
    const vae = arVae(ok, new Rng(0));
    expect(() => arVaeEncode(vae, tf.zeros([2, 5]) as tf.Tensor2D)).toThrow(
      /input must have shape \(B, 8\), got \(2, 5\)/,
    );
    expect(() => sampleArVae(vae, 0, new Rng(0))).toThrow(/sampleArVae: n must be a positive integer, got 0/);
    disposeArVae(vae);
  });
});
