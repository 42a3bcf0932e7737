import { tf, Rng, initBackend } from '@aml/core';
import { scratchConvForward, scratchConvBackward, convOutSize, type ConvGeometry } from './conv';

beforeAll(async () => {
  // tfjs reference gradients of conv2d need Conv2DBackpropFilter, which WASM lacks: use cpu (tiny tensors).
  await initBackend({ backend: 'cpu', quiet: true });
});

const geoms: ConvGeometry[] = [
  { C: 2, H: 5, W: 5, K: 3, Fh: 3, Fw: 3 },
  { C: 1, H: 6, W: 7, K: 2, Fh: 3, Fw: 3, Sh: 1, Sw: 1, Ph: 1, Pw: 1 }, // "same"
  { C: 2, H: 7, W: 7, K: 2, Fh: 3, Fw: 3, Sh: 2, Sw: 2, Ph: 1, Pw: 1 },
  { C: 1, H: 7, W: 4, K: 2, Fh: 7, Fw: 1 }, // non-square 7x1
];

function setup(g: ConvGeometry, seed: number) {
  const rng = new Rng(seed);
  const N = 2;
  const X = Float64Array.from({ length: N * g.C * g.H * g.W }, () => rng.normal());
  const Kn = Float64Array.from({ length: g.K * g.C * g.Fh * g.Fw }, () => rng.normal());
  const b = Float64Array.from({ length: g.K }, () => rng.normal());
  const [Ho, Wo] = convOutSize(g);
  const R = Float64Array.from({ length: N * g.K * Ho * Wo }, () => rng.normal()); // loss = sum(R * Y)
  const loss = (x: Float64Array, k: Float64Array, bb: Float64Array) =>
    scratchConvForward(x, N, k, bb, g).Y.reduce((s, y, i) => s + R[i] * y, 0);
  return { N, X, Kn, b, R, loss, Ho, Wo };
}

describe.each(geoms)('from-scratch im2col convolution %o', (g) => {
  it('forward equals tf.conv2d and backward equals tfjs gradients', () => {
    const { N, X, Kn, b, R, Ho, Wo } = setup(g, 1);
    const { Y, cols } = scratchConvForward(X, N, Kn, b, g);
    const { dX, dKernel, dBias } = scratchConvBackward(R, N, Kn, cols, g);
    // tfjs is NHWC with filters (Fh, Fw, C, K); explicit padding [[0,0],[Ph,Ph],[Pw,Pw],[0,0]]
    const x = tf.tensor4d(Float32Array.from(X), [N, g.C, g.H, g.W]).transpose([0, 2, 3, 1]);
    const k = tf.tensor4d(Float32Array.from(Kn), [g.K, g.C, g.Fh, g.Fw]).transpose([2, 3, 1, 0]);
    const bt = tf.tensor1d(Float32Array.from(b));
    const r = tf.tensor4d(Float32Array.from(R), [N, g.K, Ho, Wo]).transpose([0, 2, 3, 1]);
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [g.Ph ?? 0, g.Ph ?? 0],
      [g.Pw ?? 0, g.Pw ?? 0],
      [0, 0],
    ];
    const f = (xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) =>
      tf.add(tf.conv2d(xx as tf.Tensor4D, kk as tf.Tensor4D, [g.Sh ?? 1, g.Sw ?? 1], pad), bb);
    const yRef = f(x, k, bt).transpose([0, 3, 1, 2]).dataSync();
    Y.forEach((v, i) => expect(Math.abs(v - yRef[i])).toBeLessThan(1e-4));
    const [gx, gk, gb] = tf.grads((xx, kk, bb) => tf.sum(tf.mul(f(xx, kk, bb), r)))([x, k, bt]);
    const gxRef = gx.transpose([0, 3, 1, 2]).dataSync();
    const gkRef = gk.transpose([3, 2, 0, 1]).dataSync();
    dX.forEach((v, i) => expect(Math.abs(v - gxRef[i])).toBeLessThan(1e-4));
    dKernel.forEach((v, i) => expect(Math.abs(v - gkRef[i])).toBeLessThan(1e-4));
    dBias.forEach((v, i) => expect(Math.abs(v - gb.dataSync()[i])).toBeLessThan(1e-4));
  });

  it('backward equals central finite differences (float64)', () => {
    const { N, X, Kn, b, R, loss } = setup(g, 2);
    const { cols } = scratchConvForward(X, N, Kn, b, g);
    const { dX, dKernel } = scratchConvBackward(R, N, Kn, cols, g);
    const h = 1e-6;
    for (const [arr, grad] of [
      [X, dX],
      [Kn, dKernel],
    ] as const) {
      for (let i = 0; i < arr.length; i += 3) {
        const w = arr[i];
        arr[i] = w + h;
        const up = loss(X, Kn, b);
        arr[i] = w - h;
        const dn = loss(X, Kn, b);
        arr[i] = w;
        expect(Math.abs((up - dn) / (2 * h) - grad[i])).toBeLessThan(1e-6);
      }
    }
  });
});

it('output size helper names the geometry when it does not tile', () => {
  expect(convOutSize({ C: 1, H: 28, W: 28, K: 1, Fh: 5, Fw: 5, Ph: 2, Pw: 2, Sh: 1, Sw: 1 })).toEqual([28, 28]);
  expect(() => convOutSize({ C: 1, H: 6, W: 6, K: 1, Fh: 3, Fw: 3, Sh: 2, Sw: 2 })).toThrow(
    '(H - F + 2P)/S + 1 must be a positive integer; got height 2.5, width 2.5',
  );
});
