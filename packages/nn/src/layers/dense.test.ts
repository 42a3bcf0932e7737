import { tf, Rng, initBackend, expectNoLeak, adam, train } from '@aml/core';
import { dense } from './dense';
import { mlp } from './sequential';
import { batchNorm, layerNorm } from './norm';
import { dropout } from './dropout';
import { getWeights, countParams, disposeLayer } from './layer';
import { LAYER_ACTIVATIONS } from './activation';
import { mse, softmaxCrossEntropy, weightPenalty } from '../losses/losses';
import { gradCheck } from '../testing/gradcheck';
import { fit } from '../testing/fit';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('dense', () => {
  it('computes x W + b and keeps leading axes', () => {
    const l = dense({ inputSize: 3, units: 2, name: 'h' }, new Rng(1));
    const x = tf.tensor([
      [1, 2, 3],
      [0, -1, 0.5],
    ]);
    const W = l.W.arraySync() as number[][];
    const y = l.apply(x).arraySync() as number[][];
    for (let r = 0; r < 2; r++)
      for (let c = 0; c < 2; c++) {
        const xr = (x.arraySync() as number[][])[r];
        expect(y[r][c]).toBeCloseTo(xr[0] * W[0][c] + xr[1] * W[1][c] + xr[2] * W[2][c], 5);
      }
    expect(l.apply(tf.zeros([4, 5, 3])).shape).toEqual([4, 5, 2]);
  });

  it('names the layer and the shapes when the input does not fit', () => {
    const l = dense({ inputSize: 4, units: 2, name: 'hidden1' }, new Rng(1));
    expect(() => l.apply(tf.zeros([8, 3]))).toThrow("dense 'hidden1': expected input of shape (N, 4), got (8, 3)");
    expect(() => dense({ inputSize: 4, units: 0, name: 'h' }, new Rng(1))).toThrow(
      "dense 'h': units must be a positive integer, got 0",
    );
    expect(() => dense({ inputSize: 4, units: 2, name: 'h', init: 'xavier' as never }, new Rng(1))).toThrow(
      "dense 'h': unknown initializer 'xavier'; use one of",
    );
    expect(() => dense({ inputSize: 4, units: 2, name: 'h', activation: 'swish' as never }, new Rng(1))).toThrow(
      "dense 'h': unknown activation 'swish'; use one of",
    );
  });

  it('Glorot and He initialisers have the right variance', () => {
    const g = dense({ inputSize: 200, units: 300, init: 'glorotNormal' }, new Rng(2));
    const h = dense({ inputSize: 200, units: 300, init: 'heUniform' }, new Rng(3));
    const v = (t: tf.Tensor) => tf.moments(t).variance.dataSync()[0];
    expect(v(g.W) / (2 / 500)).toBeCloseTo(1, 1);
    expect(v(h.W) / (2 / 200)).toBeCloseTo(1, 1);
  });

  it('building and disposing a model leaves no tensors', async () => {
    await expectNoLeak(() => disposeLayer(mlp({ sizes: [3, 5, 2], norm: 'batch' }, new Rng(1))), 'mlp build + dispose');
  });

  it('same seed, same weights; different seed, different weights', () => {
    const a = mlp({ sizes: [3, 5, 2] }, new Rng(9));
    const b = mlp({ sizes: [3, 5, 2] }, new Rng(9));
    const c = mlp({ sizes: [3, 5, 2] }, new Rng(10));
    expect(getWeights(a)).toEqual(getWeights(b));
    expect(getWeights(a)[0]).not.toEqual(getWeights(c)[0]);
    expect(countParams(a)).toBe(3 * 5 + 5 + 5 * 2 + 2);
  });
});

describe.each(LAYER_ACTIVATIONS.filter((a) => a !== 'relu' && a !== 'leakyRelu'))('mlp with %s', (act) => {
  it('gradients match finite differences', () => {
    const net = mlp({ sizes: [3, 4, 2], activation: act }, new Rng(4));
    const x = tf.tensor(
      Float32Array.from(new Rng(5).permutation(12), (v) => v / 6 - 1),
      [4, 3],
    );
    const t = tf.tensor([
      [0.1, 0.2],
      [0.3, -0.1],
      [0, 1],
      [1, 0],
    ]);
    const r = gradCheck(() => mse(net.apply(x), t), net.params, 1e-2);
    expect(r.maxRelError).toBeLessThan(2e-2);
    disposeLayer(net);
  });
});

describe('normalisation and dropout', () => {
  it('batch norm normalises with batch statistics in training and running ones at inference', () => {
    const bn = batchNorm({ features: 2, momentum: 0 });
    const x = tf.tensor([
      [1, 10],
      [3, 20],
      [5, 30],
    ]);
    const y = bn.apply(x, { training: true });
    const { mean, variance } = tf.moments(y, 0);
    expect(Array.from(mean.dataSync()).map((m) => Math.abs(m) < 1e-5)).toEqual([true, true]);
    expect(variance.dataSync()[0]).toBeCloseTo(1, 3);
    // momentum 0: running stats = batch stats (unbiased variance 4 and 100)
    expect(Array.from(bn.state[0].dataSync())).toEqual([3, 20]);
    expect(bn.state[1].dataSync()[1]).toBeCloseTo(100, 3);
    const yi = bn.apply(tf.tensor([[3, 20]])).dataSync();
    expect(Math.abs(yi[0]) + Math.abs(yi[1])).toBeLessThan(1e-5);
    expect(() => bn.apply(tf.zeros([3, 4]))).toThrow(
      "batchNorm 'batchNorm': expected input of shape (..., 2) with a batch axis, got (3, 4)",
    );
  });

  it('batch norm gradients (training mode, through the batch statistics) match finite differences', () => {
    const bn = batchNorm({ features: 3, name: 'bn' });
    bn.params[0].assign(tf.tensor([1, 2, 0.5]));
    const x = tf.tensor(
      Float32Array.from(new Rng(8).permutation(15), (v) => v / 5 - 1),
      [5, 3],
    );
    const xv = tf.variable(x);
    const t = tf.tensor(
      Float32Array.from(new Rng(9).permutation(15), (v) => v / 7),
      [5, 3],
    );
    // input and parameter gradients (the input gradient couples rows through mean and variance)
    expect(
      gradCheck(() => mse(bn.apply(xv, { training: true }), t), [...bn.params, xv], 1e-2, 8).maxRelError,
    ).toBeLessThan(3e-2);
    xv.dispose();
  });

  it('layer norm gives each row zero mean and unit variance; gradient checks', () => {
    const ln = layerNorm({ features: 4, name: 'ln' });
    const x = tf.tensor([
      [1, 2, 3, 4],
      [-1, 0, 5, 2],
    ]);
    const y = ln.apply(x);
    const { mean, variance } = tf.moments(y, 1);
    expect(Math.max(...Array.from(mean.dataSync()).map(Math.abs))).toBeLessThan(1e-5);
    expect(variance.dataSync()[1]).toBeCloseTo(1, 3);
    const t = tf.tensor([
      [0, 1, 0, 1],
      [1, 0, 0, 0],
    ]);
    ln.params[0].assign(tf.tensor([1, 2, 0.5, 1]));
    expect(gradCheck(() => mse(ln.apply(x), t), ln.params).maxRelError).toBeLessThan(2e-2);
  });

  it('dropout zeroes about rate of the units, rescales the rest, is identity at inference, and is seeded', () => {
    const d1 = dropout({ rate: 0.3 }, new Rng(1));
    const d2 = dropout({ rate: 0.3 }, new Rng(1));
    const x = tf.ones([100, 100]);
    const y = d1.apply(x, { training: true }).dataSync();
    const zeros = y.filter((v) => v === 0).length / y.length;
    expect(zeros).toBeGreaterThan(0.28);
    expect(zeros).toBeLessThan(0.32);
    expect(y.find((v) => v !== 0)).toBeCloseTo(1 / 0.7, 5);
    expect(Array.from(d2.apply(x, { training: true }).dataSync())).toEqual(Array.from(y));
    expect(Array.from(d1.apply(x).dataSync()).every((v) => v === 1)).toBe(true);
    expect(() => dropout({ rate: 1 }, new Rng(1))).toThrow("dropout 'dropout': rate must be in [0, 1), got 1");
  });

  it('L1/L2 penalty equals its closed form', () => {
    const w = [tf.tensor([1, -2]), tf.tensor([[3]])];
    expect(weightPenalty(w, { l1: 0.1, l2: 0.01 }).dataSync()[0]).toBeCloseTo(0.1 * 6 + 0.01 * 14, 5);
  });
});

describe('mlp training', () => {
  it('overfits a tiny classification set (loss falls 100x) with batch norm and dropout, without leaks', async () => {
    const rng = new Rng(11);
    const net = mlp({ sizes: [2, 16, 16, 3], activation: 'relu', norm: 'batch', dropout: 0.05 }, rng);
    const x = tf.tensor([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
      [0.5, 0.5],
      [0.2, 0.9],
    ]);
    const y = tf.tensor([0, 1, 2, 0, 1, 2], [6], 'int32');
    const loss = () =>
      tf.add(
        softmaxCrossEntropy(net.apply(x, { training: true }), y),
        weightPenalty(net.kernels, { l2: 1e-6 }),
      ) as tf.Scalar;
    const hist = fit({ params: net.params, loss, steps: 1, lr: 0.02 });
    await expectNoLeak(() => fit({ params: net.params, loss, steps: 2 }), 'mlp fit');
    const more = fit({ params: net.params, loss, steps: 300, lr: 0.02 });
    expect(more[more.length - 1]).toBeLessThan(hist[0] / 100);
  });
});

describe("with core's trainer", () => {
  it('an nn model trains under @aml/core train (mini-batches, Adam) without leaking, and is reproducible', async () => {
    const runOnce = async () => {
      const net = mlp({ sizes: [2, 8, 1], activation: 'tanh', dropout: 0.1 }, new Rng(21));
      const x = tf.tensor2d(Float32Array.from(new Rng(22).uniformArray(64, -1, 1)), [32, 2]);
      const y = tf.sum(tf.square(x), 1, true);
      const opt = adam({ learningRate: 1e-2 });
      const hist = await expectNoLeak(async () => {
        const h = await train({
          params: net.params,
          optimizer: opt,
          data: { x, y },
          epochs: 3,
          batchSize: 8,
          rng: new Rng(23),
          progress: 'none',
          loss: ({ batch }) => mse(net.apply(batch!.x, { training: true }), batch!.y),
        });
        opt.dispose();
        return h;
      }, 'core train of an mlp');
      tf.dispose([x, y]);
      disposeLayer(net);
      return hist.loss;
    };
    const a = await runOnce();
    expect(a.length).toBe(12);
    expect(await runOnce()).toEqual(a);
  });
});
