import { tf } from '../../tf';
import { initBackend } from '../backend';
import { Rng } from '../../random/rng';
import { conv2dFilterGradient } from './convGradients';

const rng = new Rng(11);
const rand = (shape: number[]) => tf.tensor(rng.normalArray(shape.reduce((a, b) => a * b, 1)), shape);
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

async function onBoth<T extends tf.Tensor>(f: () => T): Promise<[Float32Array, Float32Array]> {
  await initBackend({ backend: 'cpu', quiet: true });
  const c = tf.tidy(f).dataSync() as Float32Array;
  await initBackend({ backend: 'wasm', quiet: true });
  const w = tf.tidy(f).dataSync() as Float32Array;
  return [c, w];
}
const close = ([c, w]: [Float32Array, Float32Array], tol: number) => {
  expect(w.length).toBe(c.length);
  let m = 0;
  for (let i = 0; i < c.length; i++) m = Math.max(m, Math.abs(c[i] - w[i]) / (1 + Math.abs(c[i])));
  expect(m).toBeLessThan(tol);
};

describe('wasm kernel fixes agree with the cpu backend', () => {
  let a: tf.Tensor2D, b: tf.Tensor2D, at: tf.Tensor2D, bt: tf.Tensor2D, a3: tf.Tensor3D;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
    [a, b, at, bt] = [rand([7, 5]), rand([5, 6]), rand([5, 7]), rand([6, 5])] as tf.Tensor2D[];
    a3 = rand([2, 5, 7]) as tf.Tensor3D;
  });

  it.each([
    ['plain', () => tf.matMul(a, b)],
    ['transposeA', () => tf.matMul(at, b, true, false)],
    ['transposeB', () => tf.matMul(a, bt, false, true)],
    ['both', () => tf.matMul(at, bt, true, true)],
    ['batched transposeA', () => tf.matMul(a3, tf.stack([b.transpose(), b.transpose()]) as tf.Tensor3D, true, true)],
  ])('BatchMatMul %s', async (_, f) => close(await onBoth(f as () => tf.Tensor), 1e-5));

  it('tanh: absolute error < 2e-7 everywhere, relative error small near 0', async () => {
    const xs = [-20, -3, -0.5, -0.06, -0.04, -1e-3, -1e-6, 0, 1e-6, 1e-3, 0.04, 0.06, 0.5, 3, 20];
    await initBackend({ backend: 'wasm', quiet: true });
    const y = tf.tidy(() => tf.tanh(tf.tensor1d(xs)).dataSync());
    xs.forEach((x, i) => {
      expect(Math.abs(y[i] - Math.tanh(x))).toBeLessThan(2e-7);
      if (x !== 0) expect(Math.abs(y[i] / Math.tanh(x) - 1)).toBeLessThan(2e-6);
    });
    const z = rand([300]).mul(3);
    close(await onBoth(() => tf.tanh(z)), 3e-7);
  });

  it('UnsortedSegmentSum exists on wasm and matches cpu (out-of-range ids dropped)', async () => {
    const x = rand([6, 3]);
    const ids = tf.tensor1d([0, 2, 2, 1, 0, 5], 'int32');
    close(await onBoth(() => tf.unsortedSegmentSum(x, ids, 4)), 1e-6);
    // its gradient (a gather) runs on wasm too
    const ok = tf.tensor1d([0, 2, 2, 1, 0, 3], 'int32');
    const g = tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) =>
          tf
            .unsortedSegmentSum(t, ok, 4)
            .mul(
              tf.tensor2d([
                [1, 2, 3],
                [4, 5, 6],
                [7, 8, 9],
                [1, 1, 1],
              ]),
            )
            .sum(),
        )(x)
        .arraySync(),
    );
    expect((g as number[][])[3]).toEqual([4, 5, 6]);
    expect((g as number[][])[5]).toEqual([1, 1, 1]);
  });
});

describe('conv2d filter gradient by forward convolutions', () => {
  type Padding = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
  const cases: [string, number[], number[], number, Padding][] = [
    ['3x3 same s1', [2, 6, 6, 3], [3, 3, 3, 4], 1, 'same'],
    ['3x3 valid s1', [2, 7, 5, 2], [3, 3, 2, 3], 1, 'valid'],
    ['3x3 same s2', [1, 7, 7, 2], [3, 3, 2, 2], 2, 'same'],
    ['5x5 valid s2 odd', [2, 9, 8, 1], [5, 5, 1, 2], 2, 'valid'],
    ['3x3 numeric pad 1', [1, 8, 8, 2], [3, 3, 2, 3], 1, 1],
    // tfjs computes a wrong output shape for a NUMERIC pad with a non-square filter; explicit arrays are right
    [
      '7x1 explicit pad',
      [1, 8, 8, 2],
      [7, 1, 2, 3],
      1,
      [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
    ],
  ];
  it.each(cases)('%s equals the cpu Conv2DBackpropFilter kernel, and trains on wasm', async (_, xs, fs, s, pad) => {
    const x = rand(xs) as tf.Tensor4D,
      w = rand(fs) as tf.Tensor4D;
    await initBackend({ backend: 'cpu', quiet: true });
    const y = tf.conv2d(x, w, s, pad as 'same');
    const dy = rand(y.shape) as tf.Tensor4D;
    const ref = tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x, dy },
        { strides: [s, s], pad, dataFormat: 'NHWC', filterShape: fs },
      ) as tf.Tensor;
    const mine = conv2dFilterGradient(x, dy, fs as [number, number, number, number], {
      strides: s,
      pad: pad as 'same',
    });
    expect(maxDiff(ref, mine)).toBeLessThan(1e-4);
    // on wasm through tf.grad (the registered gradient), same numbers
    await initBackend({ backend: 'wasm', quiet: true });
    const g = tf.grad((ww: tf.Tensor) =>
      tf
        .conv2d(x, ww as tf.Tensor4D, s, pad as 'same')
        .mul(dy)
        .sum(),
    )(w);
    expect(maxDiff(ref, g)).toBeLessThan(1e-4);
    tf.dispose([y, dy, ref, mine, g]);
  });

  it.each([
    [1],
    [2],
    [
      [
        [0, 0],
        [2, 1],
        [0, 3],
        [0, 0],
      ],
    ],
  ])('conv2d forward with explicit padding %j matches cpu (wasm pads first)', async (pad) => {
    const x = rand([1, 8, 8, 2]) as tf.Tensor4D,
      w3 = rand([3, 3, 2, 3]) as tf.Tensor4D;
    close(await onBoth(() => tf.conv2d(x, w3, 1, pad as number)), 1e-5);
    close(await onBoth(() => tf.conv2d(x, w3, 2, pad as number)), 1e-5);
    if (Array.isArray(pad)) {
      const w71 = rand([7, 1, 2, 3]) as tf.Tensor4D;
      close(await onBoth(() => tf.conv2d(x, w71, 1, pad as unknown as number)), 1e-5);
    }
  });

  // conv2dTranspose on wasm is a forward convolution of the dilated, padded dy (wasmKernels.ts)
  it.each([
    ['3x3 same s1', [2, 6, 6, 4], [3, 3, 4, 4], 1, 'same'],
    ['3x3 valid s1', [2, 7, 5, 5], [3, 3, 5, 3], 1, 'valid'],
    ['3x3 same s2 odd size', [1, 7, 7, 4], [3, 3, 4, 2], 2, 'same'],
    ['4x4 same s2 (DCGAN)', [2, 8, 8, 6], [4, 4, 6, 5], 2, 'same'],
    ['5x3 valid s2', [2, 9, 8, 4], [5, 3, 4, 2], 2, 'valid'],
    ['1x1 s1', [1, 4, 5, 4], [1, 1, 4, 2], 1, 'valid'],
    ['3x3 same s2, 2 input channels (the tfjs kernel)', [1, 6, 6, 2], [3, 3, 2, 3], 2, 'same'],
    ['3x3 numeric pad 1', [1, 8, 8, 4], [3, 3, 4, 3], 1, 1],
    [
      '7x1 explicit pad',
      [1, 8, 8, 4],
      [7, 1, 4, 3],
      1,
      [
        [0, 0],
        [2, 1],
        [0, 3],
        [0, 0],
      ],
    ],
  ] as [string, number[], number[], number, Padding][])(
    'conv2dTranspose and the conv2d input gradient, %s, match cpu',
    async (_, xs, fs, s, pad) => {
      const x = rand(xs) as tf.Tensor4D,
        w = rand(fs) as tf.Tensor4D;
      await initBackend({ backend: 'cpu', quiet: true });
      const dy = rand(tf.tidy(() => tf.conv2d(x, w, s, pad as 'same')).shape) as tf.Tensor4D;
      close(await onBoth(() => tf.conv2dTranspose(dy, w, x.shape, s, pad as 'same')), 1e-5);
      close(
        await onBoth(() =>
          tf.grad((xx: tf.Tensor) =>
            tf
              .conv2d(xx as tf.Tensor4D, w, s, pad as 'same')
              .mul(dy)
              .sum(),
          )(x),
        ),
        1e-5,
      );
    },
  );

  it('conv2dTranspose filter gradient runs on wasm and matches cpu', async () => {
    const x = rand([2, 4, 4, 3]) as tf.Tensor4D,
      w = rand([3, 3, 2, 3]) as tf.Tensor4D;
    close(
      await onBoth(() =>
        tf.grad((ww: tf.Tensor) =>
          tf
            .conv2dTranspose(x, ww as tf.Tensor4D, [2, 8, 8, 2], 2, 'same')
            .square()
            .sum(),
        )(w),
      ),
      1e-4,
    );
  });
});
