import { tf, Rng, initBackend, expectNoLeak } from '@aml/core';
import { softmaxCrossEntropy } from '../losses/losses';
import { softmaxXent, softmaxXentSupported } from './softmax-xent';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const N = 6;
const K = 4;

/** float64 oracle: loss = -(1/N) sum t log softmax(z), dL/dz = (p sum t - t) / N, dL/dt = -log p / N. */
function oracle(z: Float32Array, t: number[][]) {
  let loss = 0;
  const dz: number[] = [];
  const dt: number[] = [];
  for (let i = 0; i < N; i++) {
    const row = Array.from(z.subarray(i * K, (i + 1) * K));
    const mx = Math.max(...row);
    const lse = mx + Math.log(row.reduce((s, v) => s + Math.exp(v - mx), 0));
    const ts = t[i].reduce((a, b) => a + b, 0);
    row.forEach((v, k) => {
      loss -= (t[i][k] * (v - lse)) / N;
      dz.push((Math.exp(v - lse) * ts - t[i][k]) / N);
      dt.push(-(v - lse) / N);
    });
  }
  return { loss, dz, dt };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) =>
  Array.from(a).forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(tol));

describe('fused softmax cross-entropy (wasm)', () => {
  const zArr = new Rng(4).normalArray(N * K, 0, 3);
  const labels = [0, 3, 1, 1, 2, 3];
  const soft = Array.from({ length: N }, (_, i) =>
    [0.1, 0.2, 0.3, 0.4].map((v, k) => (k === i % K ? v + 0.5 : v) / 1.5),
  );

  it('is registered on wasm and used by softmaxCrossEntropy for rank-2 logits', () => {
    expect(softmaxXentSupported()).toBe(true);
    const spy = jest.spyOn(tf.engine(), 'runKernel');
    tf.tidy(() => softmaxCrossEntropy(tf.zeros([2, 3]), tf.tensor1d([0, 2], 'int32')));
    expect(spy.mock.calls.map((c) => c[0])).toEqual(['AmlSoftmaxXent']);
    spy.mockRestore();
  });

  it.each([
    [
      'integer labels',
      () => tf.tensor1d(labels, 'int32'),
      labels.map((c) => [0, 1, 2, 3].map((k) => (k === c ? 1 : 0))),
    ],
    [
      'one-hot rows',
      () => tf.oneHot(tf.tensor1d(labels, 'int32'), K).toFloat(),
      labels.map((c) => [0, 1, 2, 3].map((k) => (k === c ? 1 : 0))),
    ],
    ['soft targets', () => tf.tensor2d(soft), soft],
  ])('%s: value and logits gradient match float64 (1e-6)', (_, target, t) => {
    const z = tf.tensor2d(zArr, [N, K]);
    const y = target();
    const want = oracle(zArr, t);
    expect(softmaxXent(z, y).dataSync()[0]).toBeCloseTo(want.loss, 5);
    expect(softmaxCrossEntropy(z, y).dataSync()[0]).toBeCloseTo(want.loss, 5);
    close(
      tf
        .grad((zz: tf.Tensor) => softmaxCrossEntropy(zz, y))(z)
        .dataSync(),
      want.dz,
      1e-6,
    );
    if (y.dtype === 'float32')
      close(
        tf
          .grad((tt: tf.Tensor) => softmaxXent(z, tt))(y)
          .dataSync(),
        want.dt,
        1e-5,
      );
  });

  it("nested: the gradient of a function of dL/dz equals the plain formula's", () => {
    const z = tf.tensor2d(zArr, [N, K]);
    const y = tf.tensor1d(labels, 'int32');
    // h(z) = sum (dL/dz)^2: differentiable only if the loss gradient is
    const h = (loss: (zz: tf.Tensor) => tf.Scalar) => (zz: tf.Tensor) =>
      tf.sum(tf.square(tf.grad(loss)(zz))) as tf.Scalar;
    const plain = (zz: tf.Tensor) => {
      const T = tf.oneHot(y, K).toFloat();
      const e = tf.exp(tf.sub(zz, tf.max(zz, -1, true)));
      // softmax written with a division only (tf.exp's gradient is fine at first order here)
      return tf.neg(tf.mean(tf.sum(tf.mul(T, tf.log(tf.div(e, tf.sum(e, -1, true)))), -1))) as tf.Scalar;
    };
    // float64 central differences of h along one logit
    const hv = (zz: tf.Tensor) => h((q) => softmaxXent(q as tf.Tensor2D, y))(zz).dataSync()[0];
    const g = tf
      .grad(h((q) => softmaxXent(q as tf.Tensor2D, y)))(z)
      .dataSync();
    const eps = 1e-2;
    for (const idx of [0, 5, 13]) {
      const dz = new Float32Array(N * K);
      dz[idx] = eps;
      const fd = (hv(tf.add(z, tf.tensor2d(dz, [N, K]))) - hv(tf.sub(z, tf.tensor2d(dz, [N, K])))) / (2 * eps);
      expect(Math.abs(g[idx] - fd)).toBeLessThan(2e-3 * Math.max(1e-2, Math.abs(fd)) + 1e-4);
    }
    expect(h((q) => softmaxXent(q as tf.Tensor2D, y))(z).dataSync()[0]).toBeCloseTo(h(plain)(z).dataSync()[0], 5);
  });

  it('a value-and-gradient evaluation leaves no tensors', async () => {
    const z = tf.variable(tf.tensor2d(zArr, [N, K]));
    const y = tf.tensor1d(labels, 'int32');
    await expectNoLeak(() => {
      const r = tf.variableGrads(() => softmaxCrossEntropy(z, y), [z]);
      tf.dispose([r.value, ...Object.values(r.grads)]);
    }, 'fused cross-entropy');
  });
});
