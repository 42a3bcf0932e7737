import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { aisLogPartition } from './ais';
import { contrastiveDivergence } from './cd';
import { allBinaryStates, exactLogLikelihood, exactLogPartition, exactVisibleDistribution } from './exact';
import { createRbm, disposeRbm, freeEnergy, gibbsSample, hiddenProbs, type Rbm } from './rbm';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** Set an RBM's parameters from plain arrays. */
function setParams(rbm: Rbm, W: number[], a: number[], b: number[]) {
  rbm.W.assign(tf.tensor2d(W, rbm.W.shape as [number, number]));
  rbm.a.assign(tf.tensor1d(a));
  rbm.b.assign(tf.tensor1d(b));
}

/** Energy E(v, h) in plain JS (the definitions in rbm.ts). */
function energy(
  kind: 'binary' | 'gaussian',
  W: number[],
  a: number[],
  b: number[],
  v: number[],
  h: number[],
  sigma = 1,
) {
  const nH = b.length;
  let e = 0;
  v.forEach((vi, i) => {
    e += kind === 'binary' ? -a[i] * vi : (vi - a[i]) ** 2 / (2 * sigma * sigma);
    h.forEach((hj, j) => (e -= (vi * W[i * nH + j] * hj) / (kind === 'binary' ? 1 : sigma * sigma)));
  });
  h.forEach((hj, j) => (e -= b[j] * hj));
  return e;
}

const bits = (k: number, n: number) => Array.from({ length: n }, (_, i) => (k >> i) & 1);

describe.each(['binary', 'gaussian'] as const)('%s RBM', (kind) => {
  const W = [0.5, -1, 0.3, 0.8, -0.2, 0.4];
  const a = [0.1, -0.3, 0.2];
  const b = [0.4, -0.6];
  const sigma = kind === 'gaussian' ? 0.7 : 1;
  let rbm: Rbm;
  beforeEach(() => {
    rbm = createRbm({ kind, nVisible: 3, nHidden: 2, sigma }, new Rng(1));
    setParams(rbm, W, a, b);
  });
  afterEach(() => disposeRbm(rbm));

  it('free energy equals -log sum_h exp(-E(v, h)) and p(h|v) matches enumeration', () => {
    const vs =
      kind === 'binary'
        ? [
            [1, 0, 1],
            [0, 1, 1],
          ]
        : [
            [0.3, -1.2, 2.0],
            [1.5, 0.2, -0.4],
          ];
    const F = freeEnergy(rbm, tf.tensor2d(vs)).arraySync();
    const ph = hiddenProbs(rbm, tf.tensor2d(vs)).arraySync();
    vs.forEach((v, r) => {
      let z = 0,
        z1 = 0;
      for (let k = 0; k < 4; k++) {
        const w = Math.exp(-energy(kind, W, a, b, v, bits(k, 2), sigma));
        z += w;
        if (bits(k, 2)[0] === 1) z1 += w;
      }
      expect(F[r]).toBeCloseTo(-Math.log(z), 4);
      expect(ph[r][0]).toBeCloseTo(z1 / z, 5);
    });
  });

  it('exact log Z equals the brute-force sum (binary) or a quadrature over v (gaussian)', () => {
    let Z = 0;
    if (kind === 'binary') {
      for (let kv = 0; kv < 8; kv++)
        for (let kh = 0; kh < 4; kh++) Z += Math.exp(-energy(kind, W, a, b, bits(kv, 3), bits(kh, 2)));
    } else {
      // sum_h of a product of 1D Gaussian integrals, each done by the midpoint rule on [-12, 12].
      for (let kh = 0; kh < 4; kh++) {
        const h = bits(kh, 2);
        let prod = Math.exp(b[0] * h[0] + b[1] * h[1]);
        for (let i = 0; i < 3; i++) {
          let s = 0;
          const dv = 0.001;
          for (let v = -12; v < 12; v += dv) {
            const x = v + dv / 2;
            s +=
              Math.exp(
                -((x - a[i]) ** 2) / (2 * sigma * sigma) +
                  (x * (W[2 * i] * h[0] + W[2 * i + 1] * h[1])) / (sigma * sigma),
              ) * dv;
          }
          prod *= s;
        }
        Z += prod;
      }
    }
    expect(exactLogPartition(rbm)).toBeCloseTo(Math.log(Z), 4);
  });

  it('CD-1 step leaves no tensors; bad k fails clearly', async () => {
    const cd = contrastiveDivergence(rbm, { k: 1, method: 'pcd' });
    const opt = adam({ learningRate: 0.01 });
    const data = tf.tensor2d(
      kind === 'binary'
        ? [
            [1, 0, 1],
            [0, 1, 1],
          ]
        : [
            [0.3, -1, 2],
            [1, 0, -0.4],
          ],
    );
    const rng = new Rng(2);
    cd.step(data, opt, rng); // warm-up: optimizer slots and the persistent chains
    await expectNoLeak(() => cd.step(data, opt, rng), `${kind} PCD-1 step`);
    cd.dispose();
    opt.dispose();
    data.dispose();
    expect(() => contrastiveDivergence(rbm, { k: 0 })).toThrow(/k \(Gibbs steps\) must be >= 1/);
  });
});

describe('RBM training and sampling', () => {
  // Tiny dataset: 4 visible units, two prototype patterns with one bit of noise.
  const patterns = [
    [1, 1, 0, 0],
    [0, 0, 1, 1],
    [1, 1, 0, 0],
    [0, 0, 1, 1],
    [1, 1, 1, 0],
    [0, 0, 0, 1],
    [1, 0, 0, 0],
    [0, 1, 1, 1],
  ];

  it.each(['cd', 'pcd'] as const)('exact log-likelihood rises under %s-1 on a tiny dataset', (method) => {
    const rng = new Rng(3);
    const rbm = createRbm({ kind: 'binary', nVisible: 4, nHidden: 3, initStd: 0.1 }, rng);
    const data = tf.tensor2d(Array.from({ length: 8 }, () => patterns).flat()); // 64 rows = 64 persistent chains
    const before = exactLogLikelihood(rbm, data);
    const cd = contrastiveDivergence(rbm, { k: 1, method });
    // PCD needs a small step so the persistent chains can track the model (Tieleman 2008).
    const opt = adam({ learningRate: 0.02 });
    for (let t = 0; t < 300; t++) cd.step(data, opt, rng);
    const after = exactLogLikelihood(rbm, data);
    // Near-uniform start: 4 log(1/2) = -2.77. No model beats minus the data's empirical entropy,
    // -(2 * 0.25 ln 4 + 4 * 0.125 ln 8) = -1.733.
    expect(before).toBeCloseTo(-4 * Math.log(2), 1);
    expect(after).toBeGreaterThan(before + 0.6);
    expect(after).toBeLessThan(-1.733);
    cd.dispose();
    opt.dispose();
    data.dispose();
    disposeRbm(rbm);
  });

  it('Gaussian-binary RBM: exact log-likelihood of two clusters rises under CD-1', () => {
    const rng = new Rng(8);
    const rbm = createRbm({ kind: 'gaussian', nVisible: 2, nHidden: 2, sigma: 0.5, initStd: 0.1 }, rng);
    const pts = Array.from({ length: 64 }, (_, i) => (i % 2 ? [1, 1] : [-1, -1]).map((v) => v + 0.3 * rng.normal()));
    const data = tf.tensor2d(pts);
    const before = exactLogLikelihood(rbm, data);
    const cd = contrastiveDivergence(rbm, { k: 1 });
    const opt = adam({ learningRate: 0.03 });
    for (let t = 0; t < 200; t++) cd.step(data, opt, rng);
    expect(exactLogLikelihood(rbm, data)).toBeGreaterThan(before + 1);
    cd.dispose();
    opt.dispose();
    disposeRbm(rbm);
  });

  it('block Gibbs samples follow the exact p(v) (total variation < 0.03)', () => {
    const rbm = createRbm({ kind: 'binary', nVisible: 3, nHidden: 2 }, new Rng(0));
    setParams(rbm, [1.5, -1, -1.2, 0.8, 0.5, 1.0], [0.2, -0.5, 0.1], [-0.3, 0.4]);
    const p = exactVisibleDistribution(rbm);
    const v = gibbsSample(rbm, tf.zeros([20000, 3]), 30, new Rng(4));
    const rows = v.arraySync() as number[][];
    const counts = new Array(8).fill(0);
    for (const r of rows) counts[r[0] + 2 * r[1] + 4 * r[2]] += 1 / rows.length;
    const tv = 0.5 * counts.reduce((s, c, k) => s + Math.abs(c - p[k]), 0);
    expect(tv).toBeLessThan(0.03);
    v.dispose();
    disposeRbm(rbm);
  });

  it('is repeatable by seed', () => {
    const run = (seed: number) => {
      const rbm = createRbm({ kind: 'binary', nVisible: 4, nHidden: 2 }, new Rng(seed));
      const out = gibbsSample(rbm, tf.zeros([5, 4]), 3, new Rng(seed));
      const res = Array.from(out.dataSync());
      out.dispose();
      disposeRbm(rbm);
      return res;
    };
    expect(run(5)).toEqual(run(5));
  });

  it('AIS estimates log Z of a 12x6 RBM within 0.1 of enumeration', () => {
    const rng = new Rng(6);
    const rbm = createRbm({ kind: 'binary', nVisible: 12, nHidden: 6, initStd: 0.6 }, rng);
    rbm.a.assign(tf.randomNormal([12], 0, 0.5, 'float32', 1));
    rbm.b.assign(tf.randomNormal([6], 0, 0.5, 'float32', 2));
    const exact = exactLogPartition(rbm);
    const est = aisLogPartition(rbm, { runs: 200, betas: 500 }, rng);
    expect(Math.abs(est.logZ - exact)).toBeLessThan(0.1);
    disposeRbm(rbm);
  });

  it('rejects bad architectures and Gibbs steps', () => {
    expect(() => createRbm({ kind: 'binary', nVisible: 4, nHidden: 0 }, new Rng(0))).toThrow(
      /nHidden must be a positive integer, got 0/,
    );
    expect(() => createRbm({ kind: 'gaussian', nVisible: 4, nHidden: 2, sigma: 0 }, new Rng(0))).toThrow(
      /sigma must be a finite number > 0, got 0/,
    );
    const rbm = createRbm({ kind: 'binary', nVisible: 2, nHidden: 1 }, new Rng(0));
    expect(() => gibbsSample(rbm, tf.zeros([1, 2]), 0, new Rng(0))).toThrow(
      /k \(Gibbs steps\) must be a positive integer, got 0/,
    );
    expect(() => freeEnergy(rbm, tf.zeros([1, 3]))).toThrow(/shape \(B, 2\), got \(1, 3\)/);
    expect(allBinaryStates(2).arraySync()).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    disposeRbm(rbm);
  });
});
