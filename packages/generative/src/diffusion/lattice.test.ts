import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { circularConv2d, circularConv2dOp, circularPad2d } from './circular';
import { ddpmStep, qSample } from './ddpm';
import { latticeDenoiser } from './lattice';
import { noiseSchedule } from './schedule';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const mod = (a: number, n: number) => ((a % n) + n) % n;

/** Values of a (B, H, W, C) array rolled by (da, db) sites: out[i, j] = x[i - da, j - db]. */
function roll(x: Float32Array, [B, H, W, C]: number[], da: number, db: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        for (let c = 0; c < C; c++) {
          out[((b * H + mod(i + da, H)) * W + mod(j + db, W)) * C + c] = x[((b * H + i) * W + j) * C + c];
        }
  return out;
}

/** The periodic convolution by its definition, in float64: y[b,i,j,k] = sum x[b,(i+a-p)%H,(j+c-p)%W,ci] w[a,c,ci,k]. */
function periodicConvOracle(
  x: Float32Array,
  [B, H, W, Ci]: number[],
  w: Float32Array,
  F: number,
  K: number,
): Float64Array {
  const p = (F - 1) / 2;
  const y = new Float64Array(B * H * W * K);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        for (let k = 0; k < K; k++) {
          let s = 0;
          for (let a = 0; a < F; a++)
            for (let c = 0; c < F; c++)
              for (let ci = 0; ci < Ci; ci++) {
                s +=
                  x[((b * H + mod(i + a - p, H)) * W + mod(j + c - p, W)) * Ci + ci] *
                  w[((a * F + c) * Ci + ci) * K + k];
              }
          y[((b * H + i) * W + j) * K + k] = s;
        }
  return y;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('circular padding and periodic convolution', () => {
  it('circularPad2d wraps the opposite edges: out[i, j] = x[(i - p) mod H, (j - p) mod W]', () => {
    const [B, H, W, C, p] = [2, 3, 4, 2, 2];
    const x = tf.randomNormal([B, H, W, C], 0, 1, 'float32', 3) as tf.Tensor4D;
    const xv = x.dataSync(),
      out = circularPad2d(x, p);
    expect(out.shape).toEqual([B, H + 2 * p, W + 2 * p, C]);
    const ov = out.dataSync();
    const want = new Float32Array(ov.length);
    for (let b = 0; b < B; b++)
      for (let i = 0; i < H + 2 * p; i++)
        for (let j = 0; j < W + 2 * p; j++)
          for (let c = 0; c < C; c++) {
            want[((b * (H + 2 * p) + i) * (W + 2 * p) + j) * C + c] =
              xv[((b * H + mod(i - p, H)) * W + mod(j - p, W)) * C + c];
          }
    expect(Array.from(ov)).toEqual(Array.from(want)); // a copy: exact
    tf.dispose([x, out]);
    expect(() => circularPad2d(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, 3)).toThrow(
      'circularPad2d: padding must be an integer in 0..min(H, W) = 2, got 3',
    );
  });

  it.each([
    [3, 5, 4, 3, 2],
    [5, 6, 6, 2, 3],
    [1, 4, 4, 3, 2],
  ])('F = %i: equals the periodic sum by its definition (H = %i, W = %i) to 1e-4', (F, H, W, Ci, K) => {
    const shape: [number, number, number, number] = [2, H, W, Ci];
    const x = tf.randomNormal(shape, 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([F, F, Ci, K], 0, 1, 'float32', 2) as tf.Tensor4D;
    const y = circularConv2dOp(x, w);
    expect(y.shape).toEqual([2, H, W, K]);
    expect(
      maxAbsDiff(
        y.dataSync(),
        periodicConvOracle(x.dataSync() as Float32Array, shape, w.dataSync() as Float32Array, F, K),
      ),
    ).toBeLessThan(1e-4);
    tf.dispose([x, w, y]);
  });

  it('its hand-written gradients equal finite differences and autodiff through pad + conv', () => {
    // L = sum(r * y) is bilinear in (x, W), so central differences are exact up to float rounding
    const shape: [number, number, number, number] = [2, 5, 4, 3],
      F = 3,
      K = 2;
    const x = tf.randomNormal(shape, 0, 1, 'float32', 4) as tf.Tensor4D;
    const w = tf.randomNormal([F, F, 3, K], 0, 1, 'float32', 5) as tf.Tensor4D;
    const r = tf.randomNormal([2, 5, 4, K], 0, 1, 'float32', 6);
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      circularConv2dOp(a as tf.Tensor4D, b as tf.Tensor4D)
        .mul(r)
        .sum();
    const [gx, gw] = tf.grads(loss)([x, w]);
    const [ax, aw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf
        .conv2d(circularPad2d(a as tf.Tensor4D, 1), b as tf.Tensor4D, 1, 'valid')
        .mul(r)
        .sum(),
    )([x, w]);
    expect(maxAbsDiff(gx.dataSync(), ax.dataSync())).toBeLessThan(1e-4);
    expect(maxAbsDiff(gw.dataSync(), aw.dataSync())).toBeLessThan(1e-4);
    const h = 0.5;
    const fd = (t: tf.Tensor, k: number, f: (v: tf.Tensor) => tf.Tensor) =>
      tf.tidy(() => {
        const e = tf.oneHot([k], t.size).reshape(t.shape).mul(h);
        return (f(t.add(e)).dataSync()[0] - f(t.sub(e)).dataSync()[0]) / (2 * h);
      });
    for (const k of [0, 7, 29, 59, 119]) expect(fd(x, k, (v) => loss(v, w))).toBeCloseTo(gx.dataSync()[k], 3);
    for (const k of [0, 11, 33, 53]) expect(fd(w, k, (v) => loss(x, v))).toBeCloseTo(gw.dataSync()[k], 3);
    tf.dispose([x, w, r, gx, gw, ax, aw]);
  });

  it('rejects even kernels and wrong channel counts, naming the layer', () => {
    expect(() => circularConv2d({ inChannels: 1, filters: 2, kernelSize: 4, name: 'c' }, new Rng(0))).toThrow(
      "circularConv2d 'c': kernelSize must be an odd integer >= 1, got 4",
    );
    const c = circularConv2d({ inChannels: 2, filters: 2, name: 'c' }, new Rng(0));
    expect(() => c.apply(tf.zeros([1, 4, 4, 3]))).toThrow(
      "circularConv2d 'c': input must be (B, H, W, 2), got (1, 4, 4, 3)",
    );
    c.params.forEach((p) => p.dispose());
  });
});

describe('latticeDenoiser', () => {
  it('is translation-equivariant: rolling the lattice rolls the predicted noise (to 1e-5 of max |eps|)', () => {
    const net = latticeDenoiser({ width: 8, blocks: 2 }, new Rng(1));
    // give the zero-initialised convolutions weights, so every layer takes part
    net.params.forEach((p, i) => p.assign(tf.randomNormal(p.shape, 0, 0.3, 'float32', 10 + i)));
    const shape = [3, 6, 6, 1];
    const x = tf.randomNormal(shape, 0, 1, 'float32', 7);
    const t = tf.tensor1d([0, 5, 19]);
    const y = net.predict(x, t).dataSync() as Float32Array;
    const xs = tf.tensor4d(roll(x.dataSync() as Float32Array, shape, 2, -1), shape as [number, number, number, number]);
    const ys = net.predict(xs, t).dataSync();
    const scale = maxAbsDiff(y, new Float32Array(y.length)); // max |y|
    expect(maxAbsDiff(ys, roll(y, shape, 2, -1)) / scale).toBeLessThan(1e-5);
    // and it is not trivially constant: the prediction does depend on the configuration
    expect(maxAbsDiff(ys, y) / scale).toBeGreaterThan(1e-2);
    tf.dispose([x, t, xs]);
    net.params.forEach((p) => p.dispose());
  });

  it('a DDPM step leaves no tensors, and training lowers the loss on a two-state lattice', async () => {
    const rng = new Rng(2);
    const net = latticeDenoiser({ width: 8, blocks: 1 }, rng);
    const sched = noiseSchedule({ kind: 'cosine', T: 20 });
    const opt = adam({ learningRate: 3e-3 });
    // all-up or all-down 4x4 lattices: a shift-invariant distribution the denoiser can fit
    const x0 = tf.tidy(() =>
      tf
        .ones([16, 4, 4, 1])
        .mul(tf.tensor1d(Array.from({ length: 16 }, (_, i) => (i % 2 ? 1 : -1))).reshape([16, 1, 1, 1])),
    );
    // the epsilon loss on fixed noise and steps, so before and after are comparable
    const r = new Rng(9);
    const t = Int32Array.from({ length: 64 }, () => r.int(20));
    const eps = tf.randomNormal([64, 4, 4, 1], 0, 1, 'float32', r.seed());
    const x0s = tf.tidy(() => tf.concat([x0, x0, x0, x0]));
    const loss = () =>
      tf.tidy(
        () =>
          net
            .predict(qSample(sched, x0s, t, eps), tf.tensor1d(Float32Array.from(t)))
            .sub(eps)
            .square()
            .mean()
            .dataSync()[0],
      );
    const before = loss();
    ddpmStep(net, sched, x0, opt, rng); // creates Adam's moment variables
    await expectNoLeak(() => ddpmStep(net, sched, x0, opt, rng), 'lattice denoiser DDPM step');
    for (let i = 0; i < 60; i++) ddpmStep(net, sched, x0, opt, rng);
    const after = loss();
    expect(after).toBeLessThan(0.8 * before);
    tf.dispose([x0, x0s, eps]);
    opt.dispose();
    net.params.forEach((p) => p.dispose());
  });

  it('checks its input and settings', () => {
    expect(() => latticeDenoiser({ width: 0 }, new Rng(0))).toThrow(
      'latticeDenoiser: width must be an integer >= 1, got 0',
    );
    const net = latticeDenoiser({ width: 4, blocks: 1 }, new Rng(0));
    expect(() => net.predict(tf.zeros([2, 16]), tf.tensor1d([0, 1]))).toThrow(
      /latticeDenoiser: input must be \(B, L, L, 1\), got \(2, 16\); reshape/,
    );
    net.params.forEach((p) => p.dispose());
  });
});
