import { tf, Rng, initBackend, expectNoLeak } from '@aml/core';
import { recurrent, sequenceRegressor } from './recurrent';
import { CELL_KINDS, type CellKind } from './cells';
import { slidingWindows, windowTensors, forecastRecursive } from './windows';
import { getWeights, type Layer } from '../layers/layer';
import { mse } from '../losses/losses';
import { gradCheck } from '../testing/gradcheck';
import { fit } from '../testing/fit';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** Float64 reference of one cell over a sequence for one batch row, from the written equations. */
function reference(kind: CellKind, p: number[][], xs: number[][], H: number): number[] {
  const [Wx, Wh, b, bh] = p; // row-major (in, G H), (H, G H), (G H), (G H)
  const G = kind === 'rnn' ? 1 : kind === 'lstm' ? 4 : 3;
  let h = new Array(H).fill(0),
    c = new Array(H).fill(0);
  const lin = (v: number[], W: number[], bias: number[] | undefined) =>
    Array.from(
      { length: G * H },
      (_, j) => v.reduce((s, vi, i) => s + vi * W[i * G * H + j], 0) + (bias ? bias[j] : 0),
    );
  for (const x of xs) {
    const zx = lin(x, Wx, b),
      zh = lin(h, Wh, bh);
    if (kind === 'rnn') h = h.map((_, j) => Math.tanh(zx[j] + zh[j]));
    else if (kind === 'lstm') {
      const z = zx.map((v, j) => v + zh[j]);
      c = c.map((cj, j) => sig(z[H + j]) * cj + sig(z[j]) * Math.tanh(z[2 * H + j]));
      h = h.map((_, j) => sig(z[3 * H + j]) * Math.tanh(c[j]));
    } else {
      h = h.map((hj, j) => {
        const r = sig(zx[j] + zh[j]),
          u = sig(zx[H + j] + zh[H + j]);
        const n = Math.tanh(zx[2 * H + j] + r * zh[2 * H + j]);
        return (1 - u) * n + u * hj;
      });
    }
  }
  return h;
}

describe.each(CELL_KINDS)('%s', (kind) => {
  it('matches a float64 implementation of its equations', () => {
    const layer = recurrent({ cell: kind, inputSize: 2, hidden: 3 }, new Rng(1));
    // perturb the biases so every term is exercised
    layer.params.forEach((v) => v.rank === 1 && v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', 5))));
    const xs = [
      [0.5, -1],
      [0.2, 0.3],
      [-0.7, 0.9],
      [1, 0],
    ];
    const y = layer.apply(tf.tensor3d([xs])).dataSync();
    const ref = reference(
      kind,
      layer.params.map((v) => Array.from(v.dataSync())),
      xs,
      3,
    );
    ref.forEach((r, j) => expect(y[j]).toBeCloseTo(r, 5));
  });

  it('has the documented shapes (stacked, sequences) and gradients that match finite differences', () => {
    const seq = recurrent({ cell: kind, inputSize: 2, hidden: 3, layers: 2, returnSequences: true }, new Rng(2));
    const x = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 3);
    expect(seq.apply(x).shape).toEqual([2, 5, 3]);
    const reg = sequenceRegressor({ cell: kind, inputSize: 2, hidden: 3, layers: 2, outputSize: 2 }, new Rng(2));
    expect(reg.apply(x).shape).toEqual([2, 2]);
    const t = tf.tensor([
      [0.3, -0.2],
      [0.1, 0.5],
    ]);
    expect(gradCheck(() => mse(reg.apply(x), t), reg.params, 1e-2, 5).maxRelError).toBeLessThan(3e-2);
  });

  it('overfits a tiny sequence task (loss / 100), is seeded, and trains without leaks', async () => {
    const make = () => sequenceRegressor({ cell: kind, inputSize: 1, hidden: 8, outputSize: 1 }, new Rng(4));
    const model = make();
    expect(getWeights(model)).toEqual(getWeights(make()));
    // target: sum of the sequence's first and last entries
    const x = tf.randomNormal([6, 4, 1], 0, 1, 'float32', 6);
    const xv = x.arraySync() as number[][][];
    const y = tf.tensor2d(xv.map((s) => [0.5 * (s[0][0] + s[3][0])]));
    const loss = () => mse(model.apply(x), y);
    const l0 = loss().dataSync()[0];
    await expectNoLeak(() => fit({ params: model.params, loss, steps: 2 }), `${kind} fit`);
    const h = fit({ params: model.params, loss, steps: 300, lr: 0.02 });
    expect(h[h.length - 1]).toBeLessThan(l0 / 100);
  });
});

describe('sequence errors', () => {
  it('names the layer and the shapes', () => {
    const l = recurrent({ cell: 'lstm', inputSize: 2, hidden: 3, seqLen: 5, name: 'enc' }, new Rng(1));
    expect(() => l.apply(tf.zeros([4, 5, 3]))).toThrow(
      "lstm 'enc': expected input (B, T, features) of shape (N, 5, 2), got (4, 5, 3)",
    );
    expect(() => l.apply(tf.zeros([4, 6, 2]))).toThrow(
      "lstm 'enc': expected input (B, T, features) of shape (N, 5, 2), got (4, 6, 2)",
    );
  });
});

describe('windows and forecasts', () => {
  it('cuts a series into windows and next values', () => {
    const w = slidingWindows([1, 2, 3, 4, 5, 6], { window: 3, horizon: 2, stride: 1 });
    expect(w.n).toBe(2);
    expect(Array.from(w.x)).toEqual([1, 2, 3, 2, 3, 4]);
    expect(Array.from(w.y)).toEqual([4, 5, 5, 6]);
    const w2 = slidingWindows([1, 10, 2, 20, 3, 30, 4, 40], { window: 2, features: 2, stride: 2 });
    expect(Array.from(w2.x)).toEqual([1, 10, 2, 20]);
    expect(Array.from(w2.y)).toEqual([3, 30]);
    expect(windowTensors(w).x.shape).toEqual([2, 3, 1]);
    expect(() => slidingWindows([1, 2], { window: 2 })).toThrow(
      'slidingWindows: series of 2 steps is shorter than window 2 + horizon 1',
    );
  });

  it('recursive forecast feeds predictions back (oracle: a linear recurrence)', () => {
    // model: next = x_{t} + x_{t-1} (Fibonacci) on a window of 2
    const fib: Layer = { name: 'fib', params: [], kernels: [], state: [], apply: (x) => tf.tidy(() => tf.sum(x, 1)) };
    expect(Array.from(forecastRecursive(fib, [1, 1], 2, 5))).toEqual([2, 3, 5, 8, 13]);
  });
});
