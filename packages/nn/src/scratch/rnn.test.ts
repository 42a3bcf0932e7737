import { tf, Rng, initBackend } from '@aml/core';
import { mat } from './matrix';
import { scratchRnn, scratchRnnBptt, scratchRnnCost } from './rnn';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

function data(T: number, B: number, nIn: number, nOut: number, rng: Rng) {
  const xs = Array.from({ length: T }, () =>
    mat(
      B,
      nIn,
      Array.from({ length: B * nIn }, () => rng.normal()),
    ),
  );
  const ts = Array.from({ length: T }, () =>
    mat(
      B,
      nOut,
      Array.from({ length: B * nOut }, () => rng.normal()),
    ),
  );
  return { xs, ts };
}

describe('from-scratch RNN with BPTT', () => {
  const rng = new Rng(1);
  const p = scratchRnn(2, 4, 3, rng);
  const { xs, ts } = data(6, 3, 2, 3, rng);
  const g = scratchRnnBptt(p, xs, ts);
  const arrays = (q: typeof p) => [q.U.data, q.W.data, q.b, q.V.data, q.c];

  it('BPTT equals central finite differences (float64)', () => {
    const grads = [g.U.data, g.W.data, g.b, g.V.data, g.c];
    const h = 1e-6;
    arrays(p).forEach((arr, k) => {
      for (let i = 0; i < arr.length; i++) {
        const w = arr[i];
        arr[i] = w + h;
        const up = scratchRnnCost(p, xs, ts);
        arr[i] = w - h;
        const dn = scratchRnnCost(p, xs, ts);
        arr[i] = w;
        expect(Math.abs((up - dn) / (2 * h) - grads[k][i])).toBeLessThan(1e-7);
      }
    });
  });

  it('BPTT equals tfjs autodiff of the unrolled network on the same weights', () => {
    const f32 = (a: Float64Array, shape: number[]) => tf.tensor(Float32Array.from(a), shape);
    const params = [f32(p.U.data, [2, 4]), f32(p.W.data, [4, 4]), f32(p.b, [4]), f32(p.V.data, [4, 3]), f32(p.c, [3])];
    const x = xs.map((m) => f32(m.data, [3, 2]));
    const t = ts.map((m) => f32(m.data, [3, 3]));
    const cost = (U: tf.Tensor, W: tf.Tensor, b: tf.Tensor, V: tf.Tensor, c: tf.Tensor) => {
      let h: tf.Tensor = tf.zeros([3, 4]);
      let s: tf.Tensor = tf.scalar(0);
      x.forEach((xt, i) => {
        h = tf.tanh(tf.add(tf.add(tf.matMul(xt, U), tf.matMul(h, W)), b));
        s = tf.add(s, tf.sum(tf.square(tf.sub(tf.add(tf.matMul(h, V), c), t[i]))));
      });
      return tf.div(s, 6 * 3 * 3);
    };
    const ref = tf
      .grads(cost as (...a: tf.Tensor[]) => tf.Tensor)(params)
      .map((r) => r.dataSync());
    [g.U.data, g.W.data, g.b, g.V.data, g.c].forEach((ours, k) =>
      ours.forEach((v, i) => expect(Math.abs(v - ref[k][i])).toBeLessThan(1e-5)),
    );
  });

  it('rejects a step of the wrong size, naming the shapes', () => {
    expect(() => scratchRnnCost(p, [mat(3, 5)], [mat(3, 3)])).toThrow(
      'scratchRnn: expected every step of shape (3, 2), got (3, 5)',
    );
  });
});
