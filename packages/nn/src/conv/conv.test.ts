import { tf, Rng, initBackend, expectNoLeak } from '@aml/core';
import { conv2d, conv1d, convTranspose2d } from './conv';
import { maxPool2d, avgPool2d, pool1d, flatten } from './pool';
import { lenet } from './lenet';
import { convOutputSize, convTransposeOutputSize, convParamCount } from './size';
import { countParams, getWeights, type Layer } from '../layers/layer';
import { mse, softmaxCrossEntropy } from '../losses/losses';
import { gradCheck } from '../testing/gradcheck';
import { fit } from '../testing/fit';

beforeAll(async () => {
  // Conv training on WASM relies on core's registered Conv2D filter gradient.
  await initBackend({ backend: 'wasm', quiet: true });
});

const rnd = (shape: number[], seed: number) =>
  tf.tensor(
    Float32Array.from(
      { length: shape.reduce((a, b) => a * b) },
      (
        (r) => () =>
          r.normal()
      )(new Rng(seed)),
    ),
    shape,
  );

describe('conv arithmetic', () => {
  it('matches the course formulas', () => {
    expect(convOutputSize(28, 5, 0, 1)).toBe(24);
    expect(convOutputSize(7, 3, 1, 2)).toBe(4);
    expect(convTransposeOutputSize(4, 3, 1, 2)).toBe(7);
    expect(convParamCount(3, 1, 10)).toBe(100);
    expect(() => convOutputSize(6, 3, 0, 2, "conv2d 'c'")).toThrow(
      "conv2d 'c': output size (W - F + 2P)/S + 1 = (6 - 3 + 2*0)/2 + 1 = 2.5 is not a positive integer",
    );
  });
});

type Case = [string, () => Layer, number[], number[]];
const cases: Case[] = [
  [
    'conv2d valid',
    () => conv2d({ inChannels: 2, filters: 3, kernelSize: 3, activation: 'tanh' }, new Rng(1)),
    [2, 5, 5, 2],
    [2, 3, 3, 3],
  ],
  [
    'conv2d same stride 2',
    () => conv2d({ inChannels: 1, filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, new Rng(2)),
    [2, 6, 6, 1],
    [2, 3, 3, 2],
  ],
  [
    'conv2d explicit pad 1, 3x1 kernel, stride [2,1]',
    () => conv2d({ inChannels: 1, filters: 2, kernelSize: [3, 1], strides: [2, 1], padding: 1 }, new Rng(3)),
    [1, 7, 4, 1],
    [1, 4, 6, 2],
  ],
  [
    'conv1d same',
    () => conv1d({ inChannels: 2, filters: 3, kernelSize: 3, padding: 'same', activation: 'silu' }, new Rng(4)),
    [2, 8, 2],
    [2, 8, 3],
  ],
  [
    'conv1d stride 2',
    () => conv1d({ inChannels: 1, filters: 2, kernelSize: 5, stride: 2, padding: 2 }, new Rng(5)),
    [2, 9, 1],
    [2, 5, 2],
  ],
  [
    'convTranspose2d same x2',
    () => convTranspose2d({ inChannels: 2, filters: 1, kernelSize: 3, strides: 2 }, new Rng(6)),
    [1, 3, 3, 2],
    [1, 6, 6, 1],
  ],
  [
    'convTranspose2d valid',
    () => convTranspose2d({ inChannels: 1, filters: 2, kernelSize: 3, strides: 2, padding: 'valid' }, new Rng(7)),
    [1, 3, 3, 1],
    [1, 7, 7, 2],
  ],
];

describe.each(cases)('%s', (_, make, inShape, outShape) => {
  it('has the documented output shape and gradients that match finite differences', () => {
    const layer = make();
    const x = rnd(inShape, 11);
    const y = layer.apply(x);
    expect(y.shape).toEqual(outShape);
    const t = rnd(outShape, 12);
    expect(gradCheck(() => mse(layer.apply(x), t), layer.params, 1e-2, 8).maxRelError).toBeLessThan(3e-2);
  });
});

describe('conv values', () => {
  it('conv2d equals a hand-computed cross-correlation', () => {
    const c = conv2d({ inChannels: 1, filters: 1, kernelSize: 2 }, new Rng(1));
    c.kernel.assign(tf.tensor([1, 2, 3, 4], [2, 2, 1, 1]));
    const x = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expect(Array.from(c.apply(x).dataSync())).toEqual([37, 47, 67, 77]);
  });
  it('pools: max, average, 1D, flatten', () => {
    const x = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]);
    expect(Array.from(maxPool2d().apply(x).dataSync())).toEqual([6, 8, 14, 16]);
    expect(Array.from(avgPool2d().apply(x).dataSync())).toEqual([3.5, 5.5, 11.5, 13.5]);
    expect(
      Array.from(
        pool1d('max')
          .apply(tf.tensor([1, 3, 2, 0], [1, 4, 1]))
          .dataSync(),
      ),
    ).toEqual([3, 2]);
    expect(flatten().apply(x).shape).toEqual([1, 16]);
    expect(() => maxPool2d({ name: 'p' }).apply(tf.zeros([4, 4]))).toThrow(
      "maxPool2d 'p': expected input (N, H, W, C) of shape (N, ?, ?, ?), got (4, 4)",
    );
  });
  it('pooling input gradients match finite differences', () => {
    const x = tf.variable(rnd([1, 4, 4, 2], 21));
    const t = rnd([1, 2, 2, 2], 22);
    for (const p of [maxPool2d(), avgPool2d()])
      expect(gradCheck(() => mse(p.apply(x), t), [x], 1e-3, 16).maxRelError).toBeLessThan(2e-2);
    x.dispose();
  });

  it('names the layer and shapes on a channel mismatch', () => {
    const c = conv2d({ inChannels: 3, filters: 1, kernelSize: 3, name: 'c1' }, new Rng(1));
    expect(() => c.apply(tf.zeros([1, 8, 8, 1]))).toThrow(
      "conv2d 'c1': expected input (N, H, W, C) of shape (N, ?, ?, 3), got (1, 8, 8, 1)",
    );
    expect(() => c.apply(tf.zeros([1, 2, 8, 3]))).toThrow(
      "conv2d 'c1': output size (W - F + 2P)/S + 1 = (2 - 3 + 2*0)/1 + 1 = 0 is not a positive integer",
    );
  });
});

describe('lenet', () => {
  it('counts parameters, is seeded, overfits 8 images (loss / 100) and trains without leaks', async () => {
    const cfg = { inputShape: [8, 8, 1] as const, classes: 2, channels: [4, 8], kernelSize: 3, hidden: [16] };
    const net = lenet(cfg, new Rng(3));
    expect(getWeights(net)).toEqual(getWeights(lenet(cfg, new Rng(3))));
    expect(countParams(net)).toBe(
      convParamCount(3, 1, 4) + convParamCount(3, 4, 8) + (2 * 2 * 8 * 16 + 16) + (16 * 2 + 2),
    );
    const x = rnd([8, 8, 8, 1], 5);
    const y = tf.tensor([0, 1, 0, 1, 1, 0, 0, 1], [8], 'int32');
    const loss = () => softmaxCrossEntropy(net.apply(x, { training: true }), y);
    const l0 = loss().dataSync()[0];
    await expectNoLeak(() => fit({ params: net.params, loss, steps: 2 }), 'lenet fit');
    const h = fit({ params: net.params, loss, steps: 150, lr: 0.01 });
    expect(h[h.length - 1]).toBeLessThan(l0 / 100);
    expect(() => lenet({ ...cfg, inputShape: [10, 10, 1] }, new Rng(1))).toThrow(
      'lenet: input 10x10 must be divisible by 2^2 = 4',
    );
  });
});
